import { execFile } from 'node:child_process';
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
