import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { PassphraseField } from '../components/PassphraseField';
import { StrengthMeter } from '../components/StrengthMeter';
import { passphraseStrength } from '../../../shared/passphrase-strength';
import { useSession } from '../stores/session';
import { OpenBundleEntry } from './review/OpenBundle';

/**
 * First run: one passphrase, judged in plain words, typed twice. A weak one is refused with
 * the reason (main refuses it too); the app offers no way round that.
 */
export function CreateVault() {
  const { create, busy, error } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const mismatch = again.length > 0 && again !== passphrase;
  const strength = passphraseStrength(passphrase);
  const ok = strength.acceptable && passphrase === again;

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
        {tried && !strength.acceptable && (
          <p className="error" role="alert">
            Dossier will not accept this passphrase: it is too easy to guess. {strength.reason}
          </p>
        )}
        {tried && strength.acceptable && !ok && !mismatch && (
          <p className="error" role="alert">
            Type the same passphrase again in the second box.
          </p>
        )}
        <ErrorNote message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating the vault…' : 'Create vault'}
        </button>
      </form>
      <OpenBundleEntry />
    </main>
  );
}
