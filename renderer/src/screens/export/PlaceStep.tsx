import { useEffect, useState } from 'react';
import { PassphraseField } from '../../components/PassphraseField';
import { StrengthMeter } from '../../components/StrengthMeter';
import type { Strength } from '../../../../shared/passphrase-strength';
import { useJobs, type BundlePagesArgs } from '../../stores/jobs';
import { BundlePagesLine, BundlePagesWarning, type PageCount } from './BundlePages';
import { LocationChoiceFields, useLocatedItems } from './LocationChoice';
import {
  bundlePagesArgs,
  locatedArgs,
  countText,
  exhibitExample,
  itemCount,
  type BundleFormat,
  type Catalogue,
  type Draft,
} from './wizard';

interface Props {
  draft: Draft;
  catalogue: Catalogue;
  onChange(patch: Partial<Draft>): void;
}

const FORMATS: Array<{ format: BundleFormat; label: string; hint: string }> = [
  {
    format: 'dir',
    label: 'Folder',
    hint: 'A folder of files. Easiest to open; best for copying to a USB stick.',
  },
  {
    format: 'zip',
    label: 'Zip file',
    hint: 'One file, easy to attach or upload. Anyone who gets the file can open it.',
  },
  {
    format: 'zip.age',
    label: 'Encrypted zip file',
    hint: 'One file that can only be opened with a passphrase you choose now. Best when sending it over the internet. The person you send it to needs the free program age to open it.',
  },
];

/** Advice for a passphrase that travels with a file anyone might get hold of. */
function zipAdvice(s: Strength): string {
  if (s.score === 0) return s.advice;
  if (s.score < 3) {
    return 'Anyone who gets the file can try to guess it: add another unrelated word or two.';
  }
  return 'Write it down for the person you send it to; without it the file cannot be opened.';
}

/** Step 3: folder, zip or encrypted zip, and the folder on this computer to save it in. */
export function PlaceStep({ draft, catalogue, onChange }: Props) {
  const onDesktop = useJobs((s) => s.onDesktop);
  const chooseFolder = useJobs((s) => s.chooseExportFolder);
  const [typing, setTyping] = useState(!onDesktop);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const mismatch = draft.passphraseAgain.length > 0 && draft.passphraseAgain !== draft.passphrase;
  const pages = useBundlePages(bundlePagesArgs(draft, catalogue.selected, catalogue.chosen));
  const located = useLocatedItems(locatedArgs(draft, catalogue.selected, catalogue.chosen));

  const choose = async () => {
    setDialogError(null);
    const choice = await chooseFolder();
    if ('unsupported' in choice) setTyping(true);
    else if ('error' in choice) setDialogError(choice.error);
    else if (choice.path) onChange({ out: choice.path });
  };

  return (
    <>
      <fieldset className="choices">
        <legend>Format</legend>
        {FORMATS.map((f) => {
          const id = `format-${f.format.replace('.', '-')}`;
          return (
            <div className="choice" key={f.format}>
              <input
                type="radio"
                name="format"
                id={id}
                value={f.format}
                checked={draft.format === f.format}
                aria-describedby={`${id}-hint`}
                onChange={() => onChange({ format: f.format })}
              />
              <label htmlFor={id}>{f.label}</label>
              <p id={`${id}-hint`} className="hint">
                {f.hint}
              </p>
            </div>
          );
        })}
      </fieldset>

      {draft.format === 'zip.age' && (
        <div className="sub-panel">
          <div className="notice" id="zip-age-tool-note">
            <p>
              The person you send it to needs the free program <strong>age</strong> to open it
              (Dossier is not needed). Tell them before you send it:
            </p>
            <ul>
              <li>
                Windows: download it from <code>https://github.com/FiloSottile/age/releases</code>{' '}
                (the windows-amd64 zip)
              </li>
              <li>
                Mac: <code>brew install age</code>
              </li>
              <li>
                Linux: <code>sudo apt install age</code> (or the package of their system)
              </li>
            </ul>
            <p>
              Then they open it with <code>age -d -o bundle.zip FILE.zip.age</code>, type the
              passphrase, and unzip <code>bundle.zip</code>. More at{' '}
              <code>https://age-encryption.org</code>.
            </p>
          </div>
          <p className="notice" id="zip-passphrase-note">
            Choose a new passphrase just for this file; do not reuse your vault passphrase. The
            person you send it to needs it to open the file: tell them separately, by phone or in
            person, never in the same email or message as the file.
          </p>
          <PassphraseField
            label="Passphrase for the zip file"
            value={draft.passphrase}
            onChange={(passphrase) => onChange({ passphrase })}
            autoComplete="new-password"
            describedBy="zip-strength-advice zip-passphrase-note"
          />
          <StrengthMeter
            passphrase={draft.passphrase}
            adviceId="zip-strength-advice"
            label="Zip passphrase strength"
            advice={zipAdvice}
          />
          <PassphraseField
            label="Type the zip passphrase again"
            value={draft.passphraseAgain}
            onChange={(passphraseAgain) => onChange({ passphraseAgain })}
            autoComplete="new-password"
            describedBy={mismatch ? 'zip-again-error' : undefined}
            invalid={mismatch}
          />
          {mismatch && (
            <p className="error" id="zip-again-error">
              The two passphrases are different.
            </p>
          )}
        </div>
      )}

      <fieldset className="destination">
        <legend>Where to save it</legend>
        {typing ? (
          <div className="field">
            <label htmlFor="export-out">Folder on this computer to save the bundle in</label>
            <input
              id="export-out"
              value={draft.out}
              autoComplete="off"
              spellCheck={false}
              placeholder="/home/you/Documents"
              aria-describedby="export-out-hint"
              onChange={(e) => onChange({ out: e.target.value })}
            />
            <p id="export-out-hint" className="hint">
              Type the full path of a folder that exists. Dossier saves the bundle inside it under a
              new name, and never replaces anything already there.
            </p>
          </div>
        ) : (
          <div className="field">
            <p className="chosen-folder" id="export-out-chosen">
              {draft.out ? (
                <>
                  Saving in: <code>{draft.out}</code>
                </>
              ) : (
                'No folder chosen yet.'
              )}
            </p>
            <div>
              <button
                type="button"
                className="secondary"
                aria-describedby="export-out-chosen"
                onClick={() => void choose()}
              >
                {draft.out ? 'Choose another folder' : 'Choose folder'}
              </button>
            </div>
            <p className="hint">
              Dossier saves the bundle inside this folder under a new name, and never replaces
              anything already there.
            </p>
            {dialogError && (
              <p className="error" role="alert">
                {dialogError}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <LocationChoiceFields
        located={located}
        choice={draft.location}
        onChange={(location) => onChange({ location })}
      />

      <div className="export-summary">
        <h3>About to export</h3>
        <ul>
          <li>Items: {countText(itemCount(draft, catalogue))}</li>
          {draft.disclosure && (
            <li id="export-disclosure-summary">
              For disclosure: items with a redacted copy or a copy without location go out as that
              copy, their originals withheld and listed in the redaction schedule
            </li>
          )}
          {catalogue.chosen.length > 0 && (
            <li id="export-chosen-count">
              Chosen messages in the transcript: {catalogue.chosen.length.toLocaleString('en-GB')}
            </li>
          )}
          <li>
            Exhibits labelled {exhibitExample(draft.exhibitPrefix, draft.exhibitStyle).numbers}
          </li>
          <li>Format: {FORMATS.find((f) => f.format === draft.format)!.label}</li>
          {located.state === 'listed' && located.items.length > 0 && (
            <li id="export-location-summary">
              Location in photos:{' '}
              {draft.location === 'withheld' ? 'left out of the bundle' : 'included'}
            </li>
          )}
          <BundlePagesLine count={pages} />
        </ul>
        <BundlePagesWarning count={pages} />
      </div>
    </>
  );
}

/** Counts the bundle's pages for these choices, and again whenever they change. */
export function useBundlePages(args: BundlePagesArgs): PageCount {
  const count = useJobs((s) => s.countBundlePages);
  const key = JSON.stringify(args);
  const [result, setResult] = useState<{ key: string; count: PageCount } | null>(null);
  useEffect(() => {
    let current = true; // a slower count for earlier choices must not overwrite a newer one
    void count(JSON.parse(key) as BundlePagesArgs).then((r) => {
      if (!current) return;
      setResult({
        key,
        count:
          'error' in r
            ? { state: 'failed', error: r.error }
            : { state: 'counted', pages: r.pages, cap: r.cap },
      });
    });
    return () => {
      current = false;
    };
  }, [count, key]);
  return result?.key === key ? result.count : { state: 'counting' };
}
