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
  /** The Gmail labels its messages were tagged with (for the `derive` entry). */
  readonly labelNames = new Set<string>();
  /** Tag ids by lower-case name; and the tags this import made (removed with its rows). */
  private readonly tagIds = new Map<string, number>();
  private readonly madeTags: number[] = [];
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
    const link = db.prepare(
      'INSERT OR IGNORE INTO message_tags (message_id, tag_id) VALUES (?, ?)',
    );
    const addTag = db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)');
    const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck();
    let recorded = this.written;
    const madeBefore = this.madeTags.length;
    const idOf = (name: string): number => {
      const key = name.toLowerCase();
      let id = this.tagIds.get(key);
      if (id === undefined) {
        const made = addTag.run(name).changes > 0;
        id = tagId.get(name) as number;
        this.tagIds.set(key, id);
        if (made) {
          this.madeTags.push(id);
          recorded = false;
        }
      }
      this.labelNames.add(name);
      return id;
    };
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
          for (const name of m.labels) link.run(m.id, idOf(name));
        }
        // In the same commit as the rows: the record names the item, and the tags made here.
        if (!recorded) this.pending.hideRows(this.itemId, this.madeTags);
      })();
      this.written = true;
    } catch (e) {
      // Rolled back: the tags made in it are not there.
      this.madeTags.length = madeBefore;
      this.tagIds.clear();
      throw e;
    } finally {
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  /** After the import's commit: the rows are the conversation's now. */
  saved(): void {
    this.written = false;
  }

  /**
   * After a failure: deletes the rows written. When even that fails (a full disk), the pending
   * record is kept, so unlock deletes them.
   */
  discard(): Promise<void> {
    this.batch = [];
    if (!this.written) return Promise.resolve();
    try {
      this.db.transaction(() => deleteHiddenRows(this.db, this.itemId, this.madeTags))();
      this.written = false;
    } catch {
      this.pending.keepRecord();
    }
    return Promise.resolve();
  }
}

/**
 * Deletes the messages of an item that was never saved, with their search rows and tags, and
 * the tags the import made that nothing else has taken up since.
 */
export function deleteHiddenRows(db: Db, itemId: string, madeTags: readonly number[]): number {
  // The search rows first: FTS5 reads a row's words from messages to take them out.
  db.prepare(
    'DELETE FROM message_search WHERE rowid IN (SELECT n FROM messages WHERE item_id = ?)',
  ).run(itemId);
  db.prepare(
    'DELETE FROM message_tags WHERE message_id IN (SELECT id FROM messages WHERE item_id = ?)',
  ).run(itemId);
  const n = db.prepare('DELETE FROM messages WHERE item_id = ?').run(itemId).changes;
  const unused = db.prepare(
    `DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM item_tags WHERE tag_id = tags.id)
       AND NOT EXISTS (SELECT 1 FROM message_tags WHERE tag_id = tags.id)`,
  );
  for (const id of madeTags) unused.run(id);
  return n;
}
