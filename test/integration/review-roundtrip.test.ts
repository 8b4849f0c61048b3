// Issue 14 end to end through the API: the client exports; the adviser opens the bundle for
// review (here the .zip.age), makes a review store, sets statuses and comments, sends the
// review; the client imports it and sees the comments on her items. The adviser's store
// holds no plaintext comment; a lock closes the store with the bundle; a wrong passphrase
// and a weak new one are refused.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DossierService } from '../../main/core/api/service';
import type { ReviewEntry } from '../../shared/review';
import { BUNDLE_PASSPHRASE, makeReviewBundles, type ReviewBundles } from '../support/review-bundle';
import { failure, ok, type Reply } from '../support/service';
import { tempDir } from '../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

const ADVISER_PASSPHRASE = 'Smith and Co review store, 2026 edition';
const MARKER = 'Quokka-comment-marker-7731';

interface State {
  store: 'none' | 'locked' | 'unlocked';
  fingerprint: string | null;
  entries: ReviewEntry[];
  head: string | null;
  exhibits: { label: string; itemId: string; sha256: string; name: string }[];
}

function caller(service: DossierService) {
  return (method: string, args: unknown = {}) =>
    service.call(method, args, null, () => undefined) as Promise<Reply>;
}

describe('a review from bundle to adviser and back to the client', () => {
  let root: string;
  let bundles: ReviewBundles;
  let reviews: string;
  let adviser: ReturnType<typeof caller>;

  beforeAll(async () => {
    root = await tempDir();
    bundles = await makeReviewBundles(root);
    reviews = join(root, 'adviser', 'Reviews');
    adviser = caller(new DossierService(join(root, 'adviser', 'vault'), { reviewsDir: reviews }));
  });

  it('the adviser reviews, sends; the client imports and sees the comments beside her items', async () => {
    // Nothing to review before a bundle is open.
    expect((await failure(adviser('review.state'))).message).toMatch(
      /Open a bundle for review first/,
    );
    await ok(adviser('review.open', { path: bundles.age, passphrase: BUNDLE_PASSPHRASE }));
    let state = await ok<State>(adviser('review.state'));
    // Where the review is kept, to say so: the adviser's store folder, never the bundle.
    expect(state).toMatchObject({ store: 'none', folder: reviews, fingerprint: null, entries: [] });
    expect(state.exhibits.map((e) => e.label)).toEqual(['JD1', 'JD2', 'JD3', 'JD4']);
    // Locked: nothing is recorded; a new store refuses a weak passphrase.
    const [jd1, jd2, jd3] = state.exhibits as [
      State['exhibits'][0],
      State['exhibits'][0],
      State['exhibits'][0],
    ];
    const target = (e: typeof jd1) => ({
      kind: 'exhibit',
      exhibit: e.label,
      itemId: e.itemId,
      sha256: e.sha256,
    });
    expect(
      (
        await failure(
          adviser('review.record', {
            target: target(jd1),
            change: { op: 'status', value: 'relevant' },
          }),
        )
      ).code,
    ).toBe('LOCKED');
    expect(
      (await failure(adviser('review.unlock', { passphrase: 'password1', create: true }))).message,
    ).toMatch(/guess/i);
    state = await ok<State>(
      adviser('review.unlock', { passphrase: ADVISER_PASSPHRASE, create: true }),
    );
    expect(state.store).toBe('unlocked');
    expect(state.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);

    const changes: [unknown, unknown][] = [
      [target(jd1), { op: 'status', value: 'relevant' }],
      [target(jd1), { op: 'comment', value: `Strong: the threat is plain. ${MARKER}` }],
      [target(jd2), { op: 'status', value: 'need-original' }],
      [target(jd3), { op: 'status', value: 'not-relevant' }],
      [
        { kind: 'incident', incidentId: bundles.ids.incident },
        { op: 'questions', value: ['Did you report this to the police?'] },
      ],
      [{ kind: 'bundle' }, { op: 'comment', value: 'Overall: a course of conduct is shown.' }],
    ];
    for (const [t, change] of changes)
      state = await ok<State>(adviser('review.record', { target: t, change }));
    expect(state.entries).toHaveLength(changes.length);
    // An exhibit the bundle does not hold is refused.
    const forged = { ...target(jd1), sha256: '0'.repeat(64) };
    expect(
      (
        await failure(
          adviser('review.record', { target: forged, change: { op: 'status', value: 'relevant' } }),
        )
      ).code,
    ).toBe('USAGE');
    await ok(adviser('review.setReviewer', { name: 'A. Solicitor', organisation: 'Smith & Co' }));

    // The store on disk holds no plaintext comment.
    for (const f of await readdir(reviews)) {
      expect((await readFile(join(reviews, f))).includes(MARKER), f).toBe(false);
    }

    const sent = await ok<{ path: string; fingerprint: string; entries: number }>(
      adviser('review.send', { out: join(root, 'adviser') }),
    );
    expect(sent).toMatchObject({ fingerprint: state.fingerprint, entries: changes.length });
    expect(sent.path).toMatch(/review-.*\.zip$/);

    // A lock closes the bundle and the store; opened again, the review is still there.
    await ok(adviser('session.lock'));
    expect((await failure(adviser('review.state'))).code).toBe('USAGE');
    await ok(adviser('review.open', { path: bundles.age, passphrase: BUNDLE_PASSPHRASE }));
    expect((await ok<State>(adviser('review.state'))).store).toBe('locked');
    expect(
      (await failure(adviser('review.unlock', { passphrase: 'not the passphrase at all' }))).code,
    ).toBe('WRONG_PASSPHRASE');
    const again = await ok<State>(adviser('review.unlock', { passphrase: ADVISER_PASSPHRASE }));
    expect(again.head).toBe(state.head);
    // Another export of the same case is another bundle: a review of its own, empty.
    await ok(adviser('review.open', { path: bundles.folder }));
    await ok(adviser('review.unlock', { passphrase: ADVISER_PASSPHRASE }));
    expect((await ok<State>(adviser('review.state'))).entries).toEqual([]);

    // The client imports it into her vault and sees the comments beside her items.
    const client = caller(
      new DossierService(join(root, 'vault'), { kdf: TEST_KDF, readPicturesInBackground: false }),
    );
    await ok(client('session.unlock', { passphrase: PASSPHRASE }));
    const imported = await ok<{ fingerprint: string | null; signed: boolean }>(
      client('adviserReviews.import', { path: sent.path }),
    );
    expect(imported).toMatchObject({ fingerprint: sent.fingerprint, signed: true });
    const about = await ok<{ statusWords: string | null; comment: string }[]>(
      client('adviserReviews.about', { itemId: bundles.ids.screenshot }),
    );
    expect(about).toEqual([
      expect.objectContaining({
        statusWords: 'Relevant',
        comment: expect.stringContaining(MARKER),
      }),
    ]);
    const incident = await ok<{ questions: string[] }[]>(
      client('adviserReviews.about', { incidentId: bundles.ids.incident }),
    );
    expect(incident[0]!.questions).toEqual(['Did you report this to the police?']);
  });
});
