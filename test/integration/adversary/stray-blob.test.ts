import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

describe('an encrypted file in the wrong shard', () => {
  it('is reported by check under the path where it really is, before and after quarantine', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'keep.txt'), 'keep');
    await vault.add([join(root, 'keep.txt')]);
    const stray = await vault.blobs.create();
    await stray.write(Buffer.from('stray'));
    await stray.commit();
    const wrong = `blobs/zz/${stray.id}.age`;
    await mkdir(join(dir, 'blobs/zz'), { recursive: true });
    await rename(join(dir, vault.blobs.relativePath(stray.id)), join(dir, wrong));

    const report = await vault.check();
    const paths = report.problems.map((p) => p.blob);
    expect(paths).toContain(wrong);
    for (const p of report.problems) if (p.blob) expect(existsSync(join(dir, p.blob))).toBe(true);
    await vault.lock();

    const v = await Vault.unlock(dir, PASSPHRASE);
    const again = await v.check();
    expect(again.problems.map((p) => p.blob)).toContain(`quarantine/zz/${stray.id}.age`);
    for (const p of again.problems) if (p.blob) expect(existsSync(join(dir, p.blob))).toBe(true);
    await v.lock();
  });
});
