import { displayName } from '../../../../shared/display-name';
import { dateText } from '../../format';
import type { ReviewSummary } from '../../stores/session';

/**
 * Words and marks for a bundle open for review, from session.status's `review`. While
 * reviewing, an item's `blob` is its file's path in the bundle, which is what a problem
 * names: that is how a library tile or an item finds it failed.
 */

/** File in the bundle → the exhibit labels an error about that file concerns. */
export function failingFiles(review: ReviewSummary | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!review) return out;
  for (const p of review.problems) {
    if (p.severity !== 'error' || p.file === null || p.exhibits.length === 0) continue;
    out.set(p.file, [...new Set([...(out.get(p.file) ?? []), ...p.exhibits])]);
  }
  return out;
}

/** The exhibit labels ("JD3") if this item's file failed verification, else null. */
export function failingLabels(
  review: ReviewSummary | null,
  item: { blob: string } | null,
): string[] | null {
  if (!review || !item) return null;
  return failingFiles(review).get(item.blob) ?? null;
}

export const NOT_MATCHING = "This file does not match the bundle's manifest: do not rely on it.";

/** Who made the bundle, in words: the exporter the bundle names, else said plainly. */
export function exporterText(review: ReviewSummary): string {
  const name = review.exporter?.trim();
  return name ? displayName(name) : 'an exporter the bundle does not name';
}

/** "Reviewing R v Unknown — a bundle made by Jane Doe MP on 4 Dec 2026; read-only". */
export function bannerTitle(review: ReviewSummary): string {
  // bag-info.txt's date is the bundle's word: one that is not a date is shown escaped.
  const when = review.exportedAt ? ` on ${displayName(dateText(review.exportedAt))}` : '';
  const caseName = displayName(review.caseName.trim() || review.bagName);
  return `Reviewing ${caseName} — a bundle made by ${exporterText(review)}${when}; read-only`;
}

/** "Compare this fingerprint with the one Jane Doe MP gave you by phone or letter". */
export function compareText(review: ReviewSummary): string {
  const who = review.exporter?.trim() ? displayName(review.exporter.trim()) : 'the exporter';
  return `Compare this fingerprint with the one ${who} gave you by phone or letter.`;
}

/** One problem as a line: its file first (escaped), then what is wrong. */
export function problemText(p: ReviewSummary['problems'][number]): string {
  const labels = p.exhibits.length ? ` (exhibit ${p.exhibits.join(', ')})` : '';
  if (!p.file) return `${displayName(p.message)}${labels}`;
  // verify's messages often start with the file already: it is said once.
  const message = p.message.startsWith(`${p.file}: `)
    ? p.message.slice(p.file.length + 2)
    : p.message;
  return `${displayName(p.file)}${labels}: ${displayName(message)}`;
}
