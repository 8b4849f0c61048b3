import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDossierError, Vault } from '../../main/core';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE, snapshot, TEST_KDF } from '../support/vault';

describe('vault keys and unlocking', () => {
  it('creates a vault whose header says nothing about the evidence', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault, recoveryCode } = await newVault(dir);
    expect(recoveryCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    await vault.lock();
    const header = JSON.parse(await readFile(join(dir, 'dossier.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(header).sort()).toEqual([
      'custodyAnchor',
      'format',
      'slots',
      'vaultId',
      'version',
    ]);
    // The custody anchor: the last signed checkpoint's seq and hash, and their MAC; no names.
    expect(header.custodyAnchor).toEqual({
      seq: 2,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(header.format).toBe('dossier-vault');
    const slots = header.slots as { type: string; kdf: Record<string, unknown> }[];
    expect(slots.map((s) => s.type)).toEqual(['passphrase', 'recovery']);
    expect(slots[0]!.kdf).toMatchObject({ name: 'argon2id', memoryKiB: TEST_KDF.memoryKiB });
  });

  it('uses Argon2id with m >= 256 MiB and t >= 3 by default', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await Vault.create(dir, PASSPHRASE);
    await vault.lock();
    const header = JSON.parse(await readFile(join(dir, 'dossier.json'), 'utf8')) as {
      slots: { kdf: { memoryKiB: number; iterations: number } }[];
    };
    expect(header.slots[0]!.kdf.memoryKiB).toBeGreaterThanOrEqual(256 * 1024);
    expect(header.slots[0]!.kdf.iterations).toBeGreaterThanOrEqual(3);
    const again = await Vault.unlock(dir, PASSPHRASE);
    await again.lock();
  });

  it('refuses a wrong passphrase and writes nothing', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    await vault.lock();
    const before = await snapshot(dir);
    const err = await Vault.unlock(dir, 'not the passphrase').catch((e: unknown) => e);
    expect(isDossierError(err, 'WRONG_PASSPHRASE')).toBe(true);
    expect((err as Error).message).toMatch(/passphrase is not right/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('unlocks with the recovery code, typed loosely, and refuses a wrong one', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault, recoveryCode } = await newVault(dir);
    const id = vault.id;
    await vault.lock();
    const typed = recoveryCode.toLowerCase().replace(/-/g, ' ');
    const byCode = await Vault.unlockWithRecoveryCode(dir, typed);
    expect(byCode.id).toBe(id);
    await byCode.lock();
    const wrong = recoveryCode.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const err = await Vault.unlockWithRecoveryCode(dir, wrong).catch((e: unknown) => e);
    expect(isDossierError(err, 'WRONG_PASSPHRASE')).toBe(true);
    const garbage = await Vault.unlockWithRecoveryCode(dir, 'hello').catch((e: unknown) => e);
    expect(isDossierError(garbage, 'WRONG_PASSPHRASE')).toBe(true);
  });

  it('changes the passphrase by rewriting the slot only', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault, recoveryCode } = await newVault(dir);
    const keysBefore = vault.revealKeys();
    await vault.changePassphrase(PASSPHRASE, 'a brand new passphrase', TEST_KDF);
    await vault.lock();
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const v2 = await Vault.unlock(dir, 'a brand new passphrase');
    expect(v2.revealKeys()).toEqual(keysBefore);
    expect(v2.log().map((e) => e.action)).toContain('key-change');
    await v2.lock();
    const v3 = await Vault.unlockWithRecoveryCode(dir, recoveryCode);
    await v3.lock();
  });

  it('refuses a tampered key slot as damaged or wrong, never opening', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    await vault.lock();
    const path = join(dir, 'dossier.json');
    const header = JSON.parse(await readFile(path, 'utf8')) as {
      slots: { kdf: { iterations: number } }[];
    };
    header.slots[0]!.kdf.iterations += 1;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, JSON.stringify(header));
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await writeFile(path, '{"format": "dossier-vault", "ver');
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('says plainly when a folder is not a vault, and will not create over one', async () => {
    const dir = join(await tempDir(), 'v');
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'NOT_A_VAULT' });
    const { vault } = await newVault(dir);
    await vault.lock();
    await expect(newVault(dir)).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
  });

  it('lets one process at a time open a vault', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    // A second opener in the same process conflicts too (another worker thread would).
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/open in another Dossier window or command/),
    });
    await vault.lock();
    const { writeFile } = await import('node:fs/promises');
    const { hostname } = await import('node:os');
    // A lock file from an earlier version (JSON, even naming a live process) is stale.
    await writeFile(join(dir, 'dossier.lock'), JSON.stringify({ pid: 1, host: hostname() }));
    const v = await Vault.unlock(dir, PASSPHRASE);
    await v.lock();
    // Last opened on another computer and never locked there (a synced folder): refused.
    const Database = (await import('better-sqlite3-multiple-ciphers')).default;
    const db = new Database(join(dir, 'dossier.lock'));
    db.prepare("UPDATE holder SET host = 'her-other-laptop', released = NULL").run();
    db.close();
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/another computer \("her-other-laptop"/),
    });
  });

  it('keeps the database and header readable by the owner only', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    await vault.lock();
    const { stat } = await import('node:fs/promises');
    for (const f of ['dossier.db', 'dossier.json']) {
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});
