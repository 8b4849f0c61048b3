import { createHash } from 'node:crypto';
import type { Quarantine, QuarantinedFile } from '../blobs/quarantine';
import { DossierError } from '../errors';
import { addData, type IngestDeps } from '../ingest/ingest';

/**
 * Brings quarantined files back as items: each is decrypted with the vault's key, hashed and
 * imported through the normal ingest path (so it gets its own `ingest` custody entry and a
 * note saying where it came from), and removed from quarantine/ only once that is committed.
 */

/** Restored in memory (the ingest path takes bytes); bigger files are left and named. */
export const MAX_RESTORE_BYTES = 1024 * 1024 * 1024;

export type RestoreResult =
  | { path: string; status: 'restored'; itemId: string; sha256: string; name: string }
  | { path: string; status: 'already-in-vault'; itemId: string; sha256: string }
  | { path: string; status: 'preview'; itemId: string; sha256: string }
  | { path: string; status: 'left'; reason: string };

type Deps = IngestDeps & { quarantine: Quarantine };

/** Finds quarantined files by path (quarantine/3a/x.age, 3a/x.age), file name or id. */
export function selectQuarantined(
  files: QuarantinedFile[],
  names: readonly string[],
): QuarantinedFile[] {
  return names.map((given) => {
    const n = given.replace(/\\/g, '/').replace(/^\.\//, '');
    const hits = files.filter((f) => {
      const rel = f.path.slice('quarantine/'.length);
      const file = f.path.split('/').pop()!;
      return f.path === n || rel === n || file === n || file === `${n}.age`;
    });
    if (hits.length !== 1) {
      throw new DossierError(
        'NOT_FOUND',
        hits.length
          ? `"${given}" names more than one quarantined file. Give its full path, e.g. ${hits[0]!.path}.`
          : `There is no quarantined file called "${given}". See the list with \`dossier quarantine\`.`,
      );
    }
    return hits[0]!;
  });
}

export async function restoreQuarantined(
  deps: Deps,
  files: QuarantinedFile[],
): Promise<RestoreResult[]> {
  const results: RestoreResult[] = [];
  // First pass: which files decrypt, their hash and kind (streamed; nothing kept).
  const readable: { file: QuarantinedFile; sha256: string; size: number; jpeg: boolean }[] = [];
  for (const file of files) {
    try {
      const { sha256, size, head } = await digest(deps, file);
      readable.push({ file, sha256, size, jpeg: head[0] === 0xff && head[1] === 0xd8 });
    } catch (e) {
      results.push({ path: file.path, status: 'left', reason: (e as Error).message });
    }
  }
  // Previews are JPEGs made from an original: restoring originals first lets a preview be
  // recognised (same SHA-256 as the one just made again), rather than becoming an item.
  readable.sort((a, b) => Number(a.jpeg) - Number(b.jpeg) || b.size - a.size);
  for (const r of readable) results.push(await restoreOne(deps, r.file, r.sha256, r.size));
  return results;
}

async function digest(
  deps: Deps,
  file: QuarantinedFile,
): Promise<{ sha256: string; size: number; head: Buffer }> {
  const hash = createHash('sha256');
  let size = 0;
  let head: Buffer | null = null;
  let reader;
  try {
    reader = await deps.blobs.openFile(deps.quarantine.absolute(file.path));
  } catch (e) {
    throw new DossierError(
      'INTEGRITY',
      `${file.path} does not decrypt with this vault's key (it belongs to another vault, or its header is damaged: ${(e as Error).message}). It was left in quarantine/.`,
      { cause: e },
    );
  }
  try {
    for await (const chunk of reader.stream()) {
      head ??= Buffer.from(chunk.subarray(0, 4));
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (e) {
    throw new DossierError(
      'INTEGRITY',
      `${file.path} is damaged: part of it does not decrypt with this vault's key (${(e as Error).message}). It was left in quarantine/.`,
      { cause: e },
    );
  } finally {
    await reader.close();
  }
  return { sha256: hash.digest('hex'), size, head: head ?? Buffer.alloc(0) };
}

async function restoreOne(
  deps: Deps,
  file: QuarantinedFile,
  sha256: string,
  size: number,
): Promise<RestoreResult> {
  const preview = deps.db
    .prepare(
      `SELECT i.id FROM blobs b JOIN items i ON i.thumb_blob_id = b.id
        WHERE b.kind = 'thumbnail' AND b.sha256 = ? LIMIT 1`,
    )
    .get(sha256) as { id: string } | undefined;
  if (preview) {
    deps.custody.append('repair', [preview.id], {
      reason:
        'a quarantined file is the preview of an item already in the vault (same SHA-256); removed from quarantine',
      file: file.path,
      sha256,
    });
    await deps.quarantine.release(file.path);
    return { path: file.path, status: 'preview', itemId: preview.id, sha256 };
  }
  if (size > MAX_RESTORE_BYTES) {
    return {
      path: file.path,
      status: 'left',
      reason: `${file.path} holds ${size} bytes, more than can be restored in one go. Decrypt it with \`age -d\` and the key from \`dossier keys --reveal\` (docs/vault-format.md §9), then add the result.`,
    };
  }
  const chunks: Buffer[] = [];
  const reader = await deps.blobs.openFile(deps.quarantine.absolute(file.path));
  try {
    for await (const c of reader.stream()) chunks.push(Buffer.from(c));
  } finally {
    await reader.close();
  }
  const data = Buffer.concat(chunks, size);
  // The same bytes that were hashed: a file changed in between is not imported.
  if (createHash('sha256').update(data).digest('hex') !== sha256) {
    return {
      path: file.path,
      status: 'left',
      reason: `${file.path} changed while it was being restored. It was left in quarantine/; try again.`,
    };
  }
  const id = file.path
    .split('/')
    .pop()!
    .replace(/\.age$/, '');
  const { sniffMime } = await import('../evidence/sniff');
  const ext = (await sniffMime(data.subarray(0, 64 * 1024), '')).ext;
  const name = `restored-${id}${ext && /^[a-z0-9]{1,8}$/.test(ext) ? `.${ext}` : ''}`;
  const note = `Restored from quarantine: the encrypted file ${file.path} was found in the vault with no item referring to it, and was moved to quarantine/ at ${file.movedAt}. Its original name and times were not recorded, so it is named after its stored file.`;
  const result = await addData(deps, { name, data, mtime: null }, { note });
  if (result.status !== 'added' && result.status !== 'duplicate') {
    return {
      path: file.path,
      status: 'left',
      reason: `${file.path} could not be imported: ${result.error}`,
    };
  }
  // Committed (as a new item, or as another copy of one already here): now it may go.
  deps.custody.append('repair', [result.id], {
    reason:
      result.status === 'added'
        ? 'restored from quarantine as an item'
        : 'a quarantined file holds the same bytes as an item already in the vault; recorded as a copy of it',
    file: file.path,
    sha256,
  });
  await deps.quarantine.release(file.path);
  return result.status === 'added'
    ? { path: file.path, status: 'restored', itemId: result.id, sha256, name }
    : { path: file.path, status: 'already-in-vault', itemId: result.id, sha256 };
}
