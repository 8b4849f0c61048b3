import { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, SEALED_CHUNK_SIZE, sealChunks } from './age/stream';
import { SLOT_BYTES } from './hash-worker';

/**
 * Age STREAM sealing on another core, for big blobs: the reader's slots (shared with the
 * hash worker) are sealed here into a pool of output slots, so one pass over a file costs
 * the slowest of reading, hashing and encrypting rather than their sum. The worker runs
 * `sealChunks` from its source text: the same code as every other age file we write.
 */
const OUT_SLOT_BYTES = (SLOT_BYTES / CHUNK_SIZE) * SEALED_CHUNK_SIZE;
const OUT_SLOTS = 6;

const source = (): string => `
const { parentPort } = require('node:worker_threads');
const { createCipheriv } = require('node:crypto');
const sealChunks = ${sealChunks.toString()};
let input = null;
let output = null;
parentPort.on('message', (m) => {
  if (m.op === 'pools') {
    input = m.input;
    output = m.output;
    return;
  }
  const plain = new Uint8Array(input, m.inOffset, m.length);
  const out = new Uint8Array(output, m.outSlot * ${OUT_SLOT_BYTES}, ${OUT_SLOT_BYTES});
  const end = sealChunks(createCipheriv, m.key, m.firstIndex, m.lastIndex, plain, out, 0);
  parentPort.postMessage({ seq: m.seq, length: end });
});
`;

export interface Sealed {
  /** The ciphertext: a view into an output slot, valid until release(). */
  data: Buffer;
  release(): void;
}

export class SealWorker {
  private readonly worker: Worker;
  private readonly output = new SharedArrayBuffer(OUT_SLOTS * OUT_SLOT_BYTES);
  private readonly free: number[] = Array.from({ length: OUT_SLOTS }, (_, i) => i);
  private readonly waiting: ((slot: number) => void)[] = [];
  private readonly pending = new Map<number, { slot: number; resolve: (s: Sealed) => void }>();
  private seq = 0;
  private failure: Error | null = null;

  /** `input` is the shared pool the chunks to seal live in (HashWorker.pool). */
  constructor(private readonly input: SharedArrayBuffer) {
    this.worker = new Worker(source(), { eval: true });
    this.worker.unref();
    this.worker.postMessage({ op: 'pools', input, output: this.output });
    this.worker.on('message', (m: { seq: number; length: number }) => {
      const job = this.pending.get(m.seq);
      if (!job) return;
      this.pending.delete(m.seq);
      job.resolve({
        data: Buffer.from(this.output, job.slot * OUT_SLOT_BYTES, m.length),
        release: () => this.give(job.slot),
      });
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      for (const wake of this.waiting.splice(0)) wake(-1);
    });
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
    const slot =
      this.free.pop() ?? (await new Promise<number>((resolve) => this.waiting.push(resolve)));
    if (slot < 0 || this.failure) throw this.failure ?? new Error('seal worker stopped');
    const seq = ++this.seq;
    return new Promise<Sealed>((resolve) => {
      this.pending.set(seq, { slot, resolve });
      this.worker.postMessage({
        seq,
        key,
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

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
