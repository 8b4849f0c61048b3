// What `--box` and `--span` share: NUMBERS:REASON, or NUMBERS:other:WORDS, the reason one of
// the list (shared/redaction.ts). Each option says its own numbers and its own refusal.
import { REDACTION_REASONS, type RedactionReason } from '../../shared/redaction';

export interface GivenArea {
  /** The comma-separated numbers before the first colon, as typed. */
  numbers: string[];
  reason: RedactionReason;
  /** The words of `other`, null for the other reasons. */
  otherReason: string | null;
}

/** Splits `given`; `refuse` throws the option's usage error with the reason why. */
export function splitGivenArea(given: string, refuse: (why: string) => never): GivenArea {
  const colon = given.indexOf(':');
  if (colon < 0) refuse('it has no reason');
  const numbers = given.slice(0, colon).split(',');
  const rest = given.slice(colon + 1);
  const sep = rest.indexOf(':');
  const reason = (sep < 0 ? rest : rest.slice(0, sep)).trim();
  const words = sep < 0 ? null : rest.slice(sep + 1).trim();
  if (!(REDACTION_REASONS as readonly string[]).includes(reason))
    refuse(`"${reason.slice(0, 40)}" is not a reason Dossier knows`);
  if (reason === 'other' && !words) refuse('say the other reason in words: other:WORDS');
  if (reason !== 'other' && words !== null) refuse('only other takes words of its own');
  return {
    numbers,
    reason: reason as RedactionReason,
    otherReason: reason === 'other' ? words : null,
  };
}
