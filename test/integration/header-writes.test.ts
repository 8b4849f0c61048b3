import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Vault } from '../../main/core';
import { tempDir } from '../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

// Every dossier.json write takes a while (a slow disk): two changes at once overlap for sure.
vi.mock('../../main/core/vault/header', async (original) => {
  const real = await original<typeof import('../../main/core/vault/header')>();
  return {
    ...real,
    writeHeader: async (...args: Parameters<typeof real.writeHeader>) => {
      await new Promise((r) => setTimeout(r, 300));
      return real.writeHeader(...args);
    },
  };
});

describe('dossier.json changes made at the same time', () => {
  it('keeps both a new passphrase and a new recovery code (neither write undoes the other)', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
    const next = 'kettle bridge lantern orchard';
    const [, code] = await Promise.all([
      vault.changePassphrase(PASSPHRASE, next, TEST_KDF),
      vault.newRecoveryCode(PASSPHRASE),
    ]);
    await vault.lock();
    const byPassphrase = await Vault.unlock(dir, next).catch((e: Error) => e.message);
    expect(byPassphrase).toBeInstanceOf(Vault);
    await (byPassphrase as Vault).lock();
    const byCode = await Vault.unlockWithRecoveryCode(dir, code).catch((e: Error) => e.message);
    expect(byCode).toBeInstanceOf(Vault);
    await (byCode as Vault).lock();
  });
});
