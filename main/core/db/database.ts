import { chmodSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DossierError, isDossierError } from '../errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

const RESTORE =
  'Nothing was changed. Restore it from a backup; the encrypted originals under blobs/ were not touched.';

/**
 * Opens the SQLCipher 4 database (cipher 'sqlcipher', legacy=4, raw 32-byte key),
 * WAL with synchronous=FULL so a committed add survives a crash, foreign keys on,
 * then runs pending migrations. Only `create` makes a new database: opening a vault whose
 * database is missing, empty or not a file is refused, because a fresh one would not list
 * the vault's evidence.
 */
export function openDatabase(path: string, rawKey: Buffer, opts: { create?: boolean } = {}): Db {
  const name = basename(path);
  if (!opts.create) assertUsableFile(path);
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: !opts.create });
  } catch (e) {
    throw asDatabaseError(e, path);
  }
  try {
    // The WAL index in memory, not in a -shm file: on a full disk a new -shm cannot be made and
    // even reading failed. Only one connection opens a vault anyway (vault/lockfile.ts).
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${rawKey.toString('hex')}'"`);
    let tables: number;
    try {
      tables = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
    } catch (e) {
      throw new DossierError(
        'CORRUPT',
        `The vault database (${name}) could not be decrypted although the passphrase was right: it is damaged or was replaced. ${RESTORE}`,
        { cause: e },
      );
    }
    if (!opts.create && tables === 0) {
      throw new DossierError(
        'CORRUPT',
        `The vault database (${name}) is empty: it was emptied or replaced, so it no longer lists the vault's evidence. ${RESTORE}`,
      );
    }
    db.pragma('journal_mode = WAL');
    // Owner-only, whatever the umask: the files are encrypted, but their existence is private
    // too. Permissions are only ever taken away, never given (see tightenMode).
    for (const f of [path, `${path}-wal`, `${path}-shm`]) tightenMode(f);
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
    throw asDatabaseError(e, path);
  }
}

/** Refuses, in words, a database that is missing, not a file, empty or read-only. */
function assertUsableFile(path: string): void {
  const name = basename(path);
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DossierError(
        'CORRUPT',
        `The vault database (${name}) is missing, so the vault cannot be opened: without it nothing says which encrypted file is which item. It was not re-created. Put ${name} back from a backup.`,
      );
    }
    throw asDatabaseError(e, path);
  }
  if (!st.isFile()) {
    throw new DossierError(
      'CORRUPT',
      `The vault database (${name}) is a folder or other special file, not a database: it was replaced. ${RESTORE}`,
    );
  }
  if (st.size === 0) {
    throw new DossierError(
      'CORRUPT',
      `The vault database (${name}) is empty: it was emptied or replaced, so it no longer lists the vault's evidence. ${RESTORE}`,
    );
  }
  // Checked on the mode itself: a process running as root may write whatever the mode says.
  if ((st.mode & 0o200) === 0) {
    throw new DossierError(
      'IO',
      `The vault database (${name}) is read-only, and Dossier records every unlock in it. Dossier did not change its permissions. If you made it read-only on purpose, open a copy of the vault; otherwise make it writable again (chmod u+w ${path}).`,
    );
  }
}

/** Removes group and other permissions; never adds any (a read-only file stays read-only). */
function tightenMode(path: string): void {
  try {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) chmodSync(path, mode & 0o700);
  } catch {
    // -wal/-shm appear lazily; SQLite gives them the database file's permissions.
  }
}

/**
 * SQLite's failures in words: a damaged page (HMAC or structure) is CORRUPT, a file that
 * cannot be opened or written is IO, a full disk NO_SPACE. Anything else is returned as is.
 */
export function asDatabaseError(e: unknown, path = 'dossier.db'): unknown {
  if (isDossierError(e) || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const name = basename(path);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new DossierError(
      'CORRUPT',
      `The vault database (${name}) is damaged: SQLite reports "${e.message}". ${RESTORE}`,
      { cause: e },
    );
  }
  if (code === 'SQLITE_FULL') {
    return new DossierError(
      'NO_SPACE',
      `The disk is full while writing ${name}. Nothing was half-saved. Free some space and try again.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new DossierError(
      'IO',
      `The vault database (${name}) cannot be written: it, or its folder, is read-only (SQLite reports "${e.message}"). Dossier did not change any permissions.`,
      { cause: e },
    );
  }
  if (
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_PERM'
  ) {
    return new DossierError(
      'IO',
      `The vault database (${name}) could not be read or written: SQLite reports "${e.message}". Check the disk and the file's permissions, then try again.`,
      { cause: e },
    );
  }
  return e;
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

/**
 * A database in memory with the vault's schema, nothing on disk: a bundle opened for review is
 * loaded into one (review/workspace.ts), so the library's queries answer from it unchanged.
 */
export function openMemoryDatabase(): Db {
  const db = new Database(':memory:');
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}
