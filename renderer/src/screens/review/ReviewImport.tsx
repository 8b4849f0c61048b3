import { useEffect, useId, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { connection } from '../../api/transport';
import { CopyValue } from '../../components/CopyValue';
import { ErrorNote } from '../../components/ErrorNote';
import { PassphraseField } from '../../components/PassphraseField';
import { dateText } from '../../format';
import { useAdviserReviews, type ReviewImport as Imported } from '../../stores/adviser-reviews';
import { reviewerText } from './AdviserComments';
import { safeMultiline } from '../item/text';

type Chosen = { path: string; name: string } | { file: File; name: string };

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

/**
 * "Import a review from my adviser": a review-….zip (or .zip.age, with its passphrase) or the
 * offline viewer's review-….json, chosen with the desktop dialog or a browser's file picker.
 * Says what was imported, and shows the adviser's key fingerprint to compare.
 */
export function ReviewImport() {
  const titleId = useId();
  const input = useRef<HTMLInputElement>(null);
  const desktop = connection.surface === 'desktop';
  const importReview = useAdviserReviews((s) => s.importReview);
  const chooseReview = useAdviserReviews((s) => s.chooseReview);
  const reviews = useAdviserReviews((s) => s.reviews);
  const loadList = useAdviserReviews((s) => s.loadList);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Imported | null>(null);

  useEffect(() => {
    void loadList();
  }, [loadList]);

  const encrypted = chosen !== null && /\.age$/i.test(chosen.name);

  const run = async (c: Chosen, secret?: string) => {
    setBusy(true);
    setError(null);
    setResult(null);
    const source =
      'path' in c
        ? { path: c.path }
        : { name: c.name, data: new Uint8Array(await c.file.arrayBuffer()) };
    const r = await importReview(source, secret);
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setChosen(null);
      setPassphrase('');
    } else setError(r.message);
  };

  const picked = (c: Chosen) => {
    setChosen(c);
    setError(null);
    setResult(null);
    // An encrypted review waits for its passphrase; any other is imported at once.
    if (!/\.age$/i.test(c.name)) void run(c);
  };

  const choose = async () => {
    if (!desktop) return input.current?.click();
    const r = await chooseReview();
    if ('error' in r) setError(r.error);
    else if (r.path) picked({ path: r.path, name: baseName(r.path) });
  };

  return (
    <section className="settings-panel review-import" aria-labelledby={titleId}>
      <h2 id={titleId}>Import a review from my adviser</h2>
      <p>
        If your adviser reviewed a bundle you sent them, they can send back their review: a
        review-….zip (or .zip.age, with a passphrase they give you), or a review-….json saved from
        the bundle&apos;s viewer. Dossier checks that it is about a bundle you exported and that
        nothing in it was changed. Their comments then show beside your items and incidents, under
        &ldquo;From your adviser&rdquo;, apart from your own notes.
      </p>
      <button type="button" onClick={() => void choose()} disabled={busy}>
        Choose the review file…
      </button>
      {!desktop && (
        <input
          ref={input}
          type="file"
          hidden
          accept=".zip,.age,.json,application/zip,application/json"
          aria-label="Review file to import"
          data-testid="review-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) picked({ file, name: file.name });
            e.target.value = '';
          }}
        />
      )}
      {chosen && encrypted && (
        <form
          className="review-passphrase"
          onSubmit={(e) => {
            e.preventDefault();
            if (passphrase) void run(chosen, passphrase);
          }}
        >
          <p>
            “{displayName(chosen.name)}” is encrypted. Type the passphrase your adviser gave you.
          </p>
          <PassphraseField
            label="Passphrase for the review"
            value={passphrase}
            onChange={setPassphrase}
            autoComplete="current-password"
            autoFocus
          />
          <button type="submit" disabled={busy || !passphrase}>
            Import the review
          </button>
        </form>
      )}
      {busy && <p role="status">Checking the review…</p>}
      <ErrorNote message={error} />
      {result && <ImportResult result={result} />}
      {reviews.length > 0 && (
        <>
          <h3>Reviews you have imported</h3>
          <ul className="review-list">
            {reviews.map((r) => {
              const whole = r.overall;
              const { exhibits, incidents, messages } = r.targets;
              const about = [
                exhibits ? `${exhibits} exhibit${exhibits === 1 ? '' : 's'}` : '',
                incidents ? `${incidents} incident${incidents === 1 ? '' : 's'}` : '',
                messages ? `${messages} message${messages === 1 ? '' : 's'}` : '',
              ].filter(Boolean);
              const overall = whole?.comment;
              return (
                <li key={r.id}>
                  <strong>{reviewerText(r.reviewer)}</strong>, on the bundle “
                  {displayName(r.bundle.bagName)}” ·{' '}
                  {r.signed && r.fingerprint ? `signed (key ${r.fingerprint})` : 'unsigned'} ·{' '}
                  {r.entries} change{r.entries === 1 ? '' : 's'} · imported {dateText(r.importedAt)}
                  {about.length > 0 && (
                    <p className="hint">
                      About {about.join(', ')}: see them under &ldquo;From your adviser&rdquo; on
                      each.
                    </p>
                  )}
                  {overall && <p className="adviser-text">Overall: {safeMultiline(overall)}</p>}
                  {whole && whole.questions.length > 0 && (
                    <>
                      <p>Questions for you about the whole bundle:</p>
                      <ul className="adviser-questions">
                        {whole.questions.map((q, i) => (
                          <li key={i} className="adviser-text">
                            {safeMultiline(q)}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                  {whole?.fingerprintChecked && (
                    <p>
                      Your adviser recorded that they compared your bundle&apos;s key fingerprint
                      with the one you gave them
                      {whole.fingerprintChecked.how
                        ? ` (${displayName(whole.fingerprintChecked.how)})`
                        : ''}
                      .
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function ImportResult({ result }: { result: Imported }) {
  return (
    <div className="review-import-result" role="status">
      <p>{result.message}</p>
      {result.fingerprint && (
        <>
          <CopyValue label="Your adviser's key fingerprint" value={result.fingerprint} />
          {!result.keySeenBefore && (
            <p className="warning">
              This key is new to your vault. Compare the fingerprint, group by group, with the one
              your adviser gave you by phone, letter or in person. If they differ, do not rely on
              this review.
            </p>
          )}
        </>
      )}
      {!result.signed && (
        <p className="warning">
          Without a signature, anyone who had the file could have changed it. Check with your
          adviser that it is the review they sent.
        </p>
      )}
    </div>
  );
}
