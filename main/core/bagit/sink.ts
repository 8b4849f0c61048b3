/**
 * Where a bag is written: a folder, a zip, or a zip encrypted to a passphrase with age.
 * Everything goes to a temporary name first and is renamed into place only on commit(),
 * so an interrupted export never leaves something that looks finished.
 */
import { createWriteStream } from 'node:fs';
import { link, lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { AgeEncryptor, ScryptRecipient } from '../age/index';
import { DossierError } from '../errors';
import { asIoError, fsyncDir } from '../fs-safety';
import { SequentialFileWriter } from '../sequential-file';
import { isPartialOf, partialName } from './partial-name';

const DIRECT_MIN_BYTES = 8 * 1024 * 1024;
import { checkWritablePath, sameNameKeys } from './paths';

export interface BagSink {
  /** Writes one file; `data` is a Buffer or an async iterable of Buffers. Returns bytes written. Streams (bounded memory). */
  writeFile(
    relPath: string,
    data: Buffer | AsyncIterable<Buffer>,
    sizeHint?: number,
  ): Promise<number>;
  /** Finish: folder → rename the temp folder into place (fsync); zip → finish the zip and rename. */
  commit(): Promise<string>;
  /** Remove everything written (interrupted or failed export). */
  abort(): Promise<void>;
}

export interface ZipSinkOptions {
  /** Encrypt the zip to this passphrase (age, scrypt recipient); finalPath must end in .zip.age. */
  encryptToPassphrase?: string;
  /** The time stamped on every entry; default 1980-01-01 00:00, so equal input gives equal bytes. */
  mtime?: Date;
  /** ZIP64 records even when not needed (yazl adds them by itself past 4 GiB); for tests. */
  forceZip64?: boolean;
  /** scrypt work factor for the age encryption; default age's 18. Lower only in tests. */
  scryptLogN?: number;
  /** The temporary name to write under (from partialName); default a new one. */
  partialPath?: string;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function refuseExisting(finalPath: string): Promise<void> {
  if (await exists(finalPath)) {
    throw new DossierError(
      'USAGE',
      `${finalPath} already exists. Choose another name or folder; an export never overwrites.`,
    );
  }
}

function checkPartial(finalPath: string, partialPath: string | undefined): string {
  if (partialPath === undefined) return partialName(finalPath);
  if (!isPartialOf(partialPath, finalPath))
    throw new TypeError(`bagit: ${partialPath} is not a temporary name for ${finalPath}`);
  return partialPath;
}

/**
 * Refuses a second file whose name another system would treat as the same one, and a
 * folder spelled two ways ("data/Evidence", "data/evidence"), which would merge there.
 */
class NameRegistry {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, string>();

  claim(relPath: string): void {
    checkWritablePath(relPath);
    const keys = sameNameKeys(relPath);
    for (const k of keys) {
      const other = this.files.get(k) ?? this.dirs.get(k);
      if (other !== undefined) {
        throw new TypeError(
          other === relPath
            ? `bagit: ${relPath} was already written`
            : `bagit: ${relPath} and ${other} would be the same name on Windows or macOS`,
        );
      }
    }
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      for (const k of sameNameKeys(dir)) {
        const other = this.dirs.get(k);
        if ((other !== undefined && other !== dir) || this.files.has(k)) {
          throw new TypeError(
            `bagit: the folder ${dir} clashes with ${other ?? 'a file'} of the same name`,
          );
        }
      }
    }
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      for (const k of sameNameKeys(dir)) this.dirs.set(k, dir);
    }
    for (const k of keys) this.files.set(k, relPath);
  }
}

type State = 'open' | 'committed' | 'aborted';

function checkOpen(state: State): void {
  if (state !== 'open') throw new Error(`bagit: the bag was already ${state}`);
}

/**
 * Moves a finished file or folder to its final name without replacing anything there.
 * A hard link refuses atomically; file systems without links (FAT/exFAT sticks) fall back
 * to check-then-rename.
 */
async function placeFinal(tmp: string, finalPath: string, isDir: boolean): Promise<void> {
  if (!isDir) {
    try {
      await link(tmp, finalPath);
      await unlink(tmp);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') await refuseExisting(finalPath);
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(code ?? '')) {
        throw e;
      }
    }
  }
  await refuseExisting(finalPath);
  await rename(tmp, finalPath);
}

/** A bag written into `${finalPath}.partial-<random>/`, renamed to finalPath on commit. */
export async function folderSink(
  finalPath: string,
  opts: { partialPath?: string } = {},
): Promise<BagSink> {
  await refuseExisting(finalPath);
  const tmp = checkPartial(finalPath, opts.partialPath);
  try {
    await mkdir(tmp, { mode: DIR_MODE });
  } catch (e) {
    throw asIoError(e, dirname(finalPath));
  }
  const names = new NameRegistry();
  const dirs = new Set<string>([tmp]);
  let state: State = 'open';

  const ensureDirs = async (relPath: string): Promise<string> => {
    const parts = relPath.split('/');
    let dir = tmp;
    for (const p of parts.slice(0, -1)) {
      dir = join(dir, p);
      if (!dirs.has(dir)) {
        await mkdir(dir, { mode: DIR_MODE }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        dirs.add(dir);
      }
    }
    return join(dir, parts[parts.length - 1] ?? '');
  };

  return {
    async writeFile(relPath, data, sizeHint = 0) {
      checkOpen(state);
      names.claim(relPath);
      const full = await ensureDirs(relPath);
      let written = 0;
      try {
        // Big evidence files bypass the page cache (see sequential-file.ts).
        const file = await SequentialFileWriter.create(full, {
          direct: sizeHint >= DIRECT_MIN_BYTES,
        });
        try {
          const chunks = Buffer.isBuffer(data) ? [data] : data;
          for await (const chunk of chunks) {
            await file.write(chunk);
            written += chunk.length;
          }
          await file.finish();
        } catch (e) {
          await file.abort();
          throw e;
        }
      } catch (e) {
        throw asIoError(e, full);
      }
      return written;
    },

    async commit() {
      checkOpen(state);
      try {
        // Deepest first, so each directory's entries are durable before its parent's.
        for (const d of [...dirs].sort((a, b) => b.split(sep).length - a.split(sep).length)) {
          await fsyncDir(d);
        }
        await placeFinal(tmp, finalPath, true);
        await fsyncDir(dirname(finalPath));
      } catch (e) {
        throw asIoError(e, finalPath);
      }
      state = 'committed';
      return finalPath;
    },

    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Text compresses well; evidence is usually compressed already and is stored as is. */
const DEFLATE_EXTENSIONS = new Set([
  'txt',
  'csv',
  'json',
  'jsonl',
  'html',
  'htm',
  'xml',
  'md',
  'pem',
  'eml',
  'log',
  'svg',
]);

function shouldDeflate(relPath: string): boolean {
  const dot = relPath.lastIndexOf('.');
  return (
    dot > relPath.lastIndexOf('/') && DEFLATE_EXTENSIONS.has(relPath.slice(dot + 1).toLowerCase())
  );
}

/** Buffers at most this big go in whole (no data descriptor); bigger ones stream. */
const BUFFER_ENTRY_MAX = 16 * 1024 * 1024;

/** The folder inside the zip: the file name without .zip / .zip.age. */
export function zipTopFolder(finalPath: string): string {
  return basename(finalPath).replace(/\.zip(\.age)?$/i, '') || 'bag';
}

/**
 * A bag streamed into a zip (yazl): entries in the order written, all under one folder
 * named like the bag, fixed timestamps, ZIP64 where needed. With a passphrase, the zip
 * stream goes through age on its way to disk; plaintext never touches the disk.
 */
export async function zipSink(finalPath: string, opts: ZipSinkOptions = {}): Promise<BagSink> {
  const passphrase = opts.encryptToPassphrase;
  if (passphrase !== undefined) {
    if (passphrase.length === 0) throw new TypeError('bagit: empty passphrase for .zip.age');
    if (!finalPath.endsWith('.zip.age')) {
      throw new TypeError(`bagit: an encrypted zip must be named *.zip.age, not ${finalPath}`);
    }
  }
  await refuseExisting(finalPath);
  const top = zipTopFolder(finalPath);
  checkWritablePath(top);
  const tmp = checkPartial(finalPath, opts.partialPath);
  const mtime = opts.mtime ?? new Date(1980, 0, 1, 0, 0, 0);
  const entryOptions = {
    mtime,
    mode: 0o100644,
    forceZip64Format: opts.forceZip64 === true,
    // The DOS field alone: no Unix timestamp, so the bytes do not depend on the time zone.
    forceDosTimestamp: true,
  };

  const out = createWriteStream(tmp, { flags: 'wx', mode: FILE_MODE });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', (e) => reject(asIoError(e, tmp)));
  });

  const zip = new yazl.ZipFile();
  let failure: unknown = null;
  let rejectFailure: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailure = reject;
  });
  failed.catch(() => {});
  const fail = (e: unknown): void => {
    if (failure !== null) return;
    failure = e;
    rejectFailure(e);
    out.destroy();
  };
  zip.on('error', fail);
  // A PassThrough at run time; the typings say only NodeJS.ReadableStream.
  const output = zip.outputStream as unknown as Readable;

  let written: Promise<void>;
  if (passphrase === undefined) {
    written = pipeline(output, out);
  } else {
    const recipient = new ScryptRecipient(passphrase, opts.scryptLogN);
    const enc = new AgeEncryptor([recipient]);
    recipient.wipe();
    written = pipeline(
      output,
      async function* (source: AsyncIterable<Buffer>) {
        try {
          yield enc.header;
          for await (const chunk of source) {
            const sealed = enc.push(chunk);
            if (sealed.length > 0) yield sealed;
          }
          yield enc.final();
        } finally {
          enc.wipe();
        }
      },
      out,
    );
  }
  written.catch((e: unknown) => fail(asIoError(e, finalPath)));

  const names = new NameRegistry();
  let state: State = 'open';

  return {
    async writeFile(relPath, data) {
      checkOpen(state);
      if (failure !== null) throw failure;
      names.claim(relPath);
      const name = `${top}/${relPath}`;
      const options = { ...entryOptions, compress: shouldDeflate(relPath) };
      if (Buffer.isBuffer(data) && data.length <= BUFFER_ENTRY_MAX) {
        zip.addBuffer(data, name, options);
        return data.length;
      }
      const source: Iterable<Buffer> | AsyncIterable<Buffer> = Buffer.isBuffer(data)
        ? [data]
        : data;
      let count = 0;
      let sourceError: unknown = null;
      const done = new Promise<number>((resolve, reject) => {
        // Reading errors end the entry early instead of erroring the stream (yazl does not
        // listen for stream errors); the sink is then poisoned and cannot be committed.
        async function* counted(): AsyncGenerator<Buffer> {
          try {
            for await (const chunk of source) {
              count += chunk.length;
              // A copy: yazl keeps the chunk queued after asking for the next one, and the
              // producer may then reuse its buffer (the writer's pooled hashing slots do).
              yield Buffer.from(chunk);
            }
          } catch (e) {
            sourceError = e;
            reject(e);
            fail(e);
            return;
          }
          resolve(count);
        }
        zip.addReadStream(Readable.from(counted(), { objectMode: false }), name, options);
      });
      try {
        return await Promise.race([done, failed]);
      } catch (e) {
        throw sourceError ?? e;
      }
    },

    async commit() {
      checkOpen(state);
      if (failure !== null) throw failure;
      zip.end({ forceZip64Format: opts.forceZip64 === true, comment: '' });
      try {
        await Promise.race([written, failed]);
        const fh = await open(tmp, 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await placeFinal(tmp, finalPath, false);
        await fsyncDir(dirname(finalPath));
      } catch (e) {
        throw asIoError(e, finalPath);
      }
      state = 'committed';
      return finalPath;
    },

    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      fail(new Error('bagit: export aborted'));
      output.destroy();
      await written.catch(() => {});
      await rm(tmp, { force: true });
    },
  };
}
