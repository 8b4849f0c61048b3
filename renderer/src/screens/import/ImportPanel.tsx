import { displayName } from '../../../../shared/display-name';
import { JobProgress } from '../../components/JobProgress';
import { useJobs, type AddResult } from '../../stores/jobs';
import { importCounts, importSummaryText } from './summary';

/** Progress of an import (items, bytes, time left, cancel), then what happened to each file. */
export function ImportPanel() {
  const job = useJobs((s) => s.importJob);
  const cancel = useJobs((s) => s.cancelImport);
  const dismiss = useJobs((s) => s.dismissImport);
  if (!job) return null;
  const running = job.state === 'running';
  const counts = importCounts(job.results);

  return (
    <aside className="job-panel" aria-labelledby="import-title">
      <h2 id="import-title">
        {running
          ? 'Adding evidence…'
          : job.state === 'cancelled'
            ? 'Import cancelled'
            : 'Import finished'}
      </h2>
      {running && (
        <JobProgress
          job={job}
          label="Import progress"
          cancelText="Cancel import"
          onCancel={cancel}
        />
      )}
      {!running && (
        <p role="status">
          {importSummaryText(counts)}
          {job.state === 'cancelled' && ' · files not reached were not added'}
        </p>
      )}
      {job.error && (
        <p className="error" role="alert">
          {job.error}
        </p>
      )}
      {job.results.length > 0 && (
        <ul className="result-list" aria-label="Files">
          {job.results.map((r, i) => (
            <ResultLine key={i} result={r} />
          ))}
        </ul>
      )}
      {!running && (
        <button type="button" onClick={dismiss}>
          Close
        </button>
      )}
    </aside>
  );
}

function ResultLine({ result }: { result: AddResult }) {
  const name = displayName(result.name);
  if (result.status === 'added') {
    return (
      <li className={result.warnings.length ? 'warn' : 'ok'}>
        <strong>{name}</strong> — added
        {result.warnings.length === 1 && ', with a warning:'}
        {result.warnings.length > 1 && `, with ${result.warnings.length} warnings:`}
        {result.warnings.map((w, i) => (
          <span key={i} className="detail">
            {w}
          </span>
        ))}
      </li>
    );
  }
  if (result.status === 'duplicate') {
    return (
      <li className="dupe">
        <strong>{name}</strong> — already in the vault as “{displayName(result.existingName)}”, so
        it was not stored twice (this import is noted in its history)
      </li>
    );
  }
  if (result.status === 'failed' && result.code === 'NEEDS_CHOICE') {
    // The app asks (ChatChoiceDialog); the API's words name the command line's flags.
    return (
      <li className="problem">
        <strong>{name}</strong> — not added yet: Dossier is asking you which way round its dates are
      </li>
    );
  }
  return (
    <li className="problem">
      <strong>{name}</strong> — {result.status === 'skipped' ? 'left out' : 'not added'}
      <span className="detail">{result.error}</span>
    </li>
  );
}
