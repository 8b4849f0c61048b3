import { useId, useState, type FormEvent } from 'react';
import { IDENTIFIER_KINDS, IDENTIFIER_LABELS } from '../../../../shared/identifiers';
import { ErrorNote } from '../../components/ErrorNote';
import { useCases, type Identifier, type Person, type PersonRole } from '../../stores/cases';

export const ROLES: Array<{ value: PersonRole; label: string; plural: string }> = [
  { value: 'harasser', label: 'Harasser', plural: 'Harassers' },
  { value: 'witness', label: 'Witness', plural: 'Witnesses' },
  { value: 'official', label: 'Official (police, platform, council…)', plural: 'Officials' },
  { value: 'other', label: 'Other', plural: 'Other' },
];

const KINDS: Array<{ value: Identifier['kind']; label: string }> = IDENTIFIER_KINDS.map(
  (value) => ({ value, label: IDENTIFIER_LABELS[value] }),
);

interface Row extends Identifier {
  key: number;
}

/** Create or edit a person, with any number of emails, handles and phone numbers. */
export function PersonForm(props: { person: Person | null; onSaved(id: string): void }) {
  const { person, onSaved } = props;
  const createPerson = useCases((s) => s.createPerson);
  const updatePerson = useCases((s) => s.updatePerson);
  const [name, setName] = useState(person?.name ?? '');
  const [role, setRole] = useState<PersonRole>(person?.role ?? 'harasser');
  const [notes, setNotes] = useState(person?.notes ?? '');
  const [rows, setRows] = useState<Row[]>(() =>
    (person?.identifiers ?? []).map((x, key) => ({ ...x, key })),
  );
  const [nextKey, setNextKey] = useState(rows.length);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const fid = (n: string) => `${uid}-${n}`;

  const addRow = () => {
    setRows((r) => [...r, { key: nextKey, kind: 'email', value: '' }]);
    setNextKey((k) => k + 1);
    requestAnimationFrame(() => document.getElementById(fid(`kind-${nextKey}`))?.focus());
  };
  const removeRow = (key: number, index: number) => {
    setRows((r) => r.filter((x) => x.key !== key));
    // Keep focus in the list: on the row that moved up, or on "Add" when none is left.
    requestAnimationFrame(() => {
      const next = document.querySelectorAll<HTMLElement>(`[data-identifier-of="${uid}"]`);
      (next[Math.min(index, next.length - 1)] ?? document.getElementById(fid('add')))?.focus();
    });
  };
  const patchRow = (key: number, patch: Partial<Identifier>) => {
    setRows((r) => r.map((x) => (x.key === key ? { ...x, ...patch } : x)));
    setStatus('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Please give a name. A nickname or “Unknown sender 1” is fine.');
      document.getElementById(fid('name'))?.focus();
      return;
    }
    const input = {
      name: name.trim(),
      role,
      notes: notes.trim(),
      identifiers: rows
        .map(({ kind, value }) => ({ kind, value: value.trim() }))
        .filter((x) => x.value),
    };
    setBusy(true);
    const r = person ? await updatePerson(person.id, input) : await createPerson(input);
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setError(null);
    setStatus(person ? 'Saved.' : 'Person saved.');
    onSaved(r.value.id);
  };

  return (
    <form className="case-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 tabIndex={-1}>{person ? 'Details' : 'New person'}</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor={fid('name')}>Name</label>
          <input
            id={fid('name')}
            value={name}
            required
            aria-required="true"
            maxLength={500}
            onChange={(e) => {
              setName(e.target.value);
              setStatus('');
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={fid('role')}>Role</label>
          <select
            id={fid('role')}
            value={role}
            onChange={(e) => {
              setRole(e.target.value as PersonRole);
              setStatus('');
            }}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={fid('notes')}>Notes</label>
        <textarea
          id={fid('notes')}
          value={notes}
          maxLength={20_000}
          onChange={(e) => {
            setNotes(e.target.value);
            setStatus('');
          }}
        />
      </div>
      <fieldset className="identifiers">
        <legend>Emails, handles and phone numbers</legend>
        {rows.length === 0 && <p className="muted">None yet.</p>}
        {rows.map((row, index) => (
          <div className="identifier-row" key={row.key}>
            <label className="visually-hidden" htmlFor={fid(`kind-${row.key}`)}>
              Kind of identifier {index + 1}
            </label>
            <select
              id={fid(`kind-${row.key}`)}
              data-identifier-of={uid}
              value={row.kind}
              onChange={(e) => patchRow(row.key, { kind: e.target.value as Identifier['kind'] })}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor={fid(`value-${row.key}`)}>
              Identifier {index + 1}
            </label>
            <input
              id={fid(`value-${row.key}`)}
              value={row.value}
              maxLength={320}
              type={row.kind === 'email' ? 'email' : row.kind === 'phone' ? 'tel' : 'text'}
              onChange={(e) => patchRow(row.key, { value: e.target.value })}
            />
            <button
              type="button"
              className="secondary"
              aria-label={`Remove identifier ${index + 1}`}
              onClick={() => removeRow(row.key, index)}
            >
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" id={fid('add')} onClick={addRow}>
          Add an email, handle or phone number
        </button>
      </fieldset>
      <ErrorNote message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Save person
        </button>
        <span role="status">{status}</span>
      </div>
    </form>
  );
}
