// A redacted copy killed (kill -9) after its files were written and before the transaction
// that saves it: the next unlock deletes those files as an unsaved import's (logged), the
// original is untouched, no copy is half there, `check` passes, and the copy can be made again.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { makeScreenshotPng } from '../../fixtures/evidence';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';
import { blobFiles, killWhenPrinted } from '../../support/crash';

const CHILD = fileURLToPath(new URL('../../support/copy-child.ts', import.meta.url));
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

function killAt(dir: string, id: string, at: 'WRITTEN' | 'BEGUN'): Promise<void> {
  return killWhenPrinted(CHILD, [dir, id, at], at).then(() => undefined);
}

describe('a redacted copy killed part-way (kill -9)', () => {
  it.each([
    ['once its files are written', 'WRITTEN' as const],
    ['with its file begun (header only) while the PNG is made', 'BEGUN' as const],
  ])(
    '%s: the original untouched, no copy; the files it wrote deleted and logged',
    async (_, at) => {
      const root = await tempDir();
      const dir = join(root, 'vault');
      const png = await makeScreenshotPng(400, 800);
      await writeFile(join(root, 'reply.png'), png);
      const { vault } = await newVault(dir);
      await vault.add([join(root, 'reply.png')]);
      const original = vault.list()[0]!;
      const before = await blobFiles(dir);
      await vault.lock();

      await killAt(dir, original.id, at);
      // The copy was written beside the original's files (its preview comes once it is saved).
      expect((await blobFiles(dir)).length).toBeGreaterThanOrEqual(before.length + 1);

      const v = await Vault.unlock(dir, PASSPHRASE);
      try {
        expect(v.notices.join(' ')).toMatch(/interrupted before it was saved/);
        expect(v.list().map((i) => i.id)).toEqual([original.id]);
        expect(await blobFiles(dir)).toEqual(before);
        expect(await v.quarantined()).toEqual([]);
        expect(db(v).prepare('SELECT count(*) FROM redactions').pluck().get()).toBe(0);
        const repair = v.log().find((e) => e.action === 'repair')!;
        expect(
          (repair.details as { removedUnsavedImport: string[] }).removedUnsavedImport.length,
        ).toBeGreaterThanOrEqual(1);
        expect((await v.check()).problems).toEqual([]);
        const parts: Buffer[] = [];
        for await (const chunk of v.verifiedContent(original.id)) parts.push(chunk);
        expect(sha256(Buffer.concat(parts))).toBe(sha256(png));

        // Made again, it is saved whole.
        const made = await v.makeRedactedCopy(original.id, [
          { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address', otherReason: null },
        ]);
        expect(made.alreadyMade).toBe(false);
        expect(v.list()).toHaveLength(2);
        expect((await v.check()).problems).toEqual([]);
      } finally {
        await v.lock();
      }
    },
    60_000,
  );
});
