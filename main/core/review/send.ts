/**
 * "Send the review to the client": the review zip of docs/review-format.md ("The review
 * zip"), written by the bundle export's zip sink (under a temporary name, renamed into place
 * only when complete; encrypted to a passphrase with age as bundles are).
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  REVIEW_FORMAT,
  REVIEW_GENESIS,
  REVIEW_LIMITS,
  REVIEW_VERSION,
  reviewChainBreak,
  type ReviewFile,
} from '../../../shared/review';
import { reviewFileSchema } from '../../../shared/review-schema';
import { zipSink, zipTopFolder } from '../bagit/sink';
import { DossierError } from '../errors';
import { SafeNamer } from '../export/safe-name';
import { asIoError } from '../fs-safety';
import { renderReviewSummaryPdf } from './summary-pdf';
import type { Review, ReviewStore } from './store';

export const REVIEW_ZIP_FILES = {
  json: 'review.json',
  pdf: 'review-summary.pdf',
  key: 'adviser-public-key.pem',
  manifest: 'manifest-sha256.txt',
  signature: 'manifest-sha256.txt.sig',
  verify: 'VERIFY.txt',
} as const;

export interface SendOptions {
  /** A folder to save in (the name is chosen), or the zip's own name ending in .zip or .zip.age. */
  out: string;
  /** Encrypt the zip to this passphrase (age, scrypt recipient): `.zip.age`. */
  passphrase?: string;
  /** 'built-in' forces PDF's own fonts in the summary (tests). */
  fonts?: 'auto' | 'built-in';
}

export interface SentReview {
  path: string;
  format: 'zip' | 'zip.age';
  /** The adviser's signing-key fingerprint, to give the client by another route. */
  fingerprint: string;
  entries: number;
  head: string;
  savedAt: string;
}

// Lower case, as the zip sink and every other name Dossier writes.
const ZIP_NAME = /\.zip(\.age)?$/;

/** "review-<case>-<YYYYMMDD>": the case made safe as a file name, at most 60 characters of it. */
export function reviewZipStem(caseName: string, savedAt: string): string {
  // A slash is part of a case name ("Smith/Jones"), not a path: SafeNamer would keep only "Jones".
  let safe = new SafeNamer().name('', caseName.replace(/[/\\]/g, '-')).replace(/\s+/g, '-');
  let cut = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
    safe,
  )) {
    if ([...cut].length + [...segment].length > 60) break;
    cut += segment;
  }
  safe = /[\p{L}\p{N}]/u.test(caseName) ? cut.replace(/^[-. ]+|[-. ]+$/g, '') || 'case' : 'case';
  return `review-${safe}-${savedAt.slice(0, 10).replace(/-/g, '')}`;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function zipPath(out: string, stem: string, encrypted: boolean): Promise<string> {
  const ext = encrypted ? '.zip.age' : '.zip';
  if (ZIP_NAME.test(out) && !(await isFolder(out))) {
    const wantsAge = out.endsWith('.zip.age');
    if (wantsAge !== encrypted)
      throw new DossierError(
        'USAGE',
        encrypted
          ? `${out} would hold an encrypted review: its name must end in .zip.age.`
          : `${out} ends in .zip.age, but no passphrase was given to encrypt it. Give one, or name it .zip.`,
      );
    if (!(await isFolder(dirname(resolve(out)))))
      throw new DossierError(
        'IO',
        `${dirname(resolve(out))} does not exist. Check the path and try again: the review is saved in a folder that exists.`,
      );
    return resolve(out);
  }
  if (!(await isFolder(out)))
    throw new DossierError(
      'IO',
      `${out} is not a folder that exists. Check the path and try again, or give the zip's own name ending in ${ext}.`,
    );
  let names: Set<string>;
  try {
    names = new Set(await readdir(out));
  } catch (e) {
    throw asIoError(e, out);
  }
  // A second review of the same case on the same day gets -2, -3…: never an overwrite.
  for (let n = 1; n < 1000; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}${ext}`;
    if (!names.has(name)) return join(resolve(out), name);
  }
  throw new DossierError('USAGE', `${out} already holds 999 reviews of this case from today.`);
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes the review zip of `review`, signed with the store's key. */
export async function sendReview(
  store: ReviewStore,
  review: Review,
  opts: SendOptions,
): Promise<SentReview> {
  store.assertOpen();
  const entries = [...review.entries()];
  if (entries.length === 0)
    throw new DossierError(
      'USAGE',
      'This review has no changes yet: set a status, a comment or a question first.',
    );
  if (opts.passphrase !== undefined && opts.passphrase.length === 0)
    throw new DossierError('USAGE', 'The passphrase for the encrypted review is empty.');
  const savedAt = new Date().toISOString();
  const file: ReviewFile = {
    format: REVIEW_FORMAT,
    version: REVIEW_VERSION,
    madeIn: 'dossier',
    bundle: review.bundle.ref,
    reviewer: store.reviewer,
    savedAt,
    entries,
    head: entries.at(-1)?.hash ?? REVIEW_GENESIS,
  };
  // What the client's import will check, checked here first: a review that would be refused
  // is never sent.
  const parsed = reviewFileSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DossierError(
      'INTEGRITY',
      `The review could not be sent: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}. Nothing was written.`,
    );
  }
  const broken = reviewChainBreak(entries, file.head, sha256);
  if (broken) throw new DossierError('INTEGRITY', `${broken} Nothing was written.`);
  const json = Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
  if (json.length > REVIEW_LIMITS.fileBytes)
    throw new DossierError(
      'USAGE',
      'This review is larger than 64 MiB, more than a client can import. Shorten some comments.',
    );

  const encrypted = opts.passphrase !== undefined;
  const path = await zipPath(
    opts.out,
    reviewZipStem(review.bundle.ref.caseName, savedAt),
    encrypted,
  );
  const fingerprint = store.fingerprint;
  const pem = Buffer.from(store.publicKeyPem(), 'utf8');
  const sink = await zipSink(path, encrypted ? { encryptToPassphrase: opts.passphrase } : {});
  try {
    const hashes = new Map<string, string>();
    await sink.writeFile(REVIEW_ZIP_FILES.json, json);
    hashes.set(REVIEW_ZIP_FILES.json, sha256(json));
    const pdfHash = createHash('sha256');
    const pdf = renderReviewSummaryPdf({
      review: file,
      bundle: review.bundle,
      fingerprint,
      zipName: basename(path),
      fonts: opts.fonts,
    });
    await sink.writeFile(
      REVIEW_ZIP_FILES.pdf,
      (async function* () {
        for await (const chunk of pdf) {
          pdfHash.update(chunk);
          yield chunk;
        }
      })(),
    );
    hashes.set(REVIEW_ZIP_FILES.pdf, pdfHash.digest('hex'));
    await sink.writeFile(REVIEW_ZIP_FILES.key, pem);
    hashes.set(REVIEW_ZIP_FILES.key, sha256(pem));
    // Sorted by byte, as `sort` in the C locale orders them.
    const manifest = Buffer.from(
      [...hashes]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([p, h]) => `${h}  ${p}\n`)
        .join(''),
      'utf8',
    );
    await sink.writeFile(REVIEW_ZIP_FILES.manifest, manifest);
    await sink.writeFile(REVIEW_ZIP_FILES.signature, store.sign(manifest));
    await sink.writeFile(
      REVIEW_ZIP_FILES.verify,
      Buffer.from(
        reviewVerifyText({
          caseName: review.bundle.ref.caseName,
          folder: zipTopFolder(path),
          fingerprint,
          tagManifestSha256: review.bundle.ref.tagManifestSha256,
          entries: entries.length,
          savedAt,
        }),
        'utf8',
      ),
    );
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw asIoError(e, path);
  }
  return {
    path,
    format: encrypted ? 'zip.age' : 'zip',
    fingerprint,
    entries: entries.length,
    head: file.head,
    savedAt,
  };
}

/** Control and direction-changing characters shown as \u{…}: VERIFY.txt is read in terminals. */
function oneLine(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- these are the characters shown escaped
    /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`,
  );
}

/**
 * VERIFY.txt of a review zip: how the client (or her solicitor's colleague) checks it
 * without Dossier. ASCII apart from the case name; the commands are the doc's.
 */
export function reviewVerifyText(v: {
  caseName: string;
  folder: string;
  fingerprint: string;
  tagManifestSha256: string;
  entries: number;
  savedAt: string;
}): string {
  const groups = v.fingerprint.split(' ');
  const hex = groups.join('');
  return `HOW TO CHECK THIS REVIEW
========================

Case:      ${oneLine(v.caseName).slice(0, 200)}
Review:    ${v.folder}
Saved:     ${v.savedAt} (UTC)
Changes:   ${v.entries}
Of the bundle whose tagmanifest-sha256.txt has the SHA-256:
           ${v.tagManifestSha256}
Adviser's signing key fingerprint (SHA-256 of the raw Ed25519 public key):
           ${groups.slice(0, 8).join(' ')}
           ${groups.slice(8).join(' ')}

This folder is a legal adviser's review of an evidence bundle. review.json
holds every change the adviser made, in order and hash-chained;
review-summary.pdf says the same in words. Both, and the adviser's public key,
are listed with their SHA-256 in manifest-sha256.txt, which is signed with the
adviser's own key (adviser-public-key.pem). Dossier checks all of this when
the review is imported ("Import a review from my adviser"); by hand:

Open a terminal in this folder (the one that contains this file).

LINUX
-----
A.    sha256sum -c manifest-sha256.txt
    Every line must end in "OK".
B.  Needs OpenSSL 3.0 or newer ("openssl version" says which you have):
      openssl pkeyutl -verify -pubin -inkey adviser-public-key.pem -rawin \\
        -in manifest-sha256.txt -sigfile manifest-sha256.txt.sig
    It must print "Signature Verified Successfully".
C.    openssl pkey -pubin -in adviser-public-key.pem -outform DER \\
        | tail -c 32 | sha256sum
    It must print (followed by "  -"):
    ${hex}

MACOS
-----
A.    shasum -a 256 -c manifest-sha256.txt
B.  The openssl that comes with macOS (LibreSSL) cannot check this kind of
    signature (Ed25519). Install OpenSSL 3 with Homebrew (https://brew.sh):
    "brew install openssl@3", then:
      "$(brew --prefix openssl@3)/bin/openssl" pkeyutl -verify -pubin \\
        -inkey adviser-public-key.pem -rawin -in manifest-sha256.txt \\
        -sigfile manifest-sha256.txt.sig
C.    grep -v -e ----- adviser-public-key.pem | openssl base64 -d \\
        | tail -c 32 | shasum -a 256

ON EVERY SYSTEM
---------------
C.  The fingerprint printed in step C must be the one at the top of this file,
    and the one the adviser gave you by another route (phone, in person, a
    letter). Only that comparison shows that the review is the adviser's: the
    name in it is as the adviser typed it.
D.  The bundle: the SHA-256 above must be that of tagmanifest-sha256.txt in
    the bundle you sent (sha256sum tagmanifest-sha256.txt, in the bundle).
`;
}
