import type { Db } from '../db/database';
import { pathDigest } from '../items/source-path';
import type { CustodyEntry } from './log';

/**
 * An item's row against its `ingest` entry. The row can be rewritten by anyone with the
 * revealed database key, and a forged file encrypted to the vault's recipient then matches
 * it; the ingest entry is held by the hash chain and the signed checkpoints. So what the
 * entry recorded (name, SHA-256, size, type, encrypted file, source path and last-modified
 * time, and its own time) must still be what the row says, after the changes the log
 * records since (a name cleaned when added: `edit-metadata` with `storedName`; a rename:
 * `edit-metadata` with `what: "item renamed"` and `after`, which also keeps the name it was
 * imported with in `original_name`).
 *
 * Only fields present in the entry are compared. An entry carries `sourcePath` (before
 * schema version 6) or `source` (items/source-path.ts): then the row's path, with the salt
 * kept for its first source, must give the entry's `pathDigest`.
 */
export interface ItemRow {
  id: string;
  name: string;
  sha256: string;
  size: number;
  mime: string;
  blobId: string;
  sourcePath: string | null;
  /** Salt of the first source's pathDigest (null before schema version 6, or no path). */
  sourceSalt: string | null;
  sourceMtime: string | null;
  ingestedAt: string;
  /** The name it was imported with, once renamed (items.original_name); else null. */
  originalName?: string | null;
  /** What the blobs table says of the item's encrypted file (null: no row). */
  blobSha256: string | null;
  blobSize: number | null;
}

export interface IngestRecord {
  seq: number;
  at: string;
  details: Record<string, unknown>;
  /** The name after the logged changes. */
  name: unknown;
  /** The name before the first logged rename (after a clean-up at import), when renamed. */
  importedName?: unknown;
  renamed?: boolean;
}

export interface RecordDifference {
  field: string;
  found: string;
  recorded: string;
}

/** The row's ingested_at is taken just before its ingest entry is written, in one transaction. */
const ADDED_SLACK_BEFORE_MS = 5 * 60 * 1000;
const ADDED_SLACK_AFTER_MS = 1000;

const quoted = (v: unknown): string => (v === null || v === undefined ? 'none' : JSON.stringify(v));
const bytes = (v: unknown): string => (typeof v === 'number' ? `${v} bytes` : quoted(v));
const plain = (v: unknown): string => (typeof v === 'string' ? v : quoted(v));

/** Each item's ingest entry, with the name changes logged after it applied. */
export function ingestRecords(entries: readonly CustodyEntry[]): Map<string, IngestRecord> {
  const records = new Map<string, IngestRecord>();
  for (const e of entries) {
    if (e.action === 'ingest' && e.subjects.length === 1) {
      const id = e.subjects[0]!;
      if (!records.has(id))
        records.set(id, { seq: e.seq, at: e.at, details: e.details, name: e.details.name });
    } else if (e.action === 'edit-metadata' && typeof e.details.storedName === 'string') {
      for (const id of e.subjects) {
        const r = records.get(id);
        if (r) r.name = e.details.storedName;
      }
    } else if (e.action === 'edit-metadata' && e.details.what === 'item renamed') {
      const r = e.subjects.length === 1 ? records.get(e.subjects[0]!) : undefined;
      if (r) {
        if (!r.renamed) r.importedName = r.name;
        r.renamed = true;
        r.name = e.details.after;
      }
    }
  }
  return records;
}

export function recordDifferences(
  row: ItemRow,
  record: IngestRecord,
  opts: { content: boolean; metadata: boolean } = { content: true, metadata: true },
): RecordDifference[] {
  const d = record.details;
  const out: RecordDifference[] = [];
  const compare = (
    field: string,
    key: string,
    found: unknown,
    recorded: unknown,
    show: (v: unknown) => string,
  ): void => {
    if (key in d && found !== recorded)
      out.push({ field, found: show(found), recorded: show(recorded) });
  };
  if (opts.content) {
    compare('SHA-256', 'sha256', row.sha256, d.sha256, plain);
    compare('size', 'size', row.size, d.size, bytes);
    compare('encrypted file', 'blob', row.blobId, d.blob, plain);
    compare("encrypted file's recorded SHA-256", 'sha256', row.blobSha256, d.sha256, plain);
    compare("encrypted file's recorded size", 'size', row.blobSize, d.size, bytes);
  }
  if (opts.metadata) {
    if ('name' in d && row.name !== record.name)
      out.push({ field: 'name', found: quoted(row.name), recorded: quoted(record.name) });
    if (row.originalName !== undefined) {
      const expected = record.renamed ? record.importedName : null;
      if ((row.originalName ?? null) !== expected)
        out.push({
          field: 'original name',
          found: quoted(row.originalName),
          recorded: expected === null ? 'none (it was never renamed)' : quoted(expected),
        });
    }
    compare('type', 'mime', row.mime, d.mime, plain);
    compare('source path', 'sourcePath', row.sourcePath, d.sourcePath, quoted);
    if ('source' in d) {
      const recorded = sourceDigest(d.source);
      // A path without its salt can match no digest.
      const found =
        row.sourcePath === null
          ? null
          : row.sourceSalt === null
            ? 'no salt'
            : pathDigest(row.sourceSalt, row.sourcePath);
      if (found !== recorded) {
        out.push({
          field: 'source path',
          found: quoted(row.sourcePath),
          recorded:
            recorded === null ? 'none' : `a different path (its salted digest is ${recorded})`,
        });
      }
    }
    compare('last-modified time', 'sourceMtime', row.sourceMtime, d.sourceMtime, plain);
    const added = Date.parse(row.ingestedAt);
    const logged = Date.parse(record.at);
    if (
      !Number.isFinite(added) ||
      added < logged - ADDED_SLACK_BEFORE_MS ||
      added > logged + ADDED_SLACK_AFTER_MS
    ) {
      out.push({ field: 'time it was added', found: row.ingestedAt, recorded: record.at });
    }
  }
  return out;
}

/** The pathDigest of an entry's `source`, or null for bytes given directly (or a damaged form). */
function sourceDigest(source: unknown): string | null {
  if (typeof source !== 'object' || source === null) return null;
  const digest = (source as { pathDigest?: unknown }).pathDigest;
  return typeof digest === 'string' ? digest : null;
}

export function differenceMessage(row: ItemRow, seq: number, diff: RecordDifference): string {
  return `Item ${row.id} (${row.name}): its ${diff.field} is ${diff.found}, but its ingest entry in the custody log (entry ${seq}) records ${diff.recorded}. The item's record was changed outside Dossier.`;
}

export function missingRecordMessage(row: Pick<ItemRow, 'id' | 'name'>): string {
  return `Item ${row.id} (${row.name}): the custody log has no ingest entry for it, so nothing vouches for its content, name or times. It was added outside Dossier, or its entry was removed.`;
}

const ROW_SQL = `SELECT i.id, i.name, i.sha256, i.size, i.mime, i.blob_id AS blobId,
    i.source_path AS sourcePath, i.source_mtime AS sourceMtime, i.ingested_at AS ingestedAt,
    i.original_name AS originalName,
    (SELECT s.path_salt FROM item_sources s WHERE s.item_id = i.id ORDER BY s.id LIMIT 1)
      AS sourceSalt,
    b.sha256 AS blobSha256, b.size AS blobSize
  FROM items i LEFT JOIN blobs b ON b.id = i.blob_id`;

export function itemRows(db: Db): ItemRow[] {
  return db.prepare(`${ROW_SQL} ORDER BY i.id`).all() as ItemRow[];
}

export function itemRow(db: Db, id: string): ItemRow | null {
  return (db.prepare(`${ROW_SQL} WHERE i.id = ?`).get(id) as ItemRow | undefined) ?? null;
}

/** Every item checked against its ingest entry: one message per differing field. */
export function ingestRecordProblems(
  db: Db,
  entries: readonly CustodyEntry[],
): { itemId: string; itemName: string; message: string }[] {
  const records = ingestRecords(entries);
  const problems: { itemId: string; itemName: string; message: string }[] = [];
  for (const row of itemRows(db)) {
    const record = records.get(row.id);
    if (!record) {
      problems.push({ itemId: row.id, itemName: row.name, message: missingRecordMessage(row) });
      continue;
    }
    for (const diff of recordDifferences(row, record)) {
      problems.push({
        itemId: row.id,
        itemName: row.name,
        message: differenceMessage(row, record.seq, diff),
      });
    }
  }
  return problems;
}
