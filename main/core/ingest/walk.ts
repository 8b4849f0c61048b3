import { isUtf8 } from 'node:buffer';
import { lstat, readdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { asIoError } from '../fs-safety';

/** What an import will read: files found under the paths given, in a stable order. */
export interface PlannedFile {
  /** The path as shown: UTF-8, with U+FFFD where a name's bytes are not UTF-8. */
  path: string;
  /** The path's exact bytes, when `path` does not spell them (the file is opened by these). */
  bytes?: Buffer;
  size: number;
}

export interface PlanProblem {
  path: string;
  /** 'failed': the person asked for it and it cannot be read; 'skipped': left out on purpose. */
  status: 'failed' | 'skipped';
  message: string;
}

// Folder-view clutter the OS writes; never evidence.
const SYSTEM_FILES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '.localized']);
const SLASH = 0x2f;

/**
 * A path as bytes, made absolute. Names on Linux are bytes, not text: a name that is not
 * UTF-8 (from an old Windows disk, a damaged card) must still be found, so folders are read
 * as bytes and paths carried as bytes. path.resolve only looks at '/' and '.', so it is
 * applied to a latin1 spelling, which maps every byte to one character and back.
 */
export function absolutePathBytes(p: string | Buffer): Buffer {
  if (typeof p === 'string') return Buffer.from(resolve(p));
  const cwd = Buffer.from(process.cwd()).toString('latin1');
  return Buffer.from(resolve(cwd, p.toString('latin1')), 'latin1');
}

export async function planImport(
  paths: readonly (string | Buffer)[],
  /** The vault's own folder: never imported into itself (say, when a whole home folder is added). */
  vaultDir?: string,
): Promise<{ files: PlannedFile[]; problems: PlanProblem[] }> {
  const own = vaultDir ? absolutePathBytes(vaultDir) : null;
  const files: PlannedFile[] = [];
  const problems: PlanProblem[] = [];

  const inOwn = (p: Buffer): boolean =>
    own !== null &&
    (p.equals(own) ||
      (p.length > own.length && p[own.length] === SLASH && p.subarray(0, own.length).equals(own)));

  async function visit(raw: Buffer, explicit: boolean): Promise<void> {
    // Lossy on purpose: what a person reads; the bytes are kept beside it.
    const path = raw.toString('utf8');
    if (inOwn(raw)) {
      problems.push({
        path,
        status: explicit ? 'failed' : 'skipped',
        message: `${path} is part of Dossier's own vault (already encrypted there), so it is not imported again.`,
      });
      return;
    }
    let st;
    try {
      st = await lstat(raw);
    } catch (e) {
      const lost =
        explicit && (e as NodeJS.ErrnoException).code === 'ENOENT' && path.includes('\uFFFD');
      problems.push({
        path,
        status: 'failed',
        message: lost
          ? `${path} does not exist. Its name has characters that are not valid UTF-8 (shown as \uFFFD), and their exact bytes did not reach Dossier. Add the folder that holds it instead.`
          : (asIoError(e, path) as Error).message,
      });
      return;
    }
    if (st.isSymbolicLink()) {
      // Following links could pull in files from anywhere, or loop forever.
      problems.push({
        path,
        status: explicit ? 'failed' : 'skipped',
        message: `${path} is a shortcut (symbolic link), not a file. Add the file it points to instead.`,
      });
    } else if (st.isDirectory()) {
      let names: Buffer[];
      try {
        names = await readdir(raw, { encoding: 'buffer' });
      } catch (e) {
        problems.push({ path, status: 'failed', message: (asIoError(e, path) as Error).message });
        return;
      }
      names.sort(Buffer.compare);
      const prefix = raw[raw.length - 1] === SLASH ? raw : Buffer.concat([raw, Buffer.from('/')]);
      for (const name of names) await visit(Buffer.concat([prefix, name]), false);
    } else if (st.isFile()) {
      if (!explicit && SYSTEM_FILES.has(basename(path).toLowerCase())) {
        problems.push({
          path,
          status: 'skipped',
          message: `${path} is a system file, not evidence.`,
        });
      } else {
        files.push(isUtf8(raw) ? { path, size: st.size } : { path, bytes: raw, size: st.size });
      }
    } else {
      problems.push({
        path,
        status: explicit ? 'failed' : 'skipped',
        message: `${path} is not a regular file (a device, socket or pipe) and cannot be imported.`,
      });
    }
  }

  for (const p of paths) await visit(absolutePathBytes(p), true);
  return { files, problems };
}
