// A redacted picture's preview, made after the copy is saved, in the background
// (docs/redaction.md): the copy is usable at once, and its tile shows what any item without a
// preview shows for the moment it takes. The work is found in the vault itself (a picture copy
// with no preview), so a copy saved just before a lock or a kill -9 gets its preview at the
// next unlock.
import { createHash } from 'node:crypto';
import { setTimeout as sleep, setImmediate as yieldTurn } from 'node:timers/promises';
import type { StoreDeps } from '../conversations/store';
import { asDatabaseError } from '../db/database';
import { isDossierError } from '../errors';
import { PendingBlobs } from '../ingest/pending-blobs';

/**
 * Previews wait this long after the last copy is made: a person making several copies in a
 * row (or a script) gets each one as fast as it can be made, and the previews follow.
 */
export const QUIET_MS = 250;

interface Waiting {
  id: string;
  blobId: string;
  sha256: string;
  size: number;
}

export class CopyPreviews {
  private loop: Promise<void> | null = null;
  private stopped = false;
  /** start() was called while the loop was finishing: look again. */
  private again = false;
  /** Copies whose preview could not be made in this session: tried again at the next unlock. */
  private readonly failed = new Set<string>();
  private readonly listeners = new Set<(itemId: string) => void>();
  /** Copies being made now, and when the last one ended (previews wait for a quiet moment). */
  private making = 0;
  private lastMade = 0;
  /** Someone waits for the previews (check, export, the CLI): no quiet moment is waited for. */
  private awaited = 0;
  private readonly halt = new AbortController();

  constructor(
    private readonly deps: StoreDeps,
    /** A plain-words notice for the person (a copy whose preview could not be made). */
    private readonly notice: (message: string) => void,
    /** Runs a preview's write (the vault's check takes its picture between writes). */
    private readonly writing: (save: () => Promise<void>) => Promise<void> = (save) => save(),
  ) {}

  /** Called after each preview saved (the app refreshes the copy's tile). */
  onMade(listener: (itemId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes the previews still missing, one at a time; never waits for them. */
  start(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.again = false;
    this.loop = this.run()
      .catch((e: unknown) => {
        // A database that cannot be written (a full disk): the next unlock tries again.
        this.notice(
          `The preview of a redacted copy could not be saved yet (${firstLine(e)}). The copy itself is saved whole; its preview is made at the next unlock.`,
        );
      })
      .finally(() => {
        this.loop = null;
        if (this.again) this.start();
      });
  }

  /** Around the making of a copy: its preview, and any other, waits until it is saved. */
  async whileMaking<T>(make: () => Promise<T>): Promise<T> {
    this.making++;
    try {
      return await make();
    } finally {
      this.making--;
      this.lastMade = Date.now();
    }
  }

  /** Resolves once every preview missing is made (or could not be), or the vault is locking. */
  async whenIdle(): Promise<void> {
    this.awaited++;
    try {
      while (this.loop) await this.loop;
    } finally {
      this.awaited--;
    }
  }

  /**
   * The vault is locking: the preview being made is finished and saved (a fraction of a
   * second), no other is started; the rest are made at the next unlock.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    await this.whenIdle();
  }

  /** The next picture copy without a preview, oldest first. */
  private next(): Waiting | null {
    const rows = this.deps.db
      .prepare(
        `SELECT i.id, i.blob_id AS blobId, i.sha256, i.size FROM redactions r JOIN items i ON i.id = r.item_id
         WHERE r.kind = 'picture' AND i.thumb_blob_id IS NULL
         ORDER BY r.made_at, i.id LIMIT ?`,
      )
      .all(this.failed.size + 1) as Waiting[];
    return rows.find((r) => !this.failed.has(r.id)) ?? null;
  }

  private async run(): Promise<void> {
    while (this.next() !== null) {
      if (!(await this.quietMoment())) return;
      // Looked for again: one may have been removed meanwhile.
      const c = this.next();
      if (!c) return;
      await this.makeOne(c);
      // Between previews, let everything else on this thread run first.
      await yieldTurn();
    }
  }

  /** Waits while copies are being made, and QUIET_MS after; false when the vault is locking. */
  private async quietMoment(): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      const wait = this.making > 0 ? QUIET_MS : this.lastMade + QUIET_MS - Date.now();
      if (wait <= 0 || (this.awaited > 0 && this.making === 0)) return true;
      try {
        await sleep(wait, undefined, { signal: this.halt.signal });
      } catch {
        return false; // aborted: the vault is locking
      }
    }
  }

  private async makeOne(c: Waiting): Promise<void> {
    let jpeg: Buffer;
    try {
      const bytes = await this.read(c);
      // Made as an import makes a file's preview, from the stored PNG: the same bytes.
      const { readImage } = await import('../evidence/thumbnail');
      const made = await readImage(bytes, 'image/png');
      if (!made.thumbnail) throw new Error(made.error ?? 'no preview');
      jpeg = made.thumbnail.jpeg;
    } catch (e) {
      this.failed.add(c.id);
      if (!this.deps.db.prepare('SELECT 1 FROM items WHERE id = ?').get(c.id)) return; // removed
      this.notice(
        `The preview of the redacted copy ${c.id} could not be made (${firstLine(e)}). The copy is kept; run "Check the vault" in Settings (or \`dossier check\`) to see whether its file is damaged.`,
      );
      return;
    }
    if (this.stopped) return;
    await this.writing(() => this.save(c, jpeg));
  }

  /** The stored copy, decrypted, and checked against its SHA-256. */
  private async read(c: Waiting): Promise<Buffer> {
    const bytes = await this.deps.blobs.readWhole(c.blobId, c.size);
    if (createHash('sha256').update(bytes).digest('hex') !== c.sha256)
      throw new Error('its file does not match its SHA-256');
    return bytes;
  }

  /**
   * Written as an import writes a preview: recorded as pending first, so that a kill -9
   * before the transaction leaves a file unlock deletes (logged) rather than quarantines.
   */
  private async save(c: Waiting, jpeg: Buffer): Promise<void> {
    const { db, items, blobs } = this.deps;
    const pending = new PendingBlobs(db, this.deps.pendingMac);
    let blobId: string | null = null;
    let saved = false;
    try {
      const id = pending.next();
      blobId = id; // removed below if anything fails before the transaction
      await blobs.putBuffer(jpeg, id);
      const sha256 = createHash('sha256').update(jpeg).digest('hex');
      saved = db.transaction(() => {
        // Removed meanwhile, or given a preview by another session: this one is not needed.
        const row = db.prepare('SELECT thumb_blob_id FROM items WHERE id = ?').get(c.id) as
          { thumb_blob_id: string | null } | undefined;
        if (!row || row.thumb_blob_id !== null) return false;
        items.insertBlob(id, 'thumbnail', jpeg.length, sha256);
        db.prepare('UPDATE items SET thumb_blob_id = ? WHERE id = ?').run(id, c.id);
        pending.clear();
        return true;
      })();
      if (!saved) {
        // The record goes once the file is gone: a crash in between leaves it to unlock.
        await blobs.remove(id);
        pending.clear();
      }
    } catch (caught) {
      const e = asDatabaseError(caught);
      // A preview saved stays, whatever failed after.
      if (blobId && !saved) await blobs.remove(blobId).catch(() => undefined);
      try {
        pending.clear();
      } catch {
        // Unlock finds the record, and nothing under its name.
      }
      if (isDossierError(e, 'NO_SPACE')) throw e;
      this.failed.add(c.id);
      this.notice(
        `The preview of the redacted copy ${c.id} could not be saved (${firstLine(e)}). The copy itself is saved whole; its preview is made at the next unlock.`,
      );
      return;
    }
    if (!saved) return;
    for (const l of this.listeners) {
      try {
        l(c.id);
      } catch {
        // A listener's failure is its own; the preview is saved.
      }
    }
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}
