import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DossierService } from '../../../main/core/api/service';
import { newId } from '../../../main/core/ids';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, TEST_KDF } from '../../support/vault';

const none = () => undefined;

describe('notices from opening the vault reach the app', () => {
  it('session.unlock and session.status carry the quarantine notice; locked has none', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const file = join(root, 'message.txt');
    await writeFile(file, 'he wrote again at 2am');
    await vault.add([file]);
    await vault.lock();

    // An encrypted file no item refers to, as an interrupted import would leave.
    const shards = (await readdir(join(dir, 'blobs'))).filter((s) => /^[0-9a-z]{2}$/.test(s));
    const shard = shards[0]!;
    const existing = (await readdir(join(dir, 'blobs', shard))).find((f) => f.endsWith('.age'))!;
    const id = newId();
    await mkdir(join(dir, 'blobs', id.slice(0, 2)), { recursive: true });
    await copyFile(
      join(dir, 'blobs', shard, existing),
      join(dir, 'blobs', id.slice(0, 2), `${id}.age`),
    );

    const service = new DossierService(dir, { kdf: TEST_KDF });
    const before = await service.call('session.status', {}, null, none);
    expect(before).toEqual({
      ok: true,
      value: { state: 'locked', fingerprint: null, notices: [], recoveryCodePending: false },
    });

    const unlocked = await service.call('session.unlock', { passphrase: PASSPHRASE }, null, none);
    if (!unlocked.ok) throw new Error(unlocked.error.message);
    const value = unlocked.value as { state: string; notices: string[] };
    expect(value.state).toBe('unlocked');
    expect(value.notices).toHaveLength(1);
    expect(value.notices[0]).toMatch(/moved to quarantine/);
    expect(value.notices[0]).toContain(id);

    // A reload of the window asks again: the same notices, in the same order.
    const again = await service.call('session.status', {}, null, none);
    expect(again).toMatchObject({ ok: true, value: { state: 'unlocked', notices: value.notices } });

    const locked = await service.call('session.lock', {}, null, none);
    expect(locked).toMatchObject({ ok: true, value: { state: 'locked', notices: [] } });
  });

  it('a vault opened with nothing to report has no notices', async () => {
    const root = await tempDir();
    const service = new DossierService(join(root, 'vault'), { kdf: TEST_KDF });
    await service.call('session.create', { passphrase: PASSPHRASE }, null, none);
    const status = await service.call('session.status', {}, null, none);
    expect(status).toMatchObject({
      ok: true,
      value: { state: 'unlocked', notices: [], recoveryCodePending: true },
    });
    await service.lock();
  });
});
