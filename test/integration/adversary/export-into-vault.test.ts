import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDossierError } from '../../../main/core';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

/** Every path under `dir`, relative, sorted: to show nothing was added. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('an export into the vault folder is refused (issue 9, item 19)', async () => {
  const root = await tempDir();
  await writeFile(join(root, 'evidence.txt'), 'a threatening message');
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);
  await vault.add([join(root, 'evidence.txt')]);
  await vault.lock();
  // A link outside the vault that leads into it, and a passphrase file for the .zip.age form.
  await symlink(join(dir, 'blobs'), join(root, 'innocent-looking-link'));
  await writeFile(join(root, 'bundle-pass'), 'a passphrase for the bundle\n');
  const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };

  const targets: [string, string[]][] = [
    ['the vault folder itself', ['--out', dir]],
    ['a folder inside it', ['--out', join(dir, 'blobs')]],
    ['a new name inside it', ['--out', join(dir, 'my-bundle')]],
    ['a zip inside it', ['--format', 'zip', '--out', join(dir, 'bundle.zip')]],
    [
      'an encrypted zip inside it',
      [
        '--format',
        'zip',
        '--encrypt-passphrase-file',
        join(root, 'bundle-pass'),
        '--out',
        join(dir, 'bundle.zip.age'),
      ],
    ],
    ['a symlink that leads into it', ['--out', join(root, 'innocent-looking-link')]],
    ['a path with .. that ends inside it', ['--out', join(root, 'elsewhere', '..', 'vault')]],
  ];

  for (const [what, args] of targets) {
    it(`refuses ${what} with a usage error (exit 2) and writes nothing there`, async () => {
      assertBuilt();
      const before = await tree(dir);
      const r = await dossier(['export', '--all', ...args], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/inside the vault folder/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const after = (await tree(dir)).filter(
        // unlocking may rotate the database's write-ahead files; the point is no bundle
        (p) => !p.startsWith('dossier.db') && p !== 'dossier.lock',
      );
      expect(after.filter((p) => /partial|Evidence|bundle|bagit/i.test(p))).toEqual([]);
      expect(after).toEqual(
        before.filter((p) => !p.startsWith('dossier.db') && p !== 'dossier.lock'),
      );
    });
  }

  it('is refused through the API too, and an export beside the vault still works', async () => {
    const { Vault } = await import('../../../main/core');
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      const err = await v
        .export({ out: join(dir, 'quarantine-like'), format: 'dir', selection: { all: true } })
        .catch((e: unknown) => e);
      expect(isDossierError(err, 'USAGE')).toBe(true);
      const beside = join(root, 'beside');
      await mkdir(beside);
      const ok = await v.export({ out: beside, format: 'dir', selection: { all: true } });
      expect(ok.path.startsWith(beside)).toBe(true);
    } finally {
      await v.lock();
    }
  });
});
