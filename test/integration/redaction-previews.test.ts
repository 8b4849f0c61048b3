// A redacted picture's preview is made after the copy is saved, in the background
// (docs/redaction.md): the copy is usable at once, with no preview for a moment; the preview is
// then exactly the one an import of the copy's file makes; a lock finishes the one being made,
// and a kill -9 before or during it leaves a copy that gets its preview at the next unlock.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { makePlainJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { blobFiles, killWhenPrinted } from '../support/crash';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const CHILD = fileURLToPath(new URL('../support/copy-preview-child.ts', import.meta.url));
const BOX = { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address' as const };

async function content(v: Vault, id: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of v.verifiedContent(id)) parts.push(c);
  return Buffer.concat(parts);
}

async function preview(v: Vault, id: string): Promise<Buffer | null> {
  const blob = v.items.get(id).thumbnailBlobId;
  if (!blob) return null;
  const age = await v.blobs.open(blob);
  try {
    return await age.read(0, age.size);
  } finally {
    await age.close();
  }
}

/** A vault holding one picture; returns the folder and the picture's item id. */
async function vaultWithPicture(png: Buffer): Promise<{ root: string; dir: string; id: string }> {
  const root = await tempDir();
  const dir = join(root, 'vault');
  await writeFile(join(root, 'reply.png'), png);
  const { vault } = await newVault(dir);
  try {
    const [added] = (await vault.add([join(root, 'reply.png')])).results;
    if (added?.status !== 'added') throw new Error('not added');
    return { root, dir, id: added.id };
  } finally {
    await vault.lock();
  }
}

describe('a redacted picture’s preview, made in the background', () => {
  it('the copy is saved without waiting for it; then its facts and preview are an import’s', async () => {
    for (const source of [await makeScreenshotPng(600, 1300), await makePlainJpeg(640, 480)]) {
      const { root, dir, id } = await vaultWithPicture(source);
      const vault = await Vault.unlock(dir, PASSPHRASE);
      const other = await newVault(join(root, 'other'));
      try {
        const made = await vault.makeRedactedCopy(id, [{ ...BOX, otherReason: null }]);
        // Usable at once: listed, readable, with no preview yet (the tile's placeholder).
        expect(vault.items.get(made.id).thumbnailBlobId).toBeNull();
        const rows = vault.items.query({ sort: 'ingestedAt', order: 'asc', offset: 0, limit: 10 });
        expect(rows.rows.find((r) => r.id === made.id)?.hasThumbnail).toBe(false);
        const png = await content(vault, made.id);

        await vault.whenCopyPreviewsMade();
        // The same file imported anew, into another vault: what an import knows of it.
        await writeFile(join(root, 'copy.png'), png);
        const [imported] = (await other.vault.add([join(root, 'copy.png')])).results;
        if (imported?.status !== 'added') throw new Error('copy not imported');
        const mine = vault.items.get(made.id);
        const theirs = other.vault.items.get(imported.id);
        for (const key of [
          'mime',
          'width',
          'height',
          'metadata',
          'metadataErrors',
          'sensitive',
          'sha256',
        ] as const)
          expect(mine[key], key).toEqual(theirs[key]);
        const p = await preview(vault, made.id);
        expect(p).not.toBeNull();
        expect(p!.equals((await preview(other.vault, imported.id))!)).toBe(true);
        expect((await vault.check()).problems).toEqual([]);
      } finally {
        await vault.lock();
        await other.vault.lock();
      }
    }
  }, 60_000);

  it('a lock right after the copy: the preview is saved whole or made at the next unlock', async () => {
    const { dir, id } = await vaultWithPicture(await makeScreenshotPng(400, 800));
    const vault = await Vault.unlock(dir, PASSPHRASE);
    const made = await vault.makeRedactedCopy(id, [{ ...BOX, otherReason: null }]);
    await vault.lock();
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      await v.whenCopyPreviewsMade();
      expect(await preview(v, made.id)).not.toBeNull();
      expect(await v.quarantined()).toEqual([]);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  }, 60_000);

  it('a copy removed before its preview is made: no preview file is left behind', async () => {
    const { dir, id } = await vaultWithPicture(await makeScreenshotPng(400, 800));
    const vault = await Vault.unlock(dir, PASSPHRASE);
    try {
      const before = await blobFiles(dir);
      const made = await vault.makeRedactedCopy(id, [{ ...BOX, otherReason: null }]);
      await vault.removeItem(made.id, 'made by mistake');
      await vault.whenCopyPreviewsMade();
      expect(await blobFiles(dir)).toEqual(before);
      expect(vault.notices).toEqual([]);
      expect((await vault.check()).problems).toEqual([]);
    } finally {
      await vault.lock();
    }
  }, 60_000);

  for (const [mode, when] of [
    ['saved', 'after the copy is saved, before its preview is begun'],
    ['preview-written', 'after the preview’s file is written, before it is recorded'],
  ] as const) {
    it(`a kill -9 ${when}: the copy is kept, and gets its preview at the next unlock`, async () => {
      const { dir, id } = await vaultWithPicture(await makeScreenshotPng(400, 800));
      const before = await blobFiles(dir);
      await killWhenPrinted(CHILD, [dir, id, mode], 'STOPPED');
      // The copy (and, in the second case, its preview's file) was written.
      expect((await blobFiles(dir)).length).toBe(before.length + (mode === 'saved' ? 1 : 2));

      const v = await Vault.unlock(dir, PASSPHRASE);
      try {
        const copy = v.list().find((i) => i.id !== id)!;
        expect(copy).toBeDefined();
        await v.whenCopyPreviewsMade();
        expect(await preview(v, copy.id)).not.toBeNull();
        // The file written before the kill was deleted at unlock, not left or quarantined.
        expect(await blobFiles(dir)).toHaveLength(before.length + 2);
        expect(await v.quarantined()).toEqual([]);
        expect((await v.check()).problems).toEqual([]);
      } finally {
        await v.lock();
      }
    }, 60_000);
  }
});
