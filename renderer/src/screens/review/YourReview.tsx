import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { REVIEW_LIMITS, REVIEW_STATUSES, REVIEW_STATUS_WORDS } from '../../../../shared/review';
import { CopyValue } from '../../components/CopyValue';
import { ErrorNote } from '../../components/ErrorNote';
import { PassphraseField } from '../../components/PassphraseField';
import { StrengthMeter } from '../../components/StrengthMeter';
import { passphraseStrength } from '../../../../shared/passphrase-strength';
import { useJobs } from '../../stores/jobs';
import { useReviewing, type SentReview } from '../../stores/reviewing';
import { useSession } from '../../stores/session';
import { ReviewControls, useFocusWhenOpened } from './ReviewControls';
import { keptText, StartReviewing } from './StartReviewing';

/**
 * The "Your review" screen while reviewing: who is reviewing, the fingerprint comparison,
 * the overall note and its questions, how far the review has got, and "Send the review to
 * the client".
 */
export function YourReview() {
  const state = useReviewing((s) => s.state);
  const statuses = useReviewing((s) => s.statuses);
  const load = useReviewing((s) => s.load);
  const heading = useRef<HTMLHeadingElement>(null);
  const [sending, setSending] = useState(false);
  useFocusWhenOpened(state?.store, heading);
  useEffect(() => {
    void load();
    heading.current?.focus();
  }, [load]);

  const counts = REVIEW_STATUSES.map((s) => ({
    s,
    n: [...statuses.values()].filter((v) => v === s).length,
  }));
  const exhibits = state?.exhibits.length ?? 0;

  return (
    <div className="your-review">
      <h1 ref={heading} tabIndex={-1}>
        Your review
      </h1>
      {!state ? (
        <p aria-busy="true">Opening your review…</p>
      ) : state.store !== 'unlocked' ? (
        <section className="case-section" aria-label="Start reviewing">
          <StartReviewing />
        </section>
      ) : (
        <>
          <p className="hint">{keptText(state.folder)}</p>
          <section className="case-section" aria-labelledby="review-progress-title">
            <h2 id="review-progress-title">Where you are</h2>
            <p>
              {statuses.size} of {exhibits} exhibit{exhibits === 1 ? '' : 's'} have a status;{' '}
              {state.entries.length} change{state.entries.length === 1 ? '' : 's'} recorded.
            </p>
            <ul className="review-counts">
              {counts
                .filter((c) => c.n > 0)
                .map((c) => (
                  <li key={c.s}>
                    <span className={`review-badge status-${c.s}`}>{REVIEW_STATUS_WORDS[c.s]}</span>{' '}
                    {c.n}
                  </li>
                ))}
            </ul>
          </section>
          <Reviewer />
          <FingerprintCheck />
          <ReviewControls target={{ kind: 'bundle' }} what="the bundle" className="case-section" />
          <section className="case-section" aria-labelledby="send-title">
            <h2 id="send-title">Send the review to the client</h2>
            <p className="hint">
              Dossier writes a signed review file (a zip, or an encrypted .zip.age) with a PDF
              summary. Send it to the client; she imports it into her vault.
            </p>
            {sending ? (
              <SendReview onClose={() => setSending(false)} />
            ) : (
              <button type="button" onClick={() => setSending(true)}>
                Send the review to the client…
              </button>
            )}
          </section>
        </>
      )}
    </div>
  );
}

/** The reviewer's name and organisation, as review.json and the summary give them. */
function Reviewer() {
  const state = useReviewing((s) => s.state)!;
  const setReviewer = useReviewing((s) => s.setReviewer);
  const busy = useReviewing((s) => s.busy);
  const [name, setName] = useState(state.reviewer.name ?? '');
  const [org, setOrg] = useState(state.reviewer.organisation ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const nameId = useId();
  const orgId = useId();
  return (
    <form
      className="case-section"
      aria-labelledby="reviewer-title"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(null);
        void setReviewer(name, org).then((ok) => ok && setSaved('Saved.'));
      }}
    >
      <h2 id="reviewer-title">Who is reviewing</h2>
      <div className="field">
        <label htmlFor={nameId}>Your name (as the client will see it)</label>
        <input
          id={nameId}
          value={name}
          maxLength={REVIEW_LIMITS.name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={orgId}>Your organisation</label>
        <input
          id={orgId}
          value={org}
          maxLength={REVIEW_LIMITS.name}
          onChange={(e) => setOrg(e.target.value)}
        />
      </div>
      <div className="button-row">
        <button type="submit" className="secondary" disabled={busy}>
          Save name
        </button>
        <span role="status">{saved}</span>
      </div>
    </form>
  );
}

/**
 * "I compared the fingerprint with the one the client gave me": recorded in the review
 * (op fingerprint-checked on the bundle), with how it was given.
 */
function FingerprintCheck() {
  const review = useSession((s) => s.review);
  const checked = useReviewing((s) => s.targets.get('bundle')?.fingerprintChecked ?? null);
  const record = useReviewing((s) => s.record);
  const busy = useReviewing((s) => s.busy);
  const [compared, setCompared] = useState(false);
  const [how, setHow] = useState('');
  const [error, setError] = useState<string | null>(null);
  const howId = useId();
  const checkId = useId();
  if (!review?.fingerprint) {
    return (
      <section className="case-section" aria-labelledby="fp-title">
        <h2 id="fp-title">The bundle&apos;s fingerprint</h2>
        <p>This bundle is not signed: there is no fingerprint to compare.</p>
      </section>
    );
  }
  const fingerprint = review.fingerprint;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!compared) {
      setError('Tick the box once you have compared the fingerprint.');
      return;
    }
    const words = how.trim();
    if (!words) {
      setError('Say how the client gave you the fingerprint (by phone, by letter…).');
      return;
    }
    await record(
      { kind: 'bundle' },
      [{ op: 'fingerprint-checked', value: { fingerprint, how: words } }],
      'Recorded: you compared the fingerprint.',
    );
  };
  return (
    <form className="case-section" aria-labelledby="fp-title" onSubmit={(e) => void submit(e)}>
      <h2 id="fp-title">The bundle&apos;s fingerprint</h2>
      <CopyValue label="Signing-key fingerprint" value={fingerprint} />
      {checked && checked.fingerprint === fingerprint ? (
        <p className="review-checked">
          You recorded that you compared it with the one the client gave you (
          {displayName(checked.how)}).
        </p>
      ) : (
        <>
          <div className="choice">
            <input
              type="checkbox"
              id={checkId}
              checked={compared}
              onChange={(e) => setCompared(e.target.checked)}
            />
            <label htmlFor={checkId}>
              I compared the fingerprint with the one the client gave me
            </label>
          </div>
          <div className="field">
            <label htmlFor={howId}>How she gave it to you</label>
            <input
              id={howId}
              value={how}
              maxLength={REVIEW_LIMITS.how}
              placeholder="by phone"
              onChange={(e) => setHow(e.target.value)}
            />
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="secondary" disabled={busy}>
            Record the comparison
          </button>
        </>
      )}
    </form>
  );
}

/** Advice for the passphrase of a review that travels by email. */
function sendAdvice(score: number, advice: string): string {
  if (score < 2) return advice;
  return 'Tell the client the passphrase by another route (phone, in person), never with the file.';
}

/**
 * "Send the review to the client": where to save it (the desktop's folder dialog, or a typed
 * path in a browser), an optional passphrase for a .zip.age, then the file written and the
 * adviser's fingerprint to give the client by another route.
 */
export function SendReview({ onClose }: { onClose(): void }) {
  const onDesktop = useJobs((s) => s.onDesktop);
  const chooseFolder = useJobs((s) => s.chooseExportFolder);
  const send = useReviewing((s) => s.send);
  const busy = useReviewing((s) => s.busy);
  const error = useReviewing((s) => s.error);
  const clearError = useReviewing((s) => s.clearError);
  const [out, setOut] = useState('');
  const [typing, setTyping] = useState(!onDesktop);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<SentReview | null>(null);
  const titleId = useId();
  const outId = useId();
  const encryptId = useId();
  const adviceId = useId();
  const done = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    clearError();
  }, [clearError]);
  useEffect(() => {
    if (sent) done.current?.focus();
  }, [sent]);

  const choose = async () => {
    setDialogError(null);
    const choice = await chooseFolder();
    if ('unsupported' in choice) setTyping(true);
    else if ('error' in choice) setDialogError(choice.error);
    else if (choice.path) setOut(choice.path);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!out.trim()) {
      setProblem(typing ? 'Type the full path of the folder to save it in.' : 'Choose a folder.');
      return;
    }
    if (encrypt) {
      const strength = passphraseStrength(passphrase);
      if (passphrase.length < 8 || !strength.acceptable) {
        setProblem(
          `Dossier will not accept this passphrase for the file: it is too easy to guess. ${strength.reason}`,
        );
        return;
      }
      if (passphrase !== again) {
        setProblem('The two passphrases are different.');
        return;
      }
    }
    const r = await send(out.trim(), encrypt ? passphrase : undefined);
    if (r) setSent(r);
  };

  if (sent) {
    return (
      <div className="send-review sub-panel" role="group" aria-labelledby={titleId}>
        <h3 id={titleId} ref={done} tabIndex={-1}>
          Your review was saved
        </h3>
        <CopyValue label="The review file" value={sent.path} />
        <p>
          {sent.entries} change{sent.entries === 1 ? '' : 's'}, signed with your key
          {sent.format === 'zip.age' ? ', encrypted with the passphrase you chose' : ''}.
        </p>
        <CopyValue label="Your fingerprint" value={sent.fingerprint} />
        <p className="notice">
          Send the file to the client. Give her your fingerprint by another route (phone, letter, in
          person): when she imports the review, Dossier shows the fingerprint it was signed with,
          and she compares the two.
          {sent.format === 'zip.age' &&
            ' Tell her the passphrase the same way, never with the file.'}
        </p>
        <button type="button" className="secondary" onClick={onClose}>
          Done
        </button>
      </div>
    );
  }

  return (
    <form
      className="send-review sub-panel"
      aria-labelledby={titleId}
      onSubmit={(e) => void submit(e)}
    >
      <h3 id={titleId}>Where to save the review</h3>
      {typing ? (
        <div className="field">
          <label htmlFor={outId}>Full path of the folder to save it in</label>
          <input
            id={outId}
            value={out}
            spellCheck={false}
            autoFocus
            onChange={(e) => setOut(e.target.value)}
          />
        </div>
      ) : (
        <div className="field">
          <p>{out ? <code className="wrap">{displayName(out)}</code> : 'No folder chosen yet.'}</p>
          <button type="button" className="secondary" autoFocus onClick={() => void choose()}>
            Choose a folder…
          </button>
          <ErrorNote message={dialogError} />
        </div>
      )}
      <div className="choice">
        <input
          type="checkbox"
          id={encryptId}
          checked={encrypt}
          onChange={(e) => setEncrypt(e.target.checked)}
        />
        <label htmlFor={encryptId}>Encrypt it with a passphrase (.zip.age)</label>
      </div>
      {encrypt && (
        <>
          <PassphraseField
            label="Passphrase for the review file"
            value={passphrase}
            onChange={setPassphrase}
            autoComplete="new-password"
            describedBy={adviceId}
          />
          <StrengthMeter
            passphrase={passphrase}
            adviceId={adviceId}
            label="Review file passphrase strength"
            advice={(s) => sendAdvice(s.score, s.advice)}
          />
          <PassphraseField
            label="Type the review file passphrase again"
            value={again}
            onChange={setAgain}
            autoComplete="new-password"
          />
        </>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? 'Writing the review…' : 'Save the review file'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
