import { useRef, useState, type FormEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { useConversation, type Done } from '../../stores/conversation';
import { useCases } from '../../stores/cases';
import { useExportChoice } from '../../stores/export-choice';
import { useSelection } from '../../stores/selection';
import { selectedIndices } from './selection';
import { AdviserComments } from '../review/AdviserComments';

type Role = 'harasser' | 'witness' | 'official' | 'other';
type Panel = 'incident' | 'tag' | 'note' | 'sender' | null;

/**
 * What can be done with the selected messages: link them to an incident (an existing one or
 * a new one), tag them, note them, or say who their sender is. Each is one call, logged in
 * the custody log; the rows then show the change. "Export these messages…" adds them to the
 * export's chosen messages and opens the export wizard (nothing is written until it runs).
 */
export function ActionBar() {
  const selection = useConversation((s) => s.selection);
  const clearSelection = useConversation((s) => s.clearSelection);
  const rowAt = useConversation((s) => s.rowAt);
  const linkSelected = useConversation((s) => s.linkSelected);
  const tagSelected = useConversation((s) => s.tagSelected);
  const noteSelected = useConversation((s) => s.noteSelected);
  const markSender = useConversation((s) => s.markSender);
  const chooseForExport = useConversation((s) => s.chooseForExport);
  const openChat = useSelection((s) => s.openChat);
  const openWizard = useExportChoice((s) => s.openWizard);
  const incidents = useCases((s) => s.incidents);
  const people = useCases((s) => s.people);
  const [panel, setPanel] = useState<Panel>(null);
  const toggles = useRef<Partial<Record<NonNullable<Panel>, HTMLButtonElement | null>>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const indices = selectedIndices(selection);
  const n = indices.length;
  const firstRow = rowAt(indices[0] ?? 0);

  const run = async (work: () => Promise<Done>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await work();
    setBusy(false);
    if (r.ok) {
      setDone(r.said);
      // The form closes: focus goes back to the button that opened it, never to the page.
      const opener = panel && toggles.current[panel];
      setPanel(null);
      opener?.focus();
    } else setError(r.message);
  };
  const what = `${n} message${n === 1 ? '' : 's'}`;

  /** Chosen, then over to the wizard: the conversation closes, the wizard takes the focus. */
  const exportThese = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await chooseForExport();
    setBusy(false);
    if (!r.ok) return setError(r.message);
    // Closed first, so its focus hand-back comes before the wizard's step heading takes it.
    openChat(null);
    openWizard();
  };

  return (
    <section className="message-actions" aria-label="Selected messages">
      <div className="button-row">
        <span role="status">{what} selected</span>
        {(['incident', 'tag', 'note', 'sender'] as const).map((p) => (
          <button
            key={p}
            ref={(el) => {
              toggles.current[p] = el;
            }}
            type="button"
            className={panel === p ? '' : 'secondary'}
            aria-expanded={panel === p}
            onClick={() => setPanel(panel === p ? null : p)}
          >
            {
              {
                incident: 'Link to incident…',
                tag: 'Tag…',
                note: 'Note…',
                sender: 'This sender is…',
              }[p]
            }
          </button>
        ))}
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-describedby="export-these-hint"
          onClick={() => void exportThese()}
        >
          Export these messages…
        </button>
        <span id="export-these-hint" className="visually-hidden">
          Opens the export wizard with the selected messages chosen for the transcript
        </span>
        <button type="button" className="link" onClick={clearSelection}>
          Clear selection
        </button>
      </div>
      {n === 1 && firstRow && (
        <AdviserComments className="message-adviser" target={{ messageId: firstRow.id }} />
      )}
      {panel === 'incident' && (
        <IncidentPanel
          busy={busy}
          incidents={incidents}
          defaultTime={firstRow?.time ?? null}
          onLink={(pick) => run(() => linkSelected(pick))}
        />
      )}
      {panel === 'tag' && (
        <TextPanel
          id="message-tag"
          label={`Tag for the ${what}`}
          action="Add tag"
          busy={busy}
          max={200}
          onSubmit={(tag) => run(() => tagSelected(tag))}
        />
      )}
      {panel === 'note' && (
        <TextPanel
          id="message-note"
          label={n === 1 ? 'Note on this message' : `Note (added to each of the ${what})`}
          action="Add note"
          busy={busy}
          multiline
          max={20_000}
          onSubmit={(body) => run(() => noteSelected(body))}
        />
      )}
      {panel === 'sender' && firstRow && (
        <SenderPanel
          busy={busy}
          sender={displayName(firstRow.sender || firstRow.senderId || '')}
          several={n > 1}
          people={people}
          onMark={(pick) => run(() => markSender(firstRow.id, pick))}
        />
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function IncidentPanel(props: {
  busy: boolean;
  incidents: ReturnType<typeof useCases.getState>['incidents'];
  defaultTime: string | null;
  onLink(pick: { id: string } | { occurredAt: string; summary: string }): Promise<void>;
}) {
  const [choice, setChoice] = useState(props.incidents[0]?.id ?? 'new');
  const [when, setWhen] = useState(localInput(props.defaultTime));
  const [summary, setSummary] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (choice !== 'new') void props.onLink({ id: choice });
    else if (when) void props.onLink({ occurredAt: new Date(when).toISOString(), summary });
  };
  return (
    <form className="action-panel" onSubmit={submit}>
      <label htmlFor="message-incident">Incident</label>
      <select id="message-incident" value={choice} onChange={(e) => setChoice(e.target.value)}>
        {props.incidents.map((i) => (
          <option key={i.id} value={i.id}>
            {displayName(`${i.occurredAt.slice(0, 10)} ${i.place || i.summary.slice(0, 60)}`)}
          </option>
        ))}
        <option value="new">A new incident…</option>
      </select>
      {choice === 'new' && (
        <>
          <label htmlFor="message-incident-when">When it happened</label>
          <input
            id="message-incident-when"
            type="datetime-local"
            required
            value={when}
            onChange={(e) => setWhen(e.target.value)}
          />
          <label htmlFor="message-incident-summary">What happened</label>
          <input
            id="message-incident-summary"
            value={summary}
            maxLength={20_000}
            onChange={(e) => setSummary(e.target.value)}
          />
        </>
      )}
      <button type="submit" disabled={props.busy}>
        {choice === 'new' ? 'Create and link' : 'Link'}
      </button>
    </form>
  );
}

/** An ISO time as a datetime-local value on this computer's clock ("" when none). */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function TextPanel(props: {
  id: string;
  label: string;
  action: string;
  busy: boolean;
  max: number;
  multiline?: boolean;
  onSubmit(value: string): Promise<void>;
}) {
  const [value, setValue] = useState('');
  return (
    <form
      className="action-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) void props.onSubmit(value.trim());
      }}
    >
      <label htmlFor={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea
          id={props.id}
          value={value}
          maxLength={props.max}
          onChange={(e) => setValue(e.target.value)}
        />
      ) : (
        <input
          id={props.id}
          value={value}
          maxLength={props.max}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      <button type="submit" disabled={props.busy || !value.trim()}>
        {props.action}
      </button>
    </form>
  );
}

function SenderPanel(props: {
  busy: boolean;
  sender: string;
  several: boolean;
  people: ReturnType<typeof useCases.getState>['people'];
  onMark(pick: { id: string } | { name: string; role: Role }): Promise<void>;
}) {
  const [choice, setChoice] = useState(props.people[0]?.id ?? 'new');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('harasser');
  return (
    <form
      className="action-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice !== 'new') void props.onMark({ id: choice });
        else if (name.trim()) void props.onMark({ name: name.trim(), role });
      }}
    >
      <p>
        Every message from <bdi>{props.sender}</bdi>
        {props.several && ' (the sender of the first selected message)'}, in this and later imports,
        will be linked to the person you choose.
      </p>
      <label htmlFor="message-person">Person</label>
      <select id="message-person" value={choice} onChange={(e) => setChoice(e.target.value)}>
        {props.people.map((p) => (
          <option key={p.id} value={p.id}>
            {displayName(p.name)}
          </option>
        ))}
        <option value="new">A new person…</option>
      </select>
      {choice === 'new' && (
        <>
          <label htmlFor="message-person-name">Their name</label>
          <input
            id="message-person-name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
          <label htmlFor="message-person-role">Role</label>
          <select
            id="message-person-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            <option value="harasser">Harasser</option>
            <option value="witness">Witness</option>
            <option value="official">Official</option>
            <option value="other">Other</option>
          </select>
        </>
      )}
      <button type="submit" disabled={props.busy}>
        Mark sender
      </button>
    </form>
  );
}
