import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { asIoError } from '../fs-safety';

/**
 * Rows read from an export, held on disk until the one transaction that saves the import.
 * That transaction is synchronous (nothing else may run inside it), while reading is not;
 * a 1 GiB mailbox's messages do not fit in memory, so they wait here. Each batch is sealed
 * (ChaCha20-Poly1305) under a key that only ever lives in this process's memory: no message
 * text reaches the disk readable, and a file left by a killed process is noise. The file is a
 * temp name unlock already removes (blobs/xx/<id>.age.tmp).
 */
const BATCH_BYTES = 1024 * 1024;
const TAG = 16;

export class StagedRows<T> {
  private pending: string[] = [];
  private pendingBytes = 0;
  private counter = 0;
  private closed = false;
  count = 0;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly key: Buffer,
  ) {}

  static async create<T>(path: string): Promise<StagedRows<T>> {
    try {
      const handle = await open(path, 'wx', 0o600);
      return new StagedRows<T>(path, handle, randomBytes(32));
    } catch (e) {
      throw asIoError(e, path);
    }
  }

  async push(row: T): Promise<void> {
    const line = JSON.stringify(row);
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.count++;
    if (this.pendingBytes >= BATCH_BYTES) await this.flush();
  }

  private nonce(n: number): Buffer {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(n, 8);
    return iv;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const plain = Buffer.from(this.pending.join('\n'), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    const cipher = createCipheriv('chacha20-poly1305', this.key, this.nonce(this.counter++), {
      authTagLength: TAG,
    });
    const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(sealed.length);
    try {
      await this.handle.write(Buffer.concat([head, sealed]));
    } catch (e) {
      throw asIoError(e, this.path);
    }
  }

  /** Writes what is left; call once, before read(). */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle.close();
    this.closed = true;
  }

  /** The rows in the order pushed, read synchronously (inside a transaction). */
  *read(): Generator<T, void, undefined> {
    const fd = openSync(this.path, 'r');
    try {
      let position = 0;
      for (let n = 0; ; n++) {
        const head = Buffer.alloc(4);
        if (readSync(fd, head, 0, 4, position) < 4) return;
        const size = head.readUInt32BE();
        const sealed = Buffer.allocUnsafe(size);
        if (readSync(fd, sealed, 0, size, position + 4) < size)
          throw new Error('staged rows: cut short');
        position += 4 + size;
        const decipher = createDecipheriv('chacha20-poly1305', this.key, this.nonce(n), {
          authTagLength: TAG,
        });
        decipher.setAuthTag(sealed.subarray(size - TAG));
        const plain = Buffer.concat([
          decipher.update(sealed.subarray(0, size - TAG)),
          decipher.final(),
        ]);
        for (const line of plain.toString('utf8').split('\n')) yield JSON.parse(line) as T;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the file; safe to call more than once. */
  async discard(): Promise<void> {
    this.key.fill(0);
    if (!this.closed) await this.handle.close().catch(() => undefined);
    this.closed = true;
    await unlink(this.path).catch(() => undefined);
  }
}
