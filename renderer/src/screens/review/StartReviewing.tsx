import { useEffect, useId, useState, type FormEvent } from 'react';
import { passphraseStrength, type Strength } from '../../../../shared/passphrase-strength';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { PassphraseField } from '../../components/PassphraseField';
import { StrengthMeter } from '../../components/StrengthMeter';
import { useReviewing } from '../../stores/reviewing';

/** Where the review is kept, in words: the adviser's own store, never the bundle. */
export function keptText(folder: string): string {
  return `Your review is kept in your own review store on this computer (${displayName(folder)}), encrypted with your review passphrase. Nothing is ever written into the bundle or beside it.`;
}

/** A vault's advice speaks of its recovery code; a review store has none. */
function storeAdvice(s: Strength): string {
  if (s.score < 3) return s.advice;
  return 'Make sure you can remember it: a review store has no recovery code.';
}

/**
 * "Start reviewing": unlocks the adviser's review store, or makes one (a passphrase typed
 * twice, a weak one refused in words), and asks who is reviewing. Shown in the banner and in
 * each review panel while the store is not open.
 */
export function StartReviewing({ compact = false }: { compact?: boolean }) {
  const state = useReviewing((s) => s.state);
  const load = useReviewing((s) => s.load);
  const unlock = useReviewing((s) => s.unlock);
  const setReviewer = useReviewing((s) => s.setReviewer);
  const busy = useReviewing((s) => s.busy);
  const error = useReviewing((s) => s.error);
  const clearError = useReviewing((s) => s.clearError);
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [name, setName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [tried, setTried] = useState(false);
  const titleId = useId();
  const adviceId = useId();
  const againId = useId();
  const nameId = useId();
  const orgId = useId();

  useEffect(() => {
    if (!state) void load();
  }, [state, load]);

  if (!state || state.store === 'unlocked') return null;
  const creating = state.store === 'none';
  const strength = passphraseStrength(passphrase);
  const mismatch = creating && again.length > 0 && again !== passphrase;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (busy || passphrase === '') return;
    if (creating && (!strength.acceptable || passphrase !== again)) return;
    if (!(await unlock(passphrase, creating))) return;
    setPassphrase('');
    setAgain('');
    if (name.trim() || organisation.trim()) await setReviewer(name, organisation);
  };

  if (!open) {
    return (
      <div className="start-reviewing">
        {!compact && (
          <p className="hint">
            Mark each exhibit, comment, ask the client questions, and send your review back to them,
            signed.
          </p>
        )}
        <button
          type="button"
          onClick={() => {
            clearError();
            setOpen(true);
          }}
        >
          Start reviewing
        </button>
      </div>
    );
  }

  return (
    <form
      className="start-reviewing sub-panel"
      aria-labelledby={titleId}
      onSubmit={(e) => void submit(e)}
    >
      <h3 id={titleId}>{creating ? 'Make your review store' : 'Open your review store'}</h3>
      <p className="hint">{keptText(state.folder)}</p>
      {creating ? (
        <>
          <p className="hint">
            Choose a passphrase for your reviews. There is no recovery code: if it is forgotten, the
            reviews in progress are lost.
          </p>
          <PassphraseField
            label="Review passphrase"
            value={passphrase}
            onChange={setPassphrase}
            autoFocus
            autoComplete="new-password"
            describedBy={adviceId}
          />
          <StrengthMeter
            passphrase={passphrase}
            adviceId={adviceId}
            label="Review passphrase strength"
            advice={storeAdvice}
          />
          <PassphraseField
            label="Type the review passphrase again"
            value={again}
            onChange={setAgain}
            autoComplete="new-password"
            describedBy={mismatch ? againId : undefined}
            invalid={mismatch}
          />
          {mismatch && (
            <p className="error" id={againId}>
              The two passphrases are different.
            </p>
          )}
          {tried && passphrase !== '' && !strength.acceptable && (
            <p className="error" role="alert">
              Dossier will not accept this passphrase: it is too easy to guess. {strength.reason}
            </p>
          )}
          {tried && strength.acceptable && passphrase !== again && !mismatch && (
            <p className="error" role="alert">
              Type the same passphrase again in the second box.
            </p>
          )}
          <div className="field">
            <label htmlFor={nameId}>Your name (as the client will see it)</label>
            <input
              id={nameId}
              value={name}
              maxLength={200}
              autoComplete="name"
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={orgId}>Your organisation</label>
            <input
              id={orgId}
              value={organisation}
              maxLength={200}
              autoComplete="organization"
              onChange={(e) => setOrganisation(e.target.value)}
            />
          </div>
        </>
      ) : (
        <PassphraseField
          label="Review passphrase"
          value={passphrase}
          onChange={setPassphrase}
          autoFocus
          autoComplete="current-password"
        />
      )}
      {tried && passphrase === '' && (
        <p className="error" role="alert">
          Type your review passphrase.
        </p>
      )}
      <ErrorNote message={error} />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy
            ? creating
              ? 'Making your review store…'
              : 'Opening…'
            : creating
              ? 'Make my review store'
              : 'Open my review store'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
