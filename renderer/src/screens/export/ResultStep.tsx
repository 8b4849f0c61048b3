import { useState } from 'react';
import { shortSize } from '../../../../shared/size-text';
import { CopyValue } from '../../components/CopyValue';
import { ExportNotes } from './ExportNotes';
import { useJobs, type BundleReport, type ExportJob, type ExportResult } from '../../stores/jobs';

/**
 * Step 5: the saved bundle, checked again from the disk: whether it verified, where it is,
 * the values a recipient can compare, and what the recipient can do with it.
 */
export function ResultStep({ job, onNewExport }: { job: ExportJob; onNewExport(): void }) {
  const onDesktop = useJobs((s) => s.onDesktop);
  const showInFolder = useJobs((s) => s.showExportInFolder);
  const [shellError, setShellError] = useState<string | null>(null);
  const result = job.result!;

  return (
    <div className="export-result">
      <Verification result={result} report={job.verification} error={job.error} />
      <ExportNotes warnings={result.warnings} bundlePages={result.bundlePages} />

      <p>
        {result.exhibits.length} exhibit{result.exhibits.length === 1 ? '' : 's'},{' '}
        {shortSize(result.payloadBytes)} in all.
      </p>
      {result.disclosure && (
        <p id="export-disclosure-result">
          Made for disclosure:{' '}
          {result.disclosure.withheld === 1
            ? '1 original is withheld, exhibited as its copy'
            : `${result.disclosure.withheld.toLocaleString('en-GB')} originals are withheld, each exhibited as its copy`}
          . They are listed with their fingerprints in the redaction schedule (in the report, the
          viewer and data/metadata/redactions.csv). The originals stay unchanged in your vault.
        </p>
      )}
      {result.location.items > 0 && (
        <p id="export-location-result">
          {result.location.items === 1
            ? '1 exhibit records where it was taken: '
            : `${result.location.items.toLocaleString('en-GB')} exhibits record where they were taken: `}
          {result.location.choice === 'included'
            ? 'the location is included in the bundle’s metadata and viewer.'
            : 'the location was left out of the bundle’s report, metadata and viewer. The original files still hold it.'}
        </p>
      )}
      <div className="copy-values">
        <CopyValue
          label={result.format === 'dir' ? 'Saved as the folder' : 'Saved as the file'}
          value={result.path}
        />
        <CopyValue label="Tag-manifest SHA-256" value={result.tagManifestSha256} />
        <CopyValue label="Signing key fingerprint" value={result.fingerprint} />
      </div>
      {onDesktop && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => void showInFolder().then(setShellError)}
          >
            Show in folder
          </button>
        </p>
      )}
      {shellError && (
        <p className="error" role="alert">
          {shellError}
        </p>
      )}

      <h3>What to send, and what the recipient can do</h3>
      <RecipientSteps format={result.format} />

      <div className="wizard-actions">
        <button type="button" onClick={onNewExport}>
          New export
        </button>
      </div>
    </div>
  );
}

function Verification(props: {
  result: ExportResult;
  report: BundleReport | null;
  error: string | null;
}) {
  const { result, report, error } = props;
  if (!report) {
    return (
      <div className="verify-box problem" role="alert">
        <p>
          <strong>The bundle was saved, but Dossier could not check it again.</strong> {error ?? ''}
        </p>
        <p>Before you send it, make a new export, or ask for help.</p>
      </div>
    );
  }
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  const otherKey = report.fingerprint !== null && report.fingerprint !== result.fingerprint;
  if (!report.ok || errors.length > 0 || otherKey || report.fingerprint === null) {
    return (
      <div className="verify-box problem" role="alert">
        <p>
          <strong>
            The bundle was saved, but checking it again from the disk found problems. Do not send
            this one: make a new export, to a different folder if you can.
          </strong>
        </p>
        <ul>
          {otherKey && <li>It is signed by a different key from this vault’s.</li>}
          {report.fingerprint === null && <li>Its signature could not be checked.</li>}
          {errors.map((p, i) => (
            <li key={i}>
              {p.file && <code>{p.file}</code>}
              {p.file && ': '}
              {p.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="verify-box ok">
      <p role="status">
        <strong>
          Verified: {report.bag.payloadFiles} files, all hashes match, signed by key{' '}
          <code>{report.fingerprint}</code>
        </strong>
      </p>
      <p>
        Dossier read the saved bundle back from the disk and checked it, as the recipient would.
      </p>
      {warnings.length > 0 && (
        <>
          <p>Worth knowing:</p>
          <ul>
            {warnings.map((p, i) => (
              <li key={i}>
                {p.file && <code>{p.file}</code>}
                {p.file && ': '}
                {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function RecipientSteps({ format }: { format: ExportResult['format'] }) {
  return (
    <ol className="recipient-steps">
      {format === 'dir' && (
        <li>Send the whole folder, for example on a USB stick. Keep your own copy.</li>
      )}
      {format === 'zip' && <li>Send the zip file. They unzip it first.</li>}
      {format === 'zip.age' && (
        <li>
          Send the file, and tell them its passphrase separately, by phone or in person. They open
          it with the free tool “age” (age -d), then unzip it.
        </li>
      )}
      <li>
        To look at the evidence, they open <code>data/viewer/index.html</code> in any web browser.
        It works offline and checks every file&apos;s SHA-256 on their own computer.
      </li>
      <li>
        To check the bundle without Dossier, they follow <code>VERIFY.txt</code>: it explains, step
        by step, how to confirm that no file was changed and that it was signed by your key.
      </li>
      <li>
        Give them the signing key fingerprint above by another route (a phone call, a letter), so
        they can confirm the bundle really came from you.
      </li>
    </ol>
  );
}
