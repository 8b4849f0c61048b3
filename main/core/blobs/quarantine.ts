import { lstat, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { asIoError, fsyncDir } from '../fs-safety';

/**
 * quarantine/: encrypted files found under blobs/ that no item refers to. They are moved
 * here at unlock instead of being deleted (they may be evidence whose database row was
 * lost), keeping their shard-relative name: blobs/3a/<id>.age becomes quarantine/3a/<id>.age.
 * Dossier never deletes from here on its own; `dossier quarantine restore` brings them back.
 */
export const QUARANTINE_DIR = 'quarantine';

export interface QuarantinedFile {
  /** Relative to the vault folder, with forward slashes, e.g. quarantine/3a/<id>.age. */
  path: string;
  /** Encrypted size in bytes. */
  size: number;
  /** When it was moved here (the file's change time, which a rename sets). */
  movedAt: string;
}

export class Quarantine {
  constructor(readonly vaultDir: string) {}

  absolute(rel: string): string {
    return join(this.vaultDir, rel);
  }

  /**
   * Moves `rel` (a file under blobs/) here; never overwrites: a name already taken gets
   * "-2", "-3"… before ".age". Durable when it returns. Returns the new relative path.
   */
  async admit(rel: string): Promise<string> {
    const [, shard, ...rest] = rel.split('/');
    const name = rest.join('/');
    const folder = join(this.vaultDir, QUARANTINE_DIR, shard!);
    try {
      const newRoot = await mkdir(join(this.vaultDir, QUARANTINE_DIR), { mode: 0o700 }).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') return false;
          throw e;
        },
      );
      if (newRoot) await fsyncDir(this.vaultDir);
      const newShard = await mkdir(folder, { mode: 0o700 }).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') return false;
          throw e;
        },
      );
      if (newShard) await fsyncDir(join(this.vaultDir, QUARANTINE_DIR));
      let target = name;
      for (let n = 2; await exists(join(folder, target)); n++)
        target = name.replace(/(\.age)?$/, `-${n}$1`);
      const to = `${QUARANTINE_DIR}/${shard}/${target}`;
      await rename(join(this.vaultDir, rel), join(this.vaultDir, to));
      await fsyncDir(folder);
      await fsyncDir(join(this.vaultDir, rel, '..'));
      return to;
    } catch (e) {
      throw asIoError(e, join(this.vaultDir, rel));
    }
  }

  /** Every file here, sorted by path. */
  async list(): Promise<QuarantinedFile[]> {
    const root = join(this.vaultDir, QUARANTINE_DIR);
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true, recursive: true });
    } catch (e) {
      // Absent, or a plain file in its place: nothing is quarantined (admit() will say why not).
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw asIoError(e, root);
    }
    const out: QuarantinedFile[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      const abs = join(e.parentPath, e.name);
      const st = await stat(abs);
      const path = `${QUARANTINE_DIR}/${abs
        .slice(root.length + 1)
        .split(/[\\/]/)
        .join('/')}`;
      out.push({ path, size: st.size, movedAt: st.ctime.toISOString() });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Moves `rel` back to `toRel` under blobs/ (the database refers to it again), never over
   * an existing file. Durable when it returns.
   */
  async giveBack(rel: string, toRel: string): Promise<void> {
    const to = join(this.vaultDir, toRel);
    try {
      await mkdir(join(to, '..'), { recursive: true, mode: 0o700 });
      if (await exists(to)) return;
      await rename(join(this.vaultDir, rel), to);
      await fsyncDir(join(to, '..'));
      await fsyncDir(join(this.vaultDir, rel, '..'));
    } catch (e) {
      throw asIoError(e, to);
    }
  }

  /** Removes a file once what it held is safely in the vault; durable when it returns. */
  async release(rel: string): Promise<void> {
    const abs = join(this.vaultDir, rel);
    try {
      await unlink(abs);
      await fsyncDir(join(abs, '..'));
    } catch (e) {
      throw asIoError(e, abs);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
}
