import { shortSize } from '../../../shared/size-text';
import { durationText } from '../format';
import { etaSeconds, type JobProgress as Progress } from '../stores/jobs';

/** A running job: a bar by bytes, files and bytes done, time left, and its cancel button. */
export function JobProgress(props: {
  job: Progress;
  label: string;
  cancelText: string;
  onCancel(): void;
}) {
  const { job } = props;
  const eta = etaSeconds(job);
  return (
    <>
      <progress max={Math.max(1, job.bytesTotal)} value={job.bytesDone} aria-label={props.label} />
      <p role="status">
        {job.itemsDone} of {job.itemsTotal} files · {shortSize(job.bytesDone)} of{' '}
        {shortSize(job.bytesTotal)}
        {eta !== null && ` · about ${durationText(eta)} left`}
      </p>
      <button type="button" className="secondary" onClick={props.onCancel}>
        {props.cancelText}
      </button>
    </>
  );
}
