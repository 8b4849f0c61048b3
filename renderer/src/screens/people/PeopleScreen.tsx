import { useEffect, useMemo, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { ItemPicker } from '../../components/ItemPicker';
import { RemoveConfirm } from '../../components/RemoveConfirm';
import { LinkedItems } from '../../components/LinkedItems';
import { dateText } from '../../format';
import { useCases, type Person } from '../../stores/cases';
import { inDateOrder } from '../timeline/timeline';
import { PersonForm, ROLES } from './PersonForm';
import { useReadOnly } from '../../stores/session';
import { IDENTIFIER_LABELS } from '../../../../shared/identifiers';
import { safeMultiline } from '../item/text';

/** People, by role: who harasses, who saw it, who was told. Each with their evidence and incidents. */
export function PeopleScreen() {
  const people = useCases((s) => s.people);
  const loaded = useCases((s) => s.loaded);
  const error = useCases((s) => s.error);
  const load = useCases((s) => s.load);
  const [chosen, setChosen] = useState<string | 'new' | null>(null);
  const detail = useRef<HTMLDivElement>(null);
  // A bundle open for review: each person is read, never changed.
  const readOnly = useReadOnly();

  useEffect(() => {
    void load();
  }, [load]);

  const person = people.find((p) => p.id === chosen) ?? null;
  const choose = (id: string | 'new') => {
    setChosen(id);
    requestAnimationFrame(() => detail.current?.querySelector<HTMLElement>('h2')?.focus());
  };

  return (
    <section className="cases" aria-labelledby="people-title">
      <header className="screen-header">
        <h1 id="people-title">People</h1>
        {!readOnly && (
          <button type="button" onClick={() => choose('new')}>
            New person
          </button>
        )}
      </header>
      <ErrorNote message={error} />
      <div className="split">
        <section className="case-list" aria-labelledby="people-list-title">
          <h2 id="people-list-title">
            Everyone <span className="count">({people.length})</span>
          </h2>
          {loaded && people.length === 0 && readOnly && (
            <p className="muted">This bundle records no people.</p>
          )}
          {loaded && people.length === 0 && !readOnly && (
            <p className="muted">
              No one yet. Add the people who harass you (even as “Unknown sender”), witnesses, and
              officials you reported to, with their emails, handles and phone numbers.
            </p>
          )}
          {ROLES.map((r) => {
            const group = people.filter((p) => p.role === r.value);
            if (group.length === 0) return null;
            return (
              <div key={r.value} className="role-group">
                <h3>{r.plural}</h3>
                <ul className="case-links">
                  {group.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className="case-link"
                        aria-current={chosen === p.id ? 'true' : undefined}
                        onClick={() => choose(p.id)}
                      >
                        <span className="case-link-title">{displayName(p.name)}</span>
                        <span className="tile-meta">
                          {p.itemIds.length} item{p.itemIds.length === 1 ? '' : 's'} ·{' '}
                          {p.incidentIds.length} incident{p.incidentIds.length === 1 ? '' : 's'}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
        <div className="case-detail" ref={detail}>
          {chosen === 'new' && <PersonForm key="new" person={null} onSaved={choose} />}
          {person && readOnly && (
            <>
              <PersonRecord person={person} />
              <PersonLinks person={person} />
            </>
          )}
          {person && !readOnly && (
            <>
              <PersonForm key={person.id} person={person} onSaved={() => undefined} />
              <PersonLinks person={person} />
              <RemovePerson key={person.id} id={person.id} onRemoved={() => setChosen(null)} />
            </>
          )}
          {chosen === null && people.length > 0 && (
            <p className="muted">
              {readOnly
                ? 'Choose a person to read what the bundle records about them.'
                : 'Choose a person to see or change them, or add someone new.'}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function RemovePerson(props: { id: string; onRemoved(): void }) {
  const removePerson = useCases((s) => s.removePerson);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="case-section" aria-label="Remove">
      <ErrorNote message={error} />
      <RemoveConfirm
        what="person"
        consequences="Their details and identifiers are removed, and so are their links to items and incidents; the items and incidents stay."
        onRemove={async (reason) => {
          const r = await removePerson(props.id, reason);
          setError(r.ok ? null : r.message);
          if (r.ok) props.onRemoved();
          return r.ok;
        }}
      />
    </section>
  );
}

/** A person as the bundle records them, to read (a bundle open for review). */
function PersonRecord({ person: p }: { person: Person }) {
  const role = ROLES.find((r) => r.value === p.role)?.label ?? p.role;
  return (
    <section className="case-section" aria-labelledby="person-record-title">
      <h2 id="person-record-title" tabIndex={-1} className="wrap">
        {displayName(p.name)}
      </h2>
      <dl className="record">
        <div>
          <dt>Role</dt>
          <dd>{role}</dd>
        </div>
        {p.identifiers.map((x, i) => (
          <div key={i}>
            <dt>{IDENTIFIER_LABELS[x.kind]}</dt>
            <dd className="wrap">{displayName(x.value)}</dd>
          </div>
        ))}
        {p.notes.trim() && (
          <div>
            <dt>Notes</dt>
            <dd className="note-body">{safeMultiline(p.notes)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function PersonLinks({ person }: { person: Person }) {
  const readOnly = useReadOnly();
  const incidents = useCases((s) => s.incidents);
  const linkPersonItems = useCases((s) => s.linkPersonItems);
  const unlinkPersonItems = useCases((s) => s.unlinkPersonItems);
  const name = displayName(person.name);
  const linked = useMemo(() => new Set(person.itemIds), [person.itemIds]);
  const theirs = useMemo(
    () => inDateOrder(incidents.filter((i) => i.personIds.includes(person.id))),
    [incidents, person.id],
  );

  return (
    <>
      <section className="case-section" aria-labelledby="person-items-title">
        <h2 id="person-items-title">Evidence about {name}</h2>
        <LinkedItems
          owner={{ personId: person.id }}
          ownerLabel={name}
          onUnlink={(id) => unlinkPersonItems(person.id, [id])}
        />
        {!readOnly && (
          <>
            <h3>Link more items</h3>
            <ItemPicker linked={linked} onLink={(ids) => linkPersonItems(person.id, ids)} />
          </>
        )}
      </section>
      <section className="case-section" aria-labelledby="person-incidents-title">
        <h2 id="person-incidents-title">Incidents involving {name}</h2>
        {theirs.length === 0 ? (
          <p className="muted">
            {readOnly
              ? 'None.'
              : `None yet. Link ${name} to an incident on the Incidents screen, under People involved.`}
          </p>
        ) : (
          <ol className="plain-list">
            {theirs.map((i) => (
              <li key={i.id}>
                <strong>{dateText(i.occurredAt)}</strong>
                {i.place && ` · ${displayName(i.place)}`}
                {i.summary && (
                  <span className="muted"> — {displayName(i.summary).slice(0, 140)}</span>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
