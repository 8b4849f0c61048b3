import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';

/**
 * One process at a time opens a vault: start-up clean-up removes unreferenced blobs,
 * which would be another process's add in flight. A lock left by a killed process
 * (its pid is gone) is taken over.
 */
export class VaultLock {
  private constructor(private readonly path: string) {}

  static async acquire(path: string): Promise<VaultLock> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
        await handle.close();
        return new VaultLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw asIoError(e, path);
      }
      const holder = await readFile(path, 'utf8')
        .then((t) => JSON.parse(t) as { pid?: number; host?: string })
        .catch(() => ({}) as { pid?: number; host?: string });
      if (holder.host && holder.host !== hostname()) {
        // We cannot see processes on another computer (a synced or shared folder).
        throw new DossierError(
          'LOCKED',
          `This vault seems to be open on another computer ("${holder.host}"). Close Dossier there first. If it is not open anywhere, delete the file ${path} and try again.`,
        );
      }
      if (holder.pid && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DossierError(
          'LOCKED',
          `This vault is open in another Dossier window or command (process ${holder.pid}). Close it, then try again.`,
        );
      }
      await unlink(path).catch(() => undefined);
    }
    throw new DossierError(
      'LOCKED',
      'Could not take the vault lock. Close other Dossier windows and try again.',
    );
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
