import type { Worker } from 'node:worker_threads';
import { startThread } from './threads/start';

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

/** What the host sends the hash thread (threads/hash.ts). */
export type ToHashThread =
  | { op: 'pool'; pool: SharedArrayBuffer }
  | { op: 'start'; id: number; algorithm: 'sha256' | 'sha512' }
  | { op: 'update'; id: number; slot: number; length: number }
  | { op: 'digest'; id: number }
  | { op: 'drop'; id: number };

export type FromHashThread =
  | { op: 'free'; slot: number }
  | { op: 'digest'; id: number; hex: string }
  | { op: 'failed'; id: number; message: string };

export class HashWorker {
  private readonly worker: Worker;
  readonly pool: SharedArrayBuffer;
  /** Whose slots these are: this worker's, or those of the worker it shares a pool with. */
  private readonly owner: HashWorker;
  /** Who still needs each slot: the hash worker, plus anyone who retain()ed it. */
  private readonly holds = new Uint8Array(SLOTS);
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  private readonly waiting: ((slot: number) => void)[] = [];
  private readonly digests = new Map<
    number,
    { resolve: (hex: string) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | null = null;

  /**
   * `sharing`: hash the slots of that worker's pool too (a second hash on another core, e.g.
   * SHA-256 beside SHA-512). A slot handed to both must be retain()ed once more first.
   */
  constructor(sharing?: HashWorker) {
    this.owner = sharing?.owner ?? this;
    this.pool = sharing ? sharing.pool : new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    this.worker = startThread('hash');
    this.worker.unref();
    this.send({ op: 'pool', pool: this.pool });
    this.worker.on('message', (m: FromHashThread) => {
      if (m.op === 'free') return this.owner.release(m.slot);
      const waiter = this.digests.get(m.id);
      this.digests.delete(m.id);
      if (m.op === 'digest') waiter?.resolve(m.hex);
      else waiter?.reject(new Error(`The hash worker could not finish: ${m.message}.`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error('The hash worker stopped.')));
  }

  private send(m: ToHashThread): void {
    this.worker.postMessage(m);
  }

  /** Every waiting caller hears of the failure; nothing is left hanging. */
  private fail(e: Error): void {
    this.failure ??= e;
    for (const wake of this.waiting.splice(0)) wake(-1);
    for (const { reject } of this.digests.values()) reject(this.failure);
    this.digests.clear();
  }

  start(algorithm: 'sha256' | 'sha512' = 'sha256'): HashJob {
    const id = this.nextId++;
    this.send({ op: 'start', id, algorithm });
    return new HashJob(this, id);
  }

  /** A free slot (waits while all are being hashed). */
  async slot(): Promise<Buffer> {
    if (this.failure) throw this.failure;
    if (this.owner !== this) return this.owner.slot();
    const index =
      this.free.pop() ?? (await new Promise<number>((resolve) => this.waiting.push(resolve)));
    if (index < 0) throw this.failure ?? new Error('hash worker stopped');
    this.holds[index] = 1;
    return Buffer.from(this.pool, index * SLOT_BYTES, SLOT_BYTES);
  }

  /** Keeps a slot from being reused until releaseSlot() (another reader, e.g. the seal worker). */
  retain(view: Uint8Array): void {
    this.owner.holds[Math.floor(view.byteOffset / SLOT_BYTES)]!++;
  }

  releaseSlot(view: Uint8Array): void {
    this.owner.release(Math.floor(view.byteOffset / SLOT_BYTES));
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
      this.send({ op: 'update', id, slot, length: chunk.length });
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
    return new Promise((resolve, reject) => {
      this.digests.set(id, { resolve, reject });
      this.send({ op: 'digest', id });
    });
  }

  /** @internal */
  drop(id: number): void {
    if (!this.failure) this.send({ op: 'drop', id });
  }

  /** Stops the thread; pending digests are rejected and the pool (plaintext) is zeroed. */
  async close(): Promise<void> {
    this.fail(new Error('The hash worker was closed.'));
    await this.worker.terminate();
    if (this.owner === this) new Uint8Array(this.pool).fill(0);
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
