import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tempDir } from './tmp';

const run = promisify(execFile);

/** A real full disk needs a small tmpfs, which only root may mount; tests skip, and say so, without it. */
export async function canMountTmpfs(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const probe = await tempDir('dossier-mount-probe-');
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    await run('umount', [probe]);
    return true;
  } catch {
    return false;
  }
}

/** Writes `path` until the disk refuses a single byte more: a disk 100% full. */
export async function fillDisk(path: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}
