import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { PassphraseField } from '../components/PassphraseField';
import { useSession } from '../stores/session';
import { OpenBundleEntry } from './review/OpenBundle';

const LOCK_REASONS: Record<string, string> = {
  idle: 'Dossier locked itself because the computer was not used for a while.',
  suspend: 'Dossier locked itself when the computer went to sleep.',
  'screen-lock': 'Dossier locked itself when the screen was locked.',
  panic: 'Dossier was locked with the quick-lock keys.',
  error: 'Dossier locked itself after a problem, to keep your evidence safe. Nothing was lost.',
};

/** Unlock with the passphrase or the recovery code; a wrong try keeps what was typed. */
export function Unlock() {
  const { unlock, unlockWithRecoveryCode, busy, error, errorCode, lockReason, clearError } =
    useSession();
  const [mode, setMode] = useState<'passphrase' | 'recovery'>('passphrase');
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (mode === 'passphrase') void unlock(passphrase);
    else void unlockWithRecoveryCode(code);
  };
  const wrong = errorCode === 'WRONG_PASSPHRASE';

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
        <h1 id="unlock-title">Unlock Dossier</h1>
        {lockReason && LOCK_REASONS[lockReason] && (
          <p className="notice">{LOCK_REASONS[lockReason]}</p>
        )}
        {mode === 'passphrase' ? (
          <PassphraseField
            label="Passphrase"
            value={passphrase}
            onChange={setPassphrase}
            autoFocus
            autoComplete="current-password"
            invalid={wrong}
            describedBy={error ? 'unlock-error' : undefined}
          />
        ) : (
          <div className="field">
            <label htmlFor="recovery-code">Recovery code</label>
            <input
              id="recovery-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              aria-invalid={wrong || undefined}
              aria-describedby={error ? 'unlock-error' : undefined}
            />
          </div>
        )}
        <ErrorNote id="unlock-error" message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            clearError();
            setMode(mode === 'passphrase' ? 'recovery' : 'passphrase');
          }}
        >
          {mode === 'passphrase' ? 'Use the recovery code instead' : 'Use the passphrase instead'}
        </button>
      </form>
      <OpenBundleEntry />
    </main>
  );
}
