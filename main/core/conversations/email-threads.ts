import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/start';
import { readMailboxMessage, type MailboxMessageFacts } from './mailbox-message';

/**
 * Where a mailbox's messages are read as emails. Reading (postal-mime) is most of an mbox
 * import's work; on email threads it runs on other cores while ingest stores the messages
 * read before, and a message that makes the email reader run out of memory stops a thread,
 * not the app.
 */
export interface EmailReading {
  read(raw: Uint8Array, withFiles: boolean): Promise<MailboxMessageFacts>;
  /** Messages worth reading ahead of the one being stored. */
  readonly ahead: number;
  close(): Promise<void>;
}

/** In the caller's thread, one message at a time (small mailboxes, tests). */
export const IN_THIS_THREAD: EmailReading = {
  read: readMailboxMessage,
  ahead: 1,
  close: () => Promise.resolve(),
};

/** What the host sends an email thread (threads/email.ts), and what comes back. */
export interface ToEmailThread {
  seq: number;
  raw: Uint8Array;
  withFiles: boolean;
}
export type FromEmailThread =
  { seq: number; facts: MailboxMessageFacts } | { seq: number; error: string };

/** A thread's old-generation heap: far above what a 64 MiB message needs, far below the app's. */
export const EMAIL_THREAD_HEAP_MB = 1536;
/**
 * The thread's young generation. Reading emails allocates fast and briefly: a larger one
 * than V8's default made a 1 GiB mailbox import about a third faster (docs/conversations.md).
 */
export const EMAIL_THREAD_YOUNG_MB = 32;
/**
 * Messages read ahead per thread: enough that neither thread waits for the other, since the
 * calling thread stores in bursts (a file's fsync, a run of spans). With 16, both stood idle
 * for much of a large mailbox (a 1 GiB import took 54.5 s against 43.3 s with 128). What is
 * held ahead is still bounded in bytes (mailbox.ts, MAX_AHEAD_BYTES).
 */
const AHEAD_PER_THREAD = 128;

interface Job {
  seq: number;
  raw: Uint8Array;
  withFiles: boolean;
  resolve(facts: MailboxMessageFacts): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  /** Jobs sent to this thread and not yet answered. */
  jobs: Map<number, Job>;
  /**
   * After a thread stopped: what it was reading, sent again one at a time, so that a message
   * that stops a thread on its own is known for the cause; new work waits in `backlog`.
   */
  suspects: Job[];
  backlog: Job[];
}

export class EmailThreads implements EmailReading {
  readonly ahead: number;
  private readonly slots: Slot[] = [];
  private nextSeq = 0;
  private closed = false;

  /** `start` is how a thread is made (tests give one that misbehaves on purpose). */
  constructor(
    count: number,
    private readonly start: () => Worker = () =>
      startThread('email', {
        resourceLimits: {
          maxOldGenerationSizeMb: EMAIL_THREAD_HEAP_MB,
          maxYoungGenerationSizeMb: EMAIL_THREAD_YOUNG_MB,
        },
      }),
  ) {
    const n = Math.max(1, Math.floor(count));
    this.ahead = n * AHEAD_PER_THREAD;
    for (let i = 0; i < n; i++) this.slots.push(this.open());
  }

  /** One thread per core the app can spare (the calling thread keeps one), four at most. */
  static forThisMachine(): EmailThreads {
    return new EmailThreads(Math.min(4, Math.max(1, availableParallelism() - 1)));
  }

  read(raw: Uint8Array, withFiles: boolean): Promise<MailboxMessageFacts> {
    if (this.closed) return Promise.reject(new Error('the email threads were closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { seq: this.nextSeq++, raw, withFiles, resolve, reject };
      this.send(this.leastBusy(), job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) {
      const waiting = new Set([...s.jobs.values(), ...s.suspects, ...s.backlog]);
      for (const job of waiting) job.reject(new Error('the email threads were closed'));
      s.jobs.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private open(suspects: Job[] = [], backlog: Job[] = []): Slot {
    const slot: Slot = { worker: this.start(), jobs: new Map(), suspects, backlog };
    slot.worker.on('message', (m: FromEmailThread) => {
      const job = slot.jobs.get(m.seq);
      if (!job) return;
      slot.jobs.delete(m.seq);
      if ('facts' in m) job.resolve(m.facts);
      else job.reject(new Error(m.error));
      if (slot.suspects[0] === job) {
        slot.suspects.shift();
        this.next(slot);
      }
    });
    let why = 'it stopped';
    slot.worker.on('error', (e: Error) => {
      why = e.message.split('\n')[0]!.slice(0, 200);
    });
    slot.worker.on('exit', () => this.replace(slot, why));
    this.next(slot);
    return slot;
  }

  /**
   * A thread that stopped (out of memory, a crash) is replaced. What it was reading is read
   * again on the new one, one message at a time: a message that stops a thread while it is
   * the only one being read is the cause, and is reported as unreadable, not tried again.
   */
  private replace(dead: Slot, why: string): void {
    const at = this.slots.indexOf(dead);
    if (at < 0) return; // closed
    const inFlight = [...dead.jobs.values()].sort((a, b) => a.seq - b.seq);
    dead.jobs.clear();
    const suspects: Job[] = [];
    if (inFlight.length === 1 && dead.suspects[0] === inFlight[0]) {
      // Said to the person on the message: what happened, in words; the code is for support.
      inFlight[0]!.reject(
        new Error(`reading it made the email reader run out of memory or stop (${why})`),
      );
      suspects.push(...dead.suspects.slice(1));
    } else {
      const seen = new Set(inFlight);
      suspects.push(...inFlight, ...dead.suspects.filter((j) => !seen.has(j)));
    }
    this.slots[at] = this.open(suspects, dead.backlog);
  }

  /** In careful mode, the next suspect alone; else everything that waited. */
  private next(slot: Slot): void {
    if (slot.jobs.size > 0) return;
    const suspect = slot.suspects[0];
    if (suspect) return this.post(slot, suspect);
    for (const job of slot.backlog.splice(0)) this.post(slot, job);
  }

  private leastBusy(): Slot {
    const load = (s: Slot) => s.jobs.size + s.suspects.length + s.backlog.length;
    let best = this.slots[0]!;
    for (const s of this.slots) if (load(s) < load(best)) best = s;
    return best;
  }

  private send(slot: Slot, job: Job): void {
    if (slot.suspects.length > 0) slot.backlog.push(job);
    else this.post(slot, job);
  }

  private post(slot: Slot, job: Job): void {
    slot.jobs.set(job.seq, job);
    // A copy of just these bytes, moved: cloning a view would copy the whole chunk it sits
    // in, and the original stays here in case the thread stops and it must be read again.
    const raw = job.raw.slice();
    const message: ToEmailThread = { seq: job.seq, raw, withFiles: job.withFiles };
    slot.worker.postMessage(message, [raw.buffer]);
  }
}
