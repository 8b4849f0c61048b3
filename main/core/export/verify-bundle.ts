import { createHash, createPublicKey, verify } from 'node:crypto';
import { foldKey } from '../bagit/paths';
import {
  openBagSource,
  verifyBag,
  type BagProblem,
  type BagReport,
  type BagSource,
} from '../bagit/verify';
import { DossierError } from '../errors';
import {
  exhibitsAgainstCustody,
  exhibitsAgainstManifest,
  parseExhibits,
  type ExhibitProblem,
} from './verify-exhibits';
import { checkCustody } from './verify-custody';
import { checkMessageSpans, MESSAGES } from './verify-messages';
import { checkSchedule, REDACTIONS } from './verify-schedule';

export interface BundleReport {
  /**
   * True only when the bag is valid and complete and, for a Dossier bundle, signed, with
   * a custody chain and exhibits that agree.
   */
  ok: boolean;
  /** Carries Dossier's marks (see dossierMarks); false for a plain third-party BagIt bag. */
  dossierBundle: boolean;
  /** A valid Ed25519 signature over tagmanifest-sha256.txt, by the key in the bundle. */
  signed: boolean;
  bag: BagReport;
  /** SHA-256 of the signing public key in the bundle, to compare with the sender's. */
  fingerprint: string | null;
  problems: BagProblem[];
}

const SIG = 'signature/tagmanifest-sha256.txt.sig';
const KEY = 'signature/dossier-public-key.pem';
const TAG_MANIFEST = 'tagmanifest-sha256.txt';
const ITEMS = 'data/metadata/items.json';
const CUSTODY = 'data/metadata/custody.jsonl';

/**
 * Every file a Dossier bundle has outside data/ (docs/bundle-format.md, "Layout"). All but
 * the tag manifest and the signature must be listed in the tag manifest.
 */
export const DOSSIER_TAG_FILES: readonly string[] = [
  'bagit.txt',
  'bag-info.txt',
  'manifest-sha256.txt',
  'manifest-sha512.txt',
  TAG_MANIFEST,
  'VERIFY.txt',
  KEY,
  SIG,
];
const UNSIGNED_TAG_FILES = new Set([TAG_MANIFEST, SIG]);
const OS_FILE = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]*)$/i;
const REQUIRED = [
  'bag-info.txt',
  'manifest-sha256.txt',
  'manifest-sha512.txt',
  TAG_MANIFEST,
  KEY,
  SIG,
  ITEMS,
  CUSTODY,
];
/** Records are read whole (and as one string): refuse absurd sizes from a hostile bag. */
const MAX_RECORD_FILE = 500 * 1000 * 1000;

/**
 * What marks a bag as made by Dossier: its signature files, its custody log, or its
 * bag-info.txt labels. Names are compared ignoring case, so renaming one does not hide it.
 */
export function dossierMarks(files: Iterable<string>, bagInfo: BagReport['bagInfo']): string[] {
  const marks: string[] = [];
  for (const { label, value } of bagInfo) {
    const l = label.toLowerCase();
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    if (l === 'bag-software-agent' && /\bdossier\b/i.test(value))
      marks.push(`Bag-Software-Agent: ${shown}`);
    else if (l === 'source-organization' && /^dossier\b/i.test(value))
      marks.push(`Source-Organization: ${shown}`);
    else if (l === 'signing-key-fingerprint') marks.push('Signing-Key-Fingerprint in bag-info.txt');
  }
  const markFiles = new Set([SIG, KEY, CUSTODY].map(foldKey));
  for (const f of files) if (markFiles.has(foldKey(f))) marks.push(f);
  return marks;
}

/**
 * `dossier verify`: the BagIt checks (completeness, every hash), then, for a Dossier
 * bundle, that it holds exactly the files Dossier writes, the Ed25519 signature over the
 * tag manifest, that bag-info.txt names the key that signed, the custody chain and its
 * signed checkpoint, and that items.json agrees with the manifest and with the custody
 * log's import entries. Lists every problem.
 */
export async function verifyBundle(
  path: string,
  opts: { passphrase?: string } & Parameters<typeof verifyBag>[1] = {},
): Promise<BundleReport> {
  const source = await openBagSource(path, { passphrase: opts.passphrase });
  try {
    return await verifyBundleSource(source, opts);
  } finally {
    await source.close();
  }
}

/**
 * verifyBundle on a bag already opened (a review keeps it open to read from it afterwards:
 * a .zip.age is then decrypted with one passphrase derivation, not two). Does not close it.
 */
export async function verifyBundleSource(
  source: BagSource,
  opts: Parameters<typeof verifyBag>[1] = {},
): Promise<BundleReport> {
  const bag = await verifyBag(source, { onProgress: opts.onProgress, signal: opts.signal }).catch(
    (e: unknown) => {
      if (!opts.signal?.aborted) throw e;
      throw new DossierError(
        'USAGE',
        'The check of the bundle was cancelled before it finished. Nothing was changed.',
      );
    },
  );
  const files = new Set<string>(await source.list());
  const marks = dossierMarks(files, bag.bagInfo);
  const dossierBundle = marks.length > 0;
  let problems = [...bag.problems];
  let fingerprint: string | null = null;
  let signed = false;
  if (dossierBundle) {
    problems = strictLayout(bag, files, problems);
    ({ fingerprint, signed } = await checkDossierParts(source, files, bag, marks, problems));
  }
  const ok = bag.complete && !problems.some((p) => p.severity === 'error');
  return { ok, dossierBundle, signed, bag, fingerprint, problems };
}

/**
 * A Dossier bundle holds exactly what Dossier wrote: no fetch.txt, no file missing for any
 * reason, nothing outside the bundle's folder, no tag file the signature does not cover.
 * What a plain bag is forgiven with a warning is an error here.
 */
function strictLayout(bag: BagReport, files: Set<string>, problems: BagProblem[]): BagProblem[] {
  const absent = new Map(bag.absent.map((a) => [a.path, a.why]));
  const outside = new Set(bag.outsideBag);
  const out = problems.filter(
    (p) =>
      p.severity === 'error' || p.file === null || (!absent.has(p.file) && !outside.has(p.file)),
  );
  const err = (file: string, message: string): void =>
    void out.push({ severity: 'error', file, message });
  for (const [path, why] of absent) {
    err(
      path,
      why === 'fetch'
        ? `${path} is listed in manifest-sha256.txt but missing from the bundle. A fetch.txt names it as something to download, but Dossier puts every file in the bundle itself: it was removed after export.`
        : `${path} is listed in manifest-sha256.txt but missing from the bundle.`,
    );
  }
  for (const path of outside) {
    err(
      path,
      `${path} is in the zip but outside the bundle's folder. Dossier's zip holds only that folder, so the zip was changed or re-made after export.`,
    );
  }
  const allowed = new Set(DOSSIER_TAG_FILES);
  const untagged = new Set(bag.untaggedFiles);
  for (const f of [...files].filter((x) => !x.startsWith('data/')).sort()) {
    if (f === 'fetch.txt') {
      err(
        f,
        'fetch.txt is not part of a Dossier bundle: Dossier puts every file in the bundle and never writes a fetch.txt. It was added after export.',
      );
    } else if (!allowed.has(f)) {
      err(
        f,
        `${f} is not a file Dossier puts in a bundle (outside data/ it writes only ${DOSSIER_TAG_FILES.join(', ')}). It was added after export${OS_FILE.test(f) ? '; it looks like a file a computer adds when a folder is opened, but it is still not part of what was signed' : ''}.`,
      );
    } else if (untagged.has(f) && !UNSIGNED_TAG_FILES.has(f) && files.has(TAG_MANIFEST)) {
      err(
        f,
        `${f} is not listed in ${TAG_MANIFEST}, so the signature does not cover it; in a Dossier bundle it always is.`,
      );
    }
  }
  return out;
}

async function readRecord(
  source: BagSource,
  path: string,
  err: (f: string | null, m: string) => void,
): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source.read(path)) {
      size += chunk.length;
      if (size > MAX_RECORD_FILE) {
        err(path, `${path} is too large to be read as a record (over ${MAX_RECORD_FILE} bytes).`);
        return null;
      }
      parts.push(chunk);
    }
  } catch (e) {
    err(path, `${path} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
  return Buffer.concat(parts);
}

async function checkDossierParts(
  source: BagSource,
  files: Set<string>,
  bag: BagReport,
  marks: string[],
  problems: BagProblem[],
): Promise<{ fingerprint: string | null; signed: boolean }> {
  const err = (file: string | null, message: string): void =>
    void problems.push({ severity: 'error', file, message });
  const unsigned = [SIG, KEY, TAG_MANIFEST].filter((f) => !files.has(f));
  if (unsigned.length > 0) {
    err(
      unsigned[0]!,
      `NOT SIGNED: ${unsigned.join(' and ')} ${unsigned.length === 1 ? 'is' : 'are'} missing. This bag carries Dossier's marks (${marks.join('; ')}), but without its signature nothing shows who made it or that it is unchanged since export.`,
    );
  }
  for (const f of REQUIRED.filter((x) => !files.has(x) && !unsigned.includes(x)))
    err(f, `${f} is missing; every Dossier bundle has it.`);
  let fingerprint: string | null = null;
  let signed = false;
  let key: ReturnType<typeof createPublicKey> | null = null;
  const pem = files.has(KEY) ? await readRecord(source, KEY, err) : null;
  if (pem !== null) {
    try {
      key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    } catch {
      key = null;
      err(
        KEY,
        'NOT SIGNED: the public key file is damaged: it is not a valid PEM Ed25519 public key.',
      );
    }
  }
  if (key !== null) {
    const raw = key.export({ format: 'der', type: 'spki' }).subarray(-32);
    fingerprint = createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(' ');
    const sig = files.has(SIG) ? await readRecord(source, SIG, err) : null;
    const tm = files.has(TAG_MANIFEST) ? await readRecord(source, TAG_MANIFEST, err) : null;
    if (sig !== null && tm !== null) {
      try {
        signed = verify(null, tm, key, sig);
      } catch {
        signed = false;
      }
      if (!signed) {
        err(
          SIG,
          'NOT SIGNED: the signature does not match tagmanifest-sha256.txt under the key in the bundle: the manifests, the signature or the key were changed.',
        );
      }
    }
    declaredFingerprint(bag, fingerprint, err);
    const text = files.has('VERIFY.txt')
      ? (await readRecord(source, 'VERIFY.txt', err))?.toString('utf8')
      : undefined;
    if (text !== undefined) {
      if (!text.includes(fingerprint) && !text.includes(fingerprint.replace(/ /g, ''))) {
        err(
          'VERIFY.txt',
          `VERIFY.txt does not give the fingerprint of the key that signed the bundle (${fingerprint}): the bundle was re-signed with another key after export.`,
        );
      }
    }
  }
  const custody =
    key !== null && files.has(CUSTODY) ? await readRecord(source, CUSTODY, err) : null;
  if (key !== null && custody !== null) checkCustody(custody, key, err);
  if (files.has(ITEMS))
    await checkExhibits(source, files, err, (file, message) =>
      problems.push({ severity: 'warning', file, message }),
    );
  // Bundles before issue 12 have no transcripts.
  if (files.has(MESSAGES)) {
    const raw = await readRecord(source, MESSAGES, err);
    if (raw !== null) await checkMessageSpans(source, files, raw, err);
  }
  // Only bundles made for disclosure have a redaction schedule.
  if (files.has(REDACTIONS)) {
    const schedule = await readRecord(source, REDACTIONS, err);
    if (schedule !== null)
      checkSchedule(
        {
          schedule,
          items: files.has(ITEMS) ? await readRecord(source, ITEMS, err) : null,
          custody: custody ?? (files.has(CUSTODY) ? await readRecord(source, CUSTODY, err) : null),
        },
        err,
      );
  }
  return { fingerprint, signed };
}

/** bag-info.txt must declare the fingerprint of the key that really signed. */
function declaredFingerprint(
  bag: BagReport,
  fingerprint: string,
  err: (f: string | null, m: string) => void,
): void {
  const declared = bag.bagInfo
    .filter((e) => e.label.toLowerCase() === 'signing-key-fingerprint')
    .map((e) => e.value);
  const plain = (v: string): string => v.replace(/\s+/g, '').toLowerCase();
  if (declared.length === 0) {
    err(
      'bag-info.txt',
      `bag-info.txt does not declare Signing-Key-Fingerprint; every Dossier bundle names the key that signed it (here ${fingerprint}).`,
    );
    return;
  }
  for (const d of declared) {
    if (plain(d) === plain(fingerprint)) continue;
    err(
      'bag-info.txt',
      `bag-info.txt declares Signing-Key-Fingerprint ${d}, but the bundle is signed by the key with fingerprint ${fingerprint}: it was re-signed with another key after export.`,
    );
  }
}

async function checkExhibits(
  source: BagSource,
  files: Set<string>,
  err: (f: string | null, m: string) => void,
  warn: (f: string | null, m: string) => void,
): Promise<void> {
  const raw = await readRecord(source, ITEMS, err);
  if (raw === null) return;
  const exhibits = parseExhibits(raw);
  const report = (ps: ExhibitProblem[]): void =>
    ps.forEach((p) =>
      p.severity === 'warning' ? warn(p.file, p.message) : err(p.file, p.message),
    );
  if (!Array.isArray(exhibits)) return report([exhibits]);
  if (files.has('manifest-sha256.txt')) {
    const manifest = await readRecord(source, 'manifest-sha256.txt', err);
    if (manifest !== null) report(exhibitsAgainstManifest(exhibits, manifest.toString('utf8')));
  }
  if (files.has(CUSTODY)) {
    const custody = await readRecord(source, CUSTODY, err);
    if (custody !== null) report(exhibitsAgainstCustody(exhibits, custody.toString('utf8')));
  }
}
