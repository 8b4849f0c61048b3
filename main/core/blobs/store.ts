import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AgeEncryptor,
  AgeError,
  AgeFileReader,
  decrypt,
  encryptedPayloadSize,
  type Identity,
  type Recipient,
} from '../age';
import { asIoError, fsyncDir } from '../fs-safety';
import { ID_PATTERN, newId } from '../ids';
import { SequentialFileWriter } from '../sequential-file';

/**
 * Blobs are age v1 files under blobs/<first two chars of id>/<id>.age, encrypted to
 * the vault's own X25519 recipient. Ids are random, never the content hash.
 * A blob is written to <id>.age.tmp, fsynced, then renamed: a complete file is on
 * disk before any database row refers to it.
 */
export const BLOB_DIR = 'blobs';
const TMP_SUFFIX = '.tmp';
/** Blobs at least this big bypass the page cache (see sequential-file.ts). */
const DIRECT_MIN_BYTES = 8 * 1024 * 1024;
/** A file's last parts are joined into one write up to this size. */
const JOIN_MAX_BYTES = 1024 * 1024;
const bytes = (n: number): string => `${n.toLocaleString('en-GB')} bytes`;
/** More than any header the vault writes (one X25519 stanza, about 200 bytes). */
const MAX_HEADER_BYTES = 64 * 1024;

export class BlobStore {
  constructor(
    readonly vaultDir: string,
    private readonly recipient: Recipient,
    private readonly identity: Identity,
  ) {}

  /** Path relative to the vault folder, with forward slashes (as shown by `dossier ls`). */
  relativePath(id: string): string {
    return `${BLOB_DIR}/${id.slice(0, 2)}/${id}.age`;
  }

  path(id: string): string {
    return join(this.vaultDir, this.relativePath(id));
  }

  /**
   * Starts a new blob; `expectedSize` (plaintext bytes, if known) picks the write path. `id`
   * is given when the id was recorded beforehand (ingest/pending-blobs.ts).
   */
  async create(expectedSize = 0, id = newId()): Promise<BlobWriter> {
    const dir = join(this.vaultDir, BLOB_DIR, id.slice(0, 2));
    const final = this.path(id);
    const tmp = final + TMP_SUFFIX;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = await SequentialFileWriter.create(tmp, {
        direct: expectedSize >= DIRECT_MIN_BYTES,
      });
      return new BlobWriter(id, file, tmp, final, new AgeEncryptor([this.recipient]));
    } catch (e) {
      throw asIoError(e, tmp);
    }
  }

  /**
   * Starts a blob under its final name, its header written and its directory entry made
   * durable now, so that committing it later is one write and one fsync (a redacted copy's
   * file, begun while its PNG is encoded). Only for an id recorded as pending first: a
   * process killed before the commit leaves a file unlock finds by that record and deletes.
   */
  async createInPlace(id: string): Promise<BlobWriter> {
    const dir = join(this.vaultDir, BLOB_DIR, id.slice(0, 2));
    const final = this.path(id);
    let w: BlobWriter | null = null;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = await SequentialFileWriter.create(final, { direct: false });
      w = new BlobWriter(id, file, final, final, new AgeEncryptor([this.recipient]), true);
      await w.start();
      await fsyncDir(dir);
      return w;
    } catch (e) {
      await w?.abort();
      throw asIoError(e, final);
    }
  }

  /** Stores a small buffer (a thumbnail) as a committed blob; returns its id. */
  async putBuffer(data: Buffer, id = newId()): Promise<string> {
    const w = await this.create(data.length, id);
    try {
      await w.commitWith(data);
      return w.id;
    } catch (e) {
      await w.abort();
      throw e;
    }
  }

  /**
   * A small blob's whole plaintext, every chunk authenticated; for one held whole anyway.
   * `plainSize` is what it should hold: a file far larger is refused unread (a swapped blob
   * must not make the vault read gigabytes).
   */
  async readWhole(id: string, plainSize: number): Promise<Buffer> {
    const fh = await open(this.path(id), 'r');
    try {
      const { size } = await fh.stat();
      if (size > encryptedPayloadSize(plainSize) + MAX_HEADER_BYTES) {
        throw new AgeError(
          'PAYLOAD',
          `The file on disk is ${bytes(size)}, far more than the ${bytes(plainSize)} it should hold.`,
        );
      }
      return decrypt(await fh.readFile(), [this.identity], { armored: false });
    } finally {
      await fh.close();
    }
  }

  open(id: string): Promise<AgeFileReader> {
    return AgeFileReader.open(this.path(id), [this.identity]);
  }

  /** Opens any age file (e.g. one in quarantine/) with the vault's identity. */
  openFile(path: string): Promise<AgeFileReader> {
    return AgeFileReader.open(path, [this.identity]);
  }

  async remove(id: string): Promise<void> {
    await unlink(this.path(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw asIoError(e, this.path(id));
    });
  }

  /**
   * What is on disk under blobs/, each file by its real path relative to the vault folder
   * (for the integrity check and the start-up clean-up). Nothing is changed.
   */
  async scan(): Promise<BlobScan> {
    const root = join(this.vaultDir, BLOB_DIR);
    const out: BlobScan = { blobs: [], strays: [], temps: [], others: [] };
    let shards;
    try {
      shards = await readdir(root, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw asIoError(e, root);
    }
    for (const shard of shards) {
      if (!shard.isDirectory()) {
        out.others.push(`${BLOB_DIR}/${shard.name}`);
        continue;
      }
      let names;
      try {
        names = await readdir(join(root, shard.name), { withFileTypes: true });
      } catch (e) {
        throw asIoError(e, join(root, shard.name));
      }
      for (const f of names) {
        const rel = `${BLOB_DIR}/${shard.name}/${f.name}`;
        const id = f.name.replace(/\.age(\.tmp)?$/, '');
        const ours = f.isFile() && ID_PATTERN.test(id) && shard.name === id.slice(0, 2);
        if (ours && f.name === `${id}.age`) out.blobs.push(id);
        else if (ours && f.name === `${id}.age${TMP_SUFFIX}`) out.temps.push(rel);
        else if (f.isFile() && f.name.endsWith('.age')) out.strays.push(rel);
        else out.others.push(rel);
      }
    }
    return out;
  }

  /** Removes a temp file the scan found (a write that never finished). */
  async removeTemp(rel: string): Promise<void> {
    await unlink(join(this.vaultDir, rel)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw asIoError(e, join(this.vaultDir, rel));
    });
  }
}

export interface BlobScan {
  /** Ids of blobs where they belong: blobs/<first two chars>/<id>.age. */
  blobs: string[];
  /** Other .age files under blobs/ (wrong shard, a name that is not an id), by real path. */
  strays: string[];
  /** blobs/<xx>/<id>.age.tmp: writes that never finished, the only files Dossier removes. */
  temps: string[];
  /** Anything else under blobs/, by real path; never touched. */
  others: string[];
}

export class BlobWriter {
  private started = false;
  private presealed = false;
  private done = false;
  /** Finished and in place: abort() leaves it (discard() removes it). */
  private committed = false;

  constructor(
    readonly id: string,
    private readonly file: SequentialFileWriter,
    private readonly tmpPath: string,
    private readonly finalPath: string,
    private readonly encryptor: AgeEncryptor,
    /** Written under its final name (BlobStore.createInPlace): nothing to move at the end. */
    private readonly inPlace = false,
  ) {}

  /** Writes the header now (a file begun ahead of its contents). */
  async start(): Promise<void> {
    if (!this.started) await this.put(this.encryptor.header);
  }

  /** Encrypts and writes; the caller may reuse `plain` once the promise resolves. */
  async write(plain: Buffer): Promise<void> {
    if (this.presealed) throw new Error('blob: write() after writeSealed()');
    if (!this.started) await this.put(this.encryptor.header);
    const out = this.encryptor.push(plain);
    if (out.length > 0) await this.put(out);
  }

  /** The STREAM key, for sealing this blob's chunks elsewhere (see SealWorker). */
  get payloadKey(): Buffer {
    return this.encryptor.payloadKey;
  }

  /**
   * Writes chunks already sealed with payloadKey, in order, the last one flagged. Use this
   * or write(), never both, for one blob.
   */
  async writeSealed(ciphertext: Buffer): Promise<void> {
    if (!this.started) await this.put(this.encryptor.header);
    this.presealed = true;
    await this.put(ciphertext);
  }

  private async put(buf: Buffer): Promise<void> {
    this.started = true;
    try {
      await this.file.write(buf);
    } catch (e) {
      throw asIoError(e, this.tmpPath);
    }
  }

  /** Finishes the age file, fsyncs it and moves it into place. */
  async commit(): Promise<void> {
    await this.finishWith(null);
  }

  /**
   * write(plain) and commit() with the rest of the file in one write: a whole small file
   * (a preview, a copy, an attachment) costs one write and one fsync, not three writes.
   */
  async commitWith(plain: Buffer): Promise<void> {
    if (this.presealed) throw new Error('blob: commitWith() after writeSealed()');
    await this.finishWith(plain);
  }

  private async finishWith(plain: Buffer | null): Promise<void> {
    try {
      const parts: Buffer[] = [];
      if (!this.started) parts.push(this.encryptor.header);
      if (plain) parts.push(this.encryptor.push(plain));
      if (!this.presealed) parts.push(this.encryptor.final());
      const size = parts.reduce((n, p) => n + p.length, 0);
      // Joined when small; a large file's parts are written as they are, not copied again.
      if (size <= JOIN_MAX_BYTES) await this.put(Buffer.concat(parts));
      else for (const p of parts) await this.put(p);
      await this.file.finish();
      this.done = true;
      this.encryptor.wipe();
      if (!this.inPlace) {
        await rename(this.tmpPath, this.finalPath);
        await fsyncDir(join(this.finalPath, '..'));
      }
      this.committed = true;
    } catch (e) {
      await this.abort();
      throw asIoError(e, this.tmpPath);
    }
  }

  /**
   * Removes whatever was written, unless it was committed: a writer that may or may not have
   * been used is let go with abort(). Safe to call more than once.
   */
  async abort(): Promise<void> {
    this.encryptor.wipe();
    if (this.committed) return;
    if (!this.done) {
      this.done = true;
      await this.file.abort();
    }
    await unlink(this.tmpPath).catch(() => undefined);
  }

  /** Removes a committed blob that turned out not to be needed (a duplicate). */
  async discard(): Promise<void> {
    await this.abort();
    await unlink(this.finalPath).catch(() => undefined);
  }
}
