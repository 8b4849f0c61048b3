/**
 * The adviser's review store (docs/review-format.md, "The adviser's review store"): one
 * folder per adviser, holding a passphrase key slot (the vault's machinery), the reviewer's
 * name, and one review per bundle, each encrypted with age to the store's own key and named
 * by the bundle's tag-manifest SHA-256. Every change to a review is one hash-chained entry,
 * on disk (fsync) before record() returns (store-review.ts).
 */
import { randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DossierError } from '../errors';
import { asIoError, writeFileAtomic } from '../fs-safety';
import {
  assertPassphraseAcceptable,
  DEFAULT_ARGON2,
  makePassphraseSlot,
  openPassphraseSlot,
  type Argon2Params,
} from '../keys/slots';
import {
  REVIEW_GENESIS,
  REVIEW_LIMITS,
  reviewChainBreak,
  type ReviewBundleRef,
  type ReviewEntry,
} from '../../../shared/review';
import { BROKEN_TEXT, brokenText, firstIssue, Review, sha256Hex, usage } from './store-review';
import type { ReviewedBundle } from './reviewed-bundle';
import {
  bundleRefSchema,
  draftSchema,
  DRAFT_FORMAT,
  fileId,
  headerCheck,
  readReviewer,
  readStored,
  readStoreHeader,
  REVIEW_FILE,
  REVIEW_STORE_FORMAT,
  REVIEW_STORE_VERSION,
  REVIEWER_FILE,
  REVIEWER_FORMAT,
  seal,
  STORE_HEADER_FILE,
  storeDamaged,
  unseal,
  type Reviewer,
  type StoreHeader,
} from './store-files';
import { keyFingerprint, ReviewStoreKeys } from './store-keys';

export { Review } from './store-review';
export { REVIEWER_FILE, STORE_HEADER_FILE, type Reviewer } from './store-files';

export interface ReviewStoreOptions {
  /** Argon2id cost of the passphrase slot; default the vault's (m = 256 MiB, t = 3). */
  kdf?: Argon2Params;
}

/** One review in the store, as list() finds it. */
export type StoredReview =
  | {
      tagManifestSha256: string;
      bundle: ReviewBundleRef;
      entries: number;
      updatedAt: string | null;
    }
  | { tagManifestSha256: string; damaged: string };

// ---- The store ----

export class ReviewStore {
  private locked = false;
  private readonly open = new Map<string, Review>();

  private constructor(
    readonly dir: string,
    readonly storeId: string,
    private readonly keys: ReviewStoreKeys,
    private reviewerValue: Reviewer,
  ) {}

  /** Creates a store in a new or empty folder (the app's `Reviews/` beside the vault). */
  static async create(
    dirPath: string,
    passphrase: string,
    options: ReviewStoreOptions = {},
  ): Promise<ReviewStore> {
    assertPassphraseAcceptable(passphrase);
    const dir = resolve(dirPath);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // A header half-written by a create that crashed is not a store: it may go.
      await rm(join(dir, `${STORE_HEADER_FILE}.tmp`), { force: true });
      const existing = await readdir(dir);
      if (existing.length > 0)
        throw usage(
          existing.includes(STORE_HEADER_FILE)
            ? `There is already a review store in ${dir}. Unlock it instead.`
            : `${dir} is not empty. Choose a new or empty folder for the review store.`,
        );
    } catch (e) {
      throw asIoError(e, dir);
    }
    const storeId = randomUUID();
    const masterKey = randomBytes(32);
    try {
      const slot = await makePassphraseSlot(
        storeId,
        masterKey,
        passphrase,
        options.kdf ?? DEFAULT_ARGON2,
      );
      const body: Omit<StoreHeader, 'check'> = {
        format: REVIEW_STORE_FORMAT,
        version: REVIEW_STORE_VERSION,
        storeId,
        slots: [slot],
      };
      const header: StoreHeader = { ...body, check: headerCheck(body) };
      const keys = new ReviewStoreKeys(masterKey);
      await writeFileAtomic(join(dir, STORE_HEADER_FILE), `${JSON.stringify(header, null, 2)}\n`);
      return new ReviewStore(dir, storeId, keys, { name: null, organisation: null });
    } finally {
      masterKey.fill(0);
    }
  }

  static async unlock(dirPath: string, passphrase: string): Promise<ReviewStore> {
    const dir = resolve(dirPath);
    const header = await readStoreHeader(join(dir, STORE_HEADER_FILE));
    let masterKey: Buffer | null = null;
    for (const slot of header.slots) {
      masterKey = await openPassphraseSlot(header.storeId, slot, passphrase);
      if (masterKey) break;
    }
    if (!masterKey)
      throw new DossierError(
        'WRONG_PASSPHRASE',
        'That passphrase does not open this review store, so it stayed locked and nothing was changed. Check Caps Lock and the keyboard layout, and try again.',
      );
    let keys: ReviewStoreKeys;
    try {
      keys = new ReviewStoreKeys(masterKey);
    } finally {
      masterKey.fill(0);
    }
    try {
      // What a write stopped by a crash left: never a review, only its half-written copy.
      for (const name of await readdir(dir))
        if (
          name.endsWith('.tmp') &&
          (REVIEW_FILE.test(name.slice(0, -4)) || name === `${REVIEWER_FILE}.tmp`)
        )
          // On a read-only disk it stays; it is never read.
          await rm(join(dir, name), { force: true }).catch(() => undefined);
      const reviewer = await readReviewer(dir, header.storeId, keys);
      return new ReviewStore(dir, header.storeId, keys, reviewer);
    } catch (e) {
      keys.wipe();
      throw asIoError(e, dir);
    }
  }

  /**
   * Replaces the passphrase. Only the key slot is rewritten (one atomic write of the header):
   * the keys, and so the adviser's fingerprint and every review, stay as they are.
   */
  async changePassphrase(
    current: string,
    next: string,
    options: ReviewStoreOptions = {},
  ): Promise<void> {
    this.assertOpen();
    assertPassphraseAcceptable(next);
    const path = join(this.dir, STORE_HEADER_FILE);
    const header = await readStoreHeader(path);
    if (header.storeId !== this.storeId)
      throw storeDamaged(path, 'it is the header of another review store');
    let masterKey: Buffer | null = null;
    for (const slot of header.slots) {
      masterKey = await openPassphraseSlot(header.storeId, slot, current);
      if (masterKey) break;
    }
    if (!masterKey)
      throw new DossierError(
        'WRONG_PASSPHRASE',
        'That is not the review store’s current passphrase, so the passphrase was not changed.',
      );
    try {
      const body: Omit<StoreHeader, 'check'> = {
        format: REVIEW_STORE_FORMAT,
        version: REVIEW_STORE_VERSION,
        storeId: this.storeId,
        slots: [
          await makePassphraseSlot(this.storeId, masterKey, next, options.kdf ?? DEFAULT_ARGON2),
        ],
      };
      await writeFileAtomic(
        path,
        `${JSON.stringify({ ...body, check: headerCheck(body) }, null, 2)}\n`,
      );
    } finally {
      masterKey.fill(0);
    }
  }

  /** Whether `dir` holds a review store (its header file). */
  static async exists(dirPath: string): Promise<boolean> {
    return lstat(join(resolve(dirPath), STORE_HEADER_FILE)).then(
      () => true,
      () => false,
    );
  }

  /** The adviser's signing-key fingerprint: the same for every review from this store. */
  get fingerprint(): string {
    this.assertOpen();
    return keyFingerprint(this.keys.signingPublicKey);
  }

  publicKeyPem(): string {
    this.assertOpen();
    return this.keys.signingPublicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Signs `data` with the adviser's Ed25519 key (a review zip's manifest). */
  sign(data: Buffer): Buffer {
    this.assertOpen();
    return signEd25519(data, this.keys.signingKey);
  }

  /**
   * The store's age identity (AGE-SECRET-KEY-1…), with which `age -d -i` opens every file of
   * the store: the escape hatch, for the adviser only.
   */
  revealAgeIdentity(): string {
    this.assertOpen();
    return this.keys.identity.toString();
  }

  get reviewer(): Reviewer {
    return { ...this.reviewerValue };
  }

  /** Sets the name and organisation printed on reviews; "" or null clears one. */
  async setReviewer(reviewer: Reviewer): Promise<void> {
    this.assertOpen();
    const next: Reviewer = { name: null, organisation: null };
    for (const field of ['name', 'organisation'] as const) {
      const v: unknown = reviewer[field];
      if (v !== null && typeof v !== 'string') throw usage(`The reviewer's ${field} must be text.`);
      if (typeof v === 'string') {
        if (v.length > REVIEW_LIMITS.name)
          throw usage(
            `The reviewer's ${field} is ${v.length.toLocaleString('en-GB')} characters long; at most ${REVIEW_LIMITS.name} are allowed.`,
          );
        if (brokenText(v)) throw usage(`The reviewer's ${field} ${BROKEN_TEXT}`);
        next[field] = v === '' ? null : v;
      }
    }
    const path = join(this.dir, REVIEWER_FILE);
    await writeFileAtomic(
      path,
      seal(this.keys, {
        format: REVIEWER_FORMAT,
        version: 1,
        storeId: this.storeId,
        ...next,
      }),
    );
    this.reviewerValue = next;
  }

  /** The reviews in the store, by bundle hash; a damaged one says so instead. */
  async list(): Promise<StoredReview[]> {
    this.assertOpen();
    const out: StoredReview[] = [];
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      throw asIoError(e, this.dir);
    }
    for (const name of names.sort()) {
      const m = REVIEW_FILE.exec(name);
      if (!m) continue;
      const sha = m[1]!;
      try {
        const draft = await this.readDraft(sha);
        if (!draft) continue; // removed since the folder was listed
        out.push({
          tagManifestSha256: sha,
          bundle: draft.bundle,
          entries: draft.entries.length,
          updatedAt: draft.entries.at(-1)?.at ?? null,
        });
      } catch (e) {
        if (!(e instanceof DossierError)) throw e;
        out.push({ tagManifestSha256: sha, damaged: e.message });
      }
    }
    return out;
  }

  /**
   * The review of a bundle: the one in the store, or a new, empty one (written at its first
   * change). A damaged review file is an error naming it, and is left as it is.
   */
  async openReview(bundle: ReviewedBundle): Promise<Review> {
    this.assertOpen();
    const sha = bundle.ref.tagManifestSha256;
    // A bundle whose review could not be sent (or read back) is refused now, not after work.
    const ref = bundleRefSchema.safeParse(bundle.ref);
    if (!ref.success)
      throw usage(
        firstIssue(
          ref.error,
          'This bundle cannot be reviewed: what identifies it is not usable',
        ).replace(
          /\.$/,
          '. A review names the bundle by these, and the client’s import checks them.',
        ),
      );
    const already = this.open.get(sha);
    if (already) return already;
    const draft = await this.readDraft(sha);
    const review = new Review(this, bundle, draft?.entries ?? [], draft?.fileId ?? null);
    this.open.set(sha, review);
    return review;
  }

  /** Forgets the keys; the store must be unlocked again to be used. */
  lock(): void {
    if (this.locked) return;
    this.locked = true;
    this.keys.wipe();
    this.open.clear();
  }

  get isLocked(): boolean {
    return this.locked;
  }

  // ---- Internals shared with Review ----

  /** @internal */
  assertOpen(): void {
    if (this.locked)
      throw new DossierError(
        'LOCKED',
        'The review store is locked. Unlock it with your passphrase.',
      );
  }

  /** @internal The path of a bundle's review file. */
  reviewPath(sha: string): string {
    return join(this.dir, `${sha}.age`);
  }

  /** @internal Reads a review file, or null when there is none. */
  async readDraft(
    sha: string,
  ): Promise<{ bundle: ReviewBundleRef; entries: ReviewEntry[]; fileId: string } | null> {
    const path = this.reviewPath(sha);
    const damaged = (detail: string): DossierError =>
      new DossierError(
        'CORRUPT',
        `The review of bundle ${sha.slice(0, 12)}… (${path}) is damaged: ${detail}. Nothing was changed, and nothing more is written to it; restore the file from a backup.`,
      );
    const bytes = await readStored(path, REVIEW_LIMITS.fileBytes, damaged);
    if (bytes === null) return null;
    const content = unseal(this.keys, bytes, damaged);
    const parsed = draftSchema.safeParse(content);
    if (!parsed.success) throw damaged(firstIssue(parsed.error, 'its content is not a review'));
    const d = parsed.data;
    if (d.storeId !== this.storeId) throw damaged('it belongs to another review store');
    if (d.bundle.tagManifestSha256 !== sha)
      throw damaged('it is the review of another bundle (its name was changed)');
    const broken = reviewChainBreak(d.entries, d.head, sha256Hex);
    if (broken) throw damaged(broken);
    return { bundle: d.bundle, entries: d.entries, fileId: await fileId(path) };
  }

  /** @internal Replaces a review file, durably; `expected` guards against another writer. */
  async writeDraft(
    bundle: ReviewBundleRef,
    entries: readonly ReviewEntry[],
    expected: string | null,
  ): Promise<string> {
    this.assertOpen();
    const path = this.reviewPath(bundle.tagManifestSha256);
    const now = await fileId(path).catch(() => null);
    if (now !== expected)
      throw new DossierError(
        'USAGE',
        `The review of this bundle was changed by another Dossier window or command (${path}). Nothing was saved; open the review again to see its changes, then make yours.`,
      );
    const content = {
      format: DRAFT_FORMAT,
      version: 1,
      storeId: this.storeId,
      bundle,
      entries,
      head: entries.at(-1)?.hash ?? REVIEW_GENESIS,
    };
    await writeFileAtomic(path, seal(this.keys, content));
    return fileId(path);
  }
}

function signEd25519(data: Buffer, key: KeyObject): Buffer {
  // Ed25519 takes no digest name: the algorithm hashes the message itself.
  return sign(null, data, key);
}
