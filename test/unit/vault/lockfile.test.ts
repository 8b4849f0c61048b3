import { execFile, spawn } from 'node:child_process';
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { VaultLock } from '../../../main/core/vault/lockfile';
import { tempDir } from '../../support/tmp';

const holderScript = fileURLToPath(new URL('../../support/lock-holder.mjs', import.meta.url));

function inWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(holderScript, { workerData: { path } });
    worker.once('message', (m: string) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** A process holding the lock; resolves once it says so. */
async function holderProcess(path: string) {
  const child = spawn(process.execPath, [holderScript, path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const said = await new Promise<string>((resolve) =>
    child.stdout.once('data', (c: Buffer) => resolve(c.toString().trim())),
  );
  return { child, said };
}

describe('VaultLock: a lock the operating system drops when its holder dies', () => {
  it('refuses a second holder in the same thread, in another thread, and in another process', async () => {
    const path = join(await tempDir(), 'dossier.lock');
    const lock = await VaultLock.acquire(path);
    await expect(VaultLock.acquire(path)).rejects.toMatchObject({ code: 'LOCKED' });
    expect(await inWorker(path)).toBe('LOCKED');
    const other = await holderProcess(path);
    try {
      expect(other.said).toBe('LOCKED');
    } finally {
      other.child.kill('SIGKILL');
    }
    await lock.release();
    expect(await inWorker(path)).toBe('held');
    const again = await VaultLock.acquire(path);
    await again.release();
  });

  it('is free the moment a holder process is killed with SIGKILL', async () => {
    const path = join(await tempDir(), 'dossier.lock');
    const { child, said } = await holderProcess(path);
    expect(said).toBe('held');
    await expect(VaultLock.acquire(path)).rejects.toMatchObject({ code: 'LOCKED' });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // No waiting, no retry: the kernel released it with the process.
    const lock = await VaultLock.acquire(path);
    await lock.release();
  });

  it('empties an old JSON or damaged lock file in place: same file, a valid database, no journal left', async () => {
    const dir = await tempDir();
    const path = join(dir, 'dossier.lock');
    for (const content of [
      JSON.stringify({ pid: 1, host: 'this-computer' }),
      Buffer.alloc(9000, 0xab),
      'SQLite format 3\0'.padEnd(200, 'x'),
    ]) {
      await writeFile(path, content);
      const inode = (await stat(path)).ino;
      const lock = await VaultLock.acquire(path);
      expect((await stat(path)).ino).toBe(inode);
      expect(await readdir(dir)).toEqual(['dossier.lock']);
      await lock.release();
      const db = new Database(path, { readonly: true });
      const holder = db.prepare('SELECT pid, released FROM holder').get() as {
        pid: number;
        released: string | null;
      };
      db.close();
      expect(holder.pid).toBe(process.pid);
      expect(holder.released).not.toBeNull();
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a repair journal written while the lock is held does not take it from the holder', async () => {
    const dir = await tempDir();
    const path = join(dir, 'dossier.lock');
    await writeFile(path, '{"pid": 1}');
    const holder = await holderProcess(path);
    try {
      expect(holder.said).toBe('held');
      // What a second process does when it finds a damaged file: it must still be refused.
      const journal = Buffer.alloc(4096);
      Buffer.from('d9d505f920a163d7', 'hex').copy(journal, 0);
      journal.writeUInt32BE(4096, 20);
      journal.writeUInt32BE(4096, 24);
      await writeFile(`${path}-journal`, journal);
      await expect(VaultLock.acquire(path)).rejects.toMatchObject({ code: 'LOCKED' });
      expect(await inWorker(path)).toBe('LOCKED');
    } finally {
      holder.child.kill('SIGKILL');
    }
    await new Promise((r) => holder.child.once('exit', r));
    const lock = await VaultLock.acquire(path);
    await lock.release();
    expect(await readdir(dir)).toEqual(['dossier.lock']);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'holds on a 100% full disk, even when the lock file is new and nothing can be written to it (needs root for a small tmpfs)',
    async () => {
      const run = promisify(execFile);
      const disk = join(await tempDir(), 'disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
      try {
        const filler = await open(join(disk, 'filler'), 'w');
        for (const size of [65536, 1])
          for (;;) {
            try {
              await filler.write(Buffer.alloc(size));
            } catch {
              break;
            }
          }
        await filler.close();
        const path = join(disk, 'dossier.lock');
        const lock = await VaultLock.acquire(path);
        expect((await stat(path)).size).toBe(0); // the holder row could not be written
        expect(await inWorker(path)).toBe('LOCKED');
        const other = await holderProcess(path);
        other.child.kill('SIGKILL');
        expect(other.said).toBe('LOCKED');
        await lock.release();
        expect(await inWorker(path)).toBe('held');
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    },
  );
});
