import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { tempDir } from '../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('test/support/seed-vault.ts', () => {
  it('creates a vault with n seeded items, then adds more to it on a second run', async () => {
    const dir = join(await tempDir(), 'v');
    const seed = (n: number) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'test/support/seed-vault.ts', dir, PASSPHRASE, `${n}`],
        {
          cwd: root,
          env: { ...process.env, DOSSIER_TEST_FAST_KDF: '1' },
        },
      );
    expect(JSON.parse((await seed(50)).stdout)).toMatchObject({ items: 50 });
    await seed(25);
    // DOSSIER_TEST_FAST_KDF=1 asked for the cheap cost; the slot records it.
    const header = JSON.parse(await readFile(join(dir, 'dossier.json'), 'utf8')) as {
      slots: { kdf: { memoryKiB?: number } }[];
    };
    expect(header.slots[0]!.kdf.memoryKiB).toBe(TEST_KDF.memoryKiB);
    const vault = await Vault.unlock(dir, PASSPHRASE, { kdf: TEST_KDF });
    try {
      expect(vault.items.facets().total).toBe(75);
      expect(vault.verifyLog().ok).toBe(true);
    } finally {
      await vault.lock();
    }
  }, 60_000);

  it('explains its usage', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'test/support/seed-vault.ts', 'x'], { cwd: root }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Usage/) });
  });
});
