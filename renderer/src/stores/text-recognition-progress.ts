import type { Result } from '../../../shared/contract';

/** The text-recognition queue's status, as ocr.status gives it. */
export type OcrStatus = Result<'ocr.status'>;

/** Whether there is work to show (waiting pictures, or one being read). */
export const hasWork = (s: OcrStatus | null): boolean =>
  !!s && (s.queued > 0 || s.running !== null);

/** "about 2 minutes left", "less than a minute left". */
export function timeLeftText(seconds: number): string {
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'} left`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hours left`;
}

/**
 * The progress line: "Reading text in pictures: 12 of 80, about 2 minutes left". `base` is
 * how many were finished (read or not) when this run of work began, so the count is of this
 * run, not of every picture ever read.
 */
export function progressText(s: OcrStatus, base: number): string {
  const finished = Math.max(0, s.done + s.failed - base);
  const total = finished + s.queued;
  const n = (v: number) => v.toLocaleString('en-GB');
  if (s.paused)
    return `Reading text in pictures is paused: ${n(s.queued)} picture${s.queued === 1 ? '' : 's'} waiting`;
  return `Reading text in pictures: ${n(finished)} of ${n(total)}, ${timeLeftText(s.secondsLeft)}`;
}

/** The new base for a status: kept during a run of work, reset when a run begins. */
export function nextBase(prev: OcrStatus | null, base: number, s: OcrStatus): number {
  const finished = s.done + s.failed;
  return !hasWork(prev) || finished < base ? finished : base;
}
