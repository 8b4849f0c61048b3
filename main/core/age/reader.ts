/**
 * Random access into an age file on disk: STREAM chunks are independent, so a range
 * needs only the chunks that cover it (for seeking in video without decrypting it all).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { unlockHeader } from './age';
import { AgeError } from './errors';
import { parseHeader } from './format';
import { wipe } from './primitives';
import type { ParsedHeader } from './format';
import {
  CHUNK_SIZE,
  NONCE_SIZE,
  PayloadOpener,
  payloadKey,
  payloadLayout,
  SEALED_CHUNK_SIZE,
} from './stream';
import type { Identity } from './types';

/** Headers are small; refuse to buffer an unbounded one from a hostile file. */
const MAX_HEADER_SIZE = 4 * 1024 * 1024;
const FIRST_READ = 4096;
/** Chunks decrypted per read() step, bounding scratch memory to about 4 MiB. */
const READ_BATCH = 64;
const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;

async function readFully(fh: FileHandle, into: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

async function readHeader(
  fh: FileHandle,
  fileSize: number,
): Promise<{ h: ParsedHeader; buf: Buffer }> {
  let buf = Buffer.alloc(0);
  for (let want = FIRST_READ; ; want *= 4) {
    const target = Math.min(want, MAX_HEADER_SIZE, fileSize);
    const more = Buffer.allocUnsafe(target - buf.length);
    const got = await readFully(fh, more, buf.length);
    buf = Buffer.concat([buf, more.subarray(0, got)]);
    const h = parseHeader(buf);
    if (h !== null) return { h, buf };
    if (got < more.length || buf.length >= fileSize) {
      throw new AgeError('HEADER', 'The age header is incomplete: the file is truncated or empty.');
    }
    if (buf.length >= MAX_HEADER_SIZE) throw new AgeError('HEADER', 'The age header is too large.');
  }
}

function checkRange(start: number, end: number, size: number): [number, number] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`age: invalid range ${start}..${end}`);
  }
  return [Math.min(start, size), Math.min(end, size)];
}

export class AgeFileReader {
  private closed = false;

  private constructor(
    private readonly fh: FileHandle,
    private readonly opener: PayloadOpener,
    private readonly payloadOffset: number,
    private readonly sealedSize: number,
    /** Plaintext size; trustworthy, as open() verified the chunk marked last. */
    readonly size: number,
  ) {}

  /**
   * Parses the header, unwraps the file key, checks the header MAC, derives the size
   * from the file size, and authenticates the final chunk, so truncation at a chunk
   * boundary is caught here rather than at the end of playback.
   */
  static async open(path: string, identities: readonly Identity[]): Promise<AgeFileReader> {
    const fh = await open(path, 'r');
    try {
      const fileSize = (await fh.stat()).size;
      const { h, buf } = await readHeader(fh, fileSize);
      const fileKey = unlockHeader(h, identities);
      const nonce = Buffer.alloc(NONCE_SIZE);
      const inBuf = buf.copy(nonce, 0, h.length, h.length + NONCE_SIZE);
      let got: number;
      try {
        got = inBuf + (await readFully(fh, nonce.subarray(inBuf), h.length + inBuf));
      } catch (e) {
        wipe(fileKey);
        throw e;
      }
      const key = payloadKey(fileKey, nonce);
      wipe(fileKey);
      if (got < NONCE_SIZE) {
        wipe(key);
        throw new AgeError('TRUNCATED', 'The file is truncated: it ends inside the payload nonce.');
      }
      const payloadOffset = h.length + NONCE_SIZE;
      let layout;
      try {
        layout = payloadLayout(fileSize - payloadOffset);
      } catch (e) {
        wipe(key);
        throw e;
      }
      const opener = new PayloadOpener(key, layout);
      const reader = new AgeFileReader(
        fh,
        opener,
        payloadOffset,
        fileSize - payloadOffset,
        layout.plainSize,
      );
      try {
        await reader.openChunks(layout.chunkCount - 1, 1);
      } catch (e) {
        opener.wipe();
        throw e;
      }
      return reader;
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Reads the sealed bytes of `count` consecutive chunks into `scratch` when it fits. */
  private async readSealed(first: number, count: number, scratch?: Buffer): Promise<Buffer> {
    if (this.closed) throw new Error('age: reader is closed');
    const from = first * SEALED_CHUNK_SIZE;
    const length = Math.min(count * SEALED_CHUNK_SIZE, this.sealedSize - from);
    const sealed =
      scratch !== undefined && scratch.length >= length
        ? scratch.subarray(0, length)
        : Buffer.allocUnsafe(length);
    if ((await readFully(this.fh, sealed, this.payloadOffset + from)) < length) {
      throw new AgeError('TRUNCATED', 'The file became shorter while being read.');
    }
    return sealed;
  }

  /** Authenticates and decrypts consecutive chunks starting at `first`. */
  private openSealed(first: number, sealed: Buffer): Buffer[] {
    const plains: Buffer[] = [];
    for (let at = 0, i = first; at < sealed.length; at += SEALED_CHUNK_SIZE, i++) {
      plains.push(this.opener.open(i, sealed.subarray(at, at + SEALED_CHUNK_SIZE)));
    }
    return plains;
  }

  private async openChunks(first: number, count: number): Promise<Buffer[]> {
    return this.openSealed(first, await this.readSealed(first, count));
  }

  /** Decrypts [start, end) (clamped to the size), touching only the chunks covering it. */
  async read(start: number, endExclusive: number): Promise<Buffer> {
    const [s, e] = checkRange(start, endExclusive, this.size);
    const out = Buffer.allocUnsafe(e - s);
    for await (const { from, plains } of this.batches(s, e, READ_BATCH)) {
      let at = from;
      for (const p of plains) {
        const lo = Math.max(s, at);
        const hi = Math.min(e, at + p.length);
        if (hi > lo) p.copy(out, lo - s, lo - at, hi - at);
        at += p.length;
      }
    }
    return out;
  }

  /** Plaintext of [start, end) in pieces of about highWaterMark bytes, in constant memory. */
  async *stream(
    opts: { start?: number; end?: number; highWaterMark?: number } = {},
  ): AsyncGenerator<Buffer, void, undefined> {
    const [s, e] = checkRange(opts.start ?? 0, opts.end ?? this.size, this.size);
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    for await (const { from, plains } of this.batches(
      s,
      e,
      Math.max(1, Math.floor(hwm / CHUNK_SIZE)),
    )) {
      const joined = plains.length === 1 ? (plains[0] ?? Buffer.alloc(0)) : Buffer.concat(plains);
      yield joined.subarray(Math.max(s, from) - from, Math.min(e, from + joined.length) - from);
    }
  }

  /**
   * The whole plaintext, decrypted straight into buffers the caller hands out (`next`), each
   * filled to its length except the last. For a caller that owns the memory (export: the
   * hash worker's shared slots), so no buffer is allocated or copied per piece here.
   */
  async *streamInto(next: () => Promise<Buffer>): AsyncGenerator<Buffer, void, undefined> {
    let target: Buffer | null = null;
    let fill = 0;
    for await (const { plains } of this.batches(0, this.size, READ_BATCH)) {
      for (const plain of plains) {
        for (let at = 0; at < plain.length;) {
          target ??= await next();
          const n = plain.copy(target, fill, at);
          fill += n;
          at += n;
          if (fill === target.length) {
            yield target;
            target = null;
            fill = 0;
          }
        }
      }
    }
    if (target !== null) yield target.subarray(0, fill);
  }

  /** Authenticated plaintext of the chunks covering [start, end), `batch` chunks at a time. */
  private async *batches(
    start: number,
    end: number,
    batch: number,
  ): AsyncGenerator<{ from: number; plains: Buffer[] }, void, undefined> {
    if (start >= end) return;
    const first = Math.floor(start / CHUNK_SIZE);
    const last = Math.floor((end - 1) / CHUNK_SIZE);
    // Two scratch buffers: the next batch is read while this one is decrypted. Reuse is
    // safe because decryption copies out of a buffer before it is read into again.
    let scratch = Buffer.allocUnsafe(Math.min(batch, last - first + 1) * SEALED_CHUNK_SIZE);
    let spare = Buffer.allocUnsafe(scratch.length);
    const read = (c: number, buf: Buffer): Promise<Buffer> => {
      const p = this.readSealed(c, Math.min(batch, last - c + 1), buf);
      p.catch(() => {}); // observed when awaited; silenced if the consumer stops early
      return p;
    };
    let pending = read(first, scratch);
    for (let c = first; c <= last; c += batch) {
      const sealed = await pending;
      if (c + batch <= last) pending = read(c + batch, spare);
      [scratch, spare] = [spare, scratch];
      yield { from: c * CHUNK_SIZE, plains: this.openSealed(c, sealed) };
    }
  }

  /** Closes the file and zeroes the payload key. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.opener.wipe();
    await this.fh.close();
  }
}
