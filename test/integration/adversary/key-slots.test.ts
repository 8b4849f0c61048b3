import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

type Slot = {
  type: string;
  kdf: Record<string, unknown>;
  nonce: string;
  wrappedKey: string;
};

/** Each change makes a slot that no Dossier ever wrote: the header is damaged. */
const DAMAGE: [string, (s: Slot[]) => void][] = [
  [
    'memoryKiB 8 (below 8 × parallelism)',
    (s) => void ((s[0]!.kdf.memoryKiB = 8), (s[0]!.kdf.parallelism = 2)),
  ],
  ['memoryKiB 0', (s) => void (s[0]!.kdf.memoryKiB = 0)],
  ['a 3-byte nonce', (s) => void (s[0]!.nonce = Buffer.alloc(3).toString('base64'))],
  ['an empty salt', (s) => void (s[0]!.kdf.salt = '')],
  ['a 4-byte salt', (s) => void (s[0]!.kdf.salt = Buffer.alloc(4).toString('base64'))],
  ['a short wrapped key', (s) => void (s[0]!.wrappedKey = Buffer.alloc(20).toString('base64'))],
  ['a wrapped key that is not base64', (s) => void (s[0]!.wrappedKey = 'abc')],
  ['iterations 0', (s) => void (s[0]!.kdf.iterations = 0)],
  ['parallelism 0', (s) => void (s[0]!.kdf.parallelism = 0)],
  ['a recovery slot with an empty salt', (s) => void (s[1]!.kdf.salt = '')],
  [
    'a recovery slot with a 3-byte nonce',
    (s) => void (s[1]!.nonce = Buffer.alloc(3).toString('base64')),
  ],
];

describe('key-slot values out of range say the header is damaged', () => {
  let dir: string;
  let original: string;
  beforeAll(async () => {
    dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    await vault.lock();
    original = await readFile(join(dir, 'dossier.json'), 'utf8');
  });

  async function damage(change: (s: Slot[]) => void): Promise<void> {
    const header = JSON.parse(original) as { slots: Slot[] };
    change(header.slots);
    await writeFile(join(dir, 'dossier.json'), JSON.stringify(header));
  }

  for (const [what, change] of DAMAGE) {
    it(what, async () => {
      await damage(change);
      await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({
        code: 'CORRUPT',
        message: expect.stringMatching(/vault header \(dossier\.json\) is damaged/),
      });
      await writeFile(join(dir, 'dossier.json'), original);
    });
  }

  it('the CLI exits 4 with the same words', async () => {
    assertBuilt();
    await damage(DAMAGE[0]![1]);
    const r = await dossier(['ls'], { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/vault header \(dossier\.json\) is damaged/);
    expect(r.stderr).not.toMatch(/report it/);
    await writeFile(join(dir, 'dossier.json'), original);
    expect(
      (await dossier(['ls'], { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE })).code,
    ).toBe(0);
  });
});
