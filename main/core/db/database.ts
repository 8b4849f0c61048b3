import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { DossierError } from '../errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens the SQLCipher 4 database (cipher 'sqlcipher', legacy=4, raw 32-byte key),
 * WAL with synchronous=FULL so a committed add survives a crash, foreign keys on,
 * then runs pending migrations.
 */
export function openDatabase(path: string, rawKey: Buffer): Db {
  const db = new Database(path);
  try {
    // The WAL index in memory, not in a -shm file: on a full disk a new -shm cannot be made and
    // even reading failed. Only one connection opens a vault anyway (vault/lockfile.ts).
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${rawKey.toString('hex')}'"`);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      throw new DossierError(
        'CORRUPT',
        'The vault database could not be decrypted although the passphrase was right: it is damaged or was replaced. Restore it from a backup.',
        { cause: e },
      );
    }
    db.pragma('journal_mode = WAL');
    // Owner-only, whatever the umask: the files are encrypted, but their existence is private too.
    for (const f of [path, `${path}-wal`, `${path}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch {
        // -wal/-shm appear lazily; they inherit nothing sensitive in the meantime.
      }
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // Sorts and temporary indexes stay in memory: SQLite's temp files are not encrypted.
    db.pragma('temp_store = MEMORY');
    // Up to 256 MiB of decrypted pages, taken only as pages are read: a page read from disk
    // costs a decryption and an HMAC, and the library's indexes for 100,000 items are ~200 MiB.
    db.pragma('cache_size = -262144');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const from = schemaVersion(db);
  if (from > MIGRATIONS.length) {
    throw new DossierError(
      'USAGE',
      `This vault's database was written by a newer Dossier (schema ${from}). Update Dossier to open it.`,
    );
  }
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      const step = MIGRATIONS[v]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
