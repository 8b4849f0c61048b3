// Runs the text-recognition queue in the background: one picture at a time, on the engine's
// own low-priority thread, yielding between pictures. Pause stops at once (the picture being
// read goes back to the queue); what is done stays done.
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { BlobStore } from '../blobs/store';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import type { ItemRepository } from '../items/repository';
import { engineInfo, OcrEngine, type EngineInfo } from './engine';
import { MAX_OCR_BYTES, preparePicture, UnreadablePicture } from './picture';
import { MAX_ATTEMPTS, OcrStore, type QueuedPicture } from './queue';

export interface OcrStatus {
  queued: number;
  done: number;
  failed: number;
  /** The item being read now, or null. */
  running: string | null;
  /** Estimated seconds until the queue is empty (0 when it is). */
  secondsLeft: number;
  paused: boolean;
}

export interface OcrRunnerDeps {
  db: Db;
  items: Pick<ItemRepository, 'refreshSearch'>;
  blobs: BlobStore;
  custody: CustodyLog;
  /** Starts the engine (tests give a failing or slow one). */
  startEngine?: (language: string) => Promise<Engine>;
  /** The vault's folder of languages added by hand (engine.ts ADDED_LANGUAGES_FOLDER). */
  addedLanguagesDir?: string | null;
  /** RECOGNITION_TIMEOUT_MS unless a test sets another. */
  timeoutMs?: number;
}

/** Before any reading is timed, a guess per picture for the time left. */
const FIRST_GUESS_MS = 1000;
/** A picture the engine has not read in this long is given up (a hostile, slow input). */
export const RECOGNITION_TIMEOUT_MS = 120_000;

type Engine = Pick<OcrEngine, 'recognize' | 'terminate' | 'info' | 'broken'>;

export class OcrRunner {
  readonly store: OcrStore;
  private loop: Promise<void> | null = null;
  private engine: Engine | null = null;
  private current: string | null = null;
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();
  private readonly listeners = new Set<(s: OcrStatus) => void>();
  /** Why the queue last stopped early (e.g. the disk is full), or null. */
  lastError: string | null = null;
  /** Rejects the reading in progress when pause or lock halts the queue. */
  private interrupt: (() => void) | null = null;

  private readonly timeoutMs: number;

  constructor(private readonly deps: OcrRunnerDeps) {
    this.timeoutMs = deps.timeoutMs ?? RECOGNITION_TIMEOUT_MS;
    this.store = new OcrStore(deps.db, deps.items, deps.custody);
  }

  status(): OcrStatus {
    const c = this.store.counts();
    const per = this.store.recentMs() ?? FIRST_GUESS_MS;
    return {
      ...c,
      running: this.current,
      secondsLeft: Math.ceil((c.queued * per) / 1000),
      paused: this.store.paused,
    };
  }

  /** The item the engine is reading now, or null (no query: for one picture's view). */
  get reading(): string | null {
    return this.current;
  }

  /** Called after each picture (progress for the CLI and the app). */
  onProgress(listener: (s: OcrStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts reading the queue unless paused or already running. Never waits for it. */
  start(): void {
    if (this.stopped || this.loop || this.store.paused) return;
    this.loop = this.run()
      // A database that cannot be written (a full disk) stops the queue, never the process:
      // nothing half-done is saved, and the next start tries again.
      .catch((e: unknown) => {
        this.lastError = firstLine(e);
      })
      .finally(() => {
        this.loop = null;
        for (const w of this.idleWaiters) w();
      });
  }

  pause(): Promise<void> {
    this.store.setPaused(true);
    return this.halt();
  }

  resume(): void {
    this.store.setPaused(false);
    this.start();
  }

  /** Stops for good (the vault is locking): the picture being read stays queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.halt();
  }

  /** Resolves when the queue is empty, paused or stopped. */
  whenIdle(): Promise<void> {
    if (!this.loop) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.idleWaiters.delete(done);
        resolve();
      };
      this.idleWaiters.add(done);
    });
  }

  private async halt(): Promise<void> {
    this.interrupt?.();
    const engine = this.engine;
    this.engine = null;
    // Terminating the engine's thread ends a reading at once; its picture stays queued.
    await engine?.terminate();
    await this.loop;
  }

  private shouldRun(): boolean {
    return !this.stopped && !this.store.paused;
  }

  private async run(): Promise<void> {
    // Pictures whose reading was cut short by pause or stop are not failed: they stay queued.
    const skip = new Set<string>();
    try {
      while (this.shouldRun()) {
        const pic = this.store.next(skip);
        if (!pic) break;
        this.current = pic.itemId;
        await this.readOne(pic, skip);
        this.current = null;
        for (const l of this.listeners) l(this.status());
        // Between pictures, let everything else on this thread run first.
        await yieldTurn();
      }
    } finally {
      this.current = null;
      const engine = this.engine;
      this.engine = null;
      // An idle engine holds ~100 MB of WebAssembly memory: let it go until needed.
      await engine?.terminate();
    }
  }

  private async engineFor(language: string): Promise<Engine> {
    if (this.engine && !this.engine.broken && this.engine.info.language === language)
      return this.engine;
    await this.engine?.terminate();
    this.engine = null;
    const start =
      this.deps.startEngine ??
      ((l: string) => OcrEngine.start(l, this.deps.addedLanguagesDir ?? null));
    const engine = await start(language);
    if (!this.shouldRun()) {
      await engine.terminate();
      throw new Halted();
    }
    this.engine = engine;
    return engine;
  }

  private async readOne(pic: QueuedPicture, skip: Set<string>): Promise<void> {
    const info = safeInfo(pic.language, this.deps.addedLanguagesDir ?? null);
    if (pic.attempts >= MAX_ATTEMPTS) {
      this.store.saveFailure(
        pic,
        info,
        `Reading this picture stopped Dossier ${pic.attempts} times, so it is not tried again.`,
      );
      return;
    }
    this.store.startAttempt(pic.itemId);
    const t0 = performance.now();
    try {
      const picture = await this.load(pic);
      if (!this.shouldRun()) throw new Halted();
      const engine = await this.engineFor(pic.language);
      const result = await this.bounded(engine, engine.recognize(picture.png));
      if (!this.shouldRun()) throw new Halted();
      this.store.saveReading(
        pic,
        engine.info,
        result,
        { width: picture.width, height: picture.height },
        performance.now() - t0,
      );
    } catch (e) {
      if (e instanceof Halted || !this.shouldRun()) {
        skip.add(pic.itemId);
        return;
      }
      if (!(e instanceof UnreadablePicture)) {
        // An engine that failed may be in any state: the next picture gets a fresh one.
        const broken = this.engine;
        this.engine = null;
        await broken?.terminate();
      }
      const reason =
        e instanceof UnreadablePicture
          ? e.message
          : `The text-recognition engine failed on this picture (${firstLine(e)}).`;
      this.store.saveFailure(pic, info, reason);
    }
  }

  /**
   * The engine's answer, unless the queue is halted (tesseract.js leaves a terminated
   * worker's calls pending forever) or the picture takes too long (the engine is stopped).
   */
  private bounded<T>(engine: Engine, reading: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return new Promise<T>((resolve, reject) => {
      this.interrupt = () => reject(new Halted());
      timer = setTimeout(() => {
        void engine.terminate();
        if (this.engine === engine) this.engine = null;
        reject(
          new UnreadablePicture(
            `The text-recognition engine did not finish this picture within ${RECOGNITION_TIMEOUT_MS / 1000} seconds.`,
          ),
        );
      }, this.timeoutMs);
      reading.then(resolve, reject);
    }).finally(() => {
      clearTimeout(timer);
      this.interrupt = null;
    });
  }

  /** The stored picture, decrypted, checked and decoded: only one picture's bytes at a time. */
  private async load(pic: QueuedPicture): Promise<Awaited<ReturnType<typeof preparePicture>>> {
    let bytes: Buffer;
    const age = await this.deps.blobs.open(pic.blobId).catch((e: unknown) => {
      throw new UnreadablePicture(`The encrypted picture could not be opened (${firstLine(e)}).`);
    });
    try {
      if (age.size > MAX_OCR_BYTES) {
        throw new UnreadablePicture(
          `The image file is ${(age.size / 1024 / 1024).toFixed(0)} MiB; pictures over ${MAX_OCR_BYTES / 1024 / 1024} MiB are not read for text.`,
        );
      }
      bytes = await age.read(0, age.size);
    } finally {
      await age.close().catch(() => undefined);
    }
    return preparePicture(bytes);
  }
}

/** The reading was stopped by pause or lock: not a failure of the picture. */
class Halted extends Error {}

function safeInfo(language: string, addedDir: string | null): EngineInfo {
  try {
    return engineInfo(language, addedDir);
  } catch {
    return { engine: 'tesseract.js', version: 'unknown', language };
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}
