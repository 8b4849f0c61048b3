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

  private write(ids: string[]): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(this.key, JSON.stringify({ ids, mac: this.mac?.(signed(this.key, ids)) ?? null }));
  }

  /** Drops the record: in the transaction that saves the import, or once its files are gone. */
  clear(): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.key);
  }
}

/** What a record's MAC covers: its key and its ids. */
function signed(key: string, ids: readonly string[]): string {
  return JSON.stringify(['dossier/v1/pending-blobs', key, ids]);
}

/** Every blob id recorded, with a valid MAC, as pending by an import that never finished. */
export function pendingBlobIds(db: Db, mac: PendingMac): Set<string> {
  const out = new Set<string>();
  const rows = db
    .prepare('SELECT key, value FROM settings WHERE key >= ? AND key < ?')
    .all(PREFIX, `${PREFIX}\uffff`) as { key: string; value: string }[];
  for (const { key, value } of rows) {
    try {
      const r = JSON.parse(value) as { ids?: unknown; mac?: unknown };
      const ids =
        Array.isArray(r.ids) && r.ids.every((x) => typeof x === 'string')
          ? (r.ids as string[])
          : null;
      if (!ids || typeof r.mac !== 'string') continue;
      const want = Buffer.from(mac(signed(key, ids)), 'hex');
      const got = Buffer.from(r.mac, 'hex');
      if (got.length !== want.length || !timingSafeEqual(got, want)) continue;
      for (const id of ids) out.add(id);
    } catch {
      // A damaged record protects nothing: its files are quarantined like any unknown file.
    }
  }
  return out;
}

/** Drops every pending record (unlock, once the files they name are dealt with). */
export function clearPendingBlobs(db: Db): void {
  db.prepare('DELETE FROM settings WHERE key >= ? AND key < ?').run(PREFIX, `${PREFIX}\uffff`);
}
