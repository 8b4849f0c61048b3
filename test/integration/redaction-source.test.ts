// The original a copy is made from is read once and checked against its SHA-256 before it is
// used: a stored file swapped for another item's (a valid age file of this vault) or cut short
// is refused (INTEGRITY), and nothing is written.
import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDossierError, type Vault } from '../../main/core';
import { makeScreenshotPng } from '../fixtures/evidence';
import { blobFiles } from '../support/crash';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const BOXES = [
  { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address' as const, otherReason: null },
];

/** What making a redacted copy of `id` throws, or null if it makes one. */
async function copyError(vault: Vault, id: string): Promise<unknown> {
  try {
    await vault.makeRedactedCopy(id, BOXES);
    return null;
  } catch (e) {
    return e;
  }
}

describe('the original of a copy, read once', () => {
  it('a stored file swapped or cut short: INTEGRITY, no copy, nothing written', async () => {
    const root = await tempDir();
    for (const [i, seed] of [1, 2].entries())
      await writeFile(join(root, `${i}.png`), await makeScreenshotPng(300, 600, seed));
    const { vault } = await newVault(join(root, 'vault'));
    try {
      const [a, b] = (await vault.add([join(root, '0.png'), join(root, '1.png')])).results.map(
        (r) => (r as { id: string }).id,
      );
      const pathOf = (id: string): string => vault.blobs.path(vault.items.get(id).blobId);
      const good = await readFile(pathOf(a!));
      const before = await blobFiles(join(root, 'vault'));
      const damages: Array<[() => Promise<void>, RegExp]> = [
        [() => copyFile(pathOf(b!), pathOf(a!)), /no longer matches the SHA-256/],
        [
          () => writeFile(pathOf(a!), good.subarray(0, good.length - 100)),
          /damaged or was altered/,
        ],
        // Far larger than the file recorded: refused before it is read into memory.
        [
          () => truncate(pathOf(a!), 1536 * 1024 * 1024),
          /far more than the [\d,]+ bytes it should hold/,
        ],
      ];
      for (const [damage, says] of damages) {
        await damage();
        const error = await copyError(vault, a!);
        expect(isDossierError(error, 'INTEGRITY'), String(error)).toBe(true);
        expect(String(error)).toMatch(says);
        expect(vault.list()).toHaveLength(2);
        expect(await blobFiles(join(root, 'vault'))).toEqual(before);
        await writeFile(pathOf(a!), good);
      }
      expect((await vault.makeRedactedCopy(a!, BOXES)).alreadyMade).toBe(false);
      // The same copy again: the file begun for it is let go, nothing else is written.
      const made = await blobFiles(join(root, 'vault'));
      expect((await vault.makeRedactedCopy(a!, BOXES)).alreadyMade).toBe(true);
      expect(await blobFiles(join(root, 'vault'))).toEqual(made);
    } finally {
      await vault.lock();
    }
  }, 60_000);

  it('a picture damaged past its header: CORRUPT, and the copy file begun meanwhile is gone', async () => {
    const root = await tempDir();
    const png = await makeScreenshotPng(300, 600, 3);
    // The header and the first part of the pixels: decoding begins (and with it the copy's
    // file) and fails part way.
    await writeFile(join(root, 'cut.png'), png.subarray(0, Math.floor(png.length / 2)));
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    try {
      const [cut] = (await vault.add([join(root, 'cut.png')])).results.map(
        (r) => (r as { id: string }).id,
      );
      const before = await blobFiles(dir);
      const error = await copyError(vault, cut!);
      expect(isDossierError(error, 'CORRUPT'), String(error)).toBe(true);
      expect(vault.list()).toHaveLength(1);
      expect(await blobFiles(dir)).toEqual(before);
      expect((await vault.check()).ok).toBe(true);
    } finally {
      await vault.lock();
    }
  }, 60_000);
});
