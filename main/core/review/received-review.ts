/**
 * A review from the person's adviser, as received (docs/review-format.md, "Importing", steps
 * 1–3): a signed review zip, the same encrypted to a passphrase (.zip.age), or the offline
 * viewer's unsigned review.json. Read whole into memory within the format's limits (nothing is
 * unpacked to disk), its file set, manifest, signature and hash chain checked. What it is
 * about (the vault's export, its targets) is checked by the import (review-import.ts).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { displayName } from '../../../shared/display-name';
import { REVIEW_LIMITS, reviewChainBreak, type ReviewFile } from '../../../shared/review';
import { reviewFileSchema } from '../../../shared/review-schema';
import { decrypt, isAgeError, ScryptIdentity } from '../age/index';
import { isZip, openArchive, shownName, type ArchiveLimits } from '../conversations/archive';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';

/** The files of a review zip, in its one folder (docs/review-format.md, "The review zip"). */
export const REVIEW_ZIP_FILES = [
  'review.json',
  'review-summary.pdf',
  'adviser-public-key.pem',
  'manifest-sha256.txt',
  'manifest-sha256.txt.sig',
  'VERIFY.txt',
] as const;

/** The files manifest-sha256.txt lists (and so the signature covers). */
export const REVIEW_SIGNED_FILES = [
  'adviser-public-key.pem',
  'review-summary.pdf',
  'review.json',
] as const;

/** A review zip (or .zip.age) larger than this is not read: its files together are at most this. */
export const REVIEW_CONTAINER_MAX_BYTES = 4 * REVIEW_LIMITS.fileBytes;

const ZIP_LIMITS: ArchiveLimits = {
  maxEntries: 64,
  maxEntryBytes: REVIEW_LIMITS.fileBytes,
  maxTotalBytes: REVIEW_CONTAINER_MAX_BYTES,
  // review.json is text and may compress well; the per-file cap bounds what it can expand to.
  maxRatio: 2000,
  ratioFloorBytes: 1024 * 1024,
};

/** Small files: the key, the manifest, the instructions. */
const SMALL_FILE_BYTES = 64 * 1024;

export interface ReceivedReview {
  review: ReviewFile;
  /** The file's own name (no folder), for the custody entry and messages. */
  fileName: string;
  /** SHA-256 of review.json's bytes as received. */
  reviewJsonSha256: string;
  signed: boolean;
  /** The adviser's key, when signed: "1a2b 3c4d …" and its SPKI PEM. */
  fingerprint: string | null;
  publicKeyPem: string | null;
}

export type ReviewSource = { path: string } | { name: string; data: Uint8Array };

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** SHA-256 of the raw 32-byte Ed25519 key, in groups of four (the bundle's fingerprint form). */
export function keyFingerprint(key: KeyObject): string {
  const raw = key.export({ format: 'der', type: 'spki' }).subarray(-32);
  return sha256(raw).match(/.{4}/g)!.join(' ');
}

const refuse = (message: string): DossierError => new DossierError('INTEGRITY', message);

async function bytesOf(source: ReviewSource): Promise<{ label: string; bytes: Buffer }> {
  if ('data' in source) {
    const label = displayName(basename(source.name.replace(/\\/g, '/')) || 'the review');
    if (source.data.length > REVIEW_CONTAINER_MAX_BYTES) throw tooLarge(label);
    return {
      label,
      bytes: Buffer.from(source.data.buffer, source.data.byteOffset, source.data.length),
    };
  }
  const label = displayName(basename(source.path));
  try {
    const st = await stat(source.path);
    if (st.isDirectory()) {
      throw new DossierError(
        'USAGE',
        `${label} is a folder. A review from your adviser is one file: a review-….zip, a review-….zip.age, or a review-….json saved from the offline viewer.`,
      );
    }
    if (!st.isFile()) {
      throw new DossierError(
        'USAGE',
        `${label} is not a regular file (a device, socket or pipe), so it was not read.`,
      );
    }
    if (st.size > REVIEW_CONTAINER_MAX_BYTES) throw tooLarge(label);
    const bytes = await readFile(source.path);
    // It may have grown since stat: the limit holds for what was read.
    if (bytes.length > REVIEW_CONTAINER_MAX_BYTES) throw tooLarge(label);
    return { label, bytes };
  } catch (e) {
    throw asIoError(e, source.path);
  }
}

function tooLarge(label: string): DossierError {
  return new DossierError(
    'USAGE',
    `${label} is larger than ${REVIEW_CONTAINER_MAX_BYTES / 1024 / 1024} MiB, more than a review can be, so it was not read.`,
  );
}

/** Whether a file is age-encrypted (a .zip.age), by its first bytes, not its name. */
export async function isEncryptedReview(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw asIoError(e, path);
  }
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString('latin1').startsWith('age-encryption.org/');
  } finally {
    await fh.close();
  }
}

/** Reads and checks a received review; throws a specific refusal, and nothing is kept. */
export async function readReceivedReview(
  source: ReviewSource,
  opts: { passphrase?: string } = {},
): Promise<ReceivedReview> {
  const { label, bytes } = await bytesOf(source);
  const head = bytes.subarray(0, 1024).toString('latin1');
  if (isZip(bytes)) return readReviewZip(bytes, label);
  if (head.startsWith('age-encryption.org/')) {
    return readReviewZip(decryptReview(bytes, label, opts.passphrase), label);
  }
  if (head.startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    throw new DossierError(
      'USAGE',
      `${label} is an ASCII-armored age file. Decrypt it first with \`age -d\`, then import the zip.`,
    );
  }
  if (/^(\xEF\xBB\xBF)?\s*\{/.test(head)) return readViewerReview(bytes, label);
  throw new DossierError(
    'USAGE',
    `${label} is not a review from an adviser: expected a review-….zip, a review-….zip.age, or a review-….json saved from the offline viewer.`,
  );
}

function decryptReview(bytes: Buffer, label: string, passphrase: string | undefined): Buffer {
  if (passphrase === undefined || passphrase === '') {
    throw new DossierError(
      'USAGE',
      `${label} is encrypted. Give the passphrase your adviser sent with it (by another route than the file).`,
    );
  }
  const identity = new ScryptIdentity(passphrase);
  let plain: Buffer;
  try {
    plain = decrypt(bytes, [identity]);
  } catch (e) {
    if (isAgeError(e, 'NO_IDENTITY')) {
      throw new DossierError(
        'WRONG_PASSPHRASE',
        `That passphrase does not open ${label}. Check it (capitals and spaces count) and try again.`,
      );
    }
    throw refuse(
      `${label} is damaged or was tampered with, so it cannot be trusted: ${(e as Error).message}`,
    );
  } finally {
    identity.wipe();
  }
  if (!isZip(plain)) {
    throw new DossierError(
      'USAGE',
      `${label} decrypts, but what is inside is not a zip file, so it is not a review from an adviser.`,
    );
  }
  return plain;
}

async function readReviewZip(bytes: Buffer, label: string): Promise<ReceivedReview> {
  const archive = await openArchive(bytes, label, ZIP_LIMITS);
  try {
    const refused = archive.entries.find((e) => e.refused !== null);
    if (refused) {
      throw refuse(
        `${shownName(refused.name)} in ${label} cannot be read safely: ${refused.refused}. Nothing was imported.`,
      );
    }
    // One folder holding the files (or, leniently, the files at the zip's root).
    const names = archive.entries.map((e) => e.name);
    const tops = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/') + 1) : '')));
    const prefix = tops.size === 1 ? [...tops][0]! : '';
    const byName = new Map(archive.entries.map((e) => [e.name.slice(prefix.length), e]));
    const extra = [...byName.keys()].filter(
      (n) => !(REVIEW_ZIP_FILES as readonly string[]).includes(n),
    );
    if (extra.length > 0) {
      throw refuse(
        `${label} holds ${extra.map((n) => shownName(prefix + n)).join(', ')}, which a review from an adviser does not: it was changed after it was made. Nothing was imported.`,
      );
    }
    const missing = REVIEW_ZIP_FILES.filter((n) => !byName.has(n));
    if (missing.length > 0) {
      throw refuse(
        `${label} has no ${missing.join(', ')}: a review zip holds ${REVIEW_ZIP_FILES.join(', ')}. Nothing was imported.`,
      );
    }
    const read = async (name: (typeof REVIEW_ZIP_FILES)[number], max: number): Promise<Buffer> => {
      const entry = byName.get(name)!;
      if (entry.size > max) {
        throw refuse(
          `${name} in ${label} is ${entry.size.toLocaleString('en-GB')} bytes, more than the ${max.toLocaleString('en-GB')} a review's ${name} can be. Nothing was imported.`,
        );
      }
      return Buffer.from(await archive.read(entry, max));
    };
    const manifest = await read('manifest-sha256.txt', SMALL_FILE_BYTES);
    const signature = await read('manifest-sha256.txt.sig', SMALL_FILE_BYTES);
    const pem = await read('adviser-public-key.pem', SMALL_FILE_BYTES);
    await read('VERIFY.txt', SMALL_FILE_BYTES);
    const files: Record<(typeof REVIEW_SIGNED_FILES)[number], Buffer> = {
      'adviser-public-key.pem': pem,
      'review-summary.pdf': await read('review-summary.pdf', REVIEW_LIMITS.fileBytes),
      'review.json': await read('review.json', REVIEW_LIMITS.fileBytes),
    };

    // Step 1: every signed file matches its manifest line.
    const listed = parseManifest(manifest, label);
    for (const name of REVIEW_SIGNED_FILES) {
      if (sha256(files[name]) !== listed.get(name)) {
        throw refuse(
          `${name} in ${label} does not match manifest-sha256.txt: it was changed after the review was signed. Nothing was imported.`,
        );
      }
    }

    // Step 2: the signature over the manifest, by the key it carries.
    let key: KeyObject;
    try {
      key = createPublicKey({ key: pem, format: 'pem' });
    } catch {
      throw refuse(
        `adviser-public-key.pem in ${label} is not a readable public key: it is damaged or was changed. Nothing was imported.`,
      );
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw refuse(
        `adviser-public-key.pem in ${label} is not an Ed25519 key, which a review is signed with. Nothing was imported.`,
      );
    }
    if (signature.length !== 64 || !verify(null, manifest, key, signature)) {
      throw refuse(
        `The signature in ${label} does not match its manifest and key: the review was changed after it was signed, or not signed by that key. Nothing was imported.`,
      );
    }

    const review = parseReviewJson(files['review.json'], label);
    if (review.madeIn !== 'dossier') {
      throw refuse(
        `review.json in ${label} says it was made in the offline viewer, but a signed review zip is made in Dossier. Nothing was imported.`,
      );
    }
    return {
      review,
      fileName: label,
      reviewJsonSha256: sha256(files['review.json']),
      signed: true,
      fingerprint: keyFingerprint(key),
      publicKeyPem: key.export({ format: 'pem', type: 'spki' }).toString(),
    };
  } finally {
    archive.close();
  }
}

/** "<hex>  <path>" lines, one per signed file, each once. */
function parseManifest(manifest: Buffer, label: string): Map<string, string> {
  const bad = (why: string): DossierError =>
    refuse(`manifest-sha256.txt in ${label} ${why}. Nothing was imported.`);
  const text = manifest.toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out = new Map<string, string>();
  for (const line of lines) {
    const m = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    if (!m)
      throw bad(`has a line that is not "<SHA-256>  <file>": ${displayName(line.slice(0, 120))}`);
    const name = m[2]!;
    if (!(REVIEW_SIGNED_FILES as readonly string[]).includes(name))
      throw bad(`lists ${displayName(name.slice(0, 120))}, which is not a file of a review`);
    if (out.has(name)) throw bad(`lists ${name} twice`);
    out.set(name, m[1]!);
  }
  const unlisted = REVIEW_SIGNED_FILES.filter((n) => !out.has(n));
  if (unlisted.length > 0) throw bad(`does not list ${unlisted.join(', ')}`);
  return out;
}

function readViewerReview(bytes: Buffer, label: string): ReceivedReview {
  if (bytes.length > REVIEW_LIMITS.fileBytes) {
    throw new DossierError(
      'USAGE',
      `${label} is larger than ${REVIEW_LIMITS.fileBytes / 1024 / 1024} MiB, more than a review can be, so it was not read.`,
    );
  }
  const review = parseReviewJson(bytes, label);
  if (review.madeIn !== 'viewer') {
    // Its signature would be in the zip it came from: taken out, it could have been changed.
    throw refuse(
      `${label} says it was made in Dossier, which sends a review as a signed zip. Import the review-….zip (or .zip.age) your adviser sent, so that its signature can be checked.`,
    );
  }
  return {
    review,
    fileName: label,
    reviewJsonSha256: sha256(bytes),
    signed: false,
    fingerprint: null,
    publicKeyPem: null,
  };
}

/** review.json: JSON, the strict schema, then the hash chain (step 3). */
function parseReviewJson(bytes: Buffer, label: string): ReviewFile {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refuse(
      `The review in ${label} is not readable JSON text: it is damaged. Nothing was imported.`,
    );
  }
  // Counted before the schema reads them, so that a hostile list is refused quickly.
  const entries = (raw as { entries?: unknown } | null)?.entries;
  if (Array.isArray(entries) && entries.length > REVIEW_LIMITS.entries) {
    throw refuse(
      `The review in ${label} holds ${entries.length.toLocaleString('en-GB')} entries, more than the ${REVIEW_LIMITS.entries.toLocaleString('en-GB')} a review can hold. Nothing was imported.`,
    );
  }
  const parsed = reviewFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the review';
    throw refuse(
      `The review in ${label} is not in the review format: ${displayName(where)} ${displayName(issue.message)}. Nothing was imported.`,
    );
  }
  const broken = reviewChainBreak(parsed.data.entries, parsed.data.head, (t) =>
    createHash('sha256').update(t, 'utf8').digest('hex'),
  );
  if (broken) throw refuse(`The review in ${label} is not whole. ${broken} Nothing was imported.`);
  return parsed.data;
}
