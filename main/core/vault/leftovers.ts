import type { BlobStore } from '../blobs/store';
import type { Quarantine } from '../blobs/quarantine';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { ID_PATTERN } from '../ids';
import type { ItemRepository } from '../items/repository';

/**
 * What unlock checks and tidies before anything else. Two rules: a database that is not
 * this vault's own (no `create` entry) is refused, and nothing under blobs/ is deleted
 * except the temp files of an unfinished write and the files of a removed item (its removal
 * is logged and its tombstone committed before its files go: a crash in between leaves them
 * for here); files no item refers to go to quarantine/.
 */

/** Refuses a database whose custody log does not begin with this vault's `create` entry. */
export function assertVaultDatabase(db: Db, vaultId: string): void {
  const first = db.prepare('SELECT action, details FROM custody_log ORDER BY seq LIMIT 1').get() as
    { action: string; details: string } | undefined;
  let createdFor: unknown;
  try {
    createdFor = first ? (JSON.parse(first.details) as { vaultId?: unknown }).vaultId : undefined;
  } catch {
    createdFor = undefined;
  }
  if (first?.action !== 'create' || createdFor !== vaultId) {
    throw new DossierError(
      'CORRUPT',
      first
        ? `The vault database (dossier.db) is not this vault's own: its custody log does not begin with the entry that created this vault (it begins with "${first.action}"). It was replaced or rebuilt, so it may not list the vault's evidence. Nothing was changed. Restore dossier.db from a backup; the encrypted originals under blobs/ were not touched.`
        : "The vault database (dossier.db) is not this vault's own: its custody log is empty, with no entry that created this vault. It was replaced or rebuilt, so it does not list the vault's evidence. Nothing was changed. Restore dossier.db from a backup; the encrypted originals under blobs/ were not touched.",
    );
  }
}

/**
 * Removes temp files of unfinished writes and moves every encrypted file that no item
 * refers to into quarantine/, after logging what is about to happen ('repair').
 * Returns notices for the person, in words.
 */
export async function tidyLeftovers(deps: {
  blobs: BlobStore;
  quarantine: Quarantine;
  items: ItemRepository;
  custody: CustodyLog;
  /** Blob ids of removed items (vault/removal.ts): their files are deleted, never quarantined. */
  removed: ReadonlySet<string>;
  /**
   * Blob ids an import recorded before writing them (ingest/pending-blobs.ts): one that no
   * item refers to belongs to an import that was never saved, and is deleted.
   */
  pending?: ReadonlySet<string>;
  /** Drops the pending records once their files are dealt with. */
  clearPending?: () => void;
}): Promise<string[]> {
  const notices: string[] = [];
  let scan = await deps.blobs.scan();
  const known = new Set(deps.items.blobRefs().map((r) => r.blobId));
  // A quarantined blob the database refers to again (the newer dossier.db was put back)
  // returns to its place, so the item opens again.
  const present = new Set(scan.blobs);
  const wanted = (await deps.quarantine.list()).flatMap((q) => {
    const m = /^quarantine\/([^/]+)\/([^/]+)\.age$/.exec(q.path);
    const id = m?.[2];
    return id && ID_PATTERN.test(id) && m[1] === id.slice(0, 2) && known.has(id) && !present.has(id)
      ? [{ from: q.path, to: deps.blobs.relativePath(id) }]
      : [];
  });
  if (wanted.length) {
    deps.custody.append('repair', [], {
      reason: 'quarantined files the database refers to again were put back under blobs/',
      returned: wanted.map((w) => w.from),
    });
    for (const w of wanted) await deps.quarantine.giveBack(w.from, w.to);
    notices.push(
      `${wanted.length} encrypted file(s) in quarantine/ belong to items in the database again, and were put back in blobs/.`,
    );
    scan = await deps.blobs.scan();
  }
  // An interrupted removal is finished: logged, then the files go.
  const leftOfRemoved = scan.blobs.filter((id) => !known.has(id) && deps.removed.has(id));
  if (leftOfRemoved.length) {
    deps.custody.append('repair', [], {
      reason: 'encrypted files of removed items were deleted at unlock (a removal was interrupted)',
      deletedFiles: leftOfRemoved.map((id) => deps.blobs.relativePath(id)),
    });
    const failed: string[] = [];
    for (const id of leftOfRemoved) {
      // Never a reason not to open: what cannot be deleted now is tried again next time.
      await deps.blobs.remove(id).catch(() => failed.push(deps.blobs.relativePath(id)));
    }
    const done = leftOfRemoved.length - failed.length;
    notices.push(
      `A removal was interrupted before its encrypted file(s) were deleted; ${done} file(s) of removed items were deleted now. The removals themselves were already recorded.${failed.length ? ` ${failed.join(', ')} could not be deleted; it is tried again at the next unlock.` : ''}`,
    );
  }
  // An import killed before it was saved: its files were never evidence in the vault.
  const pending = deps.pending ?? new Set<string>();
  const unsaved = scan.blobs.filter(
    (id) => !known.has(id) && !deps.removed.has(id) && pending.has(id),
  );
  if (unsaved.length) {
    deps.custody.append('repair', [], {
      reason:
        'encrypted files written by an import that was interrupted before it was saved were deleted at unlock',
      removedUnsavedImport: unsaved.map((id) => deps.blobs.relativePath(id)),
    });
    const failed: string[] = [];
    for (const id of unsaved)
      await deps.blobs.remove(id).catch(() => failed.push(deps.blobs.relativePath(id)));
    notices.push(
      `An import was interrupted before it was saved; the ${unsaved.length - failed.length} encrypted file(s) it had written were deleted. Nothing from it was in the vault: add the file again.${failed.length ? ` ${failed.join(', ')} could not be deleted; it is tried again at the next unlock.` : ''}`,
    );
    if (failed.length === 0) deps.clearPending?.();
  } else deps.clearPending?.();
  const unreferenced = [
    ...scan.blobs
      .filter((id) => !known.has(id) && !deps.removed.has(id) && !pending.has(id))
      .map((id) => deps.blobs.relativePath(id)),
    ...scan.strays,
  ];
  if (unreferenced.length === 0 && scan.temps.length === 0) return notices;
  // Logged first: after a crash mid-way the log says what was being done, and the next
  // unlock finishes it (a file already moved is simply not found under blobs/ again).
  deps.custody.append('repair', [], {
    reason: [
      unreferenced.length
        ? 'encrypted files that no item refers to were moved to quarantine at unlock (nothing was deleted)'
        : null,
      scan.temps.length ? 'unfinished writes of an interrupted import were removed' : null,
    ]
      .filter(Boolean)
      .join('; '),
    quarantined: unreferenced,
    removedTempFiles: scan.temps,
  });
  for (const t of scan.temps) await deps.blobs.removeTemp(t);
  const moved: string[] = [];
  for (const rel of unreferenced) moved.push(await deps.quarantine.admit(rel));
  if (moved.length === 0) return notices;
  const n = moved.length;
  return [
    ...notices,
    `${n === 1 ? '1 encrypted file that no item refers to was' : `${n} encrypted files that no item refers to were`} moved to quarantine/ in the vault folder (${moved.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}). An import may have been interrupted, or the database lost its latest changes or was replaced by an older copy. Nothing was deleted. See them with \`dossier quarantine\`, and bring them back as items with \`dossier quarantine restore --all\`.`,
  ];
}
