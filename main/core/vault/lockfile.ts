import { chmodSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';

type Db = Database.Database;

interface Holder {
  pid: number;
  host: string;
  since: string;
  released: string | null;
}

const BUSY =
  'This vault is open in another Dossier window or command (on this computer, or on another one sharing this folder). Close it, then try again.';

/**
 * One process (and one thread) at a time opens a vault: start-up clean-up moves away blobs
 * no row refers to, which would be another process's add in flight.
 *
 * The lock is the operating system's: `dossier.lock` is a small plain SQLite database, and
 * the holder keeps an exclusive SQLite lock on it (fcntl on Unix, LockFileEx on Windows)
 * for as long as the vault is open. The kernel drops it the moment the holder dies (kill -9,
 * crash, power loss of the process), whether or not the process has been reaped, and a
 * process id reused by another program means nothing. SQLite also makes a second connection
 * in the same process (another worker thread) conflict.
 *
 * The file is never deleted or replaced, so every process locks the same inode. What it
 * holds ({pid, host, since, released}) is only for messages. A `dossier.lock` that is not a
 * SQLite database (the JSON of earlier versions, or damage) is emptied in place, through
 * SQLite's own crash recovery: a rollback journal saying "the database had 0 pages" is
 * written beside it, and SQLite applies it only while it holds the exclusive lock with no
 * other holder, so it never empties a lock that someone holds.
 *
 * Never open `dossier.lock` with Node's fs while a vault may be open in this process: closing
 * any descriptor of a file drops the process's fcntl locks on it (POSIX).
 */
export class VaultLock {
  private constructor(private db: Db | null) {}

  static async acquire(path: string): Promise<VaultLock> {
    let repaired = false;
    let busyRetries = 0;
    for (let attempt = 0; ; attempt++) {
      let db: Db;
      try {
        db = new Database(path, { timeout: 0 });
      } catch (e) {
        throw lockIoError(e, path);
      }
      try {
        takeLock(db);
      } catch (e) {
        db.close();
        const code = (e as { code?: string }).code;
        // After an emptying journal was written, a busy lock (or a journal cut short under
        // us) may be another opener applying its own for a moment (both found the same stale
        // file): look again shortly, a few times.
        const passing =
          code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_IOERR_SHORT_READ';
        if (passing && repaired && busyRetries < 5) {
          busyRetries++;
          await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 60)));
          continue;
        }
        if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
          throw new DossierError('LOCKED', BUSY);
        if ((code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') && attempt < 2) {
          await writeEmptyingJournal(path);
          repaired = true;
          continue;
        }
        if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
          throw new DossierError(
            'IO',
            `The vault's lock file ${path} is damaged and could not be repaired. Close every Dossier window and command, delete that file, and try again.`,
            { cause: e },
          );
        }
        throw lockIoError(e, path);
      }
      const previous = readHolder(db);
      if (previous && previous.host !== hostname() && previous.released === null) {
        db.close();
        // A synced or shared folder: that computer's lock does not reach this one.
        throw new DossierError(
          'LOCKED',
          `This vault seems to be open on another computer ("${previous.host}", since ${previous.since}). Close Dossier there first. If it is not open anywhere (that computer crashed), delete the file ${path} and try again.`,
        );
      }
      writeHolder(db);
      try {
        chmodSync(path, 0o600); // by path: no descriptor to close
      } catch {
        // Not ours to change (another owner): the lock works all the same.
      }
      return new VaultLock(db);
    }
  }

  /** Marks the lock released (for the next opener's messages) and drops it. Never throws. */
  async release(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (!db) return;
    try {
      db.prepare('UPDATE holder SET released = ? WHERE id = 1').run(new Date().toISOString());
    } catch {
      // A full disk: the kernel lock goes with close() all the same.
    }
    db.close();
  }
}

/** Exclusive and kept until close; throws SQLITE_BUSY when another connection holds it. */
function takeLock(db: Db): void {
  // The first read in normal mode: a journal from writeEmptyingJournal is applied and deleted.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.pragma('locking_mode = EXCLUSIVE');
  // No -journal file: a half-written lock file is only a lost message, repaired next time.
  db.pragma('journal_mode = MEMORY');
  db.exec('BEGIN EXCLUSIVE');
  // Nothing written (a commit would write page 1, impossible on a full disk); in EXCLUSIVE
  // locking mode the lock stays after the transaction ends.
  db.exec('ROLLBACK');
}

function readHolder(db: Db): Holder | undefined {
  try {
    return db.prepare('SELECT pid, host, since, released FROM holder WHERE id = 1').get() as
      Holder | undefined;
  } catch {
    return undefined; // no table yet: a new or emptied lock file
  }
}

/** Who holds the vault, for messages. On a full disk this fails, and the lock holds anyway. */
function writeHolder(db: Db): void {
  try {
    db.transaction(() => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, released TEXT)',
      );
      db.prepare('INSERT OR REPLACE INTO holder VALUES (1, ?, ?, ?, NULL)').run(
        process.pid,
        hostname(),
        new Date().toISOString(),
      );
    })();
  } catch {
    // Rolled back; in EXCLUSIVE locking mode the lock itself is kept.
  }
}

/**
 * A hot rollback journal (SQLite file format §4: magic, 0 records, original size 0 pages,
 * sector and page size 4096). SQLite rolls it back, emptying `dossier.lock` to a valid empty
 * database, only under an exclusive lock with no other holder. Written to `-journal`, a
 * separate file, so its descriptor is never one of the lock file's; written beside it and
 * renamed into place, so another opener never reads one half-written (or cut back to nothing
 * by a second opener writing the same journal: SQLITE_IOERR_SHORT_READ).
 */
async function writeEmptyingJournal(path: string): Promise<void> {
  const journal = Buffer.alloc(4096);
  Buffer.from('d9d505f920a163d7', 'hex').copy(journal, 0);
  journal.writeUInt32BE(4096, 20); // sector size
  journal.writeUInt32BE(4096, 24); // page size
  const partial = `${path}-journal.${process.pid}.partial`;
  try {
    await writeFile(partial, journal, { mode: 0o600 });
    await rename(partial, `${path}-journal`);
  } catch (e) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw asIoError(e, `${path}-journal`);
  }
}

function lockIoError(e: unknown, path: string): unknown {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_FULL') return asIoError(e, path);
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new DossierError(
      'IO',
      `The vault's lock file ${path} cannot be created or written (the folder is read-only, or not yours). Check the folder's permissions and try again.`,
      { cause: e },
    );
  }
  return asIoError(e, path);
}
