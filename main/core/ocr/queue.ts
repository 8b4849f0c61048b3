// The text-recognition queue as stored (table `ocr`, migration 11): one row per picture,
// queued → done | failed. A reading is saved with its custody entry and search row in one
// transaction, so a picture is done exactly once and a crash redoes only the picture it hit.
import { createHash } from 'node:crypto';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import type { ItemRepository } from '../items/repository';
import type { EngineInfo, OcrWord, Recognition } from './engine';
import { DEFAULT_LANGUAGE, OCR_MIMES } from './mimes';

/** settings keys: the language new pictures are read in, and whether the queue is paused. */
export const OCR_LANGUAGE_SETTING = 'ocr.language';
export const OCR_PAUSED_SETTING = 'ocr.paused';

/** A picture that stopped the process this many times is not tried again (marked failed). */
export const MAX_ATTEMPTS = 3;

export interface QueuedPicture {
  itemId: string;
  blobId: string;
  language: string;
  attempts: number;
}

export interface OcrCounts {
  queued: number;
  done: number;
  failed: number;
}

/** What is stored for one picture (items.get and the item view read this). */
export interface OcrReading {
  state: 'queued' | 'done' | 'failed';
  language: string;
  engine: string | null;
  engineVersion: string | null;
  text: string | null;
  words: OcrWord[];
  width: number | null;
  height: number | null;
  confidence: number | null;
  finishedAt: string | null;
  reason: string | null;
}

/** A reading as the app gets it (ocr.get): `reading` while the engine has the picture. */
export type OcrReadingView = Omit<OcrReading, 'state' | 'language'> & {
  state: OcrReading['state'] | 'none';
  language: string | null;
  reading: boolean;
};

/** An item that is not a picture read for text. */
export const NO_READING: Omit<OcrReadingView, 'reading'> = {
  state: 'none',
  language: null,
  engine: null,
  engineVersion: null,
  text: null,
  words: [],
  width: null,
  height: null,
  confidence: null,
  finishedAt: null,
  reason: null,
};

function setting(db: Db, key: string): string | undefined {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
    string | undefined;
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return undefined;
  }
}

function setSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

export function ocrLanguage(db: Db): string {
  return setting(db, OCR_LANGUAGE_SETTING) ?? DEFAULT_LANGUAGE;
}

/** Queues one new picture (called inside the transaction that inserts the item). */
export function enqueueRecognition(db: Db, itemId: string, at: string): void {
  db.prepare(
    `INSERT INTO ocr (item_id, state, language, queued_at) VALUES (?, 'queued', ?, ?)
     ON CONFLICT (item_id) DO NOTHING`,
  ).run(itemId, ocrLanguage(db), at);
}

export class OcrStore {
  constructor(
    private readonly db: Db,
    private readonly items: Pick<ItemRepository, 'refreshSearch'>,
    private readonly custody: CustodyLog,
  ) {}

  get paused(): boolean {
    return setting(this.db, OCR_PAUSED_SETTING) === 'true';
  }

  setPaused(paused: boolean): void {
    setSetting(this.db, OCR_PAUSED_SETTING, paused);
  }

  counts(): OcrCounts {
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM ocr GROUP BY state').all() as {
      state: keyof OcrCounts;
      n: number;
    }[];
    const c: OcrCounts = { queued: 0, done: 0, failed: 0 };
    for (const r of rows) c[r.state] = r.n;
    return c;
  }

  /** Mean time of the latest readings, in ms (for the time left), or null before any. */
  recentMs(): number | null {
    const v = this.db
      .prepare(
        `SELECT avg(ms) FROM (SELECT ms FROM ocr WHERE state = 'done' AND ms IS NOT NULL
           ORDER BY finished_at DESC LIMIT 20)`,
      )
      .pluck()
      .get() as number | null;
    return v ?? null;
  }

  /** The next picture, oldest first (never one of `skip`). */
  next(skip: ReadonlySet<string> = new Set()): QueuedPicture | null {
    const rows = this.db
      .prepare(
        `SELECT o.item_id AS itemId, i.blob_id AS blobId, o.language, o.attempts FROM ocr o
           JOIN items i ON i.id = o.item_id
         WHERE o.state = 'queued' ORDER BY o.queued_at, o.item_id LIMIT ?`,
      )
      .all(skip.size + 1) as QueuedPicture[];
    return rows.find((r) => !skip.has(r.itemId)) ?? null;
  }

  /** Counts an attempt before the engine sees the picture (committed at once). */
  startAttempt(itemId: string): void {
    this.db
      .prepare(
        "UPDATE ocr SET attempts = attempts + 1, started_at = ? WHERE item_id = ? AND state = 'queued'",
      )
      .run(new Date().toISOString(), itemId);
  }

  /** Whether the picture is still waiting to be read in this language (not removed meanwhile). */
  private stillQueued(itemId: string, language: string): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM ocr WHERE item_id = ? AND state = 'queued' AND language = ?")
        .get(itemId, language) !== undefined
    );
  }

  /** Saves a reading, its custody entry and the search row, in one transaction. */
  saveReading(
    pic: QueuedPicture,
    info: EngineInfo,
    r: Recognition,
    size: { width: number; height: number },
    ms: number,
  ): boolean {
    return this.db.transaction(() => {
      if (!this.stillQueued(pic.itemId, pic.language)) return false;
      this.db
        .prepare(
          `UPDATE ocr SET state = 'done', finished_at = ?, engine = ?, engine_version = ?,
             text = ?, words = ?, width = ?, height = ?, word_count = ?, confidence = ?, ms = ?,
             reason = NULL
           WHERE item_id = ?`,
        )
        .run(
          new Date().toISOString(),
          info.engine,
          info.version,
          r.text,
          JSON.stringify(r.words),
          size.width,
          size.height,
          r.words.length,
          r.confidence,
          Math.round(ms),
          pic.itemId,
        );
      this.custody.append('derive', [pic.itemId], {
        what: 'text recognised',
        engine: info.engine,
        engineVersion: info.version,
        language: info.language,
        words: r.words.length,
        meanConfidence: r.confidence,
        textSha256: createHash('sha256').update(r.text, 'utf8').digest('hex'),
        width: size.width,
        height: size.height,
      });
      this.items.refreshSearch(pic.itemId);
      return true;
    })();
  }

  /** Marks the picture "could not be read"; an earlier reading, if any, is kept. */
  saveFailure(pic: QueuedPicture, info: EngineInfo, reason: string): boolean {
    return this.db.transaction(() => {
      if (!this.stillQueued(pic.itemId, pic.language)) return false;
      this.db
        .prepare("UPDATE ocr SET state = 'failed', finished_at = ?, reason = ? WHERE item_id = ?")
        .run(new Date().toISOString(), reason, pic.itemId);
      this.custody.append('derive', [pic.itemId], {
        what: 'text not recognised',
        engine: info.engine,
        engineVersion: info.version,
        language: info.language,
        reason,
      });
      return true;
    })();
  }

  /** The language new pictures are read in; a change is logged (settings-change). */
  setLanguage(language: string): void {
    this.db.transaction(() => {
      const before = ocrLanguage(this.db);
      if (language === before) return;
      setSetting(this.db, OCR_LANGUAGE_SETTING, language);
      this.custody.append('settings-change', [], {
        before: { ocrLanguage: before },
        after: { ocrLanguage: language },
      });
    })();
  }

  /**
   * Queues pictures to be read again (all that are done or failed, or those given), in
   * `language` when given (then also the language of new pictures). Logged.
   */
  readAgain(itemIds: readonly string[] | null, language: string | null): number {
    return this.db.transaction(() => {
      const lang = language ?? ocrLanguage(this.db);
      if (language !== null) this.setLanguage(language);
      let ids: string[];
      if (itemIds === null) {
        ids = this.db
          .prepare("SELECT item_id FROM ocr WHERE state IN ('done', 'failed') ORDER BY item_id")
          .pluck()
          .all() as string[];
      } else {
        ids = [...new Set(itemIds)];
        const mime = this.db.prepare('SELECT mime FROM items WHERE id = ?').pluck();
        for (const id of ids) {
          const m = mime.get(id) as string | undefined;
          if (m === undefined)
            throw new DossierError(
              'NOT_FOUND',
              `There is no item ${id.slice(0, 40)} in this vault.`,
            );
          if (!OCR_MIMES.includes(m))
            throw new DossierError(
              'USAGE',
              `Item ${id} is not a picture that can be read for text (${m.slice(0, 80)}).`,
            );
        }
      }
      if (ids.length === 0) return 0;
      const now = new Date().toISOString();
      const queue = this.db.prepare(
        `INSERT INTO ocr (item_id, state, language, queued_at) VALUES (?, 'queued', ?, ?)
         ON CONFLICT (item_id) DO UPDATE SET state = 'queued', language = excluded.language,
           queued_at = excluded.queued_at, attempts = 0, reason = NULL`,
      );
      for (const id of ids) queue.run(id, lang, now);
      this.custody.append('derive', ids, {
        what: 'text recognition queued',
        by: 'read again',
        images: ids.length,
        language: lang,
      });
      return ids.length;
    })();
  }

  /** The stored reading of a picture, or null for an item that is not one. */
  reading(itemId: string): OcrReading | null {
    const r = this.db
      .prepare(
        `SELECT state, language, engine, engine_version AS engineVersion, text, words, width,
           height, confidence, finished_at AS finishedAt, reason FROM ocr WHERE item_id = ?`,
      )
      .get(itemId) as (Omit<OcrReading, 'words'> & { words: string | null }) | undefined;
    if (!r) return null;
    return { ...r, words: r.words ? (JSON.parse(r.words) as OcrWord[]) : [] };
  }

  /** Queued items among these (for `dossier add --ocr`). */
  queuedAmong(itemIds: readonly string[]): number {
    return this.db
      .prepare(
        "SELECT count(*) FROM ocr WHERE state = 'queued' AND item_id IN (SELECT value FROM json_each(?))",
      )
      .pluck()
      .get(JSON.stringify(itemIds)) as number;
  }
}
