/**
 * Reading a bag from wherever it is: a folder, a zip, or a zip encrypted with age. A
 * .zip.age is decrypted on demand, range by range, straight into the zip reader: no
 * decrypted byte is written to disk.
 */
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AgeFileReader, CHUNK_SIZE, isAgeError, ScryptIdentity } from '../age/index';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';

export interface SourceAnomaly {
  severity: 'error' | 'warning';
  path: string;
  message: string;
  /** A zip entry outside the bag's folder. */
  outsideBag?: boolean;
}

export interface BagSource {
  /** Every file in the bag, relative to its top folder, with "/" separators. */
  list(): Promise<string[]>;
  read(relPath: string): AsyncIterable<Buffer>;
  readAll(relPath: string): Promise<Buffer>;
  close(): Promise<void>;
  /** What listing found that is not a plain file of the bag (links, entries outside it). */
  anomalies?(): Promise<SourceAnomaly[]>;
  /**
   * Checks of the container not covered by reading the bag's files; call after reading
   * them. For a .zip.age: every age chunk the reads did not touch is authenticated.
   */
  containerCheck?(): Promise<SourceAnomaly[]>;
}

const READ_CHUNK = 1024 * 1024;

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

function notInBag(relPath: string): Error {
  return Object.assign(new Error(`${relPath} is not in the bag`), { code: 'ENOENT' });
}

/** A bag that is a folder on disk. Links are reported, never followed. */
export function folderSource(root: string): BagSource {
  let listing: Promise<{ files: Set<string>; anomalies: SourceAnomaly[] }> | null = null;
  const walk = async (): Promise<{ files: Set<string>; anomalies: SourceAnomaly[] }> => {
    const files = new Set<string>();
    const anomalies: SourceAnomaly[] = [];
    const visit = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
        if (e.isDirectory()) await visit(join(dir, e.name), rel);
        else if (e.isFile()) files.add(rel);
        else if (e.isSymbolicLink()) {
          anomalies.push({
            severity: 'error',
            path: rel,
            message: `${rel} is a symbolic link; a bag must hold real files (a link can point outside the bag), so it was not followed.`,
          });
        } else {
          anomalies.push({
            severity: 'error',
            path: rel,
            message: `${rel} is not a regular file (a device, socket or pipe) and was not read.`,
          });
        }
      }
    };
    try {
      await visit(root, '');
    } catch (e) {
      throw asIoError(e, root);
    }
    return { files, anomalies };
  };
  const list = (): Promise<{ files: Set<string>; anomalies: SourceAnomaly[] }> => {
    listing ??= walk();
    return listing;
  };
  async function* read(relPath: string): AsyncGenerator<Buffer> {
    if (!(await list()).files.has(relPath)) throw notInBag(relPath);
    let fh: FileHandle;
    try {
      fh = await open(join(root, ...relPath.split('/')), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      throw asIoError(e, relPath);
    }
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(READ_CHUNK);
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }
  return {
    list: async () => [...(await list()).files],
    read,
    readAll: (relPath) => collect(read(relPath)),
    close: async () => {},
    anomalies: async () => (await list()).anomalies,
  };
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.on('error', reject); // stays attached: a late error must not go unhandled
    zip.readEntry();
  });
}

/**
 * The bag inside an opened zip: at its root, or (as our exports do) inside a single top
 * folder. Entries elsewhere are reported, not checked.
 */
async function zipSource(
  zip: yauzl.ZipFile,
  label: string,
  onClose: () => Promise<void>,
): Promise<BagSource> {
  let entries: yauzl.Entry[];
  try {
    entries = await readEntries(zip);
  } catch (e) {
    throw unreadableZip(e, label);
  }
  const files = entries.filter((e) => !e.fileName.endsWith('/'));
  const names = new Set(files.map((e) => e.fileName));
  let prefix = '';
  if (!names.has('bagit.txt')) {
    const tops = new Set(files.map((e) => e.fileName.split('/')[0] ?? ''));
    const withBagit = [...tops].filter((t) => names.has(`${t}/bagit.txt`));
    const only = [...tops][0];
    if (withBagit.length === 1) prefix = `${withBagit[0]}/`;
    else if (tops.size === 1 && only !== undefined && files.some((e) => e.fileName.includes('/'))) {
      prefix = `${only}/`;
    }
  }
  const byPath = new Map<string, yauzl.Entry>();
  const anomalies: SourceAnomaly[] = [];
  for (const e of files) {
    if (!e.fileName.startsWith(prefix)) {
      anomalies.push({
        severity: 'warning',
        path: e.fileName,
        message: `${e.fileName} is in the zip but outside the bag's folder, so it was not checked.`,
        outsideBag: true,
      });
      continue;
    }
    const rel = e.fileName.slice(prefix.length);
    if (((e.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      anomalies.push({
        severity: 'error',
        path: rel,
        message: `${rel} is stored in the zip as a symbolic link; a bag must hold real files.`,
      });
      continue;
    }
    if (e.isEncrypted()) {
      anomalies.push({
        severity: 'error',
        path: rel,
        message: `${rel} uses the zip format's own encryption, which cannot be checked.`,
      });
      continue;
    }
    if (byPath.has(rel)) {
      anomalies.push({
        severity: 'error',
        path: rel,
        message: `${rel} appears twice in the zip; which copy is the evidence is ambiguous.`,
      });
      continue;
    }
    byPath.set(rel, e);
  }
  async function* read(relPath: string): AsyncGenerator<Buffer> {
    const entry = byPath.get(relPath);
    if (entry === undefined) throw notInBag(relPath);
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream) yield chunk as Buffer;
  }
  return {
    list: async () => [...byPath.keys()],
    read,
    readAll: (relPath) => collect(read(relPath)),
    close: async () => {
      zip.close();
      await onClose();
    },
    anomalies: async () => anomalies,
  };
}

function unreadableZip(e: unknown, label: string): DossierError {
  if (e instanceof DossierError) return e;
  if (isAgeError(e)) return ageProblem(e, label);
  const msg = e instanceof Error ? e.message : String(e);
  return new DossierError(
    'INTEGRITY',
    /path|fileName/i.test(msg)
      ? `${label} holds an entry with an unsafe name (${msg}); it was not opened.`
      : `${label} is not a readable zip file, or it is damaged (${msg}).`,
    { cause: e },
  );
}

function ageProblem(e: unknown, label: string): DossierError {
  if (isAgeError(e, 'NO_IDENTITY')) {
    return new DossierError(
      'WRONG_PASSPHRASE',
      `That passphrase does not open ${label}. Check it (capitals and spaces count) and try again.`,
      { cause: e },
    );
  }
  if (isAgeError(e, 'UNSUPPORTED')) {
    return new DossierError('USAGE', `${label} cannot be opened: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return new DossierError(
    'INTEGRITY',
    `${label} is damaged or was tampered with, so it cannot be trusted: ${(e as Error).message}`,
    { cause: e },
  );
}

/** yauzl's random access, served by decrypting only the age chunks a range needs. */
class AgeRangeReader extends yauzl.RandomAccessReader {
  /** Chunks authenticated by some read (an open range counts once it was asked for). */
  readonly touched = new Set<number>();

  constructor(private readonly age: AgeFileReader) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    for (let c = Math.floor(start / CHUNK_SIZE); c * CHUNK_SIZE < end; c++) this.touched.add(c);
    return Readable.from(this.age.stream({ start, end }), { objectMode: false });
  }

  /** Authenticates the chunks no read needed (zip headers and descriptors live there). */
  async checkUntouched(label: string): Promise<SourceAnomaly[]> {
    const chunks = Math.max(1, Math.ceil(this.age.size / CHUNK_SIZE));
    for (let c = 0; c < chunks; c++) {
      if (this.touched.has(c)) continue;
      try {
        await this.age.read(c * CHUNK_SIZE, Math.min(this.age.size, (c + 1) * CHUNK_SIZE));
      } catch (e) {
        return [{ severity: 'error', path: label, message: ageProblem(e, label).message }];
      }
    }
    return [];
  }
}

async function ageZipSource(path: string, passphrase: string): Promise<BagSource> {
  const label = basename(path);
  let age: AgeFileReader;
  const identity = new ScryptIdentity(passphrase);
  try {
    age = await AgeFileReader.open(path, [identity]);
  } catch (e) {
    throw isAgeError(e) ? ageProblem(e, label) : asIoError(e, path);
  } finally {
    identity.wipe();
  }
  try {
    const magic = await age.read(0, 4);
    if (!isZipMagic(magic)) {
      throw new DossierError(
        'USAGE',
        `${label} decrypts, but what is inside is not a zip file, so it is not a bag bundle.`,
      );
    }
    const ranges = new AgeRangeReader(age);
    const zip = await yauzl.fromRandomAccessReaderPromise(ranges, age.size, {
      lazyEntries: true,
      autoClose: false,
    });
    const source = await zipSource(zip, label, () => age.close());
    return { ...source, containerCheck: () => ranges.checkUntouched(label) };
  } catch (e) {
    await age.close();
    throw unreadableZip(e, label);
  }
}

function isZipMagic(b: Buffer): boolean {
  return (
    b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))
  );
}

/**
 * Opens a bag: a folder, a .zip (bag at its root or in one top folder), or a .zip.age
 * (needs the passphrase). Recognised by content, not by file name.
 */
export async function openBagSource(
  path: string,
  opts: { passphrase?: string } = {},
): Promise<BagSource> {
  let isDir: boolean;
  let head: Buffer;
  try {
    const st = await stat(path);
    isDir = st.isDirectory();
    head = Buffer.alloc(0);
    if (!isDir) {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(64);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        head = buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    }
  } catch (e) {
    throw asIoError(e, path);
  }
  if (isDir) return folderSource(path);
  const label = basename(path);
  if (isZipMagic(head)) {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
    } catch (e) {
      throw unreadableZip(e, label);
    }
    return zipSource(zip, label, async () => {});
  }
  const text = head.toString('latin1');
  if (text.startsWith('age-encryption.org/')) {
    if (opts.passphrase === undefined || opts.passphrase === '') {
      throw new DossierError(
        'USAGE',
        `${label} is encrypted. Give the passphrase it was exported with to check it.`,
      );
    }
    return ageZipSource(path, opts.passphrase);
  }
  if (text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    throw new DossierError(
      'USAGE',
      `${label} is an ASCII-armored age file. Decrypt it first with \`age -d\`, then check the zip.`,
    );
  }
  throw new DossierError(
    'USAGE',
    `${label} is not a bag: expected a folder, a .zip, or a .zip.age file.`,
  );
}
