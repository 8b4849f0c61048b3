import { lstat, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isPartialOf } from '../bagit/partial-name';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';

/**
 * Exports still being written, recorded in the encrypted database (exports_in_progress)
 * before their unfinished bundle is created and cleared once it is renamed into place or
 * deleted. A killed export leaves its record behind; its unfinished bundle (plaintext for
 * the folder and zip forms) is then removed when the vault next opens, or by the next
 * export to the same folder, and the removal is logged and said.
 *
 * Only a path this vault recorded, with Dossier's partial name, is ever removed, and never
 * one whose export is running in this process. The vault lock keeps other processes out,
 * so at unlock every recorded export is one that was interrupted.
 */

/** Unfinished bundles of exports running in this process. */
const running = new Set<string>();

interface Row {
  partial_path: string;
  final_path: string;
  started_at: string;
}

export class ExportsInProgress {
  constructor(
    private readonly db: Db,
    private readonly custody: CustodyLog,
  ) {}

  /** Records an export about to write `partialPath`; committed before the path is created. */
  begin(partialPath: string, finalPath: string): void {
    running.add(partialPath);
    try {
      this.db
        .prepare(
          'INSERT INTO exports_in_progress (partial_path, final_path, started_at) VALUES (?, ?, ?)',
        )
        .run(partialPath, finalPath, new Date().toISOString());
    } catch (e) {
      running.delete(partialPath);
      throw e;
    }
  }

  /** The unfinished bundle is gone (renamed into place or deleted): forget it. */
  end(partialPath: string): void {
    running.delete(partialPath);
    this.db.prepare('DELETE FROM exports_in_progress WHERE partial_path = ?').run(partialPath);
  }

  /**
   * Removes the unfinished bundles of interrupted exports (all of them, or those in
   * `folder`) and returns plain-words notices of what was removed or could not be.
   */
  async removeInterrupted(opts: { folder?: string } = {}): Promise<string[]> {
    const rows = (
      this.db.prepare('SELECT * FROM exports_in_progress ORDER BY started_at').all() as Row[]
    ).filter(
      (r) =>
        !running.has(r.partial_path) &&
        (opts.folder === undefined || dirname(r.partial_path) === opts.folder),
    );
    const notices: string[] = [];
    const forget: string[] = [];
    const removed: Row[] = [];
    for (const r of rows) {
      const folder = dirname(r.partial_path);
      // Not a name this code gives: never delete it, only drop the record.
      if (!isPartialOf(r.partial_path, r.final_path)) {
        forget.push(r.partial_path);
        continue;
      }
      const folderThere = await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!folderThere) {
        notices.push(
          `An interrupted export was writing to ${folder}, which is not there now (a removable drive that is not plugged in?), so its unfinished bundle ${basename(r.partial_path)} could not be checked. Dossier will remove it the next time that folder is there.`,
        );
        continue;
      }
      const present = await lstat(r.partial_path).then(
        () => true,
        () => false,
      );
      if (!present) {
        forget.push(r.partial_path); // killed before it wrote anything, or after the rename
        continue;
      }
      try {
        await rm(r.partial_path, { recursive: true, force: true });
      } catch (e) {
        notices.push(
          `An interrupted export left an unfinished bundle at ${r.partial_path}, and it could not be removed (${(e as Error).message}). It may hold unencrypted copies of evidence: delete it yourself.`,
        );
        continue;
      }
      removed.push(r);
      notices.push(
        `An interrupted export to ${folder} had left an unfinished bundle, ${basename(r.partial_path)}${r.final_path.endsWith('.zip.age') ? '' : ', which may hold unencrypted copies of evidence'}. It was removed.`,
      );
    }
    if (forget.length === 0 && removed.length === 0) return notices;
    try {
      this.record(removed, [...forget, ...removed.map((r) => r.partial_path)]);
    } catch (e) {
      // The files are gone either way; say that the log could not record it (a full disk?).
      if (removed.length > 0)
        notices.push(
          `The custody entry recording that removal could not be written: ${(e as Error).message}`,
        );
    }
    return notices;
  }

  /** Logs what was removed and drops the records, in one transaction. */
  private record(removed: Row[], paths: string[]): void {
    const drop = this.db.prepare('DELETE FROM exports_in_progress WHERE partial_path = ?');
    this.db.transaction(() => {
      if (removed.length > 0) {
        this.custody.append('repair', [], {
          reason: 'unfinished bundle of an interrupted export removed',
          removedPartialExports: removed.map((r) => ({
            name: basename(r.partial_path),
            folder: basename(dirname(r.partial_path)),
            startedAt: r.started_at,
          })),
        });
      }
      for (const p of paths) drop.run(p);
    })();
  }
}
