import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { failure, newService, ok } from '../support/service';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

describe('settings and keys.reveal through the API', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());

  it('has an auto-lock of 5 minutes until changed; a change is logged and kept in the vault', async () => {
    expect(await ok(call('settings.get'))).toEqual({ autoLockMinutes: 5 });
    expect(await ok(call('settings.update', { autoLockMinutes: 30 }))).toEqual({
      autoLockMinutes: 30,
    });
    expect(vault.log().at(-1)).toMatchObject({
      action: 'settings-change',
      details: { before: { autoLockMinutes: 5 }, after: { autoLockMinutes: 30 } },
    });
    const dir = vault.dir;
    await service.lock();
    const again = await Vault.unlock(join(dir), PASSPHRASE, { kdf: TEST_KDF });
    try {
      expect(again.settings()).toEqual({ autoLockMinutes: 30 });
    } finally {
      await again.lock();
    }
    await ok(call('session.unlock', { passphrase: PASSPHRASE }));
  });

  it('refuses auto-lock times outside 1–240 whole minutes, in plain words', async () => {
    for (const [value, message] of [
      [0, /at least 1 minute/],
      [241, /at most 240 minutes/],
      [2.5, /whole number of minutes/],
    ] as const) {
      expect(await failure(call('settings.update', { autoLockMinutes: value }))).toEqual({
        code: 'USAGE',
        message: expect.stringMatching(message),
      });
    }
    expect(await ok(call('settings.get'))).toEqual({ autoLockMinutes: 30 });
  });

  it('reveals the keys only for the right passphrase, and logs it', async () => {
    const open = service.unlocked!;
    const entries = open.log().length;
    expect(await failure(call('keys.reveal', { passphrase: 'not the passphrase' }))).toEqual({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringMatching(/passphrase is not right, so the keys were not shown/),
    });
    expect(open.log()).toHaveLength(entries);
    const keys = await ok<Record<string, string>>(call('keys.reveal', { passphrase: PASSPHRASE }));
    expect(keys.sqlcipherKey).toMatch(/^x'[0-9a-f]{64}'$/);
    expect(keys.ageIdentity).toMatch(/^AGE-SECRET-KEY-1/);
    expect(keys.fingerprint).toBe(open.fingerprint());
    expect(open.log().at(-1)!.action).toBe('reveal-keys');
  });
});
