import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { entryHash, type CustodyEntry } from '../../main/core';
import { GENESIS_PREV } from '../../main/core/custody/log';

/** A locked vault's database opened with the stock library and its revealed SQLCipher key. */
export function openVaultDbFile(vaultDir: string, sqlcipherKey: string): Database.Database {
  const db = new Database(join(vaultDir, 'dossier.db'));
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="${sqlcipherKey}"`);
  return db;
}

/**
 * What someone holding the revealed SQLCipher key can do to a locked vault's database:
 * open it with the stock library, drop the append-only triggers and rewrite the log.
 */
export function openRawDb(vaultDir: string, sqlcipherKey: string): Database.Database {
  const db = openVaultDbFile(vaultDir, sqlcipherKey);
  db.pragma('foreign_keys = OFF');
  db.exec(
    'DROP TRIGGER IF EXISTS custody_log_no_update; DROP TRIGGER IF EXISTS custody_log_no_delete;',
  );
  return db;
}

export function readLog(db: Database.Database): CustodyEntry[] {
  return (
    db.prepare('SELECT * FROM custody_log ORDER BY seq').all() as (Omit<
      CustodyEntry,
      'subjects' | 'details'
    > & { subjects: string; details: string })[]
  ).map((r) => ({
    ...r,
    subjects: JSON.parse(r.subjects) as string[],
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

/**
 * Replaces the whole log with `entries`, renumbered 1..n and with every link and hash
 * recomputed, so the chain itself is flawless. Checkpoints are left as they are.
 */
export function writeLog(db: Database.Database, entries: readonly CustodyEntry[]): void {
  db.transaction(() => {
    db.exec('DELETE FROM custody_log');
    let prev = GENESIS_PREV;
    const insert = db.prepare(
      'INSERT INTO custody_log (seq, at, actor, action, subjects, details, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    entries.forEach((e, i) => {
      const body = { ...e, seq: i + 1, prev };
      const hash = entryHash(body);
      insert.run(
        body.seq,
        body.at,
        body.actor,
        body.action,
        JSON.stringify(body.subjects),
        JSON.stringify(body.details),
        prev,
        hash,
      );
      prev = hash;
    });
  })();
}
