// Files derived from an export or an email (conversations/store.ts, DerivedFiles): written
// several at once so that their disk flushes overlap, all durable before the transaction
// that refers to them, and all removed when the import fails.
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../main/core';
import type { BlobStore } from '../../main/core/blobs/store';
import { DerivedFiles } from '../../main/core/conversations/store';
import { PendingBlobs } from '../../main/core/ingest/pending-blobs';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

/** The vault's blob store, counting how many blob commits are under way at once. */
function countingBlobs(blobs: BlobStore): { blobs: BlobStore; most: () => number } {
  let now = 0;
  let most = 0;
  const counting = Object.create(blobs) as BlobStore;
  counting.create = async (...args: Parameters<BlobStore['create']>) => {
    const w = await blobs.create(...args);
    const commitWith = w.commitWith.bind(w);
    w.commitWith = async (plain: Buffer) => {
      most = Math.max(most, ++now);
      try {
        await commitWith(plain);
      } finally {
        now--;
      }
    };
    return w;
  };
  return { blobs: counting, most: () => most };
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

describe('files derived from an export', async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));

  const files = (blobs: BlobStore) =>
    new DerivedFiles(
      { db: db(vault), items: vault.items, blobs, custody: vault.custody },
      new PendingBlobs(db(vault), undefined),
    );

  it('are written several at once, and every one is in place after settle()', async () => {
    const counted = countingBlobs(vault.blobs);
    const derived = files(counted.blobs);
    for (let i = 0; i < 24; i++) {
      await derived.store(randomBytes(4096), `file-${i}.bin`, 'attachment', `attachment ${i}`);
    }
    expect(() => derived.insert('parent', new Date())).toThrow(/settle/);
    await derived.settle();
    expect(counted.most()).toBeGreaterThan(1);
    for (const d of derived.created) {
      expect(await exists(vault.blobs.path(d.blobId))).toBe(true);
    }
    await derived.discard();
  });

  it('removes every file written, those still under way included, when the import fails', async () => {
    const derived = files(vault.blobs);
    for (let i = 0; i < 12; i++) {
      await derived.store(randomBytes(4096), `file-${i}.bin`, 'attachment', `attachment ${i}`);
    }
    const paths = derived.created.map((d) => vault.blobs.path(d.blobId));
    await derived.discard();
    for (const p of paths) expect(await exists(p)).toBe(false);
  });
});
