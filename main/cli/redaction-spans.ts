// `dossier redact ID --span START,END:REASON`: a passage of an email's or text file's
// rendering (shared/redaction-text.ts), START and END in UTF-16 code units as
// `dossier redact ID --show-text` numbers them, and its reason; `other:WORDS` states another.
import { REDACTION_REASONS } from '../../shared/redaction';
import type { RedactionSpan } from '../../shared/redaction-text';
import { DossierError } from '../core';
import { splitGivenArea } from './redaction-area';

function refuse(given: string, why: string): never {
  throw new DossierError(
    'USAGE',
    `--span ${given.slice(0, 80)}: ${why}. A passage is START,END:REASON with START and END counted in characters from the start of the text as \`dossier redact ID --show-text\` numbers it (END not included), and REASON one of ${REDACTION_REASONS.join(', ')} (other:WORDS for another reason).`,
  );
}

export function parseRedactionSpan(given: string): RedactionSpan {
  const { numbers, reason, otherReason } = splitGivenArea(given, (why) => refuse(given, why));
  if (numbers.length !== 2) refuse(given, 'it needs two numbers, START,END');
  if (!numbers.every((n) => /^\s*\d{1,15}\s*$/.test(n)))
    refuse(given, 'START and END must be whole numbers from 0');
  const [start, end] = numbers.map(Number) as [number, number];
  if (end <= start) refuse(given, 'it covers nothing: END must be after START');
  return { start, end, reason, otherReason };
}
