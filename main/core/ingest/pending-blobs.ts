import type { Db } from '../db/database';
import { newId } from '../ids';

/**
 * Encrypted files an import writes before the transaction that refers to them: a
 * conversation's original, its media and attachments, an email's attachments. Their ids are
 * recorded (committed) before the files appear under blobs/, and the record is dropped in the
 * transaction that saves the import. A process killed in between leaves files that unlock
 * recognises from this record: the import was never saved, nothing refers to them and they
 * were never evidence in the vault, so they are deleted (logged) rather than quarantined as
 * unknown files forever. Kept in `settings` under `pending-blobs:<import id>`.
 */
const PREFIX = 'pending-blobs:';
/** Ids recorded per database write: one commit per file would cost an fsync each. */
const RESERVE = 64;

export class PendingBlobs {
  private readonly key = `${PREFIX}${newId()}`;
  private readonly recorded: string[] = [];
  private free: string[] = [];

  constructor(private readonly db: Db) {}

  /** A fresh blob id, recorded as pending (committed) before it is returned. */
  next(): string {
    if (this.free.length === 0) {
      const ids = Array.from({ length: RESERVE }, () => newId());
      this.write([...this.recorded, ...ids]);
      this.recorded.push(...ids);
      this.free = ids;
    }
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
      .run(this.key, JSON.stringify(ids));
  }

  /** Drops the record: in the transaction that saves the import, or once its files are gone. */
  clear(): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.key);
  }
}

/** Every blob id recorded as pending by an import that never finished. */
export function pendingBlobIds(db: Db): Set<string> {
  const out = new Set<string>();
  const rows = db
    .prepare('SELECT value FROM settings WHERE key >= ? AND key < ?')
    .pluck()
    .all(PREFIX, `${PREFIX}\uffff`) as string[];
  for (const value of rows) {
    try {
      const ids = JSON.parse(value) as unknown;
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') out.add(id);
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
