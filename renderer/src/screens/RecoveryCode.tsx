import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { NewRecoveryCodeForm } from '../components/NewRecoveryCodeForm';
import { useSession } from '../stores/session';

/**
 * A recovery code waiting to be confirmed (after Create, or a new one). Main keeps it sealed
 * until then, so a reload or a restart comes back here with the same code. The person types
 * back one group, picked at random, to show they wrote it down (a checkbox would be clicked
 * without reading). `code` is null when main could not show it: then only a new code helps.
 */
export function RecoveryCode({ code }: { code: string | null }) {
  const confirm = useSession((s) => s.confirmRecoveryCode);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const fingerprint = useSession((s) => s.fingerprint);
  const [group] = useState(() => 1 + Math.floor(Math.random() * 8));
  const [check, setCheck] = useState('');
  const [copied, setCopied] = useState<string | null>(null);

  if (code === null) {
    return (
      <main className="centered">
        <section className="card" aria-labelledby="recovery-title">
          <h1 id="recovery-title">Make a new recovery code</h1>
          <ErrorNote message={error} />
          <p>
            The recovery code made for this vault could not be shown. Make a new one: the old one
            will no longer open the vault.
          </p>
          <NewRecoveryCodeForm />
        </section>
      </main>
    );
  }

  const groups = code.split('-');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy && check.trim() !== '') void confirm(group, check);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(
        'Copied. Paste it into your password manager, then copy something else: other programs can read the clipboard.',
      );
    } catch {
      setCopied('Could not copy here. Write it down, or print it.');
    }
  };

  return (
    <main className="centered">
      <section className="card recovery-screen" aria-labelledby="recovery-title">
        <h1 id="recovery-title">Write down your recovery code</h1>
        <p>
          If you forget your passphrase, this code is the only way back into your evidence. Write it
          on paper, or print it, and keep it somewhere safe that nobody else can reach. Dossier
          keeps it only until you confirm below; after that it is never shown again.
        </p>
        <p className="recovery-code" aria-label="Recovery code">
          {groups.map((g, i) => (
            <span key={i}>{g}</span>
          ))}
        </p>
        <div className="button-row">
          <button type="button" className="secondary" onClick={() => void copy()}>
            Copy
          </button>
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        </div>
        <p role="status" className="copy-status">
          {copied}
        </p>
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor="recovery-check">
              To check you have it, type group {group} of the code (counting from the left)
            </label>
            <input
              id="recovery-check"
              value={check}
              onChange={(e) => setCheck(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={error ? 'recovery-error' : undefined}
            />
          </div>
          <ErrorNote id="recovery-error" message={error} />
          <button type="submit" disabled={busy || check.trim() === ''}>
            I have saved it — continue
          </button>
        </form>
      </section>
      <section className="print-sheet" aria-hidden="true">
        <h1>Dossier recovery code</h1>
        <p className="recovery-code">
          {groups.map((g, i) => (
            <span key={i}>{g}</span>
          ))}
        </p>
        <p>
          This code opens your Dossier evidence vault if you forget its passphrase. Anyone who has
          it and the vault can read everything in it: keep this sheet somewhere safe, away from the
          computer.
        </p>
        {fingerprint && <p>Vault fingerprint: {fingerprint}</p>}
        <p>Printed on {new Date().toLocaleDateString()}.</p>
      </section>
    </main>
  );
}
