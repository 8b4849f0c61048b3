// `dossier redact ID --box X,Y,W,H:REASON`: a box in fractions (0 to 1) of the picture as
// shown, as region marks are given, and its reason; `other:WORDS` states another reason.
import { REDACTION_REASONS, type RedactionBox } from '../../shared/redaction';
import { DossierError } from '../core';
import { redactionBoxInMillionths } from '../core/redaction/copy-records';
import { splitGivenArea } from './redaction-area';

// 0.7 + 0.3 is 0.9999999999999999 or 1.0000000000000002 in floating point.
const EDGE = 1 + 1e-9;

function refuse(given: string, why: string): never {
  throw new DossierError(
    'USAGE',
    `--box ${given.slice(0, 80)}: ${why}. A box is X,Y,W,H:REASON with X, Y, W and H fractions (0 to 1) of the picture's width and height from its top left corner, and REASON one of ${REDACTION_REASONS.join(', ')} (other:WORDS for another reason).`,
  );
}

export function parseRedactionBox(given: string): RedactionBox {
  const { numbers, reason, otherReason } = splitGivenArea(given, (why) => refuse(given, why));
  if (numbers.length !== 4) refuse(given, 'it needs four numbers, X,Y,W,H');
  const [x, y, w, h] = numbers.map((n) =>
    /^\s*\d*\.?\d+(e-?\d+)?\s*$/i.test(n) ? Number(n) : NaN,
  ) as [number, number, number, number];
  if (![x, y, w, h].every(Number.isFinite))
    refuse(given, 'X, Y, W and H must be numbers from 0 to 1');
  if (x > 1 || y > 1) refuse(given, 'it starts outside the picture');
  if (w <= 0 || h <= 0) refuse(given, 'it has no size');
  if (x + w > EDGE) refuse(given, 'it goes past the right edge of the picture');
  if (y + h > EDGE) refuse(given, 'it goes past the bottom edge of the picture');
  try {
    return redactionBoxInMillionths({ x, y, w, h, reason, otherReason }, 1);
  } catch (e) {
    refuse(
      given,
      e instanceof Error ? e.message.replace(/^Box 1 /, 'it ').replace(/\.$/, '') : String(e),
    );
  }
}
