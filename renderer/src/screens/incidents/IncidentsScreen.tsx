import { useEffect, useMemo, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { ItemPicker } from '../../components/ItemPicker';
import { LinkedItems } from '../../components/LinkedItems';
import { RemoveConfirm } from '../../components/RemoveConfirm';
import { dateText, timeText } from '../../format';
import { AdviserComments } from '../review/AdviserComments';
import { ReviewControls } from '../review/ReviewControls';
import { useCases, type Incident } from '../../stores/cases';
import { inDateOrder } from '../timeline/timeline';
import { IncidentForm } from './IncidentForm';
import { useReadOnly } from '../../stores/session';
import { safeMultiline } from '../item/text';

/** A short label for an incident in lists: its date and where, or the start of what happened. */
export function incidentLabel(i: Incident): string {
  const what = displayName(i.place || i.summary).slice(0, 60);
  return `${dateText(i.occurredAt)}${what ? ` · ${what}` : ''}`;
}

/** Incidents, newest first, and the one chosen: its details to edit and what is linked to it. */
export function IncidentsScreen() {
  const incidents = useCases((s) => s.incidents);
  const loaded = useCases((s) => s.loaded);
  const error = useCases((s) => s.error);
  const load = useCases((s) => s.load);
  const [chosen, setChosen] = useState<string | 'new' | null>(null);
  const detail = useRef<HTMLDivElement>(null);
  // A bundle open for review: each incident is read, never changed.
  const readOnly = useReadOnly();

  useEffect(() => {
    void load();
  }, [load]);

  const newestFirst = useMemo(() => inDateOrder(incidents).reverse(), [incidents]);
  const incident = incidents.find((i) => i.id === chosen) ?? null;

  const choose = (id: string | 'new') => {
    setChosen(id);
    // Move focus to the form's heading area so keyboard and screen-reader users follow.
    requestAnimationFrame(() => detail.current?.querySelector<HTMLElement>('h2, input')?.focus());
  };

  return (
    <section className="cases" aria-labelledby="incidents-title">
      <header className="screen-header">
        <h1 id="incidents-title">Incidents</h1>
        {!readOnly && (
          <button type="button" onClick={() => choose('new')}>
            New incident
          </button>
        )}
      </header>
      <ErrorNote message={error} />
      <div className="split">
        <section className="case-list" aria-labelledby="incident-list-title">
          <h2 id="incident-list-title">
            All incidents <span className="count">({incidents.length})</span>
          </h2>
          {loaded && incidents.length === 0 && readOnly && (
            <p className="muted">This bundle records no incidents.</p>
          )}
          {loaded && incidents.length === 0 && !readOnly && (
            <p className="muted">
              No incidents yet. Each time something happens (a message, a post, a call, someone
              outside your home), record it with <strong>New incident</strong>. Together they show a
              course of conduct.
            </p>
          )}
          <ul className="case-links">
            {newestFirst.map((i) => (
              <li key={i.id}>
                <button
                  type="button"
                  className="case-link"
                  aria-current={chosen === i.id ? 'true' : undefined}
                  onClick={() => choose(i.id)}
                >
                  <span className="case-link-title">{dateText(i.occurredAt)}</span>
                  <span className="case-link-sub">
                    {displayName(i.place || i.summary || 'No details yet')}
                  </span>
                  <span className="tile-meta">
                    {i.itemIds.length} item{i.itemIds.length === 1 ? '' : 's'} ·{' '}
                    {i.personIds.length} {i.personIds.length === 1 ? 'person' : 'people'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <div className="case-detail" ref={detail}>
          {chosen === 'new' && <IncidentForm key="new" incident={null} onSaved={choose} />}
          {incident && readOnly && (
            <>
              <IncidentRecord incident={incident} />
              <ReviewControls
                className="case-section"
                what="this incident"
                target={{ kind: 'incident', incidentId: incident.id }}
              />
              <IncidentLinks incident={incident} />
            </>
          )}
          {incident && !readOnly && (
            <>
              <IncidentForm key={incident.id} incident={incident} onSaved={() => undefined} />
              <AdviserComments className="case-section" target={{ incidentId: incident.id }} />
              <IncidentLinks incident={incident} />
              <RemoveIncident
                key={incident.id}
                id={incident.id}
                onRemoved={() => setChosen(null)}
              />
            </>
          )}
          {chosen === null && incidents.length > 0 && (
            <p className="muted">
              {readOnly
                ? 'Choose an incident to read it.'
                : 'Choose an incident to see or change it, or add a new one.'}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function RemoveIncident(props: { id: string; onRemoved(): void }) {
  const removeIncident = useCases((s) => s.removeIncident);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="case-section" aria-label="Remove">
      <ErrorNote message={error} />
      <RemoveConfirm
        what="incident"
        consequences="Its record and its links to items and people are removed; the items and people stay."
        onRemove={async (reason) => {
          const r = await removeIncident(props.id, reason);
          setError(r.ok ? null : r.message);
          if (r.ok) props.onRemoved();
          return r.ok;
        }}
      />
    </section>
  );
}

/** An incident as the bundle records it, to read (a bundle open for review). */
function IncidentRecord({ incident: i }: { incident: Incident }) {
  const people = useCases((s) => s.people);
  const involved = people.filter((p) => i.personIds.includes(p.id));
  const fields: Array<[string, string]> = [
    [
      'When it happened',
      timeText(i.occurredAt) + (i.occurredUntil ? ` until ${timeText(i.occurredUntil)}` : ''),
    ],
    ['Platform or place', i.place],
    ['What happened', i.summary],
    ['Impact', i.impact],
    ['Witnesses', i.witnesses],
    ['Police reference number', i.policeRef],
    ['Platform reference number', i.platformRef],
  ];
  return (
    <section className="case-section" aria-labelledby="incident-record-title">
      <h2 id="incident-record-title" tabIndex={-1}>
        Incident on {dateText(i.occurredAt)}
      </h2>
      <dl className="record">
        {fields
          .filter(([, v]) => v.trim())
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="note-body">{safeMultiline(v)}</dd>
            </div>
          ))}
        <div>
          <dt>People involved</dt>
          <dd>
            {involved.length
              ? involved.map((p) => `${displayName(p.name)} (${p.role})`).join(', ')
              : 'No one linked.'}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function IncidentLinks({ incident }: { incident: Incident }) {
  const readOnly = useReadOnly();
  const people = useCases((s) => s.people);
  const linkIncident = useCases((s) => s.linkIncident);
  const unlinkIncident = useCases((s) => s.unlinkIncident);
  const [personId, setPersonId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const linkedItems = useMemo(() => new Set(incident.itemIds), [incident.itemIds]);
  const linkedPeople = people.filter((p) => incident.personIds.includes(p.id));
  const others = people.filter((p) => !incident.personIds.includes(p.id));
  const label = `the incident on ${dateText(incident.occurredAt)}`;

  const run = async (work: Promise<{ ok: boolean; message?: string }>) => {
    const r = await work;
    setError(r.ok ? null : (r.message ?? null));
  };

  return (
    <>
      <section className="case-section" aria-labelledby="incident-items-title">
        <h2 id="incident-items-title">Evidence for this incident</h2>
        <p className="muted">
          {timeText(incident.occurredAt)}
          {incident.occurredUntil ? ` until ${timeText(incident.occurredUntil)}` : ''}
        </p>
        <LinkedItems
          owner={{ incidentId: incident.id }}
          ownerLabel={label}
          onUnlink={(id) => unlinkIncident(incident.id, { itemIds: [id] })}
        />
        {!readOnly && (
          <>
            <h3>Link more items</h3>
            <ItemPicker
              linked={linkedItems}
              onLink={(itemIds) => linkIncident(incident.id, { itemIds })}
            />
          </>
        )}
      </section>
      {readOnly ? null : (
        <section className="case-section" aria-labelledby="incident-people-title">
          <h2 id="incident-people-title">People involved</h2>
          <ErrorNote message={error} />
          {linkedPeople.length === 0 ? (
            <p className="muted">No one linked yet.</p>
          ) : (
            <ul className="people-chips">
              {linkedPeople.map((p) => (
                <li key={p.id} className="chip">
                  {displayName(p.name)} <span className="count">({p.role})</span>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Unlink ${displayName(p.name)}`}
                    onClick={() => void run(unlinkIncident(incident.id, { personIds: [p.id] }))}
                  >
                    Unlink
                  </button>
                </li>
              ))}
            </ul>
          )}
          {people.length === 0 ? (
            <p className="muted">Add people on the People screen, then link them here.</p>
          ) : (
            others.length > 0 && (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (!personId) return;
                  void run(linkIncident(incident.id, { personIds: [personId] })).then(() =>
                    setPersonId(''),
                  );
                }}
              >
                <div className="field">
                  <label htmlFor="incident-add-person">Add a person</label>
                  <select
                    id="incident-add-person"
                    value={personId}
                    onChange={(e) => setPersonId(e.target.value)}
                  >
                    <option value="">Choose…</option>
                    {others.map((p) => (
                      <option key={p.id} value={p.id}>
                        {displayName(p.name)} ({p.role})
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="secondary" disabled={!personId}>
                  Link person
                </button>
              </form>
            )
          )}
        </section>
      )}
    </>
  );
}
