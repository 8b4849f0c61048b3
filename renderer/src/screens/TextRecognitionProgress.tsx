import { useEffect } from 'react';
import { BUSY_POLL_MS, IDLE_POLL_MS, useTextRecognition } from '../stores/text-recognition';
import { hasWork, progressText } from '../stores/text-recognition-progress';
import { useJobs } from '../stores/jobs';

/**
 * The workspace's line while pictures wait to be read: "Reading text in pictures: 12 of 80,
 * about 2 minutes left", with Pause (which is the cancel: what is not read stays queued) and
 * Resume. Nothing shows when there is no work. Polls only while the window is visible.
 */
export function TextRecognitionProgress() {
  const status = useTextRecognition((s) => s.status);
  const base = useTextRecognition((s) => s.base);
  const busy = useTextRecognition((s) => s.busy);
  const error = useTextRecognition((s) => s.error);
  const refresh = useTextRecognition((s) => s.refresh);
  const pause = useTextRecognition((s) => s.pause);
  const resume = useTextRecognition((s) => s.resume);
  const working = hasWork(status);

  // Busy: often. Paused or empty: seldom (an import elsewhere may queue pictures).
  const ms = working && !status!.paused ? BUSY_POLL_MS : IDLE_POLL_MS;
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | null = null;
    const run = () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (document.visibilityState !== 'visible') return;
      void refresh();
      timer = setInterval(() => void refresh(), ms);
    };
    run();
    document.addEventListener('visibilitychange', run);
    return () => {
      if (timer) clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
    };
  }, [refresh, ms]);
  // An import just finished: its pictures are queued now.
  const importState = useJobs((s) => s.importJob?.state);
  useEffect(() => {
    if (importState && importState !== 'running') void refresh();
  }, [importState, refresh]);

  if (!status || !working) return null;
  return (
    <div className="ocr-progress">
      <p role="status">{progressText(status, base)}</p>
      {status.paused ? (
        <button type="button" className="secondary" disabled={busy} onClick={() => void resume()}>
          Resume reading
        </button>
      ) : (
        <button type="button" className="secondary" disabled={busy} onClick={() => void pause()}>
          Pause reading
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
