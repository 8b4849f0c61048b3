import type { Result } from '../../../../shared/contract';
import type { FractionRect } from './geometry';

/** One picture's reading, as ocr.get gives it. */
export type PictureReading = Result<'ocr.get'>;
export type ReadWord = PictureReading['words'][number];

/** Words read with less confidence than this (0–100) are marked "low confidence". */
export const LOW_CONFIDENCE = 60;

/** What the panel says about the reading's state, in words (null: nothing to say). */
export function readingStateText(r: PictureReading, paused: boolean): string | null {
  if (r.state === 'none') return 'Dossier does not read text in this kind of picture.';
  if (r.reading) return 'Being read now…';
  if (r.state === 'queued')
    return paused
      ? 'Waiting to be read. Reading text in pictures is paused; resume it at the top of the window.'
      : 'Waiting to be read.';
  if (r.state === 'failed') return `Could not be read: ${r.reason ?? 'no reason was given'}`;
  if (r.words.length === 0) return 'No text was found in this picture.';
  return null;
}

/** "read by machine (Tesseract), may contain mistakes", with the mean confidence and language. */
export function readingLabel(r: PictureReading, languageName: string | null): string {
  const parts = ['Read by machine (Tesseract), may contain mistakes'];
  if (r.confidence !== null) parts.push(`confidence ${Math.round(r.confidence)}%`);
  if (languageName) parts.push(languageName);
  return `${parts.join('; ')}.`;
}

/** "3 matches in the picture" (a search's count, said and shown). */
export function matchCountText(n: number): string {
  if (n === 0) return 'No match in the picture';
  return `${n.toLocaleString('en-GB')} match${n === 1 ? '' : 'es'} in the picture`;
}

export interface TextSegment {
  text: string;
  /** The index of the word this segment is (null: the spaces and lines between words). */
  word: number | null;
  low: boolean;
  match: boolean;
}

/**
 * The stored text cut into the words read (in reading order, each found after the last) and
 * what lies between them, so that the text shown is exactly the text stored (it copies as
 * read) while each word can be marked low-confidence or matched. A word not found in the text
 * is left out of the marks, never out of the text.
 */
export function textSegments(
  text: string,
  words: readonly ReadWord[],
  matches: ReadonlySet<number>,
): TextSegment[] {
  const out: TextSegment[] = [];
  let at = 0;
  words.forEach((w, i) => {
    if (!w.t) return;
    const found = text.indexOf(w.t, at);
    if (found < 0) return;
    if (found > at) out.push({ text: text.slice(at, found), word: null, low: false, match: false });
    out.push({ text: w.t, word: i, low: w.c < LOW_CONFIDENCE, match: matches.has(i) });
    at = found + w.t.length;
  });
  if (at < text.length) out.push({ text: text.slice(at), word: null, low: false, match: false });
  return out;
}

/** A word's box as fractions of the picture read (for drawing over it at any zoom). */
export function wordRect(w: ReadWord, width: number, height: number): FractionRect {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const x = clamp(w.x / width);
  const y = clamp(w.y / height);
  return { x, y, w: clamp((w.x + w.w) / width) - x, h: clamp((w.y + w.h) / height) - y };
}

/** The boxes of the matched words, or none when the reading has no size. */
export function matchRects(r: PictureReading | null, matches: readonly number[]): FractionRect[] {
  if (!r?.width || !r.height) return [];
  return matches.flatMap((i) => {
    const w = r.words[i];
    return w ? [wordRect(w, r.width!, r.height!)] : [];
  });
}
