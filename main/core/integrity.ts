import { createHash } from 'node:crypto';
import { Quarantine } from './blobs/quarantine';
import type { BlobStore } from './blobs/store';
import { verifyVaultCustody, type AnchorState } from './custody/anchor';
import { ingestRecordProblems, ingestRecords } from './custody/ingest-record';
import { removalProblems } from './custody/removal-record';
import { type ChainReport, type CustodyLog } from './custody/log';
import type { Db } from './db/database';
import { DossierError } from './errors';
import type { ItemRepository } from './items/repository';
import { removedBlobIds } from './vault/removal';
import type { KeyObject } from 'node:crypto';

export type IntegrityProblemKind =
  | 'database'
  | 'blob-missing'
  | 'blob-damaged'
  | 'blob-mismatch'
  | 'orphan-blob'
  | 'temp-file'
  | 'stray-file'
  | 'quarantined'
  | 'blob-count'
  | 'custody'
  | 'item-record'
  | 'removal';

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  message: string;
  itemId?: string;
  itemName?: string;
  blob?: string;
}

export interface IntegrityReport {
  ok: boolean;
  items: number;
  blobsChecked: number;
  bytesChecked: number;
  chain: ChainReport;
  problems: IntegrityProblem[];
}

/**
 * The whole-vault check: SQLite's integrity_check and foreign keys, every blob
 * decrypted and compared with its recorded SHA-256 and size, the custody chain, its signed
 * checkpoints and dossier.json's record of the last one, every item against its ingest
 * entry, and no stray files. Each problem names the item it hurts.
 */
export interface IntegrityProgress {
  blobsDone: number;
  blobsTotal: number;
  bytesDone: number;
  /** Plaintext bytes of every blob that is there to be read. */
  bytesTotal: number;
}

export async function checkIntegrity(
  deps: {
    db: Db;
    items: ItemRepository;
    blobs: BlobStore;
    custody: CustodyLog;
    vaultId: string;
    publicKey: KeyObject;
    /** dossier.json's record of the last signed checkpoint. */
    anchor: AnchorState;
    /**
     * Takes the picture of which files exist and which the database names while no import,
     * copy or removal is half-written (vault/blob-writes.ts). Without it, taken at once.
     */
    still?: <T>(take: () => Promise<T>) => Promise<T>;
  },
  opts: {
    onProgress?: (p: IntegrityProgress) => void;
    /** Stops the check between two chunks: it then rejects, and nothing is recorded. */
    signal?: AbortSignal;
  } = {},
): Promise<IntegrityReport> {
  const { onProgress, signal } = opts;
  const stopIfCancelled = (): void => {
    if (signal?.aborted) {
      throw new DossierError(
        'USAGE',
        'The check was cancelled before it finished. Nothing was changed.',
      );
    }
  };
  const problems: IntegrityProblem[] = [];

  const sqlite = deps.db.pragma('integrity_check') as { integrity_check: string }[];
  for (const row of sqlite) {
    if (row.integrity_check !== 'ok')
      problems.push({ kind: 'database', message: `Database: ${row.integrity_check}` });
  }
  const fk = deps.db.pragma('foreign_key_check') as {
    table: string;
    rowid: number;
    parent: string;
  }[];
  for (const row of fk) {
    problems.push({
      kind: 'database',
      message: `Database: a ${row.table} row refers to a missing ${row.parent} row.`,
    });
  }

  const still = deps.still ?? ((take) => take());
  const { refs, onDisk } = await still(async () => ({
    refs: deps.items.blobRefs(),
    onDisk: await deps.blobs.scan(),
  }));
  // A file removed with its item while the check reads (a removal after the picture) is not
  // missing or damaged: its row is gone too.
  const stillNamed = (blobId: string): boolean =>
    deps.db.prepare('SELECT 1 FROM blobs WHERE id = ?').get(blobId) !== undefined;
  const present = new Set(onDisk.blobs);
  const bytesTotal = refs.reduce((n, r) => n + (present.has(r.blobId) ? r.size : 0), 0);
  let bytesDone = 0;
  let blobsDone = 0;
  for (const ref of refs) {
    stopIfCancelled();
    const what = ref.itemId
      ? `${ref.kind === 'thumbnail' ? 'The preview of item' : 'Item'} ${ref.itemId} (${ref.itemName})`
      : `Blob ${ref.blobId}`;
    const base = {
      itemId: ref.itemId ?? undefined,
      itemName: ref.itemName ?? undefined,
      blob: deps.blobs.relativePath(ref.blobId),
    };
    if (!present.has(ref.blobId)) {
      problems.push({
        ...base,
        kind: 'blob-missing',
        message: `${what}: its encrypted file ${base.blob} is missing.`,
      });
      continue;
    }
    const hash = createHash('sha256');
    let size = 0;
    try {
      const reader = await deps.blobs.open(ref.blobId);
      try {
        for await (const chunk of reader.stream()) {
          stopIfCancelled();
          hash.update(chunk);
          size += chunk.length;
          bytesDone += chunk.length;
        }
      } finally {
        await reader.close();
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== ref.sha256 || size !== ref.size) {
        problems.push({
          ...base,
          kind: 'blob-mismatch',
          message: `${what}: its content no longer matches the SHA-256 recorded at import (expected ${ref.sha256}, found ${sha256}).`,
        });
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      if (!stillNamed(ref.blobId)) {
        blobsDone++;
        continue;
      }
      problems.push({
        ...base,
        kind: 'blob-damaged',
        message: `${what}: its encrypted file ${base.blob} is damaged or was altered (${(e as Error).message}).`,
      });
    }
    blobsDone++;
    onProgress?.({ blobsDone, blobsTotal: refs.length, bytesDone, bytesTotal });
  }

  problems.push(...(await unaccountedFiles(deps, refs, onDisk, removedBlobIds(deps.db))));

  const entries = deps.custody.entries();
  const chain = verifyVaultCustody(entries, deps.custody.checkpoints(), {
    vaultId: deps.vaultId,
    publicKey: deps.publicKey,
    anchor: deps.anchor,
  });
  if (!chain.ok && chain.firstBroken) {
    problems.push({
      kind: 'custody',
      message: `Custody log: entry ${chain.firstBroken.seq} does not verify: ${chain.firstBroken.reason}.`,
    });
  }
  // Each item against what its ingest entry recorded: a row rewritten with the revealed
  // keys, and a forged file encrypted to match it, pass every check above.
  for (const p of ingestRecordProblems(deps.db, entries))
    problems.push({ kind: 'item-record', ...p });
  // Removed items, incidents and people against their removal entries and tombstones.
  for (const p of removalProblems(deps.db, entries, ingestRecords(entries)))
    problems.push({ kind: 'removal', ...p });

  return {
    ok: problems.length === 0,
    items: deps.items.count(),
    blobsChecked: blobsDone,
    bytesChecked: bytesDone,
    chain,
    problems,
  };
}

/**
 * Encrypted files no item refers to (under blobs/ or in quarantine/), unfinished writes and
 * strange files, each by the path where it really is; and, first, a plain statement when
 * the vault holds more encrypted files than the database accounts for.
 */
async function unaccountedFiles(
  deps: { items: ItemRepository; blobs: BlobStore },
  refs: { blobId: string }[],
  onDisk: Awaited<ReturnType<BlobStore['scan']>>,
  /** Files of removed items still there (a removal interrupted): deleted at unlock, not a problem. */
  removed: ReadonlySet<string>,
): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  const known = new Set([...refs.map((r) => r.blobId), ...removed]);
  const unreferenced = [
    ...onDisk.blobs.filter((id) => !known.has(id)).map((id) => deps.blobs.relativePath(id)),
    ...onDisk.strays,
  ];
  for (const blob of unreferenced) {
    problems.push({
      kind: 'orphan-blob',
      blob,
      message: `The encrypted file ${blob} belongs to no item. It will be moved to quarantine/ when the vault next opens; nothing is deleted.`,
    });
  }
  const quarantined = await new Quarantine(deps.blobs.vaultDir).list();
  for (const q of quarantined) {
    problems.push({
      kind: 'quarantined',
      blob: q.path,
      message: `The encrypted file ${q.path} belongs to no item and is kept in quarantine (moved there ${q.movedAt}). Restore it with \`dossier quarantine restore ${q.path}\`.`,
    });
  }
  for (const t of onDisk.temps) {
    problems.push({
      kind: 'temp-file',
      blob: t,
      message: `The unfinished file ${t} was left by an interrupted import; it is removed when the vault next opens.`,
    });
  }
  for (const o of onDisk.others) {
    problems.push({
      kind: 'stray-file',
      blob: o,
      message: `The file ${o} is not one Dossier writes under blobs/. It was left as it is.`,
    });
  }
  const extra = unreferenced.length + quarantined.length;
  if (extra > 0) {
    const items = deps.items.count();
    const files = onDisk.blobs.length + onDisk.strays.length + quarantined.length;
    problems.unshift({
      kind: 'blob-count',
      message: `The database lists ${items} item${items === 1 ? '' : 's'} (${refs.length} encrypted file${refs.length === 1 ? '' : 's'} with their previews) but the vault holds ${files} encrypted files: ${extra} belong${extra === 1 ? 's' : ''} to no item. An import may have been interrupted, or the database may have lost its latest changes or been replaced by an older copy. Nothing was deleted; see quarantine/ (\`dossier quarantine\`).`,
    });
  }
  return problems;
}
