import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Writes a large file front to back, durably. On Linux it bypasses the page cache
 * (O_DIRECT): a multi-GB encrypted blob is not read back soon, and on the machines we
 * measured, filling the page cache cost ~6x more than the write itself (docs/architecture.md).
 * O_DIRECT needs the memory, the file offset and the length aligned to the device block,
 * and Node cannot allocate aligned memory, so the writer finds an aligned window in a
 * slightly larger buffer by probing once. Where O_DIRECT is unavailable (tmpfs, macOS,
 * Windows) it writes through the cache as usual. Two staging buffers let one write run
 * while the next fills.
 */
const BLOCK = 4096;
const STAGE = 4 * 1024 * 1024;

export class SequentialFileWriter {
  private stages: Buffer[] = [];
  private current = 0;
  private fill = 0;
  private position = 0;
  private inFlight: Promise<unknown> | null = null;
  /** A failed background write (a full disk), reported at the next call. */
  private failure: unknown = null;
  private written = 0;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    private readonly direct: boolean,
  ) {}

  /** Creates `path` (must not exist) with mode 0600. `direct` is a request, not a promise. */
  static async create(path: string, opts: { direct: boolean }): Promise<SequentialFileWriter> {
    const O_DIRECT = (constants as { O_DIRECT?: number }).O_DIRECT;
    if (opts.direct && O_DIRECT !== undefined) {
      let handle: FileHandle | null = null;
      try {
        handle = await open(
          path,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_DIRECT,
          0o600,
        );
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
      }
      if (handle) {
        const stages = [await alignedStage(handle), await alignedStage(handle)];
        if (stages[0] && stages[1]) {
          const w = new SequentialFileWriter(path, handle, true);
          w.stages = stages as Buffer[];
          return w;
        }
        // No aligned window found: write through the cache instead (the file is still empty of data).
        await handle.close();
        const buffered = await open(path, 'w', 0o600);
        return new SequentialFileWriter(path, buffered, false);
      }
    }
    return new SequentialFileWriter(path, await open(path, 'wx', 0o600), false);
  }

  /** Bytes accepted so far. */
  get size(): number {
    return this.written;
  }

  /** Queues `data`; the caller may reuse its buffer once this resolves. */
  async write(data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.written += data.length;
    if (!this.direct) {
      await writeAll(this.handle, data, this.position);
      this.position += data.length;
      return;
    }
    let off = 0;
    while (off < data.length) {
      const stage = this.stages[this.current]!;
      const n = data.copy(stage, this.fill, off);
      this.fill += n;
      off += n;
      if (this.fill === STAGE) await this.flushStage(STAGE);
    }
  }

  private async flushStage(length: number): Promise<void> {
    await this.settle();
    const stage = this.stages[this.current]!;
    // Runs while the next stage fills; its error is kept for the next call, never left unhandled.
    this.inFlight = writeAll(this.handle, stage.subarray(0, length), this.position).catch(
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    this.position += length;
    this.current ^= 1;
    this.fill = 0;
  }

  /** Writes what is left, sets the exact length, fsyncs and closes. */
  async finish(): Promise<void> {
    if (this.direct) {
      const tail = this.fill;
      const aligned = tail - (tail % BLOCK);
      const rest = Buffer.from(this.stages[this.current]!.subarray(aligned, tail));
      if (aligned > 0) await this.flushStage(aligned);
      await this.settle();
      this.inFlight = null;
      await this.handle.close();
      // The unaligned tail, and the exact length, go through an ordinary descriptor.
      this.handle = await open(this.path, 'r+');
      if (rest.length > 0) await writeAll(this.handle, rest, this.position);
      await this.handle.truncate(this.written);
    }
    await this.handle.sync();
    await this.handle.close();
  }

  private async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  /** Closes without finishing; the caller removes the file. */
  async abort(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

async function writeAll(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await handle.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

/** Finds a block-aligned STAGE-byte window by probing an O_DIRECT write at offset 0. */
async function alignedStage(handle: FileHandle): Promise<Buffer | null> {
  const raw = Buffer.allocUnsafeSlow(STAGE + BLOCK);
  for (let k = 0; k < BLOCK; k += 16) {
    try {
      await handle.write(raw, k, BLOCK, 0);
      return raw.subarray(k, k + STAGE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
  }
  return null;
}
