/**
 * Words for copies made for disclosure (docs/redaction.md): what a copy is, and whether the
 * boxes drawn for a redacted copy can be saved. Pure, so the item view and tests share them.
 */
import {
  REDACTION_OTHER_MAX,
  REDACTION_REASONS,
  redactionReasonText,
  type RedactionReason,
} from '../../../../shared/redaction';
import { displayName } from '../../../../shared/display-name';
import type { ItemDetail } from '../../stores/item';
import type { FractionRect } from './geometry';

export type CopyOf = NonNullable<ItemDetail['copyOf']>;

/** A box being drawn for a redacted copy: its reason is chosen after it is drawn. */
export interface CoverBox extends FractionRect {
  reason: RedactionReason | '';
  otherReason: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Personal address; Children’s details": each reason once, in the order first given. */
export function reasonsText(
  boxes: ReadonlyArray<{ reason: RedactionReason; otherReason: string | null }>,
): string {
  // Words typed for "other" are shown, never obeyed (bidi overrides escaped, as names are).
  return [...new Set(boxes.map((b) => displayName(redactionReasonText(b))))].join('; ');
}

/**
 * "Redacted copy of reply.png: 2 areas covered (Personal address; Children’s details)", or
 * "Copy of doorstep.jpg without its location and device details".
 */
export function copyNoteText(c: CopyOf): string {
  const of =
    c.originalName === null ? 'an item no longer in the vault' : displayName(c.originalName);
  if (c.kind === 'without-location') return `Copy of ${of} without its location and device details`;
  if (c.spans.length > 0)
    return `Redacted copy of ${of}: ${plural(c.spans.length, 'passage', 'passages')} covered (${reasonsText(c.spans)})`;
  return `Redacted copy of ${of}: ${plural(c.areas.length, 'area', 'areas')} covered (${reasonsText(c.areas)})`;
}

/** Whether an item can be redacted as text: an email (not a mailbox) or a text file. */
export function redactableAsText(mime: string): boolean {
  const m = mime.split(';')[0]!.trim().toLowerCase();
  return m === 'message/rfc822' || m === 'application/vnd.ms-outlook' || m.startsWith('text/');
}

/** A passage selected for a redacted copy of a text: its reason is chosen after. */
export interface CoverSpan {
  start: number;
  end: number;
  reason: RedactionReason | '';
  otherReason: string;
}

/** A passage's words for the list: at most `max` characters, on one line. */
export function passageExcerpt(text: string, s: { start: number; end: number }, max = 60): string {
  const words = text.slice(s.start, s.end).replace(/\s+/g, ' ').trim();
  return words.length > max ? `${words.slice(0, max - 1)}…` : words;
}

/**
 * Why a new selection [start, end) cannot be covered (in words), or null: nothing is
 * selected, or it overlaps a passage already listed (whose number is said).
 */
export function selectionProblem(
  spans: readonly CoverSpan[],
  start: number,
  end: number,
): string | null {
  if (end <= start)
    return 'Select the words to cover first: with the mouse, or with Shift and the arrow keys in the text.';
  const i = spans.findIndex((s) => start < s.end && s.start < end);
  return i >= 0
    ? `The selection overlaps passage ${i + 1}, which is already covered. Remove that one first to change it.`
    : null;
}

/** The passages in text order, as items.makeRedactedTextCopy takes them (all with reasons). */
export function coverSpansArgs(spans: readonly CoverSpan[]) {
  return [...spans]
    .sort((a, b) => a.start - b.start)
    .map((s) => ({
      start: s.start,
      end: s.end,
      reason: s.reason as RedactionReason,
      otherReason: s.reason === 'other' ? s.otherReason.trim() : null,
    }));
}

// eslint-disable-next-line no-control-regex -- a reason is one line of visible text
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why these boxes cannot be saved yet (in words, naming the box by its number), or null.
 * The vault checks again; this says it before anything is sent.
 */
export function coverBoxesProblem(boxes: readonly CoverBox[]): string | null {
  if (boxes.length === 0)
    return 'Draw at least one box over what to cover (or add one by numbers).';
  for (const [i, b] of boxes.entries()) {
    const n = `Box ${i + 1}`;
    if (!b.reason || !(REDACTION_REASONS as readonly string[]).includes(b.reason))
      return `${n} has no reason yet: choose why it is covered.`;
    if (b.reason === 'other') {
      const why = b.otherReason.trim();
      if (!why) return `${n} is covered for another reason: say which, in words.`;
      if (why.length > REDACTION_OTHER_MAX)
        return `${n}’s reason is longer than ${REDACTION_OTHER_MAX} characters.`;
      if (CONTROL.test(why)) return `${n}’s reason must be one line of text.`;
    }
  }
  return null;
}

/** The boxes as items.makeRedactedCopy takes them (after coverBoxesProblem said none). */
export function coverBoxesArgs(boxes: readonly CoverBox[]) {
  return boxes.map((b) => ({
    x: b.x,
    y: b.y,
    w: b.w,
    h: b.h,
    reason: b.reason as RedactionReason,
    otherReason: b.reason === 'other' ? b.otherReason.trim() : null,
  }));
}

/** What a copy without location leaves out and keeps, said before it is made. */
export const WITHOUT_LOCATION_TEXT = [
  'Dossier makes a new item: a copy of this picture without where it was taken (GPS) and without the other details the camera or phone wrote into the file (EXIF and XMP: the device, its settings, the times, the software).',
  'The picture itself is not changed: a JPEG, PNG or WebP keeps its image data byte for byte; another kind is saved as a PNG of the same pixels.',
  'The original is kept unchanged in the vault, and the custody log records the copy with the fingerprints of both. Export the copy to share the photo without its location.',
];
