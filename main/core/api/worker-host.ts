import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Envelope, EventName, Progress } from '../../../shared/contract';
import type { EvidenceKind, EvidenceResponse } from '../serve/evidence-response';
import type { ApiHost } from './host';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol';

export interface WorkerHostOptions extends WorkerData {
  /** The built service-worker.js (tests: test/support/service-worker.mjs, which loads the .ts). */
  workerFile: string | URL;
}

const STOPPED =
  'The vault engine stopped unexpectedly, so the vault was locked to keep it safe. Unlock it to continue; nothing already saved was lost.';
const LOCKED_WHILE_BUSY =
  'The vault was locked while this was still running, so it was stopped. Nothing already saved was lost; unlock the vault and run it again.';

/** How long a lock waits for the worker to answer before stopping it (lock always wins). */
export const LOCK_GRACE_MS = 1000;

/** A call the worker will never answer: it stopped, or a lock stopped it. */
class WorkerStopped extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The vault service on a worker thread, behind the same ApiHost interface as the in-process
 * DossierService. The main thread only passes messages: it never opens the database,
 * derives a key or decrypts a chunk, so the window stays responsive whatever the vault does.
 * If the worker dies, every pending call is answered with a plain error, a `locked` event is
 * sent, and the next call starts a fresh worker (locked: the keys died with the old one).
 *
 * Lock always wins: a worker that does not answer a lock within LOCK_GRACE_MS (stuck in a
 * long synchronous parse, say) is terminated. Its keys die with the thread, its database
 * connection is closed (an open transaction rolls back), and a half-written blob is a temp
 * file that the next unlock's start-up clean-up removes.
 */
export class ServiceWorkerHost implements ApiHost {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private seq = 0;
  private unlocked = false;
  private closing = false;
  /** Set while lock() stops a busy worker: its pending calls were stopped by the lock. */
  private stopping: Worker | null = null;
  private readonly calls = new Map<number, (m: FromWorker) => void>();
  private readonly streams = new Map<number, (m: FromWorker) => void>();
  private readonly progress = new Map<string, (p: Progress) => void>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  constructor(private readonly options: WorkerHostOptions) {}

  get isUnlocked(): boolean {
    return this.unlocked;
  }

  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async call(
    name: string,
    args: unknown,
    jobId: string | null,
    onProgress: (p: Progress) => void,
  ): Promise<Envelope<unknown>> {
    if (name === 'session.lock') {
      // Not queued behind a busy worker: the lock is answered here, within LOCK_GRACE_MS.
      await this.lock();
      for (const l of this.listeners) l('locked', { reason: 'user' });
      // Answered here: a fresh worker would take a moment to start (as session.status does).
      const exists = await access(join(this.options.vaultDir, 'dossier.json')).then(
        () => true,
        () => false,
      );
      return {
        ok: true,
        value: { state: exists ? 'locked' : 'no-vault', fingerprint: null, notices: [] },
      };
    }
    if (jobId) this.progress.set(jobId, onProgress);
    try {
      const reply = await this.request({ type: 'call', seq: 0, name, args, jobId });
      if (reply.type !== 'reply') throw new Error('unexpected answer');
      this.unlocked = reply.unlocked;
      return reply.envelope;
    } catch (e) {
      const error =
        e instanceof WorkerStopped
          ? { code: e.code, message: e.message }
          : { code: 'INTERNAL', message: STOPPED };
      return { ok: false, error };
    } finally {
      if (jobId) this.progress.delete(jobId);
    }
  }

  cancel(jobId: string): void {
    this.worker?.postMessage({ type: 'cancel', jobId } satisfies ToWorker);
  }

  /** Drops the keys: the worker's lock, or, if it does not answer in time, the worker itself. */
  async lock(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.request({ type: 'lock', seq: 0 }).then(
        () => true,
        () => true, // a worker that died has already dropped its keys
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LOCK_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (!answered && this.worker === worker) {
      this.stopping = worker;
      await worker.terminate();
      this.stopped(worker); // at once, whether or not 'exit' has been delivered yet
    }
    this.unlocked = false;
  }

  async evidence(id: string, kind: EvidenceKind, range: string | null): Promise<EvidenceResponse> {
    let answer: FromWorker;
    try {
      answer = await this.request({ type: 'evidence', seq: 0, id, kind, range });
    } catch {
      return {
        status: 423,
        headers: { 'Cache-Control': 'no-store', 'Content-Length': '0' },
        body: null,
        message: STOPPED,
      };
    }
    if (answer.type !== 'evidence') throw new Error('unexpected answer');
    const { status, headers, message, stream } = answer;
    return { status, headers, message, body: stream === null ? null : this.body(stream) };
  }

  /** Stops the worker (its keys go with it). */
  async close(): Promise<void> {
    this.closing = true;
    await this.lock();
    await this.worker?.terminate();
    this.worker = null;
    this.ready = null;
  }

  /** Pulls one chunk at a time; leaving the loop early tells the worker to close the blob. */
  private async *body(stream: number): AsyncGenerator<Buffer> {
    let finished = false;
    try {
      for (;;) {
        const worker = this.worker;
        if (!worker) throw new Error(STOPPED);
        const next = await new Promise<FromWorker>((resolve) => {
          this.streams.set(stream, resolve);
          worker.postMessage({ type: 'pull', stream } satisfies ToWorker);
        });
        this.streams.delete(stream);
        if (next.type === 'chunk')
          yield Buffer.from(next.data.buffer, next.data.byteOffset, next.data.byteLength);
        else if (next.type === 'end') {
          finished = true;
          return;
        } else {
          finished = true;
          throw new Error('The evidence could not be read to the end.');
        }
      }
    } finally {
      this.streams.delete(stream);
      if (!finished) this.worker?.postMessage({ type: 'abandon', stream } satisfies ToWorker);
    }
  }

  private async request(message: ToWorker & { seq: number }): Promise<FromWorker> {
    const worker = await this.start();
    const seq = ++this.seq;
    return new Promise<FromWorker>((resolve) => {
      this.calls.set(seq, resolve);
      worker.postMessage({ ...message, seq });
    }).then((answer) => {
      if (answer.type === 'reply' && answer.seq === -1 && !answer.envelope.ok)
        throw new WorkerStopped(answer.envelope.error.code, answer.envelope.error.message);
      return answer;
    });
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const { workerFile, ...data } = this.options;
    const worker = new Worker(workerFile, { workerData: data satisfies WorkerData });
    this.worker = worker;
    this.ready = new Promise<Worker>((resolve, reject) => {
      const onReady = (m: FromWorker): void => {
        if (m.type !== 'ready') return;
        worker.off('message', onReady);
        worker.off('error', reject);
        resolve(worker);
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', () => undefined); // answered by 'exit'
    worker.on('exit', () => this.stopped(worker));
    // A failed start is a stopped worker too: the next call tries again.
    this.ready.catch(() => this.stopped(worker));
    return this.ready;
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'reply':
      case 'locked':
      case 'evidence': {
        const resolve = this.calls.get(m.seq);
        this.calls.delete(m.seq);
        resolve?.(m);
        return;
      }
      case 'chunk':
      case 'end':
      case 'fail':
        this.streams.get(m.stream)?.(m);
        return;
      case 'progress':
        this.progress.get(m.progress.jobId)?.(m.progress);
        return;
      case 'event':
        this.unlocked = m.unlocked;
        for (const l of this.listeners) l(m.event, m.payload);
        return;
      case 'ready':
        return;
    }
  }

  private stopped(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    const wasUnlocked = this.unlocked;
    this.unlocked = false;
    const byLock = this.stopping === worker;
    this.stopping = null;
    const failed: FromWorker = {
      type: 'reply',
      seq: -1,
      envelope: {
        ok: false,
        error: byLock
          ? { code: 'LOCKED', message: LOCKED_WHILE_BUSY }
          : { code: 'INTERNAL', message: STOPPED },
      },
      unlocked: false,
    };
    for (const resolve of this.calls.values()) resolve(failed);
    this.calls.clear();
    for (const resolve of this.streams.values()) resolve({ type: 'fail', stream: 0 });
    this.streams.clear();
    if (wasUnlocked && !this.closing && !byLock) {
      for (const l of this.listeners) l('locked', { reason: 'error' });
    }
  }
}
