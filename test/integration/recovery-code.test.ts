import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DossierService } from '../../main/core/api/service';
import { Vault } from '../../main/core';
import { failure, ok, type Reply } from '../support/service';
import { tempDir } from '../support/tmp';
import { anyFileContains, PASSPHRASE, snapshot, TEST_KDF } from '../support/vault';

const header = async (dir: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join(dir, 'dossier.json'), 'utf8')) as Record<string, unknown>;

async function heldVault(): Promise<{ dir: string; vault: Vault; code: string }> {
  const dir = join(await tempDir(), 'v');
  const { vault, recoveryCode } = await Vault.create(dir, PASSPHRASE, {
    kdf: TEST_KDF,
    actor: 'test',
    holdRecoveryCode: true,
  });
  return { dir, vault, code: recoveryCode };
}

describe('a recovery code kept until it is confirmed', () => {
  it('survives a restart sealed in dossier.json, the same code, never in plaintext', async () => {
    const { dir, vault, code } = await heldVault();
    expect(vault.recoveryCodePending).toBe(true);
    await vault.lock();
    expect(await header(dir)).toHaveProperty('pendingRecoveryCode');
    for (const form of [code, code.replace(/-/g, '')])
      expect(await anyFileContains(dir, Buffer.from(form))).toBeNull();

    const again = await Vault.unlock(dir, PASSPHRASE, { kdf: TEST_KDF });
    expect(again.recoveryCodePending).toBe(true);
    expect(again.pendingRecoveryCode()).toBe(code);
    await again.lock();
  });

  it('is confirmed only by typing back the right group; then it is removed and logged', async () => {
    const { dir, vault, code } = await heldVault();
    const groups = code.split('-');
    const wrong = groups[2] === 'AAAA' ? 'BBBB' : 'AAAA';
    await expect(vault.confirmRecoveryCode(3, wrong)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/not group 3/),
    });
    expect(vault.recoveryCodePending).toBe(true);
    // Typed loosely: lower case, a space, O for 0 and l for 1 as when unlocking.
    const loose = groups[2]!.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    await vault.confirmRecoveryCode(3, ` ${loose} `);
    expect(vault.recoveryCodePending).toBe(false);
    expect(await header(dir)).not.toHaveProperty('pendingRecoveryCode');
    expect(() => vault.pendingRecoveryCode()).toThrow(/never shown again/);
    const entry = vault.log().at(-1)!;
    expect(entry).toMatchObject({ action: 'key-change', details: { slot: 'recovery' } });
    expect(JSON.stringify(entry)).not.toContain(groups[0]);
    await vault.lock();
    // The code itself still opens the vault.
    await (await Vault.unlockWithRecoveryCode(dir, code)).lock();
  });

  it('says plainly when the kept code was altered, and a new code still works', async () => {
    const { dir, vault } = await heldVault();
    await vault.lock();
    const h = await header(dir);
    const pending = h.pendingRecoveryCode as { sealed: string };
    const bytes = Buffer.from(pending.sealed, 'base64');
    bytes[0]! ^= 1;
    pending.sealed = bytes.toString('base64');
    await writeFile(join(dir, 'dossier.json'), JSON.stringify(h));
    const v = await Vault.unlock(dir, PASSPHRASE, { kdf: TEST_KDF });
    expect(() => v.pendingRecoveryCode()).toThrow(/dossier.json was altered/);
    const fresh = await v.newRecoveryCode(PASSPHRASE);
    expect(v.recoveryCodePending).toBe(false);
    await v.lock();
    await (await Vault.unlockWithRecoveryCode(dir, fresh)).lock();
  });
});

describe('changing keys needs the current passphrase or recovery code', () => {
  it('a new recovery code replaces the old one at once, and is logged without a secret', async () => {
    const { dir, vault, code: old } = await heldVault();
    const before = await snapshot(dir);
    await expect(vault.newRecoveryCode('not the passphrase')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringMatching(/no new recovery code was made and nothing was changed/),
    });
    expect(await snapshot(dir)).toEqual(before);
    const fresh = await vault.newRecoveryCode(PASSPHRASE);
    expect(fresh).not.toBe(old);
    const slots = (await header(dir)).slots as { type: string }[];
    expect(slots.map((s) => s.type)).toEqual(['passphrase', 'recovery']);
    const entry = vault.log().at(-1)!;
    expect(entry).toMatchObject({ action: 'key-change', details: { slot: 'recovery' } });
    for (const secret of [old, fresh])
      expect(JSON.stringify(entry)).not.toContain(secret.slice(0, 9));
    // The old code (now the current one) can authorise the next change too.
    await vault.lock();
    await expect(Vault.unlockWithRecoveryCode(dir, old)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const byNew = await Vault.unlockWithRecoveryCode(dir, fresh);
    const third = await byNew.newRecoveryCode(fresh);
    await byNew.lock();
    await expect(Vault.unlockWithRecoveryCode(dir, fresh)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await (await Vault.unlockWithRecoveryCode(dir, third)).lock();
  });

  it('a wrong current passphrase changes nothing; the recovery code is accepted instead', async () => {
    const { dir, vault, code } = await heldVault();
    const before = await readFile(join(dir, 'dossier.json'), 'utf8');
    await expect(
      vault.changePassphrase('not the passphrase', 'kettle bridge lantern orchard'),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringMatching(/the passphrase was not changed/),
    });
    expect(await readFile(join(dir, 'dossier.json'), 'utf8')).toBe(before);
    await vault.changePassphrase(code, 'kettle bridge lantern orchard', TEST_KDF);
    await vault.lock();
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await (await Vault.unlock(dir, 'kettle bridge lantern orchard')).lock();
  });
});

describe('the API: a new vault is not usable until its code is confirmed', () => {
  const none = (): void => undefined;
  const service = async (): Promise<{
    s: DossierService;
    call: (m: string, a?: unknown) => Promise<Reply>;
  }> => {
    const s = new DossierService(join(await tempDir(), 'v'), { kdf: TEST_KDF });
    return { s, call: (m, a = {}) => s.call(m, a, null, none) as Promise<Reply> };
  };

  it('refuses weak passphrases with the reason and an example, unless told "I understand"', async () => {
    const { s, call } = await service();
    for (const passphrase of ['password', 'Summer2024!']) {
      const e = await failure(call('session.create', { passphrase }));
      expect(e.code).toBe('USAGE');
      expect(e.message).toMatch(/too easy to guess.*four or more unrelated words, for example/s);
    }
    expect((await ok<{ state: string }>(call('session.status'))).state).toBe('no-vault');
    const sloppy = await failure(
      call('session.create', { passphrase: 'password', acceptWeakPassphrase: 'yes' }),
    );
    expect(sloppy.message).toMatch(/I understand/);
    await ok(
      call('session.create', { passphrase: 'password', acceptWeakPassphrase: 'I understand' }),
    );
    await s.lock();
  });

  it('shows the same code after a restart, refuses the rest until confirmed, then works', async () => {
    const { s, call } = await service();
    const { recoveryCode } = await ok<{ recoveryCode: string }>(
      call('session.create', { passphrase: PASSPHRASE }),
    );
    expect(await ok(call('session.status'))).toMatchObject({ recoveryCodePending: true });
    expect((await failure(call('items.list'))).code).toBe('RECOVERY_CODE_PENDING');
    expect((await failure(call('keys.reveal', { passphrase: PASSPHRASE }))).code).toBe(
      'RECOVERY_CODE_PENDING',
    );
    // A reload or a restart: lock, unlock, and the code is the same.
    await ok(call('session.lock'));
    await ok(call('session.unlock', { passphrase: PASSPHRASE }));
    expect(await ok(call('session.status'))).toMatchObject({ recoveryCodePending: true });
    expect(await ok(call('session.recoveryCode'))).toEqual({ recoveryCode });
    expect(
      (await failure(call('session.confirmRecoveryCode', { group: 1, typed: 'nope' }))).message,
    ).toMatch(/not group 1/);
    const status = await ok(
      call('session.confirmRecoveryCode', { group: 1, typed: recoveryCode.slice(0, 4) }),
    );
    expect(status).toMatchObject({ state: 'unlocked', recoveryCodePending: false });
    await ok(call('items.list'));
    expect((await failure(call('session.recoveryCode'))).code).toBe('NOT_FOUND');
    await s.lock();
  });

  it('changePassphrase needs the current one, checks it, and refuses a weak new one', async () => {
    const { s, call } = await service();
    const { recoveryCode } = await ok<{ recoveryCode: string }>(
      call('session.create', { passphrase: PASSPHRASE }),
    );
    await ok(call('session.confirmRecoveryCode', { group: 8, typed: recoveryCode.slice(-4) }));
    const strong = 'kettle bridge lantern orchard';
    expect(
      (await failure(call('session.changePassphrase', { passphrase: strong }))).message,
    ).toMatch(/current/);
    expect(
      await failure(call('session.changePassphrase', { current: 'guess', passphrase: strong })),
    ).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(
      (
        await failure(
          call('session.changePassphrase', { current: PASSPHRASE, passphrase: 'Summer2024!' }),
        )
      ).message,
    ).toMatch(/too easy to guess/);
    await ok(call('session.changePassphrase', { current: PASSPHRASE, passphrase: strong }));
    await ok(call('session.lock'));
    expect(await failure(call('session.unlock', { passphrase: PASSPHRASE }))).toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await ok(call('session.unlock', { passphrase: strong }));

    // A new code from the API is kept until confirmed too, and the old code stops working.
    expect(await failure(call('session.newRecoveryCode', { current: PASSPHRASE }))).toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    const next = await ok<{ recoveryCode: string }>(
      call('session.newRecoveryCode', { current: strong }),
    );
    expect(await ok(call('session.status'))).toMatchObject({ recoveryCodePending: true });
    expect(await ok(call('session.recoveryCode'))).toEqual(next);
    await ok(call('session.lock'));
    expect(
      await failure(call('session.unlockWithRecoveryCode', { code: recoveryCode })),
    ).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await ok(call('session.unlockWithRecoveryCode', { code: next.recoveryCode }));
    await s.lock();
  });
});
