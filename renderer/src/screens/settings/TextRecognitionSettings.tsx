import { useEffect, useState } from 'react';
import { messageOf } from '../../api/errors';
import { ErrorNote } from '../../components/ErrorNote';
import { useTextRecognition } from '../../stores/text-recognition';

/**
 * Text recognition: the language pictures are read in, from those whose data ships with
 * Dossier, and how another language's data is added by hand. A change asks whether the
 * pictures read already should be read again in it (logged by the vault either way).
 */
export function TextRecognitionSettings() {
  const languages = useTextRecognition((s) => s.languages);
  const loadLanguages = useTextRecognition((s) => s.loadLanguages);
  const readAgain = useTextRecognition((s) => s.readAgain);
  const setLanguage = useTextRecognition((s) => s.setLanguage);
  const [choice, setChoice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadLanguages();
  }, [loadLanguages]);

  const current = languages?.language ?? null;
  const value = choice ?? current ?? '';
  const nameOf = (code: string) => languages?.installed.find((l) => l.code === code)?.name ?? code;
  const changed = choice !== null && choice !== current;

  const apply = async (again: boolean) => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      if (again) {
        const n = await readAgain(null, choice);
        setMessage(
          `New pictures will be read in ${nameOf(choice)}, and ${n.toLocaleString('en-GB')} picture${n === 1 ? '' : 's'} already read will be read again in it. The earlier readings stay until then.`,
        );
      } else {
        await setLanguage(choice);
        setMessage(
          `New pictures will be read in ${nameOf(choice)}. Pictures already read keep their text.`,
        );
      }
      setChoice(null);
      setAsking(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-panel" aria-labelledby="ocr-settings-title">
      <h2 id="ocr-settings-title">Text recognition</h2>
      <p id="ocr-settings-hint">
        Dossier reads the words in your pictures on this computer, so that you can search them.
        Nothing is sent anywhere. Choose the language the pictures are written in.
      </p>
      {languages && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (changed) setAsking(true);
          }}
        >
          <div className="field">
            <label htmlFor="ocr-language">Read pictures in</label>
            <select
              id="ocr-language"
              value={value}
              aria-describedby="ocr-settings-hint"
              disabled={busy || asking}
              onChange={(e) => setChoice(e.target.value)}
            >
              {languages.installed.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={!changed || busy || asking}>
            Change language
          </button>
        </form>
      )}
      {asking && choice && (
        <div className="ocr-language-question" role="group" aria-labelledby="ocr-again-question">
          <p id="ocr-again-question">
            Read the pictures already read again, in {nameOf(choice)}? Their earlier text stays
            until the new reading is saved, and both are in the custody log.
          </p>
          <div className="button-row">
            <button type="button" disabled={busy} onClick={() => void apply(true)}>
              Yes, read them again
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void apply(false)}
            >
              No, only new pictures
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => {
                setAsking(false);
                setChoice(null);
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      <ErrorNote message={error} />
      <h3>Other languages</h3>
      <p>
        Dossier can read pictures in{' '}
        {languages ? languages.installed.map((l) => l.name).join(', ') : 'English'}. For another
        language, its data file must be added by hand:
      </p>
      <ol>
        <li>
          Get the language’s data file, named by its three-letter code, for example{' '}
          <code>fra.traineddata</code> for French or <code>urd.traineddata</code> for Urdu. The
          Tesseract project publishes them (the “tessdata_best” collection on GitHub); a helper can
          fetch one on another computer. Dossier itself never downloads anything.
        </li>
        <li>
          Put the file in a folder named <code>ocr-languages</code> inside your vault folder (beside{' '}
          <code>dossier.db</code>; make the folder if it is not there).
        </li>
        <li>
          Come back to this screen: the language is in the list. Each reading records the file’s
          fingerprint (SHA-256) in the custody log.
        </li>
      </ol>
    </section>
  );
}
