import { useId, useState, type FormEvent } from 'react';
import { shortSize } from '../../../../shared/size-text';
import { ErrorNote } from '../../components/ErrorNote';
import { PassphraseField } from '../../components/PassphraseField';
import { looksEncrypted, useBundleOpening } from '../../stores/bundle-opening';
import { useSession } from '../../stores/session';

/**
 * The start screen's "Open an evidence bundle for review": a folder, a .zip or a .zip.age
 * (with its passphrase), chosen with the desktop dialog or, in a browser, typed as a full path.
 * Main checks every file, the signature and the custody log first; that can be cancelled.
 */
export function OpenBundle() {
  const ids = useId();
  const onDesktop = useBundleOpening((s) => s.onDesktop);
  const opening = useBundleOpening((s) => s.opening);
  const progress = useBundleOpening((s) => s.progress);
  const error = useBundleOpening((s) => s.error);
  const needsPassphrase = useBundleOpening((s) => s.needsPassphrase);
  const wrongPassphrase = useBundleOpening((s) => s.wrongPassphrase);
  const { open, cancel, hide, choose } = useBundleOpening.getState();
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [dialogError, setDialogError] = useState<string | null>(null);
  const askPassphrase = needsPassphrase || looksEncrypted(path);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void open(path, passphrase);
  };

  const pick = async (kind: 'folder' | 'file') => {
    setDialogError(null);
    const r = await choose(kind);
    if ('error' in r) setDialogError(r.error);
    else if (r.path) {
      setPath(r.path);
      // A folder or a plain zip opens at once; an encrypted one waits for its passphrase.
      if (!looksEncrypted(r.path)) void open(r.path, '');
    }
  };

  const errorId = `${ids}-error`;
  return (
    <main className="centered">
      <form className="card open-bundle" onSubmit={submit} aria-labelledby={`${ids}-title`}>
        <h1 id={`${ids}-title`}>Open an evidence bundle for review</h1>
        <p>
          An evidence bundle is what someone exported from Dossier for you: a folder, a .zip file,
          or an encrypted .zip.age file with a passphrase they gave you. Dossier first checks every
          file, the signature and the custody log, then shows the evidence read-only. Nothing in the
          bundle is changed, and nothing is written beside it.
        </p>
        {onDesktop ? (
          <div className="field">
            <div className="button-row">
              <button
                type="button"
                className="secondary"
                autoFocus
                disabled={opening}
                onClick={() => void pick('folder')}
              >
                Choose a bundle folder…
              </button>
              <button
                type="button"
                className="secondary"
                disabled={opening}
                onClick={() => void pick('file')}
              >
                Choose a .zip or .zip.age file…
              </button>
            </div>
            <p className="chosen-folder">
              {path ? (
                <>
                  Chosen: <code className="wrap">{path}</code>
                </>
              ) : (
                'No bundle chosen yet.'
              )}
            </p>
            <ErrorNote message={dialogError} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${ids}-path`}>Full path of the bundle</label>
            <input
              id={`${ids}-path`}
              value={path}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              disabled={opening}
              placeholder="/home/you/Downloads/Harassment-20261204.zip"
              aria-describedby={`${ids}-path-hint${error && !wrongPassphrase ? ` ${errorId}` : ''}`}
              onChange={(e) => setPath(e.target.value)}
            />
            <p id={`${ids}-path-hint`} className="hint">
              Type or paste the whole path of the bundle&apos;s folder, or of its .zip or .zip.age
              file. (The desktop app has a Choose button; a browser cannot give Dossier the path of
              a file you pick.)
            </p>
          </div>
        )}
        {askPassphrase && (
          <PassphraseField
            label="Passphrase for the bundle"
            value={passphrase}
            onChange={setPassphrase}
            autoFocus={onDesktop}
            autoComplete="current-password"
            invalid={wrongPassphrase}
            describedBy={wrongPassphrase ? errorId : undefined}
          />
        )}
        {opening && (
          <div className="opening-progress">
            <progress
              aria-label="Checking the bundle"
              max={Math.max(1, progress?.filesTotal ?? 0)}
              value={progress?.filesDone ?? 0}
            />
            <p role="status">
              {progress && progress.filesTotal > 0
                ? `Checking the bundle: ${progress.filesDone.toLocaleString('en-GB')} of ${progress.filesTotal.toLocaleString('en-GB')} files (${shortSize(progress.bytesDone)})…`
                : 'Checking the bundle…'}
            </p>
          </div>
        )}
        <ErrorNote id={errorId} message={error} />
        <div className="button-row">
          {opening ? (
            <button type="button" className="secondary" onClick={cancel}>
              Cancel opening
            </button>
          ) : (
            <>
              {(!onDesktop || path) && <button type="submit">Open for review</button>}
              <button type="button" className="secondary" onClick={hide}>
                Back
              </button>
            </>
          )}
        </div>
      </form>
    </main>
  );
}

/** Beside Create and Unlock: the way to a bundle someone sent. */
export function OpenBundleEntry() {
  const show = useBundleOpening((s) => s.show);
  return (
    <section className="card start-review" aria-labelledby="start-review-title">
      <h2 id="start-review-title">Reviewing someone&apos;s evidence?</h2>
      <p>If someone sent you an evidence bundle made with Dossier, you can read it here.</p>
      <button type="button" className="secondary" onClick={show}>
        Open an evidence bundle for review
      </button>
    </section>
  );
}

/**
 * In the unlocked app: opening a bundle locks the vault first (one person's evidence and
 * another's are never open together), so it says so and asks before locking.
 */
export function OpenBundleFromVault({ onDone }: { onDone(): void }) {
  const lockToOpenBundle = useSession((s) => s.lockToOpenBundle);
  const busy = useSession((s) => s.busy);
  return (
    <section className="notice lock-first" aria-labelledby="lock-first-title">
      <h2 id="lock-first-title">Open an evidence bundle for review</h2>
      <p>
        Your vault will be locked first: a bundle someone sent you and your own evidence are never
        open at the same time. Unlock your vault again when you have closed the bundle.
      </p>
      <div className="button-row">
        <button type="button" autoFocus disabled={busy} onClick={() => void lockToOpenBundle()}>
          Lock my vault and open a bundle
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </section>
  );
}
