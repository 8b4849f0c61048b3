import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AgeEncryptor, AgeFileReader, type Identity, type Recipient } from '../age';
import { asIoError, fsyncDir } from '../fs-safety';
import { newId } from '../ids';

/**
 * Blobs are age v1 files under blobs/<first two chars of id>/<id>.age, encrypted to
 * the vault's own X25519 recipient. Ids are random, never the content hash.
 * A blob is written to <id>.age.tmp, fsynced, then renamed: a complete file is on
 * disk before any database row refers to it.
 */
export const BLOB_DIR = 'blobs';
const TMP_SUFFIX = '.tmp';

export class BlobStore {
  constructor(
    private readonly vaultDir: string,
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

  async create(): Promise<BlobWriter> {
    const id = newId();
    const dir = join(this.vaultDir, BLOB_DIR, id.slice(0, 2));
    const final = this.path(id);
    const tmp = final + TMP_SUFFIX;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const handle = await open(tmp, 'wx', 0o600);
      return new BlobWriter(id, handle, tmp, final, new AgeEncryptor([this.recipient]));
    } catch (e) {
      throw asIoError(e, tmp);
    }
  }

  /** Stores a small buffer (a thumbnail) as a committed blob; returns its id. */
  async putBuffer(data: Buffer): Promise<string> {
    const w = await this.create();
    try {
      await w.write(data);
      await w.commit();
      return w.id;
    } catch (e) {
      await w.abort();
      throw e;
    }
  }

  open(id: string): Promise<AgeFileReader> {
    return AgeFileReader.open(this.path(id), [this.identity]);
  }

  async remove(id: string): Promise<void> {
    await unlink(this.path(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw asIoError(e, this.path(id));
    });
  }

  /** Every blob file and leftover temp file on disk (for the integrity check and clean-up). */
  async scan(): Promise<{ blobs: string[]; temps: string[] }> {
    const root = join(this.vaultDir, BLOB_DIR);
    const blobs: string[] = [];
    const temps: string[] = [];
    let shards: string[];
    try {
      shards = await readdir(root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { blobs, temps };
      throw asIoError(e, root);
    }
    for (const shard of shards) {
      for (const name of await readdir(join(root, shard)).catch(() => [] as string[])) {
        if (name.endsWith(TMP_SUFFIX)) temps.push(`${BLOB_DIR}/${shard}/${name}`);
        else if (name.endsWith('.age')) blobs.push(name.slice(0, -'.age'.length));
      }
    }
    return { blobs, temps };
  }

  async removeRelative(rel: string): Promise<void> {
    await unlink(join(this.vaultDir, rel)).catch(() => undefined);
  }
}

export class BlobWriter {
  private written = 0;
  private done = false;

  constructor(
    readonly id: string,
    private readonly handle: FileHandle,
    private readonly tmpPath: string,
    private readonly finalPath: string,
    private readonly encryptor: AgeEncryptor,
  ) {}

  /** Encrypts and writes; the caller may reuse `plain` once the promise resolves. */
  async write(plain: Buffer): Promise<void> {
    if (this.written === 0) await this.put(this.encryptor.header);
    const out = this.encryptor.push(plain);
    if (out.length > 0) await this.put(out);
  }

  private async put(buf: Buffer): Promise<void> {
    try {
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await this.handle.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
      this.written += buf.length;
    } catch (e) {
      throw asIoError(e, this.tmpPath);
    }
  }

  /** Finishes the age file, fsyncs it and moves it into place. */
  async commit(): Promise<void> {
    try {
      if (this.written === 0) await this.put(this.encryptor.header);
      await this.put(this.encryptor.final());
      await this.handle.sync();
      await this.handle.close();
      this.done = true;
      await rename(this.tmpPath, this.finalPath);
      await fsyncDir(join(this.finalPath, '..'));
    } catch (e) {
      await this.abort();
      throw asIoError(e, this.tmpPath);
    }
  }

  /** Removes whatever was written. Safe to call more than once. */
  async abort(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.handle.close().catch(() => undefined);
    }
    await unlink(this.tmpPath).catch(() => undefined);
  }

  /** Removes a committed blob that turned out not to be needed (a duplicate). */
  async discard(): Promise<void> {
    await this.abort();
    await unlink(this.finalPath).catch(() => undefined);
  }
}
