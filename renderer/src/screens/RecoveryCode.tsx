import { useState } from 'react';
import { useSession } from '../stores/session';

/**
 * The recovery code, shown once. The person must type its last group back before going on,
 * which proves they wrote it down (a checkbox would be clicked without reading).
 */
export function RecoveryCode({ code }: { code: string }) {
  const confirm = useSession((s) => s.confirmRecoverySaved);
  const [check, setCheck] = useState('');
  const groups = code.split('-');
  const last = groups.at(-1) ?? '';
  const matches = check.trim().toUpperCase() === last.toUpperCase();
  return (
    <main className="centered">
      <section className="card" aria-labelledby="recovery-title">
        <h1 id="recovery-title">Write down your recovery code</h1>
        <p>
          If you forget your passphrase, this code is the only way back into your evidence. It is
          shown <strong>only now</strong>. Write it on paper and keep it somewhere safe that nobody
          else can reach.
        </p>
        <p className="recovery-code" aria-label="Recovery code">
          {groups.map((g, i) => (
            <span key={i}>{g}</span>
          ))}
        </p>
        <div className="field">
          <label htmlFor="recovery-check">
            To check you have it, type the last group of the code ({last.length} characters)
          </label>
          <input
            id="recovery-check"
            value={check}
            onChange={(e) => setCheck(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="button" disabled={!matches} onClick={confirm}>
          I have saved it — continue
        </button>
      </section>
    </main>
  );
}
