// What `dossier ocr` and `dossier add --ocr` print (human text; the caller's Io escapes it).
import type { Vault } from '../core';
import type { OcrStatus } from '../core/ocr/runner';
import type { OcrReadingView } from '../core/ocr/queue';
import { languageName } from '../core/ocr/engine';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function duration(seconds: number): string {
  if (seconds < 90) return `about ${plural(Math.max(1, Math.round(seconds)), 'second')}`;
  if (seconds < 90 * 60) return `about ${plural(Math.round(seconds / 60), 'minute')}`;
  return `about ${plural(Math.round(seconds / 3600), 'hour')}`;
}

export function ocrStatusText(s: OcrStatus): string {
  const lines = [
    `Text in pictures: ${s.done} read, ${s.failed} could not be read, ${s.queued} waiting${s.paused ? ' (paused)' : ''}.`,
  ];
  if (s.running) lines.push(`Reading ${s.running} now.`);
  if (s.queued && !s.paused)
    lines.push(`Time left: ${duration(s.secondsLeft)}. Run \`dossier ocr\` to read them now.`);
  if (s.queued && s.paused)
    lines.push('Paused in the app. `dossier ocr` resumes and reads them now.');
  return lines.join('\n');
}

export function ocrProgressText(read: number, total: number, secondsLeft: number): string {
  return `Reading text in pictures: ${read}/${total}${read < total ? `, ${duration(secondsLeft)} left` : ''}`;
}

export function ocrRunText(before: OcrStatus, after: OcrStatus): string {
  const read = after.done - before.done;
  const failed = after.failed - before.failed;
  const parts = [`${plural(read, 'picture')} read for text`];
  if (failed) parts.push(`${failed} could not be read (see \`dossier ocr --status\`)`);
  if (after.queued) parts.push(`${after.queued} still waiting (stopped before the end)`);
  return `${parts.join(', ')}.`;
}

/** After `dossier add --ocr`: how many of the new pictures were read. */
export function ocrAddedText(vault: Vault, added: readonly string[]): string {
  let read = 0;
  let failed = 0;
  for (const id of added) {
    const r = vault.ocr.store.reading(id);
    if (r?.state === 'done') read++;
    if (r?.state === 'failed') failed++;
  }
  return `Text read in ${plural(read, 'new picture')}${failed ? `; ${failed} could not be read (see \`dossier ocr --status\`)` : ''}.`;
}

/** `dossier show`: the words read in a picture, or why there are none yet (null: not a picture read). */
export function readingText(r: OcrReadingView): string | null {
  if (r.state === 'none') return null;
  if (r.state === 'queued') {
    return r.reading
      ? 'Text in this picture: being read now.'
      : 'Text in this picture: waiting to be read. `dossier ocr` reads it now.';
  }
  if (r.state === 'failed') {
    return `Text in this picture could not be read: ${r.reason ?? 'no reason was recorded'}`;
  }
  const how = [
    r.language ? languageName(r.language) : null,
    r.confidence == null ? null : `${Math.round(r.confidence)}% confidence`,
    r.finishedAt ? `read ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC` : null,
  ].filter((x): x is string => x !== null);
  const text = (r.text ?? '').trim();
  if (!text) return `No text was found in this picture (${how.join(', ')}).`;
  return [
    `Text read in this picture by machine (${how.join(', ')}); it may hold mistakes, the picture is the evidence:`,
    ...text.split(/\r\n|\r|\n/).map((l) => (l.trim() ? `  ${l}` : '')),
  ].join('\n');
}
