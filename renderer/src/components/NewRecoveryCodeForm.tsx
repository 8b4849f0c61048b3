import { useState, type FormEvent } from 'react';
import { ErrorNote } from './ErrorNote';
import { PassphraseField } from './PassphraseField';
import { useSession } from '../stores/session';

/**
 * Makes a new recovery code after checking the passphrase. The old code stops working at
 * once; the new one is then shown on the recovery-code screen until it is confirmed.
 */
export function NewRecoveryCodeForm() {
  const make = useSession((s) => s.newRecoveryCode);
  const busy = useSession((s) => s.busy);
  const [current, setCurrent] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (current === '') {
      setError('Type your passphrase first: a new code needs it.');
      return;
    }
    setError(null);
    if (await make(current)) setCurrent('');
    else setError(useSession.getState().error);
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <PassphraseField
        label="Your passphrase (for a new recovery code)"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        describedBy="new-code-note"
      />
      <p id="new-code-note" className="hint">
        The old recovery code stops opening the vault as soon as the new one is made.
      </p>
      <ErrorNote message={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Making a new code…' : 'Make a new recovery code'}
      </button>
    </form>
  );
}
