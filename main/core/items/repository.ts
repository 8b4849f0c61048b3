import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { kindOfMime } from '../../../shared/item-kind';
import { searchTokens, searchWords, tokensMatch, wordMatches } from '../../../shared/search-words';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { ITEM_IDS, resolveShortId } from '../short-id';
import { OCR_MIMES } from '../ocr/mimes';
import { enqueueRecognition } from '../ocr/queue';

/** Typed access to items, their tags, notes and sources. SQL stays in this file. */
export interface ItemSummary {
  id: string;
  sha256: string;
  size: number;
  name: string;
  mime: string;
  ingestedAt: string;
  sourceTime: string | null;
  tags: string[];
  /** The age file holding the original, relative to the vault folder. */
  blob: string;
}

export interface ItemSource {
  name: string;
  sourcePath: string | null;
  sourceMtime: string | null;
  seenAt: string;
  /** Salt of the pathDigest in the source's custody entry (items/source-path.ts); never shown. */
  pathSalt?: string | null;
  /** The name's exact bytes in hex, when they are not UTF-8 (`name` then shows U+FFFD). */
  nameHex: string | null;
  /** The source path's exact bytes in hex, when they are not UTF-8 (a folder's name may not be). */
  sourcePathHex: string | null;
}

/** A source as an export with full paths gives it: the path and the salt of its digest. */
export interface ExportSource {
  name: string;
  sourcePath: string | null;
  pathSalt: string | null;
  sourceMtime: string | null;
  seenAt: string;
}

export interface ItemNote {
  id: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface ItemDetail extends ItemSummary {
  sourcePath: string | null;
  ingestedOffsetMinutes: number;
  sourceTimes: { mtime: string | null; exif: string | null; email: string | null };
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  thumbnail: string | null;
  metadata: Record<string, unknown>;
  metadataErrors: string[];
  sensitive: string[];
  notes: ItemNote[];
  /** Every import of these same bytes, the first one included. */
  sources: ItemSource[];
  blobId: string;
  thumbnailBlobId: string | null;
  /** The name it was imported with, once it has been renamed (`name` is then the new one). */
  originalName: string | null;
  /** Set for a derivative (a redaction, crop or conversion): what it was made from, how and why. */
  derivedFrom: { parentId: string; operation: string; reason: string } | null;
}

export interface NewItem {
  id: string;
  blobId: string;
  sha256: string;
  size: number;
  mime: string;
  name: string;
  sourcePath: string | null;
  /** Salt of the source's pathDigest in the ingest entry (items/source-path.ts). */
  pathSalt?: string | null;
  /** See ItemSource: exact bytes of a name or path that is not UTF-8. */
  nameHex?: string | null;
  sourcePathHex?: string | null;
  ingestedAt: string;
  ingestedOffsetMinutes: number;
  sourceMtime: string | null;
  sourceExifTime: string | null;
  /** An email's Date header as ISO 8601 in the sender's offset. */
  sourceEmailTime?: string | null;
  width: number | null;
  height: number | null;
  thumbBlobId: string | null;
  metadata: Record<string, unknown>;
  metadataErrors: string[];
  sensitive: string[];
  /** Text for search (OCR, an email body); none yet from the import itself. */
  extractedText?: string | null;
}

export interface ItemRow {
  id: string;
  blob_id: string;
  sha256: string;
  size: number;
  mime: string;
  name: string;
  source_path: string | null;
  ingested_at: string;
  ingested_offset: number;
  source_mtime: string | null;
  source_exif_time: string | null;
  source_email_time: string | null;
  width: number | null;
  height: number | null;
  duration_s: number | null;
  thumb_blob_id: string | null;
  parent_id: string | null;
  derive_op: string | null;
  derive_reason: string | null;
  metadata: string;
  metadata_errors: string;
  sensitive: string;
  /** JSON array of the item's tag names in name order (kept by triggers, migration 4). */
  tag_names: string;
  /** The name it was imported with, once renamed (migration 8). */
  original_name: string | null;
}

/** The columns an ItemSummary is made from. */
export type SummaryRow = Pick<
  ItemRow,
  | 'id'
  | 'sha256'
  | 'size'
  | 'name'
  | 'mime'
  | 'ingested_at'
  | 'source_exif_time'
  | 'source_email_time'
  | 'source_mtime'
  | 'blob_id'
  | 'tag_names'
>;

/**
 * An FTS5 MATCH expression for what a person typed: every word must occur (as a word or the
 * start of one); FTS5 syntax in the input is never interpreted. Null when there is no word.
 */
export function ftsMatch(query: string): string | null {
  const words = searchWords(query);
  return words.length ? words.map(ftsWord).join(' ') : null;
}

// The word rules are shared with the app (the words highlighted on a picture).
export { searchTokens, searchWords, tokensMatch, wordMatches };

/** One search word as an FTS5 prefix phrase (a word holds no quote: see searchWords). */
export const ftsWord = (w: string): string => `"${w}"*`;

export const blobPath = (id: string): string => `blobs/${id.slice(0, 2)}/${id}.age`;

/**
 * The time the library sorts and filters on (items.sort_time): the best source time as UTC,
 * else the import time. A zone-less EXIF time counts as UTC (its zone is unknown).
 */
const SORT_TIME_SQL = `coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', ?), strftime('%Y-%m-%dT%H:%M:%fZ', ?),
  strftime('%Y-%m-%dT%H:%M:%fZ', ?), ?)`;

export class ItemRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Prepared once per connection: preparing costs more than running these small statements. */
  protected stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  insertBlob(id: string, kind: 'original' | 'thumbnail', size: number, sha256: string): void {
    this.stmt('INSERT INTO blobs (id, kind, size, sha256, created_at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      kind,
      size,
      sha256,
      new Date().toISOString(),
    );
  }

  insert(item: NewItem): void {
    const sortTime = this.stmt(`SELECT ${SORT_TIME_SQL} AS t`).get(
      item.sourceExifTime,
      item.sourceEmailTime ?? null,
      item.sourceMtime,
      item.ingestedAt,
    ) as { t: string };
    this.stmt(
      `INSERT INTO items (id, blob_id, sha256, size, mime, name, source_path, ingested_at, ingested_offset,
         source_mtime, source_exif_time, source_email_time, width, height, thumb_blob_id, metadata,
         metadata_errors, sensitive, extracted_text, kind, sort_time, search_rowid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
         (SELECT coalesce(max(search_rowid), 0) + 1 FROM items))`,
    ).run(
      item.id,
      item.blobId,
      item.sha256,
      item.size,
      item.mime,
      item.name,
      item.sourcePath,
      item.ingestedAt,
      item.ingestedOffsetMinutes,
      item.sourceMtime,
      item.sourceExifTime,
      item.sourceEmailTime ?? null,
      item.width,
      item.height,
      item.thumbBlobId,
      JSON.stringify(item.metadata),
      JSON.stringify(item.metadataErrors),
      JSON.stringify(item.sensitive),
      item.extractedText ?? null,
      kindOfMime(item.mime),
      sortTime.t,
    );
    // A picture waits for text recognition (ocr/queue.ts), queued in the import's transaction.
    if (OCR_MIMES.includes(item.mime)) enqueueRecognition(this.db, item.id, item.ingestedAt);
    this.addSource(item.id, {
      name: item.name,
      sourcePath: item.sourcePath,
      sourceMtime: item.sourceMtime,
      seenAt: item.ingestedAt,
      pathSalt: item.pathSalt ?? null,
      nameHex: item.nameHex ?? null,
      sourcePathHex: item.sourcePathHex ?? null,
    });
  }

  addSource(itemId: string, s: ItemSource): void {
    this.stmt(
      'INSERT INTO item_sources (item_id, name, source_path, source_mtime, seen_at, path_salt, name_hex, source_path_hex) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      itemId,
      s.name,
      s.sourcePath,
      s.sourceMtime,
      s.seenAt,
      s.pathSalt ?? null,
      s.nameHex ?? null,
      s.sourcePathHex ?? null,
    );
  }

  /** Every import of the item's bytes with full path and salt, in order: for --full-paths. */
  exportSources(itemId: string): ExportSource[] {
    return this.stmt(
      `SELECT name, source_path AS sourcePath, path_salt AS pathSalt, source_mtime AS sourceMtime,
         seen_at AS seenAt FROM item_sources WHERE item_id = ? ORDER BY id`,
    ).all(itemId) as ExportSource[];
  }

  /** The item's kind and name; NOT_FOUND in plain words when it is not in the vault. */
  require(id: string): { id: string; name: string; kind: string } {
    const r = this.stmt('SELECT id, name, kind FROM items WHERE id = ?').get(id) as
      { id: string; name: string; kind: string } | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That item is not in this vault (it may have been deleted). Reload the library and try again.',
      );
    }
    return r;
  }

  /** Emails sent from any of these addresses (lower case), by their From header. */
  emailsFrom(addresses: readonly string[]): string[] {
    if (addresses.length === 0) return [];
    return this.stmt(
      `SELECT id FROM items WHERE kind = 'email'
         AND json_extract(metadata, '$.email.fromAddress') IN (SELECT value FROM json_each(?))
       ORDER BY sort_time, id`,
    )
      .pluck()
      .all(JSON.stringify(addresses)) as string[];
  }

  findBySha256(sha256: string): { id: string; name: string } | null {
    return (
      (this.db.prepare('SELECT id, name FROM items WHERE sha256 = ?').get(sha256) as
        { id: string; name: string } | undefined) ?? null
    );
  }

  /** Adds tags (created as needed, case-insensitive); returns those newly attached. */
  addTags(itemId: string, tags: readonly string[]): string[] {
    const added: string[] = [];
    for (const raw of tags) {
      const tag = raw.trim();
      if (!tag) continue;
      this.stmt('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(tag);
      const { id } = this.stmt('SELECT id FROM tags WHERE name = ?').get(tag) as {
        id: number;
      };
      const r = this.stmt('INSERT OR IGNORE INTO item_tags (item_id, tag_id) VALUES (?, ?)').run(
        itemId,
        id,
      );
      if (r.changes > 0) added.push(tag);
    }
    return added;
  }

  addNote(itemId: string, noteId: string, body: string, at: string): void {
    this.stmt(
      'INSERT INTO notes (id, item_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ).run(noteId, itemId, body, at, at);
  }

  /** Rebuilds the item's full-text row from its name, notes, extracted and recognised text. */
  refreshSearch(itemId: string): void {
    // A renamed item is found by its new name and by the one it was imported with.
    const row = this.stmt(
      `SELECT name || coalesce(char(10) || original_name, '') AS name, extracted_text AS text,
         search_rowid AS rowid FROM items WHERE id = ?`,
    ).get(itemId) as { name: string; text: string | null; rowid: number } | undefined;
    if (!row) return;
    const notes = (
      this.stmt('SELECT body FROM notes WHERE item_id = ? ORDER BY created_at, id').all(itemId) as {
        body: string;
      }[]
    )
      .map((n) => n.body)
      .join('\n');
    // By rowid: a DELETE on the unindexed item_id column would scan the whole table.
    this.stmt('DELETE FROM item_search WHERE rowid = ?').run(row.rowid);
    // Text read from a picture by machine: its own column, so a hit says where it matched.
    const ocr = this.stmt('SELECT text FROM ocr WHERE item_id = ? AND text IS NOT NULL')
      .pluck()
      .get(itemId) as string | undefined;
    this.stmt(
      'INSERT INTO item_search (rowid, item_id, name, notes, text, ocr) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(row.rowid, itemId, row.name, notes, row.text ?? '', ocr ?? '');
  }

  /** Full-text search (FTS5 query syntax is escaped: the words are matched as typed). */
  search(query: string): string[] {
    const match = ftsMatch(query);
    if (match === null) return [];
    return (
      this.db
        .prepare('SELECT item_id FROM item_search WHERE item_search MATCH ? ORDER BY rank')
        .all(match) as {
        item_id: string;
      }[]
    ).map((r) => r.item_id);
  }

  summary(r: SummaryRow): ItemSummary {
    return {
      id: r.id,
      sha256: r.sha256,
      size: r.size,
      name: r.name,
      mime: r.mime,
      ingestedAt: r.ingested_at,
      sourceTime: r.source_exif_time ?? r.source_email_time ?? r.source_mtime,
      tags: JSON.parse(r.tag_names) as string[],
      blob: blobPath(r.blob_id),
    };
  }

  list(): ItemSummary[] {
    const rows = this.db.prepare('SELECT * FROM items ORDER BY ingested_at, id').all() as ItemRow[];
    return rows.map((r) => this.summary(r));
  }

  count(): number {
    return (this.stmt('SELECT count(*) AS n FROM items').get() as { n: number }).n;
  }

  get(id: string): ItemDetail {
    const r = this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
    if (!r)
      throw new DossierError(
        'NOT_FOUND',
        `There is no item with id ${id}. List items with \`dossier ls\`.`,
      );
    return {
      ...this.summary(r),
      sourcePath: r.source_path,
      ingestedOffsetMinutes: r.ingested_offset,
      sourceTimes: { mtime: r.source_mtime, exif: r.source_exif_time, email: r.source_email_time },
      width: r.width,
      height: r.height,
      durationSeconds: r.duration_s,
      thumbnail: r.thumb_blob_id ? blobPath(r.thumb_blob_id) : null,
      metadata: JSON.parse(r.metadata) as Record<string, unknown>,
      metadataErrors: JSON.parse(r.metadata_errors) as string[],
      sensitive: JSON.parse(r.sensitive) as string[],
      notes: this.db
        .prepare(
          'SELECT id, body, created_at AS createdAt, updated_at AS updatedAt FROM notes WHERE item_id = ? ORDER BY created_at, id',
        )
        .all(id) as ItemNote[],
      sources: this.db
        .prepare(
          'SELECT name, source_path AS sourcePath, source_mtime AS sourceMtime, seen_at AS seenAt, name_hex AS nameHex, source_path_hex AS sourcePathHex FROM item_sources WHERE item_id = ? ORDER BY id',
        )
        .all(id) as ItemSource[],
      blobId: r.blob_id,
      thumbnailBlobId: r.thumb_blob_id,
      originalName: r.original_name ?? null,
      derivedFrom: r.parent_id
        ? { parentId: r.parent_id, operation: r.derive_op ?? '', reason: r.derive_reason ?? '' }
        : null,
    };
  }

  /** Resolves a full id or a unique prefix of at least 4 characters, as typed on the command line. */
  resolveId(typed: string): string {
    return resolveShortId(this.db, ITEM_IDS, typed);
  }

  /** Every blob the database refers to, with what it belongs to (for the integrity check). */
  blobRefs(): {
    blobId: string;
    kind: string;
    size: number;
    sha256: string;
    itemId: string | null;
    itemName: string | null;
  }[] {
    return this.db
      .prepare(
        // Two indexed joins, not one `ON a OR b` join: that one scans items once per blob
        // (seconds at 100,000 items, and it runs at every unlock).
        `SELECT b.id AS blobId, b.kind, b.size, b.sha256, i.id AS itemId, i.name AS itemName
           FROM blobs b LEFT JOIN items i ON i.blob_id = b.id WHERE b.kind = 'original'
         UNION ALL
         SELECT b.id, b.kind, b.size, b.sha256, i.id, i.name
           FROM blobs b LEFT JOIN items i ON i.thumb_blob_id = b.id WHERE b.kind = 'thumbnail'
         ORDER BY 1`,
      )
      .all() as {
      blobId: string;
      kind: string;
      size: number;
      sha256: string;
      itemId: string | null;
      itemName: string | null;
    }[];
  }
}
