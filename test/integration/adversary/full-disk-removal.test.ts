import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { tempDir } from '../../support/tmp';
import { canMountTmpfs, fillDisk } from '../../support/tmpfs';
import { newVault, PASSPHRASE } from '../../support/vault';

const run = promisify(execFile);

/**
 * Issue 10, B5: a removal on a 100% full disk is all or nothing. Either it is logged,
 * tombstoned and its file deleted, or it is refused in words and the item is whole.
 */
describe('removing an item on a full disk', async () => {
  const mountable = await canMountTmpfs();
  it.skipIf(!mountable)(
    'is refused whole or done whole, and check is clean once space returns (needs root for a small tmpfs)',
    { timeout: 120_000 },
    async () => {
      const root = await tempDir();
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        const { vault } = await newVault(dir);
        await writeFile(join(root, 'junk.bin'), randomBytes(200_000));
        await writeFile(join(root, 'keep.bin'), randomBytes(1000));
        await vault.add([join(root, 'junk.bin'), join(root, 'keep.bin')]);
        const junk = vault.list().find((i) => i.name === 'junk.bin')!;
        // Notes fill the WAL's spare pages first, so the removal's own commit has no room.
        await fillDisk(join(disk, 'filler'));
        for (let i = 0; i < 50; i++) {
          try {
            vault.addNote(junk.id, 'x'.repeat(4000));
          } catch {
            break;
          }
        }
        const outcome = await vault.removeItem(junk.id, 'junk').then(
          () => 'removed' as const,
          (e: { code?: string; message: string }) => e,
        );
        const listed = vault.list().some((i) => i.id === junk.id);
        const file = existsSync(join(dir, junk.blob));
        if (outcome === 'removed') {
          expect({ listed, file }).toEqual({ listed: false, file: false });
        } else {
          expect(outcome.message).toMatch(/full/i);
          expect({ listed, file }).toEqual({ listed: true, file: true });
        }
        await rm(join(disk, 'filler'));
        await vault.lock();

        const v = await Vault.unlock(dir, PASSPHRASE);
        try {
          if (outcome !== 'removed') await v.removeItem(junk.id, 'junk');
          expect(v.list().map((i) => i.name)).toEqual(['keep.bin']);
          expect(existsSync(join(dir, junk.blob))).toBe(false);
          const report = await v.check();
          expect(report.problems).toEqual([]);
        } finally {
          await v.lock();
        }
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    },
  );
});
