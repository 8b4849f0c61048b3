/**
 * The window's "give me exhibit X's original (or preview), maybe a byte range of it" for a
 * bundle opened for review: the same answers and headers as a vault's (serve/evidence-
 * response.ts), the bytes read in place from the bundle (a .zip.age decrypted in memory),
 * previews made in memory. A file that failed verification is never served as the exhibit.
 */
import { ID_PATTERN } from '../ids';
import {
  inlineContentType,
  rangedResponse,
  refusal,
  THUMBNAIL_TYPE,
  type EvidenceKind,
  type EvidenceResponse,
} from '../serve/evidence-response';
import { DossierError, isDossierError } from '../errors';
import type { ReviewWorkspace } from './workspace';

const NOT_FOUND = 'There is no such exhibit in this bundle.';

export async function reviewEvidenceResponse(
  ws: ReviewWorkspace,
  itemId: string,
  what: EvidenceKind,
  range: string | null,
): Promise<EvidenceResponse> {
  if ((what as string) !== 'original' && (what as string) !== 'thumbnail') {
    return refusal(400, 'Ask for "original" or "thumbnail".');
  }
  if (!ID_PATTERN.test(itemId)) return refusal(404, NOT_FOUND);
  let exhibit;
  try {
    exhibit = ws.byId(itemId);
  } catch (e) {
    if (isDossierError(e, 'LOCKED'))
      return refusal(423, 'The bundle opened for review was closed.');
    throw e;
  }
  if (exhibit === null) return refusal(404, NOT_FOUND);
  try {
    ws.assertTrusted(exhibit);
  } catch (e) {
    return refusal(403, (e as Error).message);
  }
  if (what === 'thumbnail') {
    const jpeg = await ws.thumbnail(itemId);
    if (jpeg === null) return refusal(404, 'This exhibit has no preview.');
    return rangedResponse(jpeg.length, range, THUMBNAIL_TYPE, (s, e) => ({
      async *[Symbol.asyncIterator]() {
        yield jpeg.subarray(s, e);
      },
    }));
  }
  const type = inlineContentType(exhibit.mime);
  if (type === null) {
    return refusal(
      403,
      'This kind of file is not shown in the window, so that nothing in it can run. Write it out with `dossier review cat` and open it another way.',
    );
  }
  const size = exhibit.size;
  return rangedResponse(size, range, type, (start, end) => ({
    async *[Symbol.asyncIterator]() {
      let sent = 0;
      for await (const piece of ws.range(itemId, start, end)) {
        sent += piece.length;
        yield piece;
      }
      // The file changed on disk since it was verified: end with an error, never a short body.
      if (sent !== end - start) {
        throw new DossierError(
          'INTEGRITY',
          `Exhibit ${exhibit.label}'s file became shorter since the bundle was verified (${sent} of ${end - start} bytes).`,
        );
      }
    },
  }));
}
