// A covered area's reason, checked before anything is read or written (docs/redaction.md).
import {
  REDACTION_OTHER_MAX,
  REDACTION_REASONS,
  type RedactionBox,
} from '../../../shared/redaction';
import { DossierError } from '../errors';

/** Copies are made of pictures up to this size (the file as stored). */
export const MAX_COPY_SOURCE_BYTES = 256 * 1024 * 1024;

export function assertRedactionReasons(boxes: readonly RedactionBox[]): void {
  for (const [i, b] of boxes.entries()) {
    const n = `Box ${i + 1}`;
    if (!(REDACTION_REASONS as readonly string[]).includes(b.reason)) {
      throw new DossierError(
        'USAGE',
        `${n} has no reason Dossier knows ("${String(b.reason).slice(0, 40)}"); the reasons are ${REDACTION_REASONS.join(', ')}.`,
      );
    }
    if (b.reason === 'other') {
      const why = (b.otherReason ?? '').trim();
      if (!why)
        throw new DossierError('USAGE', `${n} is covered for another reason: say which, in words.`);
      if (why.length > REDACTION_OTHER_MAX)
        throw new DossierError(
          'USAGE',
          `${n}'s reason is longer than ${REDACTION_OTHER_MAX} characters.`,
        );
      // eslint-disable-next-line no-control-regex -- a reason is one line of visible text
      if (/[\u0000-\u001f\u007f-\u009f]/.test(why))
        throw new DossierError('USAGE', `${n}'s reason holds a control character.`);
    } else if (b.otherReason !== null) {
      throw new DossierError(
        'USAGE',
        `${n}'s reason is "${b.reason}": words of its own are only for "other".`,
      );
    }
  }
}
