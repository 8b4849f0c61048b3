import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DossierService } from '../../../main/core/api/service';
import { startBridge } from '../../../main/bridge/server';
import { bridgeTransport } from '../../../shared/bridge-transport';
import { createClient } from '../../../shared/client';
import { tempDir } from '../../support/tmp';
import { TEST_KDF } from '../../support/vault';

describe('the typed client over the bridge', () => {
  it('creates, imports with progress, lists and locks, exactly as over IPC', async () => {
    const root = await tempDir();
    const service = new DossierService(join(root, 'vault'), { kdf: TEST_KDF });
    const bridge = await startBridge({ vault: service });
    try {
      const client = createClient(bridgeTransport(`http://127.0.0.1:${bridge.port}`, bridge.token));
      expect(await client['session.status']({})).toEqual({
        state: 'no-vault',
        fingerprint: null,
        notices: [],
        recoveryCodePending: false,
      });
      const { recoveryCode } = await client['session.create']({
        passphrase: 'a good long passphrase',
      });
      await client['session.confirmRecoveryCode']({ group: 8, typed: recoveryCode.slice(-4) });
      await writeFile(join(root, 'big.bin'), Buffer.alloc(6 * 1024 * 1024, 7));
      const seen: number[] = [];
      const report = await client['items.add'](
        { paths: [join(root, 'big.bin')] },
        { onProgress: (p) => seen.push(p.bytesDone) },
      );
      expect(report.added).toBe(1);
      expect(seen.length).toBeGreaterThan(0);
      expect((await client['items.list']({})).map((i) => i.name)).toEqual(['big.bin']);
      await expect(client['items.get']({ id: 'nope' })).rejects.toMatchObject({ code: 'USAGE' });
      await client['session.lock']({});
      await expect(client['items.list']({})).rejects.toMatchObject({ code: 'LOCKED' });
      const wrong = createClient(
        bridgeTransport(`http://127.0.0.1:${bridge.port}`, 'x'.repeat(43)),
      );
      await expect(wrong['session.status']({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await bridge.close();
      await service.lock();
    }
  });

  it('carries file bytes for upload methods (a browser drop), and only those may be large', async () => {
    const root = await tempDir();
    const service = new DossierService(join(root, 'vault'), { kdf: TEST_KDF });
    const bridge = await startBridge({ vault: service });
    try {
      const base = `http://127.0.0.1:${bridge.port}`;
      const client = createClient(bridgeTransport(base, bridge.token));
      const { recoveryCode } = await client['session.create']({
        passphrase: 'a good long passphrase',
      });
      await client['session.confirmRecoveryCode']({ group: 8, typed: recoveryCode.slice(-4) });
      // 3 MiB of every byte value: more than the 1 MiB limit of ordinary methods.
      const data = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
      const added = await client['items.addData']({ name: 'dropped.bin', data });
      expect(added).toMatchObject({ status: 'added', size: data.length });
      const stored = await service.unlocked!.item((added as { id: string }).id);
      expect(stored.size).toBe(data.length);
      const { createHash } = await import('node:crypto');
      expect(stored.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      // The same size on a method without `upload` is refused before it is read.
      const big = await fetch(`${base}/api/items.search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bridge.token}` },
        body: JSON.stringify({ args: { query: 'x'.repeat(2 * 1024 * 1024) } }),
      });
      expect(big.status).toBe(413);
    } finally {
      await bridge.close();
      await service.lock();
    }
  });
});
