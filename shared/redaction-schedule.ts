/**
 * The redaction schedule of a disclosure bundle (docs/redaction.md, "Disclosure"): each covered
 * area of a copy, a box of a picture or a span of a text, said in words by one function, so that
 * the report, the CSV and the viewer say it alike.
 */
import { redactionReasonText, type RedactionBox } from './redaction';

/** A span of text covered in a text copy: characters [start, end) of the original's text. */
export interface RedactionSpan {
  start: number;
  end: number;
  reason: RedactionBox['reason'];
  otherReason: string | null;
}

/** A covered area as the `redactions` table stores it: a box (in millionths) or a span. */
export type RedactionArea = RedactionBox | RedactionSpan;

export function isRedactionSpan(a: RedactionArea): a is RedactionSpan {
  return 'start' in a && 'end' in a;
}

const percent = (millionths: number): string =>
  `${(millionths / 10_000).toFixed(1).replace(/\.0$/, '')}%`;

/**
 * Where an area is, in words: "box 10% from the left, 20% from the top, 30% wide, 5% high" or
 * "characters 120 to 145". A box is a place on the picture, never a place on a map.
 */
export function redactionAreaPlace(a: RedactionArea): string {
  if (isRedactionSpan(a)) return `characters ${a.start} to ${a.end}`;
  return `box ${percent(a.x)} from the left, ${percent(a.y)} from the top, ${percent(a.w)} wide, ${percent(a.h)} high`;
}

/** "Area 2: Personal address (box 10% from the left, …)". */
export function redactionAreaText(a: RedactionArea, n: number): string {
  return `Area ${n}: ${redactionReasonText(a)} (${redactionAreaPlace(a)})`;
}

/** "2 areas covered (Personal address; Children’s details)". */
export function areasCoveredText(areas: readonly RedactionArea[]): string {
  const reasons = [...new Set(areas.map((a) => redactionReasonText(a)))];
  return `${areas.length} area${areas.length === 1 ? '' : 's'} covered (${reasons.join('; ')})`;
}

/** What a disclosed copy is, in one line: "Redacted copy: 2 areas covered (…)". */
export function disclosedCopyText(copy: {
  kind: 'redacted' | 'without-location';
  areas: readonly RedactionArea[];
}): string {
  if (copy.kind === 'without-location')
    return 'Copy without location: location and device details removed';
  return `Redacted copy: ${areasCoveredText(copy.areas)}`;
}

/** The columns of data/metadata/redactions.csv, in order (docs/bundle-format.md). */
export const SCHEDULE_COLUMNS = [
  'exhibit',
  'file',
  'copy_sha256',
  'original_sha256',
  'original_item_id',
  'copy',
  'area',
  'reason',
  'where',
  'made_at',
  'made_by',
  'custody_entry',
] as const;
