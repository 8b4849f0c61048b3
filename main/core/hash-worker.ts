import { Worker } from 'node:worker_threads';

/**
 * SHA-256 or SHA-512 on a second core: ingest encrypts (and export decrypts) on its own
 * thread while this worker hashes the same bytes, so one pass costs the slower of the
 * two, not their sum. Bytes move through a fixed pool of slots in shared memory: the
 * caller reads straight into a slot (`slot()`), hands it over (`update`), and the slot
 * comes back when the worker has hashed it. No copies, no fresh memory per chunk, and
 * memory stays bounded by the pool.
 */
export const SLOT_BYTES = 1024 * 1024;
const SLOTS = 8;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
let pool = null;
parentPort.on('message', (m) => {
  if (m.op === 'pool') pool = m.pool;
  else if (m.op === 'start') hashes.set(m.id, createHash(m.algorithm));
  else if (m.op === 'update') {
    const h = hashes.get(m.id);
    if (h) h.update(new Uint8Array(pool, m.slot * ${SLOT_BYTES}, m.length));
    parentPort.postMessage({ op: 'free', slot: m.slot });
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ op: 'digest', id: m.id, hex: h.digest('hex') });
  } else if (m.op === 'drop') hashes.delete(m.id);
});
`;

export class HashWorker {
  private readonly worker: Worker;
  readonly pool = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
  /** Who still needs each slot: the hash worker, plus anyone who retain()ed it. */
  private readonly holds = new Uint8Array(SLOTS);
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  private readonly waiting: ((slot: number) => void)[] = [];
  private readonly digests = new Map<number, (hex: string) => void>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.postMessage({ op: 'pool', pool: this.pool });
    this.worker.on(
      'message',
      (m: { op: 'free' | 'digest'; slot?: number; id?: number; hex?: string }) => {
        if (m.op === 'free') this.release(m.slot!);
        else {
          this.digests.get(m.id!)?.(m.hex!);
          this.digests.delete(m.id!);
        }
      },
    );
    this.worker.on('error', (e) => {
      this.failure = e;
      for (const wake of this.waiting.splice(0)) wake(-1);
    });
  }

  start(algorithm: 'sha256' | 'sha512' = 'sha256'): HashJob {
    const id = this.nextId++;
    this.worker.postMessage({ op: 'start', id, algorithm });
    return new HashJob(this, id);
  }

  /** A free slot (waits while all are being hashed). */
  async slot(): Promise<Buffer> {
    if (this.failure) throw this.failure;
    const index =
      this.free.pop() ?? (await new Promise<number>((resolve) => this.waiting.push(resolve)));
    if (index < 0) throw this.failure ?? new Error('hash worker stopped');
    this.holds[index] = 1;
    return Buffer.from(this.pool, index * SLOT_BYTES, SLOT_BYTES);
  }

  /** Keeps a slot from being reused until releaseSlot() (another reader, e.g. the seal worker). */
  retain(view: Uint8Array): void {
    this.holds[Math.floor(view.byteOffset / SLOT_BYTES)]!++;
  }

  releaseSlot(view: Uint8Array): void {
    this.release(Math.floor(view.byteOffset / SLOT_BYTES));
  }

  private release(index: number): void {
    if (--this.holds[index]! > 0) return;
    const wake = this.waiting.shift();
    if (wake) wake(index);
    else this.free.push(index);
  }

  /** @internal Hands over a chunk: one of our slots as is, anything else copied into slots. */
  async update(id: number, chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (chunk.buffer === this.pool) {
      const slot = Math.floor(chunk.byteOffset / SLOT_BYTES);
      this.worker.postMessage({ op: 'update', id, slot, length: chunk.length });
      return;
    }
    for (let at = 0; at < chunk.length; at += SLOT_BYTES) {
      const piece = chunk.subarray(at, at + SLOT_BYTES);
      const target = await this.slot();
      target.set(piece);
      await this.update(id, target.subarray(0, piece.length));
    }
  }

  /** @internal */
  digest(id: number): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => {
      this.digests.set(id, resolve);
      this.worker.postMessage({ op: 'digest', id });
    });
  }

  /** @internal */
  drop(id: number): void {
    this.worker.postMessage({ op: 'drop', id });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

export class HashJob {
  constructor(
    private readonly owner: HashWorker,
    private readonly id: number,
  ) {}

  /** A slot to read into; pass (a prefix of) it to update() to hash it without a copy. */
  slot(): Promise<Buffer> {
    return this.owner.slot();
  }

  /**
   * Queues `chunk` for hashing, in order. A slot from slot() is handed over and must not be
   * touched again; any other buffer is copied and may be reused once this resolves.
   */
  update(chunk: Uint8Array): Promise<void> {
    return this.owner.update(this.id, chunk);
  }

  digest(): Promise<string> {
    return this.owner.digest(this.id);
  }

  /** Forgets a hash that will not be finished (a failed or cancelled file). */
  abandon(): void {
    this.owner.drop(this.id);
  }
}
