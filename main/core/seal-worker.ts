import type { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from './age/stream';
import { SLOT_BYTES } from './hash-worker';
import { startThread } from './threads/start';

/**
 * Age STREAM sealing on another core, for big blobs: the reader's slots (shared with the
 * hash worker) are sealed here into a pool of output slots, so one pass over a file costs
 * the slowest of reading, hashing and encrypting rather than their sum. The thread
 * (threads/seal.ts) runs `sealChunks`, the same code as every other age file we write.
 *
 * A job's STREAM key goes through shared memory, one key per output slot, never through a
 * message (a message is copied, and its copies cannot be wiped). It is zeroed as soon as
 * the job is done, and every key is zeroed when the worker closes or fails.
 */
export const OUT_SLOT_BYTES = (SLOT_BYTES / CHUNK_SIZE) * SEALED_CHUNK_SIZE;
export const OUT_SLOTS = 6;
export const KEY_BYTES = 32;

/** What the host sends the seal thread (threads/seal.ts). */
export type ToSealThread =
  | { op: 'pools'; input: SharedArrayBuffer; output: SharedArrayBuffer; keys: SharedArrayBuffer }
  | {
      op: 'seal';
      seq: number;
      firstIndex: number;
      lastIndex: number;
      inOffset: number;
      length: number;
      outSlot: number;
    };

export type FromSealThread =
  { seq: number; length: number } | { seq: number; length: -1; message: string };

export interface Sealed {
  /** The ciphertext: a view into an output slot, valid until release(). */
  data: Buffer;
  release(): void;
}

interface Job {
  slot: number;
  resolve: (s: Sealed) => void;
  reject: (e: Error) => void;
}

export class SealWorker {
  private readonly worker: Worker;
  private readonly output = new SharedArrayBuffer(OUT_SLOTS * OUT_SLOT_BYTES);
  /** @internal One STREAM key per output slot; exposed so tests can see it wiped. */
  readonly keys = new Uint8Array(new SharedArrayBuffer(OUT_SLOTS * KEY_BYTES));
  private readonly free: number[] = Array.from({ length: OUT_SLOTS }, (_, i) => i);
  private readonly waiting: ((slot: number) => void)[] = [];
  private readonly pending = new Map<number, Job>();
  private seq = 0;
  private failure: Error | null = null;

  /** `input` is the shared pool the chunks to seal live in (HashWorker.pool). */
  constructor(private readonly input: SharedArrayBuffer) {
    this.worker = startThread('seal');
    this.worker.unref();
    this.send({ op: 'pools', input, output: this.output, keys: this.keys.buffer });
    this.worker.on('message', (m: FromSealThread) => {
      const job = this.pending.get(m.seq);
      if (!job) return;
      this.pending.delete(m.seq);
      this.wipeKey(job.slot);
      if ('message' in m) {
        this.give(job.slot);
        job.reject(new Error(`The encryption worker could not seal a chunk: ${m.message}.`));
        return;
      }
      job.resolve({
        data: Buffer.from(this.output, job.slot * OUT_SLOT_BYTES, m.length),
        release: () => this.give(job.slot),
      });
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error('The encryption worker stopped.')));
  }

  private send(m: ToSealThread): void {
    this.worker.postMessage(m);
  }

  private wipeKey(slot: number): void {
    this.keys.fill(0, slot * KEY_BYTES, (slot + 1) * KEY_BYTES);
  }

  /** Wipes every key and answers every waiting caller with the failure. */
  private fail(e: Error): void {
    this.failure ??= e;
    this.keys.fill(0);
    for (const wake of this.waiting.splice(0)) wake(-1);
    for (const job of this.pending.values()) job.reject(this.failure);
    this.pending.clear();
  }

  /**
   * Seals `plain` (a view into the input pool, at most one slot) as chunks numbered from
   * `firstIndex`; chunk `lastIndex` gets the last flag. Resolves in call order.
   */
  async seal(
    key: Buffer,
    firstIndex: number,
    lastIndex: number,
    plain: Uint8Array,
  ): Promise<Sealed> {
    if (plain.buffer !== this.input)
      throw new TypeError('seal: the chunk must live in the shared input pool');
    if (key.length !== KEY_BYTES) throw new TypeError('seal: the STREAM key must be 32 bytes');
    if (this.failure) throw this.failure;
    const slot =
      this.free.pop() ?? (await new Promise<number>((resolve) => this.waiting.push(resolve)));
    if (slot < 0 || this.failure) throw this.failure ?? new Error('The encryption worker stopped.');
    const seq = ++this.seq;
    this.keys.set(key, slot * KEY_BYTES);
    return new Promise<Sealed>((resolve, reject) => {
      this.pending.set(seq, { slot, resolve, reject });
      this.send({
        op: 'seal',
        seq,
        firstIndex,
        lastIndex,
        inOffset: plain.byteOffset,
        length: plain.length,
        outSlot: slot,
      });
    });
  }

  private give(slot: number): void {
    const wake = this.waiting.shift();
    if (wake) wake(slot);
    else this.free.push(slot);
  }

  /** Stops the thread; keys are wiped and pending jobs rejected. */
  async close(): Promise<void> {
    this.fail(new Error('The encryption worker was closed.'));
    await this.worker.terminate();
    this.keys.fill(0); // again: the thread may have been mid-job
  }
}
