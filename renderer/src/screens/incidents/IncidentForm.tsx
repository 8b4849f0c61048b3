import { useId, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { timeText } from '../../format';
import { useCases, type Incident, type IncidentInput } from '../../stores/cases';
import { useSelection } from '../../stores/selection';
import { displayName } from '../../../../shared/display-name';
import {
  browserOffsetMinutes,
  browserZoneName,
  offsetLabel,
  wallOf,
  withOffset,
} from './incident-time';

interface Draft {
  when: string;
  until: string;
  place: string;
  summary: string;
  impact: string;
  witnesses: string;
  policeRef: string;
  platformRef: string;
}

function draftOf(i: Incident | null): Draft {
  return {
    when: wallOf(i?.occurredAt),
    until: wallOf(i?.occurredUntil),
    place: i?.place ?? '',
    summary: i?.summary ?? '',
    impact: i?.impact ?? '',
    witnesses: i?.witnesses ?? '',
    policeRef: i?.policeRef ?? '',
    platformRef: i?.platformRef ?? '',
  };
}

/** A typed time as it will be stored: unchanged if the person did not touch it. */
function recorded(wall: string, before: string | null | undefined): string | null {
  if (!wall) return null;
  if (before && wallOf(before) === wall) return before;
  return withOffset(wall, browserOffsetMinutes(wall));
}

/** Says which clock typed times are read on, in words. */
function zoneSentence(zone: string | null, offset: number): string {
  const utcZone = zone === null || /^(Etc\/)?(UTC|GMT|Universal|Zulu)$/i.test(zone);
  const clock = utcZone
    ? `This computer’s clock is set to ${offsetLabel(offset)}`
    : `This computer’s clock is set to ${zone}, which on that date is ${offsetLabel(offset)}`;
  return `Type times as your clock showed them. ${clock}, and times are saved with that. If it happened where clocks were different, enter the time this computer’s clock would have shown.`;
}

/**
 * Create or edit one incident. Times are typed as the person's clock showed them and saved
 * with this computer's offset on that date, which the form says in words.
 */
export function IncidentForm(props: { incident: Incident | null; onSaved(id: string): void }) {
  const { incident, onSaved } = props;
  const createIncident = useCases((s) => s.createIncident);
  const updateIncident = useCases((s) => s.updateIncident);
  const people = useCases((s) => s.people);
  const selected = useSelection((s) => s.selected);
  const [draft, setDraft] = useState<Draft>(() => draftOf(incident));
  const [linkSelected, setLinkSelected] = useState(true);
  const [personIds, setPersonIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus('');
  };

  const at = recorded(draft.when, incident?.occurredAt);
  const until = recorded(draft.until, incident?.occurredUntil);
  const zone = browserZoneName();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!at) {
      setError('Please enter when it happened: the date and the time (a rough time is fine).');
      document.getElementById(fid('when'))?.focus();
      return;
    }
    if (draft.until && !until) {
      setError('The “until” time is not complete. Enter a date and a time, or clear it.');
      return;
    }
    const input: IncidentInput = {
      occurredAt: at,
      occurredUntil: until,
      place: draft.place.trim(),
      summary: draft.summary.trim(),
      impact: draft.impact.trim(),
      witnesses: draft.witnesses.trim(),
      policeRef: draft.policeRef.trim(),
      platformRef: draft.platformRef.trim(),
    };
    setBusy(true);
    const r = incident
      ? await updateIncident(incident.id, input)
      : await createIncident(input, {
          itemIds: linkSelected && selected.size ? [...selected] : undefined,
          personIds: personIds.length ? personIds : undefined,
        });
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setError(null);
    setStatus(incident ? 'Saved.' : 'Incident saved.');
    onSaved(r.value.id);
  };

  const zoneHelp = (wall: string, stored: string | null, before: string | null | undefined) => {
    if (!wall || !stored) return null;
    return stored === before
      ? `Recorded as ${timeText(stored)}.`
      : `Will be recorded as ${timeText(stored)}.`;
  };

  return (
    <form className="case-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 tabIndex={-1}>{incident ? 'Details' : 'New incident'}</h2>
      <p className="muted" id={fid('zone')}>
        {zoneSentence(zone, browserOffsetMinutes(draft.when))}
      </p>
      <div className="form-row">
        <div className="field">
          <label htmlFor={fid('when')}>When it happened</label>
          <input
            id={fid('when')}
            type="datetime-local"
            required
            aria-required="true"
            aria-describedby={`${fid('zone')} ${fid('when-help')}`}
            value={draft.when}
            onChange={(e) => set({ when: e.target.value })}
          />
          <span className="hint" id={fid('when-help')}>
            {zoneHelp(draft.when, at, incident?.occurredAt)}
          </span>
        </div>
        <div className="field">
          <label htmlFor={fid('until')}>Until (optional)</label>
          <input
            id={fid('until')}
            type="datetime-local"
            aria-describedby={fid('until-help')}
            value={draft.until}
            onChange={(e) => set({ until: e.target.value })}
          />
          <span className="hint" id={fid('until-help')}>
            {zoneHelp(draft.until, until, incident?.occurredUntil) ?? 'If it went on for a while.'}
          </span>
        </div>
      </div>
      <div className="field">
        <label htmlFor={fid('place')}>Platform or place</label>
        <input
          id={fid('place')}
          value={draft.place}
          maxLength={500}
          placeholder="e.g. email, Facebook, outside the constituency office"
          onChange={(e) => set({ place: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={fid('summary')}>What happened</label>
        <textarea
          id={fid('summary')}
          value={draft.summary}
          maxLength={20_000}
          onChange={(e) => set({ summary: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={fid('impact')}>Impact on you</label>
        <textarea
          id={fid('impact')}
          value={draft.impact}
          maxLength={20_000}
          aria-describedby={fid('impact-help')}
          onChange={(e) => set({ impact: e.target.value })}
        />
        <span className="hint" id={fid('impact-help')}>
          How it made you feel, and anything you changed because of it (for example, your route or
          your children’s routine).
        </span>
      </div>
      <div className="field">
        <label htmlFor={fid('witnesses')}>Witnesses</label>
        <textarea
          id={fid('witnesses')}
          className="short"
          value={draft.witnesses}
          maxLength={5_000}
          onChange={(e) => set({ witnesses: e.target.value })}
        />
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={fid('police')}>Police reference number</label>
          <input
            id={fid('police')}
            value={draft.policeRef}
            maxLength={200}
            onChange={(e) => set({ policeRef: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={fid('platform')}>Platform reference number</label>
          <input
            id={fid('platform')}
            value={draft.platformRef}
            maxLength={200}
            onChange={(e) => set({ platformRef: e.target.value })}
          />
        </div>
      </div>
      {!incident && selected.size > 0 && (
        <label className="check">
          <input
            type="checkbox"
            checked={linkSelected}
            onChange={(e) => setLinkSelected(e.target.checked)}
          />
          Also link the {selected.size} item{selected.size === 1 ? '' : 's'} selected in the library
        </label>
      )}
      {!incident && people.length > 0 && (
        <fieldset className="people-pick">
          <legend>People involved</legend>
          {people.map((p) => (
            <label key={p.id} className="chip">
              <input
                type="checkbox"
                checked={personIds.includes(p.id)}
                onChange={(e) =>
                  setPersonIds((ids) =>
                    e.target.checked ? [...ids, p.id] : ids.filter((x) => x !== p.id),
                  )
                }
              />
              {displayName(p.name)}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorNote message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Save incident
        </button>
        <span role="status">{status}</span>
      </div>
    </form>
  );
}
