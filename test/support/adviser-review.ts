/**
 * An adviser's review, written for tests independently of the app's own writer, from
 * docs/review-format.md alone: entries hash-chained with shared/review.ts, a signed review
 * zip (node:crypto Ed25519, yazl), the same encrypted with age, and the offline viewer's
 * unsigned review.json. Each file can be changed before zipping, to make tampered reviews.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import yazl from 'yazl';
import { encrypt, ScryptRecipient } from '../../main/core/age/index';
import {
  REVIEW_FORMAT,
  REVIEW_GENESIS,
  REVIEW_VERSION,
  reviewEntryPreimage,
  type ReviewBundleRef,
  type ReviewChange,
  type ReviewEntry,
  type ReviewFile,
  type ReviewTarget,
} from '../../shared/review';

export type EntryDraft = { target: ReviewTarget; at?: string } & ReviewChange;

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Chains drafts into entries, continuing after `after` (an earlier version's entries). */
export function chainEntries(drafts: EntryDraft[], after: ReviewEntry[] = []): ReviewEntry[] {
  const out = [...after];
  for (const d of drafts) {
    const { target, at, op, value } = d as EntryDraft & { value: unknown };
    const last = out[out.length - 1];
    const partial = {
      seq: out.length + 1,
      at: at ?? new Date(Date.UTC(2026, 11, 6, 10, 0, out.length)).toISOString(),
      target,
      op,
      value,
      prev: last?.hash ?? REVIEW_GENESIS,
    } as Omit<ReviewEntry, 'hash'>;
    out.push({ ...partial, hash: sha256(reviewEntryPreimage(partial)) } as ReviewEntry);
  }
  return out;
}

export function reviewFile(
  bundle: ReviewBundleRef,
  entries: ReviewEntry[],
  opts: { madeIn?: 'dossier' | 'viewer'; name?: string | null; organisation?: string | null } = {},
): ReviewFile {
  return {
    format: REVIEW_FORMAT,
    version: REVIEW_VERSION,
    madeIn: opts.madeIn ?? 'dossier',
    bundle,
    reviewer: {
      name: opts.name === undefined ? 'A. Solicitor' : opts.name,
      organisation: opts.organisation === undefined ? 'Smith & Co' : opts.organisation,
    },
    savedAt: '2026-12-06T11:00:00.000Z',
    entries,
    head: entries[entries.length - 1]?.hash ?? REVIEW_GENESIS,
  };
}

export interface AdviserKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
  fingerprint: string;
}

export function adviserKey(): AdviserKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    privateKey,
    publicKey,
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: sha256(raw).match(/.{4}/g)!.join(' '),
  };
}

export type ReviewZipFiles = Record<string, Buffer>;

/** The six files of a review zip, signed by `key`. */
export function reviewZipFiles(review: ReviewFile | Buffer, key: AdviserKey): ReviewZipFiles {
  const json = Buffer.isBuffer(review) ? review : Buffer.from(JSON.stringify(review, null, 2));
  const pdf = Buffer.from('%PDF-1.7\n% a review summary for tests\n%%EOF\n');
  const pem = Buffer.from(key.pem);
  const manifest = manifestOf({
    'review.json': json,
    'review-summary.pdf': pdf,
    'adviser-public-key.pem': pem,
  });
  return {
    'review.json': json,
    'review-summary.pdf': pdf,
    'adviser-public-key.pem': pem,
    'manifest-sha256.txt': manifest,
    'manifest-sha256.txt.sig': sign(null, manifest, key.privateKey),
    'VERIFY.txt': Buffer.from('Check with: sha256sum -c manifest-sha256.txt\n'),
  };
}

export function manifestOf(files: Record<string, Buffer>): Buffer {
  const lines = Object.keys(files)
    .sort()
    .map((n) => `${sha256(files[n]!)}  ${n}\n`);
  return Buffer.from(lines.join(''));
}

/** Re-signs after a change: the manifest from the three files, the signature over it. */
export function resign(files: ReviewZipFiles, key: AdviserKey): ReviewZipFiles {
  const manifest = manifestOf({
    'review.json': files['review.json']!,
    'review-summary.pdf': files['review-summary.pdf']!,
    'adviser-public-key.pem': files['adviser-public-key.pem']!,
  });
  return {
    ...files,
    'manifest-sha256.txt': manifest,
    'manifest-sha256.txt.sig': sign(null, manifest, key.privateKey),
  };
}

export function zipOf(
  files: ReviewZipFiles,
  folder = 'review-Harassment-20261206',
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files))
    zip.addBuffer(data, folder ? `${folder}/${name}` : name);
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** A .zip.age: the zip encrypted to a passphrase (a cheap scrypt cost, for tests). */
export function encryptedReview(zip: Buffer, passphrase: string): Buffer {
  return encrypt(zip, [new ScryptRecipient(passphrase, 10)]);
}

/** The offline viewer's "Save my review": review.json on its own, unsigned. */
export function viewerReviewJson(review: ReviewFile): Buffer {
  return Buffer.from(JSON.stringify({ ...review, madeIn: 'viewer' }));
}
