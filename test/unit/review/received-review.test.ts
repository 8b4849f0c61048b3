// A received review, damaged at random: every damage is refused with a DossierError (never a
// crash, never another kind of error), or, when it touched only bytes nothing relies on (a
// zip timestamp), the review read is exactly the one signed (for a viewer's unsigned review:
// its entries are exactly those written).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDossierError } from '../../../main/core/errors';
import { readReceivedReview } from '../../../main/core/review/received-review';
import {
  adviserKey,
  chainEntries,
  reviewFile,
  reviewZipFiles,
  viewerReviewJson,
  zipOf,
} from '../../support/adviser-review';

const key = adviserKey();
const review = reviewFile(
  {
    tagManifestSha256: 'ab'.repeat(32),
    bagName: 'Harassment-20261206',
    caseName: 'Harassment',
    signingKeyFingerprint: key.fingerprint,
  },
  chainEntries([
    { target: { kind: 'bundle' }, op: 'comment', value: 'Overall fine.' },
    { target: { kind: 'incident', incidentId: 'i1' }, op: 'status', value: 'relevant' },
  ]),
);

async function outcome(name: string, data: Buffer): Promise<'refused' | 'same'> {
  try {
    const r = await readReceivedReview({ name, data }, { passphrase: 'p' });
    expect(r.review).toEqual(review);
    return 'same';
  } catch (e) {
    if (!isDossierError(e)) throw e;
    return 'refused';
  }
}

describe('a received review, damaged at random', () => {
  it('a zip: flipped bytes and cuts are refused, or change nothing signed', async () => {
    const zip = await zipOf(reviewZipFiles(review, key));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(zip.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.option(fc.nat(zip.length - 1)),
        async (flips, cut) => {
          const bad = Buffer.from(zip);
          for (const [at, x] of flips) bad[at] = bad[at]! ^ x;
          await outcome('review.zip', cut === null ? bad : bad.subarray(0, cut));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a viewer review.json: any flipped byte is refused or leaves the entries as written', async () => {
    const json = viewerReviewJson(review);
    const viewer = { ...review, madeIn: 'viewer' as const };
    await fc.assert(
      fc.asyncProperty(fc.nat(json.length - 1), fc.integer({ min: 1, max: 255 }), async (at, x) => {
        const bad = Buffer.from(json);
        bad[at] = bad[at]! ^ x;
        try {
          // Unsigned: only the entries are bound (by their chain); the bundle it names is
          // checked by the import against the vault's exports, and the reviewer is unchecked.
          const r = await readReceivedReview({ name: 'review.json', data: bad });
          expect(r.review.entries).toEqual(viewer.entries);
          expect(r.signed).toBe(false);
        } catch (e) {
          if (!isDossierError(e)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
