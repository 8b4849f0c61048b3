import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { PassphraseField } from '../components/PassphraseField';
import { StrengthMeter } from '../components/StrengthMeter';
import { MIN_LENGTH } from '../passphrase-strength';
import { useSession } from '../stores/session';

/** First run: one passphrase, judged in plain words, typed twice. */
export function CreateVault() {
  const { create, busy, error } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const mismatch = again.length > 0 && again !== passphrase;
  const ok = passphrase.length >= MIN_LENGTH && passphrase === again;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (ok && !busy) void create(passphrase);
  };

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-labelledby="create-title">
        <h1 id="create-title">Create your Dossier vault</h1>
        <p>
          Everything you keep here is encrypted on this computer with a passphrase only you know.
          Nothing is sent anywhere.
        </p>
        <PassphraseField
          label="Passphrase"
          value={passphrase}
          onChange={setPassphrase}
          autoFocus
          autoComplete="new-password"
          describedBy="strength-advice"
        />
        <StrengthMeter passphrase={passphrase} adviceId="strength-advice" />
        <PassphraseField
          label="Type it again"
          value={again}
          onChange={setAgain}
          autoComplete="new-password"
          describedBy={mismatch ? 'again-error' : undefined}
          invalid={mismatch}
        />
        {mismatch && (
          <p className="error" id="again-error">
            The two passphrases are different.
          </p>
        )}
        {tried && !ok && !mismatch && (
          <p className="error" role="alert">
            Choose a passphrase of at least {MIN_LENGTH} characters and type it twice.
          </p>
        )}
        <ErrorNote message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating the vault…' : 'Create vault'}
        </button>
      </form>
    </main>
  );
}
