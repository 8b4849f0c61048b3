/**
 * Validates any BagIt bag (RFC 8493, and the 0.9x drafts third-party tools still write):
 * the declaration, bag-info.txt, every manifest line, completeness, every checksum, and
 * fetch.txt. Each file is read once, all its algorithms hashed in the same pass.
 * Problems are reported in plain words, naming the file; nothing stops at the first.
 */
import { createHash } from 'node:crypto';
import { algorithmLabel, hexLength, isSupportedAlgorithm, MultiHasher } from './hash';
import { PAYLOAD_MANIFEST, parseManifest, TAG_MANIFEST } from './manifest';
import type { ManifestLine } from './manifest';
import { compareUtf8, decodeManifestPath, foldKey, unsafePathReason } from './paths';
import type { BagSource } from './source';
import {
  BAG_INFO_TXT,
  BAGIT_TXT,
  FETCH_TXT,
  parseBagInfo,
  parseBagitTxt,
  parseOxum,
  tagDecoder,
} from './tagfiles';

export { openBagSource } from './source';
export type { BagSource, SourceAnomaly } from './source';

export interface BagProblem {
  severity: 'error' | 'warning';
  /** The bag-relative file concerned, or null for the bag as a whole. */
  file: string | null;
  message: string;
}

export interface BagReport {
  /** No errors (warnings allowed). */
  valid: boolean;
  /**
   * Every payload file a manifest lists is in the bag, byte for byte. A bag can be valid and
   * incomplete: files fetch.txt says to download, operating-system files copying dropped, or
   * a second spelling (case, Unicode form) of a listed name the bag has (`absent`).
   */
  complete: boolean;
  /** BagIt-Version from bagit.txt, when it could be read. */
  version: string | null;
  problems: BagProblem[];
  payloadFiles: number;
  payloadBytes: number;
  /** Algorithms of the payload manifests found, e.g. ["sha256", "sha512"]. */
  algorithms: string[];
  /** Payload files listed but not in the bag, excused with a warning, and why. */
  absent: { path: string; why: 'fetch' | 'system-file' | 'other-spelling' }[];
  /** Files outside data/ that no tag manifest lists (tag manifests themselves excepted). */
  untaggedFiles: string[];
  /** Entries of a zip outside the bag's folder (reported, not checked). */
  outsideBag: string[];
  /** bag-info.txt's elements, in order, as read. */
  bagInfo: { label: string; value: string }[];
}

export interface VerifyProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
}

/** Tag files are read whole; refuse absurd sizes from a hostile bag. */
const MAX_TAG_FILE = 512 * 1024 * 1024;
const PROGRESS_STEP = 8 * 1024 * 1024;

/** Names operating systems drop into folders; bagged by accident, never evidence. */
const SYSTEM_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r']);
const SYSTEM_DIRS = new Set(['__macosx', '.spotlight-v100', '.trashes', '.fseventsd']);

function isSystemFile(path: string): boolean {
  const parts = path.split('/');
  const name = (parts.at(-1) ?? '').toLowerCase();
  return (
    SYSTEM_FILES.has(name) ||
    name.startsWith('._') ||
    parts.slice(0, -1).some((p) => SYSTEM_DIRS.has(p.toLowerCase()))
  );
}

function versionAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = min.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}

function emptyDigest(alg: string): string {
  return createHash(alg).digest('hex');
}

interface Expectation {
  alg: string;
  checksum: string;
  manifest: string;
  tag: boolean;
}

export async function verifyBag(
  source: BagSource,
  opts: {
    onProgress?: (p: VerifyProgress) => void;
    /** Stops reading between two chunks; the verification then rejects with its reason. */
    signal?: AbortSignal;
  } = {},
): Promise<BagReport> {
  const problems: BagProblem[] = [];
  const said = new Set<string>();
  const add = (severity: BagProblem['severity'], file: string | null, message: string): void => {
    const key = `${severity}\0${file ?? ''}\0${message}`;
    if (said.has(key)) return;
    said.add(key);
    problems.push({ severity, file, message });
  };
  const error = (file: string | null, message: string): void => add('error', file, message);
  const warn = (file: string | null, message: string): void => add('warning', file, message);

  const files = [...(await source.list())].sort(compareUtf8);
  const present = new Set(files);
  const outsideBag: string[] = [];
  for (const a of (await source.anomalies?.()) ?? []) {
    add(a.severity, a.path, a.message);
    if (a.outsideBag === true) outsideBag.push(a.path);
  }
  const payloadFiles = files.filter((f) => f.startsWith('data/'));
  const payloadManifests = files.filter((f) => PAYLOAD_MANIFEST.test(f));
  const tagManifests = files.filter((f) => TAG_MANIFEST.test(f));
  const algOf = (m: string): string =>
    (PAYLOAD_MANIFEST.exec(m) ?? TAG_MANIFEST.exec(m))?.[1] ?? '';
  /** Listed payload files not in the bag, excused or not. */
  const missingPayload = new Set<string>();
  const absent: BagReport['absent'] = [];
  const tagCovered = new Set<string>();
  const bagInfo: BagReport['bagInfo'] = [];
  const report = (version: string | null, payloadBytes: number): BagReport => ({
    valid: !problems.some((p) => p.severity === 'error'),
    complete: missingPayload.size === 0 && payloadManifests.length > 0,
    version,
    problems,
    payloadFiles: payloadFiles.length,
    payloadBytes,
    algorithms: payloadManifests.map(algOf),
    absent,
    untaggedFiles: files.filter(
      (f) => !f.startsWith('data/') && !TAG_MANIFEST.test(f) && !tagCovered.has(f),
    ),
    outsideBag,
    bagInfo,
  });

  const readCapped = async (path: string): Promise<Buffer | null> => {
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of source.read(path)) {
        size += chunk.length;
        if (size > MAX_TAG_FILE) {
          error(path, `${path} is too large to be a tag file (over ${MAX_TAG_FILE} bytes).`);
          return null;
        }
        parts.push(chunk);
      }
    } catch (e) {
      error(path, `${path} could not be read: ${messageOf(e)}`);
      return null;
    }
    return Buffer.concat(parts);
  };

  // 1. The declaration.
  if (!present.has(BAGIT_TXT)) {
    error(
      BAGIT_TXT,
      'bagit.txt is missing, so this is not a BagIt bag (or this is not the bag’s top folder).',
    );
    return report(null, 0);
  }
  const declRaw = await readCapped(BAGIT_TXT);
  if (declRaw === null) return report(null, 0);
  const decl = parseBagitTxt(declRaw);
  for (const e of decl.errors) error(BAGIT_TXT, `bagit.txt: ${e}.`);
  const version = decl.version;
  // Unknown version: judge by the current rules.
  const v1 = version === null || versionAtLeast(version, '1.0');
  const encoding = decl.encoding ?? 'UTF-8';
  let decode = tagDecoder(encoding);
  if (decode === null) {
    error(
      BAGIT_TXT,
      `bagit.txt: its tag-file encoding "${encoding}" is not one this checker reads.`,
    );
    decode = (b) => b.toString('utf8');
  }
  const decodeTag = decode;
  const readTag = async (path: string): Promise<string | null> => {
    const raw = await readCapped(path);
    if (raw === null) return null;
    try {
      return decodeTag(raw);
    } catch {
      error(path, `${path} is not valid ${encoding} text, the encoding bagit.txt declares.`);
      return null;
    }
  };

  // 2. bag-info.txt (optional), for Payload-Oxum.
  let oxum: { bytes: number; files: number; text: string } | null = null;
  if (present.has(BAG_INFO_TXT)) {
    const text = await readTag(BAG_INFO_TXT);
    if (text !== null) {
      const info = parseBagInfo(text);
      bagInfo.push(...info.elements.map((e) => ({ label: e.label, value: e.value })));
      for (const m of info.malformed) {
        error(
          BAG_INFO_TXT,
          `bag-info.txt line ${m.line} is not "Label: value": ${JSON.stringify(m.text)}.`,
        );
      }
      const oxums = info.elements.filter((e) => e.label.toLowerCase() === 'payload-oxum');
      if (new Set(oxums.map((o) => o.value)).size > 1) {
        error(
          BAG_INFO_TXT,
          'bag-info.txt gives Payload-Oxum more than once, with different values.',
        );
      }
      const first = oxums[0];
      if (first !== undefined) {
        const parsed = parseOxum(first.value);
        if (parsed === null) {
          error(
            BAG_INFO_TXT,
            `bag-info.txt: Payload-Oxum "${first.value}" is not of the form <bytes>.<file count>.`,
          );
        } else oxum = { ...parsed, text: first.value };
      }
    }
  }

  // 3. fetch.txt: files still to be downloaded into the payload.
  const fetchList = new Map<string, number | null>();
  if (present.has(FETCH_TXT)) {
    const text = await readTag(FETCH_TXT);
    const lines = text === null ? [] : text.split(/\r\n|\r|\n/);
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      const m = /^(\S+)[ \t]+(\S+)[ \t]+(.+)$/.exec(l);
      const where = `fetch.txt line ${i + 1}`;
      if (m === null) {
        error(FETCH_TXT, `${where} is not "<url> <length> <path>": ${JSON.stringify(l)}.`);
        return;
      }
      const [, , length = '', raw = ''] = m;
      const path = (v1 ? decodeManifestPath(raw) : raw).replace(/^(\.\/)+/, '');
      const reason = unsafePathReason(path);
      if (reason !== null) {
        error(FETCH_TXT, `${where}: ${JSON.stringify(raw)} is not allowed: ${reason}.`);
        return;
      }
      if (!path.startsWith('data/')) {
        error(
          FETCH_TXT,
          `${where}: ${path} is outside the payload folder data/; fetch.txt may only list payload files.`,
        );
        return;
      }
      if (length !== '-' && !/^\d+$/.test(length)) {
        error(FETCH_TXT, `${where}: the length "${length}" is neither a number nor "-".`);
      }
      fetchList.set(path, /^\d+$/.test(length) ? Number(length) : null);
    });
  }

  // A listed name must exist byte for byte. A name that differs only in Unicode form or
  // letter case is another name: the file was renamed, whatever macOS or Windows would open.
  const byNfc = new Map<string, string[]>();
  const byFold = new Map<string, string[]>();
  for (const f of files) {
    const nfc = f.normalize('NFC');
    byNfc.set(nfc, [...(byNfc.get(nfc) ?? []), f]);
    const fold = foldKey(f);
    byFold.set(fold, [...(byFold.get(fold) ?? []), f]);
  }
  /** Files in the bag whose names differ from `path` only in Unicode form or letter case. */
  const lookalikes = (path: string): string[] =>
    [
      ...new Set([
        ...(byNfc.get(path.normalize('NFC')) ?? []),
        ...(byFold.get(foldKey(path)) ?? []),
      ]),
    ].filter((f) => f !== path);

  const expectations = new Map<string, Expectation[]>();
  const expect = (actual: string, e: Expectation): void => {
    expectations.set(actual, [...(expectations.get(actual) ?? []), e]);
  };
  /** Listed but absent, yet excused (not fetched yet, or an OS file): size if known. */
  const excused = new Map<string, number | null>();

  /** Checks the lines of one manifest; returns the files it covers, or null if unreadable. */
  const readManifest = async (manifest: string, tag: boolean): Promise<Set<string> | null> => {
    const text = await readTag(manifest);
    if (text === null) return null;
    const alg = algOf(manifest);
    const supported = isSupportedAlgorithm(alg);
    if (!supported) {
      warn(
        manifest,
        `${manifest} uses an algorithm this checker does not know (${alg}), so its checksums were not verified.`,
      );
    }
    const wantLength = hexLength(alg);
    const { entries, malformed } = parseManifest(text, v1);
    for (const m of malformed) {
      error(
        manifest,
        `${manifest} line ${m.line} is not "<checksum> <path>": ${JSON.stringify(m.text)}.`,
      );
    }
    const listedHere = new Set(entries.map((e) => e.path));
    const covered = new Set<string>();
    const seen = new Map<string, string>();
    const seenNfc = new Map<string, ManifestLine>();
    const seenFold = new Map<string, ManifestLine>();
    for (const e of entries) {
      if (e.binaryMarker) {
        warn(
          manifest,
          `${manifest} marks files with "*" (md5sum’s binary mode); the marker was ignored.`,
        );
      }
      if (e.dotSlash) {
        warn(
          manifest,
          `${manifest} writes paths with a leading "./"; they were read relative to the bag.`,
        );
      }
      const where = `${manifest} line ${e.line}`;
      const reason = unsafePathReason(e.path);
      if (reason !== null) {
        error(manifest, `${where}: ${JSON.stringify(e.raw)} is not allowed: ${reason}.`);
        continue;
      }
      if (e.path.split('/').some((s) => s === '' || s === '.')) {
        error(
          manifest,
          `${where}: ${JSON.stringify(e.raw)} is not a clean path (empty or "." part).`,
        );
        continue;
      }
      if (!tag && !e.path.startsWith('data/')) {
        error(
          manifest,
          `${where}: ${e.path} is outside the payload folder data/; a payload manifest may only list payload files.`,
        );
        continue;
      }
      if (tag && e.path.startsWith('data/')) {
        warn(
          manifest,
          `${manifest} lists the payload file ${e.path}; tag manifests should list only tag files.`,
        );
      }
      if (tag && e.path === manifest) {
        warn(manifest, `${manifest} lists itself, which cannot be checked; that line was skipped.`);
        continue;
      }
      if (e.path.includes('\\')) {
        warn(e.path, `${e.path} contains a backslash, which Windows reads as a folder separator.`);
      }
      if (wantLength !== null && e.checksum.length !== wantLength) {
        error(
          e.path,
          `${where}: the checksum for ${e.path} is not a ${algorithmLabel(alg)} value (${e.checksum.length} hex digits instead of ${wantLength}).`,
        );
        continue;
      }
      const before = seen.get(e.path);
      if (before !== undefined) {
        if (before !== e.checksum) {
          error(
            e.path,
            `${e.path} is listed twice in ${manifest} with different checksums; at most one can be right.`,
          );
        } else if (v1) {
          error(
            e.path,
            `${e.path} is listed twice in ${manifest}; BagIt 1.0 allows each file only once.`,
          );
        } else {
          warn(e.path, `${e.path} is listed twice in ${manifest} (with the same checksum).`);
        }
        continue;
      }
      seen.set(e.path, e.checksum);
      const nfc = e.path.normalize('NFC');
      const sameNfc = seenNfc.get(nfc);
      if (sameNfc !== undefined) {
        if (sameNfc.checksum !== e.checksum) {
          error(
            e.path,
            `${sameNfc.path} and ${e.path} are one name in two Unicode forms, listed in ${manifest} with different checksums.`,
          );
        } else {
          warn(
            e.path,
            `${manifest} lists ${e.path} twice, in two Unicode forms (NFC and NFD) of the same name; macOS treats them as one file.`,
          );
        }
      } else seenNfc.set(nfc, e);
      const fold = foldKey(e.path);
      const sameFold = seenFold.get(fold);
      if (sameFold === undefined) seenFold.set(fold, e);
      else if (sameFold.path.normalize('NFC') !== nfc) {
        warn(
          e.path,
          `${manifest} lists ${sameFold.path} and ${e.path}, which differ only in letter case; on Windows and macOS they are the same file.`,
        );
      }

      if (!present.has(e.path)) {
        const others = lookalikes(e.path);
        if (!tag) missingPayload.add(e.path);
        // Listed twice in two spellings, one of them present: warned above, checked there.
        // The bag is valid (as the conformance suite has it) but not complete.
        if (others.some((o) => listedHere.has(o))) {
          if (!tag && !absent.some((a) => a.path === e.path))
            absent.push({ path: e.path, why: 'other-spelling' });
          continue;
        }
        if (!tag && fetchList.has(e.path)) {
          warn(
            e.path,
            `${e.path} is not in the bag yet: fetch.txt says where to download it, which this offline check does not do.`,
          );
          if (!excused.has(e.path)) absent.push({ path: e.path, why: 'fetch' });
          excused.set(e.path, fetchList.get(e.path) ?? null);
        } else if (!tag && isSystemFile(e.path) && others.length === 0) {
          warn(
            e.path,
            `${e.path} is listed in ${manifest} but missing; it is an operating-system file that copying often drops, not evidence.`,
          );
          if (!excused.has(e.path)) absent.push({ path: e.path, why: 'system-file' });
          excused.set(e.path, e.checksum === emptyDigestOrNull(alg) ? 0 : null);
        } else if (others.length > 0) {
          error(
            e.path,
            `${e.path} is listed in ${manifest} but missing from the bag. The bag holds ${others.join(', ')} instead, a name that differs only in ${others.every((o) => o.normalize('NFC') === e.path.normalize('NFC')) ? 'its Unicode form (how accented letters are encoded)' : 'letter case'}: the file was renamed after the bag was made, so it is not the listed file.`,
          );
        } else {
          error(e.path, `${e.path} is listed in ${manifest} but missing from the bag.`);
        }
        continue;
      }
      covered.add(e.path);
      if (tag) tagCovered.add(e.path);
      if (supported) expect(e.path, { alg, checksum: e.checksum, manifest, tag });
    }
    return covered;
  };

  // 4. Payload manifests and completeness.
  if (payloadManifests.length === 0) {
    error(
      null,
      'The bag has no payload manifest (manifest-<algorithm>.txt), so nothing in it can be checked.',
    );
  } else if (!payloadManifests.some((m) => isSupportedAlgorithm(algOf(m)))) {
    error(null, 'None of the bag’s payload manifests uses an algorithm this checker knows.');
  }
  const coverage: [string, Set<string>][] = [];
  for (const m of payloadManifests) {
    const covered = await readManifest(m, false);
    if (covered !== null) coverage.push([m, covered]);
  }
  for (const f of payloadFiles) {
    const missingFrom = coverage.filter(([, c]) => !c.has(f)).map(([m]) => m);
    if (coverage.length > 0 && missingFrom.length === coverage.length) {
      error(
        f,
        `${f} is in the payload but in no manifest: a file was added after the bag was made.`,
      );
    } else if (missingFrom.length > 0) {
      error(
        f,
        `${f} is not listed in ${missingFrom.join(', ')}; every payload file must be in every payload manifest.`,
      );
    }
    if (isSystemFile(f)) {
      warn(f, `${f} is an operating-system file, probably bagged by accident.`);
    }
  }
  for (const p of fetchList.keys()) {
    if (!coverage.some(([, c]) => c.has(p)) && !excused.has(p) && !present.has(p)) {
      error(
        FETCH_TXT,
        `fetch.txt lists ${p}, but no payload manifest does, so it could never be checked.`,
      );
    }
  }

  // 5. Tag manifests.
  for (const m of tagManifests) await readManifest(m, true);

  // 6. Every checksum, one read per file.
  const toRead = [...new Set([...payloadFiles, ...expectations.keys()])].sort(compareUtf8);
  const progress: VerifyProgress = { filesDone: 0, filesTotal: toRead.length, bytesDone: 0 };
  opts.onProgress?.({ ...progress });
  let payloadBytes = 0;
  let unreadable = 0;
  for (const f of toRead) {
    opts.signal?.throwIfAborted();
    const exps = expectations.get(f) ?? [];
    const hasher = new MultiHasher(exps.map((e) => e.alg));
    let sinceReport = 0;
    let readOk = true;
    try {
      for await (const chunk of source.read(f)) {
        opts.signal?.throwIfAborted();
        hasher.update(chunk);
        progress.bytesDone += chunk.length;
        sinceReport += chunk.length;
        if (sinceReport >= PROGRESS_STEP) {
          sinceReport = 0;
          opts.onProgress?.({ ...progress });
        }
      }
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      readOk = false;
      unreadable++;
      error(f, `${f} could not be read: ${messageOf(e)}`);
    }
    if (readOk) {
      if (f.startsWith('data/')) payloadBytes += hasher.size;
      const digests = hasher.digest();
      for (const e of exps) {
        if (digests.get(e.alg) === e.checksum) continue;
        error(
          f,
          `${f}: its ${algorithmLabel(e.alg)} does not match ${e.manifest} (${e.tag ? 'the file was changed after the bag was made' : 'the file was changed'}).`,
        );
      }
    }
    progress.filesDone++;
    opts.onProgress?.({ ...progress });
  }

  for (const a of (await source.containerCheck?.()) ?? []) add(a.severity, a.path, a.message);

  // 7. Payload-Oxum: the declared size and count of the payload.
  if (oxum !== null) {
    const count = payloadFiles.length + excused.size;
    let bytes: number | null = payloadBytes;
    for (const size of excused.values())
      bytes = size === null || bytes === null ? null : bytes + size;
    if (oxum.files !== count) {
      error(
        BAG_INFO_TXT,
        `bag-info.txt says the payload has ${oxum.files} file(s) (Payload-Oxum ${oxum.text}), but it has ${count}.`,
      );
    }
    if (bytes !== null && unreadable === 0 && oxum.bytes !== bytes) {
      error(
        BAG_INFO_TXT,
        `bag-info.txt says the payload has ${oxum.bytes} bytes (Payload-Oxum ${oxum.text}), but it has ${bytes}.`,
      );
    }
  }

  return report(version, payloadBytes);
}

function emptyDigestOrNull(alg: string): string | null {
  return isSupportedAlgorithm(alg) ? emptyDigest(alg) : null;
}

function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return /[.!?]$/.test(m) ? m : `${m}.`;
}
