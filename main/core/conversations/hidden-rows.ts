import type { Db } from '../db/database';
import type { PendingBlobs } from '../ingest/pending-blobs';

/**
 * A conversation's messages written while its export is still being read, in short
 * transactions of BATCH rows, so that the import's own transaction only has to add the item
 * and the conversation row (docs/conversations.md, "Import"). Until then the rows are hidden:
 * their `item_id` names an item that is not in the vault yet, and every query that reads
 * messages reaches them through an item or a conversation row (conversations/repository.ts,
 * items/library.ts, custody/subjects.ts) or by an id no one was ever shown. The pending
 * record (ingest/pending-blobs.ts) names that item id before the first batch is committed, so
 * rows of an import killed part-way are deleted at unlock (deleteUnsavedRows); in-process, a
 * failure deletes them at once (discard).
 *
 * `messages.item_id` refers to `conversations`, whose row comes last: the batches are written
 * with foreign keys off (a connection setting that only changes outside a transaction, and
 * nothing else runs between the two synchronous calls), and the rows are valid from the commit.
 */
const BATCH = 2000;
/** A batch's text held in memory at most (a mailbox of large messages). */
const BATCH_CHARS = 16 * 1024 * 1024;
/** The page cache while a batch is written, in KiB (see insertConversation). */
const INSERT_CACHE_KIB = 32 * 1024;

export interface HiddenRow {
  id: string;
  idx: number;
  kind: string;
  sender: string;
  senderId: string | null;
  senderKey: string | null;
  time: string | null;
  timeUtc: string | null;
  timeSource: string;
  text: string;
  edited: boolean;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  externalId: string | null;
  replyTo: string | null;
  detailsJson: string;
  attachmentsJson: string;
  labels: string[];
}

export class HiddenRows {
  count = 0;
  /** Each label and the rows (`messages.n`) it tags: tagged in the import's transaction. */
  readonly labels = new Map<string, number[]>();
  private batch: HiddenRow[] = [];
  private batchChars = 0;
  private written = false;

  constructor(
    private readonly db: Db,
    /** The id the import's item will have. */
    readonly itemId: string,
    private readonly pending: PendingBlobs,
  ) {}

  push(row: HiddenRow): Promise<void> {
    this.batch.push(row);
    this.batchChars += row.text.length + row.detailsJson.length + row.attachmentsJson.length;
    this.count++;
    if (this.batch.length >= BATCH || this.batchChars >= BATCH_CHARS) this.flush();
    return Promise.resolve();
  }

  /** Writes what is left; before the import's transaction. */
  finish(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.batchChars = 0;
    if (!this.written) {
      // Committed before any row: killed after this, unlock knows whose rows they are.
      this.pending.hideRows(this.itemId);
      this.written = true;
    }
    const db = this.db;
    if (db.inTransaction)
      throw new Error('HiddenRows: a batch cannot be written inside a transaction');
    const insert = db.prepare(
      `INSERT INTO messages (id, item_id, idx, kind, sender, sender_id, sender_key, time, time_utc,
         time_source, text, edited, byte_offset, byte_length, sha256, line, line_end, external_id,
         reply_to, details, attachments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const search = db.prepare('INSERT INTO message_search (rowid, sender, text) VALUES (?, ?, ?)');
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = ${-INSERT_CACHE_KIB}`);
    db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        for (const m of rows) {
          const n = insert.run(
            m.id,
            this.itemId,
            m.idx,
            m.kind,
            m.sender,
            m.senderId,
            m.senderKey,
            m.time,
            m.timeUtc,
            m.timeSource,
            m.text,
            m.edited ? 1 : 0,
            m.offset,
            m.length,
            m.sha256,
            m.line,
            m.lineEnd,
            m.externalId,
            m.replyTo,
            m.detailsJson,
            m.attachmentsJson,
          ).lastInsertRowid as number;
          search.run(n, m.sender, m.text);
          for (const name of m.labels) {
            const ns = this.labels.get(name) ?? [];
            ns.push(n);
            this.labels.set(name, ns);
          }
        }
      })();
    } finally {
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  /** After the import's commit: the rows are the conversation's now. */
  saved(): void {
    this.written = false;
    this.labels.clear();
  }

  /**
   * After a failure: deletes the rows written. When even that fails (a full disk), the pending
   * record is kept, so unlock deletes them.
   */
  discard(): Promise<void> {
    this.batch = [];
    this.labels.clear();
    if (!this.written) return Promise.resolve();
    try {
      this.db.transaction(() => deleteHiddenRows(this.db, this.itemId))();
      this.written = false;
    } catch {
      this.pending.keepRecord();
    }
    return Promise.resolve();
  }
}

/** Deletes the messages of an item that was never saved, with their search rows. */
export function deleteHiddenRows(db: Db, itemId: string): number {
  // The search rows first: FTS5 reads a row's words from messages to take them out.
  db.prepare(
    'DELETE FROM message_search WHERE rowid IN (SELECT n FROM messages WHERE item_id = ?)',
  ).run(itemId);
  return db.prepare('DELETE FROM messages WHERE item_id = ?').run(itemId).changes;
}
