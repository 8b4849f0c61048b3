import { Worker } from 'node:worker_threads';

/**
 * SHA-256 (or SHA-512) on a second core. Ingest encrypts on its own thread while this worker hashes
 * the same chunks, so one pass over a file costs max(hash, encrypt), not their sum.
 * A chunk that owns its memory is transferred (no copy; the caller must not touch it
 * again), any other is copied. At most MAX_IN_FLIGHT chunks wait in the worker.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'start') hashes.set(m.id, createHash(m.algorithm));
  else if (m.op === 'update') { hashes.get(m.id).update(new Uint8Array(m.data, m.offset, m.length)); parentPort.postMessage({ id: m.id, op: 'ack' }); }
  else if (m.op === 'digest') { const h = hashes.get(m.id); hashes.delete(m.id); parentPort.postMessage({ id: m.id, op: 'digest', hex: h.digest('hex') }); }
  else if (m.op === 'drop') hashes.delete(m.id);
});
`;

const MAX_IN_FLIGHT = 8;

interface Pending {
  inFlight: number;
  wakeUp: (() => void) | null;
  done: ((hex: string) => void) | null;
}

export class HashWorker {
  private readonly worker: Worker;
  private readonly jobs = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; op: 'ack' | 'digest'; hex?: string }) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.op === 'ack') {
        job.inFlight--;
        const wake = job.wakeUp;
        job.wakeUp = null;
        wake?.();
      } else {
        this.jobs.delete(m.id);
        job.done?.(m.hex!);
      }
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      for (const job of this.jobs.values()) job.wakeUp?.();
    });
  }

  start(algorithm: 'sha256' | 'sha512' = 'sha256'): HashJob {
    const id = this.nextId++;
    this.jobs.set(id, { inFlight: 0, wakeUp: null, done: null });
    this.worker.postMessage({ op: 'start', id, algorithm });
    return new HashJob(this, id);
  }

  /** @internal */
  async update(id: number, chunk: Uint8Array, transfer: boolean): Promise<void> {
    const job = this.jobs.get(id)!;
    while (job.inFlight >= MAX_IN_FLIGHT && !this.failure) {
      await new Promise<void>((resolve) => (job.wakeUp = resolve));
    }
    if (this.failure) throw this.failure;
    job.inFlight++;
    if (transfer && chunk.buffer instanceof ArrayBuffer) {
      const message = {
        op: 'update',
        id,
        data: chunk.buffer,
        offset: chunk.byteOffset,
        length: chunk.length,
      };
      this.worker.postMessage(message, [chunk.buffer]);
    } else {
      const copy = new Uint8Array(chunk);
      this.worker.postMessage(
        { op: 'update', id, data: copy.buffer, offset: 0, length: copy.length },
        [copy.buffer],
      );
    }
  }

  /** @internal */
  digest(id: number): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const job = this.jobs.get(id)!;
    return new Promise((resolve) => {
      job.done = resolve;
      this.worker.postMessage({ op: 'digest', id });
    });
  }

  /** @internal */
  drop(id: number): void {
    if (this.jobs.delete(id)) this.worker.postMessage({ op: 'drop', id });
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

  /**
   * Resolves once the chunk is queued. With `transfer`, the chunk's whole ArrayBuffer moves
   * to the worker (it must be the chunk's own, e.g. from Buffer.allocUnsafeSlow) and is
   * unusable here afterwards; without, the caller may reuse its buffer.
   */
  update(chunk: Uint8Array, transfer = false): Promise<void> {
    return this.owner.update(this.id, chunk, transfer);
  }

  readonly transfers = true;

  digest(): Promise<string> {
    return this.owner.digest(this.id);
  }

  /** Forgets a hash that will not be finished (a failed or cancelled file). */
  abandon(): void {
    this.owner.drop(this.id);
  }
}
