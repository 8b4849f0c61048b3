/**
 * The adviser's review store (docs/review-format.md, "The adviser's review store"): one
 * folder per adviser, holding a passphrase key slot (the vault's machinery), the reviewer's
 * name, and one review per bundle, each encrypted with age to the store's own key and named
 * by the bundle's tag-manifest SHA-256. Every change to a review is one hash-chained entry,
 * on disk (fsync) before record() returns.
 */
import { createHash, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { decrypt, encrypt, isAgeError } from '../age';
import { DossierError } from '../errors';
import { asIoError, writeFileAtomic } from '../fs-safety';
import {
  assertPassphraseAcceptable,
  ARGON2_LIMITS,
  DEFAULT_ARGON2,
  makePassphraseSlot,
  openPassphraseSlot,
  slotDamage,
  type Argon2Params,
  type PassphraseSlot,
} from '../keys/slots';
import { canonicalJson, wellFormedText } from '../../../shared/canonical-json';
import {
  REVIEW_GENESIS,
  REVIEW_LIMITS,
  reviewChainBreak,
  reviewEntryPreimage,
  reviewState,
  reviewTargetKey,
  type ReviewBundleRef,
  type ReviewChange,
  type ReviewEntry,
  type ReviewTarget,
  type ReviewTargetState,
} from '../../../shared/review';
import {
  reviewChangeFits,
  reviewChangeSchema,
  reviewEntrySchema,
  reviewTargetSchema,
} from '../../../shared/review-schema';
import type { ReviewedBundle } from './reviewed-bundle';
import { sendReview, type SendOptions, type SentReview } from './send';
import { keyFingerprint, ReviewStoreKeys } from './store-keys';

export const REVIEW_STORE_FORMAT = 'dossier-review-store';
export const REVIEW_STORE_VERSION = 1;
/** The store's only plaintext file: format, id and key slot, nothing about any review. */
export const STORE_HEADER_FILE = 'review-store.json';
export const REVIEWER_FILE = 'reviewer.age';
const REVIEW_FILE = /^([0-9a-f]{64})\.age$/;
const DRAFT_FORMAT = 'dossier-review-draft';
const REVIEWER_FORMAT = 'dossier-reviewer';

export interface Reviewer {
  name: string | null;
  organisation: string | null;
}

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

// ---- The header ----

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const passphraseSlotSchema = z
  .object({
    type: z.literal('passphrase'),
    kdf: z
      .object({
        name: z.literal('argon2id'),
        version: z.literal(19),
        salt: b64,
        memoryKiB: z
          .number()
          .int()
          .min(ARGON2_LIMITS.memoryKiB.min)
          .max(ARGON2_LIMITS.memoryKiB.max),
        iterations: z
          .number()
          .int()
          .min(ARGON2_LIMITS.iterations.min)
          .max(ARGON2_LIMITS.iterations.max),
        parallelism: z
          .number()
          .int()
          .min(ARGON2_LIMITS.parallelism.min)
          .max(ARGON2_LIMITS.parallelism.max),
      })
      .strict(),
    nonce: b64,
    wrappedKey: b64,
  })
  .strict();

const headerSchema = z
  .object({
    format: z.literal(REVIEW_STORE_FORMAT),
    version: z.number().int().min(1),
    storeId: z.string().uuid(),
    slots: z.array(passphraseSlotSchema).min(1).max(8),
    check: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

interface StoreHeader {
  format: typeof REVIEW_STORE_FORMAT;
  version: number;
  storeId: string;
  slots: PassphraseSlot[];
  /** SHA-256 of the canonical JSON of the fields above: a flipped byte is damage, not a wrong passphrase. */
  check: string;
}

function headerCheck(h: Omit<StoreHeader, 'check'>): string {
  const { format, version, storeId, slots } = h;
  return createHash('sha256')
    .update(canonicalJson({ format, version, storeId, slots }), 'utf8')
    .digest('hex');
}

function storeDamaged(path: string, detail: string): DossierError {
  return new DossierError(
    'CORRUPT',
    `The review store's header (${path}) is damaged: ${detail}. Restore it from a backup; without it the reviews in this folder cannot be opened. Nothing was changed.`,
  );
}

/**
 * A stored file's bytes, or null when there is none. Anything Dossier did not write there (a
 * link, a device, a file past `max`) is refused through `damaged` before it is read.
 */
async function readStored(
  path: string,
  max: number,
  damaged: (detail: string) => DossierError,
): Promise<Buffer | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw damaged('it is a symbolic link, not a file Dossier wrote');
    throw asIoError(e, path);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw damaged('it is not a regular file');
    if (st.size > max)
      throw damaged(
        `it is ${st.size.toLocaleString('en-GB')} bytes long, more than Dossier writes`,
      );
    return await handle.readFile();
  } catch (e) {
    throw asIoError(e, path);
  } finally {
    await handle.close();
  }
}

async function readStoreHeader(path: string): Promise<StoreHeader> {
  const bytes = await readStored(path, 1024 * 1024, (detail) => storeDamaged(path, detail));
  if (bytes === null)
    throw new DossierError(
      'NOT_FOUND',
      `There is no review store in ${resolve(path, '..')}. Create one first (it needs a passphrase of your own).`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw storeDamaged(path, 'it is not valid JSON');
  }
  const r = headerSchema.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw storeDamaged(path, `${issue?.path.join('.') || 'format'}: ${issue?.message ?? '?'}`);
  }
  const header = r.data as StoreHeader;
  if (headerCheck(header) !== header.check)
    throw storeDamaged(path, 'its content does not match its check (a byte was changed)');
  for (const slot of header.slots) {
    const problem = slotDamage(slot);
    if (problem) throw storeDamaged(path, problem);
  }
  if (header.version > REVIEW_STORE_VERSION)
    throw new DossierError(
      'USAGE',
      `This review store was made by a newer Dossier (format ${header.version}). Update Dossier to open it.`,
    );
  return header;
}

// ---- Files encrypted to the store ----

/** What a stored file holds besides its `mac`: MACed with the store's key, then sealed with age. */
function seal(keys: ReviewStoreKeys, content: Record<string, unknown>): Buffer {
  const json = JSON.stringify({ ...content, mac: keys.mac(content) });
  return encrypt(Buffer.from(json, 'utf8'), [keys.identity.recipient()]);
}

/** Opens a file seal() wrote; `damaged(detail)` makes the error for anything else. */
function unseal(
  keys: ReviewStoreKeys,
  bytes: Buffer,
  damaged: (detail: string) => DossierError,
): Record<string, unknown> {
  let plain: Buffer;
  try {
    plain = decrypt(bytes, [keys.identity], { armored: false });
  } catch (e) {
    if (isAgeError(e)) {
      throw damaged(
        e.code === 'NO_IDENTITY'
          ? 'it is not encrypted to this review store (it comes from another store, or its header was changed)'
          : `it does not decrypt (${e.message})`,
      );
    }
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(plain.toString('utf8'));
  } catch {
    throw damaged('its content is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw damaged('its content is not a JSON object');
  const { mac, ...content } = value as Record<string, unknown>;
  let expected: string;
  try {
    expected = keys.mac(content);
  } catch {
    throw damaged('its content cannot be checked');
  }
  if (mac !== expected) throw damaged('its content does not match its MAC (it was changed)');
  return content;
}

// ---- Checks of a change ----

function usage(message: string): DossierError {
  return new DossierError('USAGE', message);
}

function firstIssue(e: z.ZodError, what: string): string {
  const issue = e.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  return `${what}${where}: ${issue?.message ?? 'not valid'}.`;
}

/** Every string in a value is well-formed Unicode (canonical JSON holds no other). */
function brokenText(value: unknown): boolean {
  if (typeof value === 'string') return wellFormedText(value) !== value;
  if (Array.isArray(value)) return value.some(brokenText);
  if (value !== null && typeof value === 'object') return Object.values(value).some(brokenText);
  return false;
}

const BROKEN_TEXT =
  'holds a broken character (half of a UTF-16 surrogate pair), which cannot be stored as text. Type or paste it again.';

const count = (n: number): string => n.toLocaleString('en-GB');

/** A limit passed, in words (the schema's own message is terser); null when within them. */
function overLimit(change: unknown): string | null {
  if (change === null || typeof change !== 'object') return null;
  const { op, value } = change as { op?: unknown; value?: unknown };
  if (op === 'comment' && typeof value === 'string' && value.length > REVIEW_LIMITS.comment)
    return `The comment is ${count(value.length)} characters long; at most ${count(REVIEW_LIMITS.comment)} are allowed. Nothing was saved.`;
  if (op === 'questions' && Array.isArray(value)) {
    if (value.length > REVIEW_LIMITS.questions)
      return `There are ${count(value.length)} questions; at most ${REVIEW_LIMITS.questions} can be asked about one thing. Nothing was saved.`;
    for (const [i, q] of value.entries()) {
      if (typeof q !== 'string') continue;
      if (q.length === 0) return `Question ${i + 1} is empty. Nothing was saved.`;
      if (q.length > REVIEW_LIMITS.question)
        return `Question ${i + 1} is ${count(q.length)} characters long; at most ${count(REVIEW_LIMITS.question)} are allowed. Nothing was saved.`;
    }
  }
  if (op === 'fingerprint-checked' && value !== null && typeof value === 'object') {
    const how = (value as { how?: unknown }).how;
    if (typeof how === 'string' && how.length > REVIEW_LIMITS.how)
      return `How the fingerprint was compared is ${count(how.length)} characters long; at most ${REVIEW_LIMITS.how} are allowed. Nothing was saved.`;
  }
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function currentValue(s: ReviewTargetState | undefined, change: ReviewChange): unknown {
  switch (change.op) {
    case 'status':
      return s?.status ?? null;
    case 'comment':
      return s?.comment ?? '';
    case 'order':
      return s?.order ?? null;
    case 'questions':
      return s?.questions ?? [];
    case 'fingerprint-checked':
      // Each check is recorded, even a repeat: it says when it was done.
      return undefined;
  }
}

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
    // Measured as review.json will be written when sent (indented), with room for its header:
    // a review the store accepts can always be sent and imported.
    if (
      Buffer.byteLength(JSON.stringify({ entries }, null, 2)) + 64 * 1024 >
      REVIEW_LIMITS.fileBytes
    )
      throw usage(
        'This review has grown past 64 MiB, the most a review can hold. Nothing was saved; shorten some comments instead.',
      );
    await writeFileAtomic(path, seal(this.keys, content));
    return fileId(path);
  }
}

/** Which file is on disk now (inode, size, time): a change by someone else changes it. */
async function fileId(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function signEd25519(data: Buffer, key: KeyObject): Buffer {
  // Ed25519 takes no digest name: the algorithm hashes the message itself.
  return sign(null, data, key);
}

/** What review.json's `bundle` may hold (shared/review-schema.ts): checked when a review opens. */
const bundleRefSchema = z
  .object({
    tagManifestSha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 in lower-case hex'),
    bagName: z.string().max(500),
    caseName: z.string().max(500),
    signingKeyFingerprint: z
      .string()
      .regex(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/, 'is not a key fingerprint ("1a2b 3c4d …")'),
  })
  .strict();

const draftSchema = z
  .object({
    format: z.literal(DRAFT_FORMAT),
    version: z.literal(1),
    storeId: z.string(),
    bundle: bundleRefSchema,
    entries: z.array(reviewEntrySchema).max(REVIEW_LIMITS.entries),
    head: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

const reviewerSchema = z
  .object({
    format: z.literal(REVIEWER_FORMAT),
    version: z.literal(1),
    storeId: z.string(),
    name: z.string().max(REVIEW_LIMITS.name).nullable(),
    organisation: z.string().max(REVIEW_LIMITS.name).nullable(),
  })
  .strict();

async function readReviewer(
  dir: string,
  storeId: string,
  keys: ReviewStoreKeys,
): Promise<Reviewer> {
  const path = join(dir, REVIEWER_FILE);
  const damaged = (detail: string): DossierError =>
    new DossierError(
      'CORRUPT',
      `The reviewer's name in the review store (${path}) is damaged: ${detail}. Nothing was changed. Restore the file from a backup, or delete it and set your name again: no review is kept in it.`,
    );
  const bytes = await readStored(path, 64 * 1024, damaged);
  if (bytes === null) return { name: null, organisation: null };
  const content = unseal(keys, bytes, damaged);
  const r = reviewerSchema.safeParse(content);
  if (!r.success) throw damaged(firstIssue(r.error, 'its content is not a reviewer'));
  if (r.data.storeId !== storeId) throw damaged('it belongs to another review store');
  return { name: r.data.name, organisation: r.data.organisation };
}

// ---- One review ----

/** The review of one bundle: its entries, its state, and record() to add a change. */
export class Review {
  private readonly exhibits = new Map<string, ReviewedBundle['exhibits'][number]>();
  private readonly incidents = new Set<string>();
  private readonly messages = new Map<string, ReviewedBundle['messages'][number]>();
  private writes: Promise<unknown> = Promise.resolve();

  /** @internal Made by ReviewStore.openReview. */
  constructor(
    private readonly store: ReviewStore,
    readonly bundle: ReviewedBundle,
    private list: ReviewEntry[],
    private fileId: string | null,
  ) {
    for (const x of bundle.exhibits) this.exhibits.set(x.itemId, x);
    for (const i of bundle.incidents) this.incidents.add(i.incidentId);
    for (const m of bundle.messages) this.messages.set(m.messageId, m);
  }

  get tagManifestSha256(): string {
    return this.bundle.ref.tagManifestSha256;
  }

  entries(): readonly ReviewEntry[] {
    return this.list.slice();
  }

  /** The hash of the last entry, or 64 zeros. */
  get head(): string {
    return this.list.at(-1)?.hash ?? REVIEW_GENESIS;
  }

  /** Per target, each operation's last value (shared/review.ts reviewState). */
  state(): Map<string, ReviewTargetState> {
    return reviewState(this.list);
  }

  /**
   * Records one change to one target, checked against the schema and the bundle. It is on
   * disk before this returns; a change that sets what is already set writes nothing and
   * returns null.
   */
  record(target: ReviewTarget, change: ReviewChange): Promise<ReviewEntry | null> {
    const run = this.writes.then(() => this.recordNow(target, change));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async recordNow(rawTarget: unknown, rawChange: unknown): Promise<ReviewEntry | null> {
    this.store.assertOpen();
    const t = reviewTargetSchema.safeParse(rawTarget);
    if (!t.success) throw usage(firstIssue(t.error, 'What the change is about is not valid'));
    const over = overLimit(rawChange);
    if (over) throw usage(over);
    const c = reviewChangeSchema.safeParse(rawChange);
    if (!c.success) throw usage(firstIssue(c.error, 'The change is not valid'));
    const target = t.data;
    const change = c.data;
    const misfit = reviewChangeFits(target, change);
    if (misfit) throw usage(misfit);
    const outside = this.notInBundle(target);
    if (outside) throw usage(outside);
    if (brokenText(change.value)) throw usage(`The ${change.op} ${BROKEN_TEXT}`);
    if (
      change.op === 'fingerprint-checked' &&
      change.value.fingerprint !== this.bundle.ref.signingKeyFingerprint
    )
      throw usage(
        `The fingerprint given (${change.value.fingerprint}) is not this bundle's signing-key fingerprint (${this.bundle.ref.signingKeyFingerprint}). If the client read out a different one, the bundle may not be the one she sent: ask her before relying on it.`,
      );
    const before = this.state().get(reviewTargetKey(target));
    const current = currentValue(before, change);
    if (current !== undefined && sameValue(current, change.value)) return null;
    if (this.list.length >= REVIEW_LIMITS.entries)
      throw usage(
        `This review already holds ${REVIEW_LIMITS.entries.toLocaleString('en-GB')} changes, the most a review can hold.`,
      );
    const body = {
      seq: this.list.length + 1,
      at: new Date().toISOString(),
      target,
      ...change,
      prev: this.head,
    } as Omit<ReviewEntry, 'hash'>;
    const entry = { ...body, hash: sha256Hex(reviewEntryPreimage(body)) } as ReviewEntry;
    const next = [...this.list, entry];
    this.fileId = await this.store.writeDraft(this.bundle.ref, next, this.fileId);
    this.list = next;
    return entry;
  }

  /** Why a target is not something in this bundle, or null when it is. */
  private notInBundle(target: ReviewTarget): string | null {
    switch (target.kind) {
      case 'bundle':
        return null;
      case 'exhibit': {
        const x = this.exhibits.get(target.itemId);
        if (!x) return `This bundle holds no exhibit with the id ${target.itemId}.`;
        if (x.label !== target.exhibit)
          return `The exhibit with id ${target.itemId} is ${x.label} in this bundle, not ${target.exhibit}.`;
        if (x.sha256 !== target.sha256)
          return `Exhibit ${x.label} in this bundle has the SHA-256 ${x.sha256}, not ${target.sha256}: a comment is about those exact bytes.`;
        return null;
      }
      case 'incident':
        return this.incidents.has(target.incidentId)
          ? null
          : `This bundle holds no incident with the id ${target.incidentId}.`;
      case 'message': {
        const m = this.messages.get(target.messageId);
        if (!m) return `This bundle holds no message with the id ${target.messageId}.`;
        if (m.exhibit !== target.exhibit || m.index !== target.index)
          return `The message with id ${target.messageId} is message ${m.index} of ${m.exhibit} in this bundle, not message ${target.index} of ${target.exhibit}.`;
        return null;
      }
    }
  }

  /** Writes the review zip (send.ts): signed with the adviser's key, never over a file. */
  send(opts: SendOptions): Promise<SentReview> {
    return sendReview(this.store, this, opts);
  }
}
