import { shortSize } from '../../../../shared/size-text';
import { durationText } from '../../format';
import { etaSeconds, useJobs, type ExportJob } from '../../stores/jobs';

/** Step 4: the export running (items, bytes, time left, Cancel), or why it stopped. */
export function ProgressStep({ job, onBack }: { job: ExportJob; onBack(): void }) {
  const cancel = useJobs((s) => s.cancelExport);

  if (job.state === 'running') {
    const eta = etaSeconds(job);
    return (
      <div className="export-progress">
        <progress
          max={Math.max(1, job.bytesTotal)}
          value={job.bytesDone}
          aria-label="Export progress"
        />
        <p role="status">
          {job.itemsTotal === 0
            ? 'Getting ready…'
            : `${job.itemsDone} of ${job.itemsTotal} items · ${shortSize(job.bytesDone)} of ${shortSize(job.bytesTotal)}`}
          {eta !== null && ` · about ${durationText(eta)} left`}
        </p>
        <p className="hint">
          You can keep using Dossier meanwhile. If you cancel, nothing is left behind in the folder.
        </p>
        <button type="button" className="secondary" onClick={cancel}>
          Cancel export
        </button>
      </div>
    );
  }
  if (job.state === 'verifying') {
    return (
      <div className="export-progress">
        <progress
          max={Math.max(1, job.filesToCheck)}
          value={job.filesChecked}
          aria-label="Checking progress"
        />
        <p role="status">
          The bundle is saved. Now checking it again from the disk, as the person receiving it would
          {job.filesToCheck > 0 && `: ${job.filesChecked} of ${job.filesToCheck} files`}…
        </p>
      </div>
    );
  }
  if (job.state === 'cancelled') {
    return (
      <div className="export-progress">
        <p role="status">The export was cancelled. Nothing was saved in the folder.</p>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </div>
    );
  }
  // Failed before a bundle existed (a failed check of a saved bundle is shown as a result).
  return (
    <div className="export-progress">
      <p className="error" role="alert">
        The export did not finish. {job.error}
      </p>
      <p>Nothing was saved in the folder. Go back to check your choices and try again.</p>
      <button type="button" onClick={onBack}>
        Back
      </button>
    </div>
  );
}
