import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';
import { canMountTmpfs, fillDisk } from '../../support/tmpfs';

const run = promisify(execFile);

describe('reading a vault on a 100% full disk', async () => {
  const mountable = await canMountTmpfs();
  it.skipIf(!mountable)(
    '`ls` and `cat` work and say the custody entry could not be written; nothing is lost once space returns (needs root for a small tmpfs)',
    { timeout: 120_000 },
    async () => {
      assertBuilt();
      const root = await tempDir();
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        const { vault } = await newVault(dir);
        const evidence = randomBytes(300_000);
        await writeFile(join(root, 'photo.bin'), evidence);
        const { results } = await vault.add([join(root, 'photo.bin')]);
        const id = (results[0] as { id: string }).id;
        const entriesBefore = vault.log().length;
        await vault.lock();

        const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
        for (const lockFile of ['kept', 'missing'] as const) {
          // 'missing': as after an earlier version, which deleted its lock file at lock.
          if (lockFile === 'missing') await rm(join(dir, 'dossier.lock'), { force: true });
          await fillDisk(join(disk, 'filler'));

          const ls = await dossier(['ls'], env);
          expect(ls.code, ls.stderr).toBe(0);
          expect(ls.out).toContain('photo.bin');
          expect(ls.stderr).toMatch(/custody entry for this unlock could not be written/i);
          expect(ls.stderr).toMatch(/disk is full/i);
          expect(ls.stderr).not.toMatch(/ at .*\.(js|ts):\d+/);

          const cat = await dossier(['cat', id], env);
          expect(cat.code, cat.stderr).toBe(0);
          expect(sha256(cat.stdout)).toBe(sha256(evidence));
          expect(cat.stderr).toMatch(/could not be written/i);

          // A change in a session the log could not record is refused in words, not half-made.
          const person = await dossier(['person', 'add', 'Someone', '--role', 'harasser'], env);
          expect(person.code, person.stderr).toBe(5);
          expect(person.stderr).toMatch(/Nothing can be changed in this session/);

          // Nothing half-written was left in the vault folder.
          const names = await readdir(dir);
          expect(names.filter((n) => n.endsWith('.tmp') || n.endsWith('-journal'))).toEqual([]);

          await rm(join(disk, 'filler'));
        }

        // Space is back: the vault is whole and its log still verifies.
        const check = await dossier(['check'], env);
        expect(check.code, check.stderr + check.out).toBe(0);
        const v = await Vault.unlock(dir, PASSPHRASE);
        try {
          expect(v.list().map((i) => i.name)).toEqual(['photo.bin']);
          expect(v.verifyLog().ok).toBe(true);
          // The sessions on the full disk left no entry, and nothing else was lost.
          expect(v.log().length).toBeGreaterThan(entriesBefore);
        } finally {
          await v.lock();
        }
        expect((await stat(join(dir, 'dossier.lock'))).isFile()).toBe(true);
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    },
  );
});
