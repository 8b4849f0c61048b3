/**
 * The review store's files on disk (docs/review-format.md, "The adviser's review store"): the
 * plaintext header with its key slot, and the files sealed to the store (age to its own key,
 * with an HMAC inside), read only when they are regular files of a sane size.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { decrypt, encrypt, isAgeError } from '../age';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';
import { ARGON2_LIMITS, slotDamage, type PassphraseSlot } from '../keys/slots';
import { canonicalJson } from '../../../shared/canonical-json';
import { REVIEW_LIMITS } from '../../../shared/review';
import { reviewEntrySchema } from '../../../shared/review-schema';
import { firstIssue } from './store-review';
import type { ReviewStoreKeys } from './store-keys';

export const REVIEW_STORE_FORMAT = 'dossier-review-store';
export const REVIEW_STORE_VERSION = 1;
/** The store's only plaintext file: format, id and key slot, nothing about any review. */
export const STORE_HEADER_FILE = 'review-store.json';
export const REVIEWER_FILE = 'reviewer.age';
export const REVIEW_FILE = /^([0-9a-f]{64})\.age$/;
export const DRAFT_FORMAT = 'dossier-review-draft';
export const REVIEWER_FORMAT = 'dossier-reviewer';

export interface Reviewer {
  name: string | null;
  organisation: string | null;
}

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

export interface StoreHeader {
  format: typeof REVIEW_STORE_FORMAT;
  version: number;
  storeId: string;
  slots: PassphraseSlot[];
  /** SHA-256 of the canonical JSON of the fields above: a flipped byte is damage, not a wrong passphrase. */
  check: string;
}

export function headerCheck(h: Omit<StoreHeader, 'check'>): string {
  const { format, version, storeId, slots } = h;
  return createHash('sha256')
    .update(canonicalJson({ format, version, storeId, slots }), 'utf8')
    .digest('hex');
}

export function storeDamaged(path: string, detail: string): DossierError {
  return new DossierError(
    'CORRUPT',
    `The review store's header (${path}) is damaged: ${detail}. Restore it from a backup; without it the reviews in this folder cannot be opened. Nothing was changed.`,
  );
}

/**
 * A stored file's bytes, or null when there is none. Anything Dossier did not write there (a
 * link, a device, a file past `max`) is refused through `damaged` before it is read.
 */
export async function readStored(
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

export async function readStoreHeader(path: string): Promise<StoreHeader> {
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

/**
 * What the MAC is over: every field but `mac`, with a review's `entries` by their count. That
 * is enough, because `head` (covered) ends the entries' hash chain, which every read checks;
 * and it keeps a change to a long review from costing a canonical encoding of all of it.
 */
function macInput(content: Record<string, unknown>): Record<string, unknown> {
  if (!('entries' in content)) return content;
  const { entries, ...rest } = content;
  return { ...rest, entries: Array.isArray(entries) ? entries.length : null };
}

/** What a stored file holds besides its `mac`: MACed with the store's key, then sealed with age. */
export function seal(keys: ReviewStoreKeys, content: Record<string, unknown>): Buffer {
  const json = JSON.stringify({ ...content, mac: keys.mac(macInput(content)) });
  return encrypt(Buffer.from(json, 'utf8'), [keys.identity.recipient()]);
}

/** Opens a file seal() wrote; `damaged(detail)` makes the error for anything else. */
export function unseal(
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
    expected = keys.mac(macInput(content));
  } catch {
    throw damaged('its content cannot be checked');
  }
  if (mac !== expected) throw damaged('its content does not match its MAC (it was changed)');
  return content;
}

/** Which file is on disk now (inode, size, time): a change by someone else changes it. */
export async function fileId(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

/** What review.json's `bundle` may hold (shared/review-schema.ts): checked when a review opens. */
export const bundleRefSchema = z
  .object({
    tagManifestSha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 in lower-case hex'),
    bagName: z.string().max(500),
    caseName: z.string().max(500),
    signingKeyFingerprint: z
      .string()
      .regex(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/, 'is not a key fingerprint ("1a2b 3c4d …")'),
  })
  .strict();

export const draftSchema = z
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

export async function readReviewer(
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
