import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DossierError } from './errors';

/** Makes a rename or a new file durable: the directory entry itself must reach the disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a small file atomically (temp file, fsync, rename, fsync dir): after a crash
 * or a full disk the old content or the new is there, never a mix.
 */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw asIoError(e, path);
  }
}

/** Turns an errno failure into a message a person can act on. */
export function asIoError(e: unknown, path: string): unknown {
  if (e instanceof DossierError || !(e instanceof Error)) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new DossierError(
        'NO_SPACE',
        `The disk is full while writing ${path}. Nothing was half-saved. Free some space and try again.`,
        { cause: e },
      );
    case 'ENOENT':
      return new DossierError('IO', `${path} does not exist. Check the path and try again.`, {
        cause: e,
      });
    case 'EACCES':
    case 'EPERM':
      return new DossierError(
        'IO',
        `Permission denied for ${path}. Check that you are allowed to read (or write) it.`,
        { cause: e },
      );
    case 'EROFS':
      return new DossierError('IO', `${path} is on a read-only disk.`, { cause: e });
    case 'EISDIR':
      return new DossierError('IO', `${path} is a folder, not a file.`, { cause: e });
    case 'EIO':
      return new DossierError('IO', `The disk reported a read/write error on ${path}.`, {
        cause: e,
      });
    default:
      return code ? new DossierError('IO', `Could not access ${path} (${code}).`, { cause: e }) : e;
  }
}
