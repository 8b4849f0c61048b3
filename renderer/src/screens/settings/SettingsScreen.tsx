import { useEffect, useState, type FormEvent } from 'react';
import { CopyValue } from '../../components/CopyValue';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { PassphraseField } from '../../components/PassphraseField';
import { StrengthMeter } from '../../components/StrengthMeter';
import { shortSize } from '../../../../shared/size-text';
import { displayName } from '../../../../shared/display-name';
import { passphraseStrength } from '../../../../shared/passphrase-strength';
import { NewRecoveryCodeForm } from '../../components/NewRecoveryCodeForm';
import { useJobs } from '../../stores/jobs';
import { useSession } from '../../stores/session';
import { TextRecognitionSettings } from './TextRecognitionSettings';
import {
  AUTO_LOCK_CHOICES,
  minutesText,
  useSettings,
  type ActionState,
} from '../../stores/settings';

/**
 * Settings: when Dossier locks itself, the passphrase, the check that nothing was changed,
 * the vault's public-key fingerprint, and the escape hatch that shows the keys. Revealed
 * keys are forgotten on leaving.
 */
export function SettingsScreen() {
  const load = useSettings((s) => s.load);
  const reset = useSettings((s) => s.reset);
  useEffect(() => {
    void load();
    return () => reset();
  }, [load, reset]);

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <AutoLock />
      <ChangePassphrase />
      <NewRecoveryCode />
      <CheckVault />
      <TextRecognitionSettings />
      <Fingerprint />
      <RevealKeys />
    </section>
  );
}

/** Every file decrypted and compared with the SHA-256 taken at import, and the custody log. */
function CheckVault() {
  const job = useJobs((s) => s.checkJob);
  const start = useJobs((s) => s.startCheck);
  const cancel = useJobs((s) => s.cancelCheck);
  const running = job?.state === 'running';
  const report = job?.state === 'done' ? job.report : null;

  return (
    <section className="settings-panel" aria-labelledby="check-title">
      <h2 id="check-title">Check the vault</h2>
      <p>
        Dossier opens every file, compares it with the fingerprint (SHA-256) taken when it was
        added, and checks that the custody log has not been altered. Use it if you think someone may
        have tampered with this computer. Nothing is changed; the check is noted in the log.
      </p>
      {running ? (
        <JobProgress
          job={job}
          label="Check progress"
          cancelText="Cancel the check"
          onCancel={cancel}
        />
      ) : (
        <button type="button" onClick={() => void start()}>
          {job ? 'Check again' : 'Check the vault'}
        </button>
      )}
      {job?.state === 'cancelled' && (
        <p role="status">The check was cancelled before it finished. Nothing was changed.</p>
      )}
      {job?.state === 'failed' && <ErrorNote message={job.error} />}
      {report && report.ok && (
        <p className="success" role="status">
          Everything checks out: {report.blobsChecked} files ({shortSize(report.bytesChecked)})
          match the fingerprints taken when they were added, and the custody log is intact.
        </p>
      )}
      {report && !report.ok && (
        <div role="alert">
          <p className="error">
            {report.problems.length} problem{report.problems.length === 1 ? '' : 's'} found. The
            originals were not changed by this check. Keep this computer as it is, export what still
            checks out, and tell your solicitor or the police.
          </p>
          <ul className="plain-list">
            {report.problems.map((p, i) => (
              <li key={i}>{displayName(p.message)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Outcome({ state }: { state: ActionState }) {
  if (state.status === 'done') {
    return (
      <p className="success" role="status">
        {state.message}
      </p>
    );
  }
  if (state.status === 'failed') return <ErrorNote message={state.message} />;
  return null;
}

function AutoLock() {
  const saved = useSettings((s) => s.autoLockMinutes);
  const state = useSettings((s) => s.autoLock);
  const save = useSettings((s) => s.saveAutoLock);
  const loadError = useSettings((s) => s.loadError);
  const [choice, setChoice] = useState<number | null>(null);
  const value = choice ?? saved ?? 5;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (state.status !== 'busy') void save(value);
  };

  return (
    <section className="settings-panel" aria-labelledby="autolock-title">
      <h2 id="autolock-title">Lock automatically</h2>
      <p id="autolock-hint">
        When nobody uses Dossier for this long, it locks itself and asks for your passphrase again.
        It also locks when the computer sleeps or its screen locks.
      </p>
      <form onSubmit={submit} className="inline-form">
        <div className="field">
          <label htmlFor="autolock-minutes">Lock after</label>
          <select
            id="autolock-minutes"
            value={value}
            aria-describedby="autolock-hint"
            disabled={saved === null}
            onChange={(e) => setChoice(Number(e.target.value))}
          >
            {AUTO_LOCK_CHOICES.map((m) => (
              <option key={m} value={m}>
                {minutesText(m)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={saved === null || state.status === 'busy'}>
          Save
        </button>
      </form>
      <ErrorNote message={loadError} />
      <Outcome state={state} />
    </section>
  );
}

function ChangePassphrase() {
  const state = useSettings((s) => s.passphrase);
  const change = useSettings((s) => s.changePassphrase);
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const mismatch = again.length > 0 && again !== passphrase;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (state.status === 'busy') return;
    if (current === '') {
      setProblem('Type your current passphrase (or your recovery code) first.');
      return;
    }
    const strength = passphraseStrength(passphrase);
    if (!strength.acceptable) {
      setProblem(
        `Dossier will not accept that new passphrase: it is too easy to guess. ${strength.reason ?? ''}`,
      );
      return;
    }
    if (passphrase !== again) {
      setProblem('The two passphrases are different. Type the same one twice.');
      return;
    }
    setProblem(null);
    if (await change(current, passphrase)) {
      setCurrent('');
      setPassphrase('');
      setAgain('');
    }
  };

  return (
    <section className="settings-panel" aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">Change passphrase</h2>
      <p>
        You stay unlocked. Your recovery code does not change, and still works if you forget the new
        passphrase.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <PassphraseField
          label="Current passphrase or recovery code"
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
        />
        <PassphraseField
          label="New passphrase"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="new-password"
          describedBy="new-strength-advice"
        />
        <StrengthMeter passphrase={passphrase} adviceId="new-strength-advice" />
        <PassphraseField
          label="Type it again"
          value={again}
          onChange={setAgain}
          autoComplete="new-password"
          describedBy={mismatch ? 'new-again-error' : undefined}
          invalid={mismatch}
        />
        {mismatch && (
          <p className="error" id="new-again-error">
            The two passphrases are different.
          </p>
        )}
        <ErrorNote message={problem} />
        <button type="submit" disabled={state.status === 'busy'}>
          {state.status === 'busy' ? 'Changing the passphrase…' : 'Change passphrase'}
        </button>
      </form>
      <Outcome state={state} />
    </section>
  );
}

/** A new recovery code, when the old one is lost or may have been seen by someone else. */
function NewRecoveryCode() {
  return (
    <section className="settings-panel" aria-labelledby="new-code-title">
      <h2 id="new-code-title">Make a new recovery code</h2>
      <p>
        If your recovery code is lost, or someone else may have seen it, make a new one. It is shown
        once, like the first; the change is recorded in your vault’s history.
      </p>
      <NewRecoveryCodeForm />
    </section>
  );
}

function Fingerprint() {
  const fingerprint = useSession((s) => s.fingerprint);
  return (
    <section className="settings-panel" aria-labelledby="fingerprint-title">
      <h2 id="fingerprint-title">Your vault’s fingerprint</h2>
      <p>
        Every bundle you export is signed with your vault’s key. Whoever receives a bundle checks
        its signature against this fingerprint. Give it to them by another route (read it out on the
        phone, or write it in a letter), so they know the bundle really came from you.
      </p>
      {fingerprint ? (
        <CopyValue label="Public-key fingerprint" value={fingerprint} />
      ) : (
        <p>The fingerprint is shown while the vault is unlocked.</p>
      )}
    </section>
  );
}

function RevealKeys() {
  const keys = useSettings((s) => s.keys);
  const state = useSettings((s) => s.reveal);
  const reveal = useSettings((s) => s.revealKeys);
  const hide = useSettings((s) => s.hideKeys);
  const [passphrase, setPassphrase] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (state.status === 'busy' || passphrase === '') return;
    await reveal(passphrase);
    setPassphrase('');
  };

  return (
    <section className="settings-panel danger-zone" aria-labelledby="reveal-title">
      <h2 id="reveal-title">Reveal keys</h2>
      <div className="warning" id="reveal-warning">
        <p>
          <strong>
            Anyone who sees these keys can read all your evidence. Only use this for moving your
            data without Dossier.
          </strong>
        </p>
        <p>
          Make sure nobody can see your screen, and do not keep the keys in a screenshot, an email
          or a notes app. Showing them is recorded in your vault’s history.
        </p>
      </div>
      {keys ? (
        <div className="revealed-keys">
          <dl className="key-list">
            <dt>Database key (SQLCipher)</dt>
            <dd>
              <pre>{keys.sqlcipherKey}</pre>
            </dd>
            <dt>Encryption identity (age secret key)</dt>
            <dd>
              <pre>{keys.ageIdentity}</pre>
            </dd>
            <dt>Encryption recipient (age public key)</dt>
            <dd>
              <pre>{keys.ageRecipient}</pre>
            </dd>
            <dt>Signing public key</dt>
            <dd>
              <pre>{keys.signingPublicKey}</pre>
            </dd>
            <dt>Fingerprint</dt>
            <dd>
              <pre>{keys.fingerprint}</pre>
            </dd>
          </dl>
          <button type="button" onClick={hide}>
            Hide
          </button>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <PassphraseField
            label="Your passphrase"
            value={passphrase}
            onChange={setPassphrase}
            autoComplete="current-password"
            describedBy="reveal-warning"
          />
          <button type="submit" className="danger" disabled={state.status === 'busy'}>
            Reveal keys
          </button>
        </form>
      )}
      <Outcome state={state} />
    </section>
  );
}
