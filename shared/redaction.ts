/**
 * Redaction (docs/redaction.md): the reasons a part of a picture or a text may be covered
 * before it is disclosed, as the app, the CLI, the report and the redaction schedule name them.
 * Each covered part needs a stated reason (CPR PD 57AD para 16).
 */
export const REDACTION_REASONS = [
  'address',
  'third-party',
  'children',
  'irrelevant',
  'privileged',
  'other',
] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

export const REDACTION_REASON_WORDS: Record<RedactionReason, string> = {
  address: 'Personal address',
  'third-party': 'A third party’s details',
  children: 'Children’s details',
  irrelevant: 'Irrelevant and confidential',
  privileged: 'Privileged',
  other: 'Other',
};

/** "other" needs words of its own; this many characters at most. */
export const REDACTION_OTHER_MAX = 500;

/**
 * One covered area of a picture: its box in whole millionths (0–1,000,000) of the width and
 * height, from the top left corner, as region marks are stored, and why it is covered.
 */
export interface RedactionBox {
  x: number;
  y: number;
  w: number;
  h: number;
  reason: RedactionReason;
  /** The stated reason in words when `reason` is "other"; null otherwise. */
  otherReason: string | null;
}

/** The reason in words, as the schedule prints it. */
export function redactionReasonText(box: Pick<RedactionBox, 'reason' | 'otherReason'>): string {
  return box.reason === 'other' && box.otherReason
    ? `Other: ${box.otherReason}`
    : REDACTION_REASON_WORDS[box.reason];
}
