import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database';
import { newId } from '../ids';

/**
 * Authenticates a pending record under a key only the vault's own keys give (never revealed
 * by `keys --reveal`): someone holding the database key alone could otherwise list real
 * evidence as pending, drop its rows, and have unlock delete it instead of quarantining it.
 */
export type PendingMac = (data: string) => string;

/**
 * Encrypted files an import writes before the transaction that refers to them: a
 * conversation's original, its media and attachments, an email's attachments. Their ids are
 * recorded (committed) before the files appear under blobs/, and the record is dropped in the
 * transaction that saves the import. A process killed in between leaves files that unlock
 * recognises from this record: the import was never saved, nothing refers to them and they
 * were never evidence in the vault, so they are deleted (logged) rather than quarantined as
 * unknown files forever. Kept in `settings` under `pending-blobs:<import id>` as
 * {"ids": [...], "mac": "<hex>"}; a record without a valid MAC protects nothing (its files are
 * quarantined like any unknown file).
 */
const PREFIX = 'pending-blobs:';
/** Ids recorded per database write: one commit per file would cost an fsync each. */
const RESERVE = 64;

export class PendingBlobs {
  private readonly key = `${PREFIX}${newId()}`;
  private readonly recorded: string[] = [];
  private free: string[] = [];
  /** The item whose messages are written before the import is saved, and tags it made. */
  private rows: HiddenRowsRecord | null = null;
  private kept = false;

  constructor(
    private readonly db: Db,
    private readonly mac: PendingMac | undefined,
  ) {}

  /** Records ids ahead (a commit), so that the next next() writes nothing. */
  reserve(): void {
    if (this.free.length === 0) {
      const ids = Array.from({ length: RESERVE }, () => newId());
      this.write([...this.recorded, ...ids]);
      this.recorded.push(...ids);
      this.free = ids;
    }
  }

  /** A fresh blob id, recorded as pending (committed) before it is returned. */
  next(): string {
    this.reserve();
    return this.free.shift()!;
  }

  /** Records a blob already being written (its temp name) before it is moved into place. */
  include(id: string): void {
    this.write([...this.recorded, id]);
    this.recorded.push(id);
  }

  /**
   * Records (committed) the id the import's item will have, before its messages are written
   * ahead of the save (conversations/hidden-rows.ts): killed after that, unlock deletes them.
   */
  hideRows(itemId: string, madeTags: readonly number[]): void {
    this.rows = { item: itemId, tags: [...madeTags] };
    this.write([...this.recorded]);
  }

  /** Rows could not be deleted after a failure: the record stays for unlock to finish. */
  keepRecord(): void {
    this.kept = true;
  }

  private write(ids: string[]): void {
    const rows = this.rows;
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(
        this.key,
        JSON.stringify({
          ids,
          ...(rows ? { rows } : {}),
          mac: this.mac?.(signed(this.key, ids, rows)) ?? null,
        }),
      );
  }

  /** Drops the record: in the transaction that saves the import, or once its files are gone. */
  clear(): void {
    if (this.kept) return;
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.key);
  }
}

/** An import's messages written ahead of its save: the item they name, the tags it made. */
export interface HiddenRowsRecord {
  item: string;
  tags: number[];
}

/** What a record's MAC covers: its key, its ids, and the rows it names. */
function signed(key: string, ids: readonly string[], rows: HiddenRowsRecord | null): string {
  return JSON.stringify([
    'dossier/v1/pending-blobs',
    key,
    ids,
    ...(rows ? [rows.item, rows.tags] : []),
  ]);
}

interface PendingRecord {
  ids: string[];
  rows: HiddenRowsRecord | null;
}

function rowsRecord(v: unknown): HiddenRowsRecord | null {
  const r = v as { item?: unknown; tags?: unknown } | null;
  if (typeof r?.item !== 'string' || !Array.isArray(r.tags)) return null;
  if (!r.tags.every((t) => Number.isSafeInteger(t))) return null;
  return { item: r.item, tags: r.tags as number[] };
}

/** The records with a valid MAC; a damaged or forged one protects nothing. */
function validRecords(db: Db, mac: PendingMac): PendingRecord[] {
  const out: PendingRecord[] = [];
  const rows = db
    .prepare('SELECT key, value FROM settings WHERE key >= ? AND key < ?')
    .all(PREFIX, `${PREFIX}\uffff`) as { key: string; value: string }[];
  for (const { key, value } of rows) {
    try {
      const r = JSON.parse(value) as { ids?: unknown; rows?: unknown; mac?: unknown };
      const ids =
        Array.isArray(r.ids) && r.ids.every((x) => typeof x === 'string')
          ? (r.ids as string[])
          : null;
      const rows = r.rows === undefined ? null : rowsRecord(r.rows);
      if (!ids || typeof r.mac !== 'string' || (r.rows !== undefined && rows === null)) continue;
      const want = Buffer.from(mac(signed(key, ids, rows)), 'hex');
      const got = Buffer.from(r.mac, 'hex');
      if (got.length !== want.length || !timingSafeEqual(got, want)) continue;
      out.push({ ids, rows });
    } catch {
      // A damaged record protects nothing: its files are quarantined like any unknown file.
    }
  }
  return out;
}

/**
 * The items named by pending records whose messages were written before a save that never
 * came (HiddenRows): an id that is an item in the vault is never among them.
 */
export function unsavedRows(db: Db, mac: PendingMac): HiddenRowsRecord[] {
  const isItem = db.prepare('SELECT 1 FROM items WHERE id = ?').pluck();
  return validRecords(db, mac).flatMap((r) =>
    r.rows !== null && isItem.get(r.rows.item) === undefined ? [r.rows] : [],
  );
}

/** Every blob id recorded, with a valid MAC, as pending by an import that never finished. */
export function pendingBlobIds(db: Db, mac: PendingMac): Set<string> {
  return new Set(validRecords(db, mac).flatMap((r) => r.ids));
}

/** Drops every pending record (unlock, once the files they name are dealt with). */
export function clearPendingBlobs(db: Db): void {
  db.prepare('DELETE FROM settings WHERE key >= ? AND key < ?').run(PREFIX, `${PREFIX}\uffff`);
}
