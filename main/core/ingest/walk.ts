import { lstat, readdir } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { asIoError } from '../fs-safety';

/** What an import will read: files found under the paths given, in a stable order. */
export interface PlannedFile {
  path: string;
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

export async function planImport(
  paths: readonly string[],
  /** The vault's own folder: never imported into itself (say, when a whole home folder is added). */
  vaultDir?: string,
): Promise<{ files: PlannedFile[]; problems: PlanProblem[] }> {
  const own = vaultDir ? resolve(vaultDir) : null;
  const files: PlannedFile[] = [];
  const problems: PlanProblem[] = [];

  async function visit(path: string, explicit: boolean): Promise<void> {
    if (own && (path === own || path.startsWith(own + sep))) {
      problems.push({
        path,
        status: explicit ? 'failed' : 'skipped',
        message: `${path} is part of Dossier's own vault (already encrypted there), so it is not imported again.`,
      });
      return;
    }
    let st;
    try {
      st = await lstat(path);
    } catch (e) {
      problems.push({ path, status: 'failed', message: (asIoError(e, path) as Error).message });
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
      let names: string[];
      try {
        names = await readdir(path);
      } catch (e) {
        problems.push({ path, status: 'failed', message: (asIoError(e, path) as Error).message });
        return;
      }
      names.sort();
      for (const name of names) await visit(join(path, name), false);
    } else if (st.isFile()) {
      if (!explicit && SYSTEM_FILES.has(basename(path).toLowerCase())) {
        problems.push({
          path,
          status: 'skipped',
          message: `${path} is a system file, not evidence.`,
        });
      } else {
        files.push({ path, size: st.size });
      }
    } else {
      problems.push({
        path,
        status: explicit ? 'failed' : 'skipped',
        message: `${path} is not a regular file (a device, socket or pipe) and cannot be imported.`,
      });
    }
  }

  for (const p of paths) await visit(resolve(p), true);
  return { files, problems };
}
