/**
 * The adviser's side of a review in the app (docs/review-format.md): their review store,
 * unlocked with their passphrase, and the review of the bundle open for review. Held by the
 * service while a bundle is open; locked with it (close, lock, idle lock).
 */
import { isAbsolute } from 'node:path';
import type { z } from 'zod';
import type { adviserReviewState } from '../../../shared/contract';
import type { ReviewChange, ReviewTarget } from '../../../shared/review';
import { DossierError } from '../errors';
import { assertPassphraseStrong } from '../keys/passphrase-policy';
import type { ReviewedBundle } from './reviewed-bundle';
import type { SentReview } from './send';
import { ReviewStore, type Review } from './store';

export type AdviserReviewState = z.infer<typeof adviserReviewState>;

export class AdviserSession {
  private store: ReviewStore | null = null;
  private review: Review | null = null;

  /**
   * `dir`: the adviser's review store folder (beside the vault folder: `Reviews/`); `bundle`:
   * the bundle open for review, which this session's review is about.
   */
  constructor(
    readonly dir: string,
    private readonly bundle: ReviewedBundle,
  ) {}

  async state(): Promise<AdviserReviewState> {
    const store = this.store;
    return {
      store: store ? 'unlocked' : (await ReviewStore.exists(this.dir)) ? 'locked' : 'none',
      folder: this.dir,
      fingerprint: store?.fingerprint ?? null,
      reviewer: store?.reviewer ?? { name: null, organisation: null },
      entries: [...(this.review?.entries() ?? [])],
      head: this.review?.head ?? null,
      // What a change can be about: the exhibits by label, in the bundle's order.
      exhibits: this.bundle.exhibits.map(({ label, itemId, sha256, name }) => ({
        label,
        itemId,
        sha256,
        name,
      })),
    };
  }

  /** Unlocks (or, with `create`, makes) the store and opens `bundle`'s review in it. */
  async unlock(
    passphrase: string,
    create: boolean,
    acceptWeakPassphrase?: string,
  ): Promise<AdviserReviewState> {
    this.lock();
    const exists = await ReviewStore.exists(this.dir);
    if (create && exists) {
      throw new DossierError(
        'USAGE',
        'You already have a review store on this computer: unlock it with its passphrase.',
      );
    }
    if (!create && !exists) {
      throw new DossierError(
        'USAGE',
        'You have no review store on this computer yet: choose a passphrase to make one.',
      );
    }
    if (create) assertPassphraseStrong(passphrase, acceptWeakPassphrase);
    const store = create
      ? await ReviewStore.create(this.dir, passphrase)
      : await ReviewStore.unlock(this.dir, passphrase);
    try {
      this.review = await store.openReview(this.bundle);
    } catch (e) {
      store.lock();
      throw e;
    }
    this.store = store;
    return this.state();
  }

  async record(target: ReviewTarget, change: ReviewChange): Promise<AdviserReviewState> {
    await this.open().record(target, change);
    return this.state();
  }

  async setReviewer(reviewer: {
    name: string | null;
    organisation: string | null;
  }): Promise<AdviserReviewState> {
    this.open();
    await this.store!.setReviewer(reviewer);
    return this.state();
  }

  async send(out: string, passphrase?: string): Promise<SentReview> {
    if (!isAbsolute(out)) {
      throw new DossierError(
        'USAGE',
        `Refused "${out.slice(0, 200)}": say where to save the review by its full path.`,
      );
    }
    return this.open().send({ out, ...(passphrase === undefined ? {} : { passphrase }) });
  }

  lock(): void {
    this.review = null;
    this.store?.lock();
    this.store = null;
  }

  private open(): Review {
    if (!this.review) {
      throw new DossierError(
        'LOCKED',
        'Your review store is locked. Unlock it with your passphrase to review this bundle.',
      );
    }
    return this.review;
  }
}
