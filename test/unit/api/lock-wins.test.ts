import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract';
import { ServiceWorkerHost } from '../../../main/core/api/worker-host';
import { tempDir } from '../../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../../support/vault';

const busyWorker = new URL('../../support/busy-service-worker.mjs', import.meta.url);
const hosts: ServiceWorkerHost[] = [];

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

function value<T>(e: Envelope<unknown>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value as T;
}

async function busyImport() {
  const dir = await tempDir();
  const vaultDir = join(dir, 'vault');
  const host = new ServiceWorkerHost({
    workerFile: busyWorker,
    vaultDir,
    actor: 'test',
    kdf: TEST_KDF,
  });
  hosts.push(host);
  const call = (name: string, args: unknown, jobId: string | null = null) =>
    host.call(name, args, jobId, () => undefined);
  const { recoveryCode } = value<{ recoveryCode: string }>(
    await call('session.create', { passphrase: PASSPHRASE }),
  );
  value(await call('session.confirmRecoveryCode', { group: 8, typed: recoveryCode.slice(-4) }));
  const small = join(dir, 'kept.txt');
  await writeFile(small, 'added before the hostile file');
  value(await call('items.add', { paths: [small] }));
  const big = join(dir, 'hostile.bin');
  await writeFile(big, randomBytes(32 * 1024 * 1024));
  const pending = call('items.add', { paths: [big] }, 'job-import');
  // The import is under way and the worker has stopped answering.
  for (;;) {
    const names = await readdir(join(vaultDir, 'blobs'), { recursive: true });
    if (names.some((n) => n.endsWith('.tmp'))) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 50));
  return { host, call, pending, vaultDir };
}

/** After the lock: a fresh worker unlocks, the vault is sound, the stuck item is absent. */
async function soundAfterwards(
  call: (name: string, args: unknown) => Promise<Envelope<unknown>>,
  vaultDir: string,
) {
  expect(value<{ state: string }>(await call('session.status', {})).state).toBe('locked');
  expect(
    value<{ state: string }>(await call('session.unlock', { passphrase: PASSPHRASE })).state,
  ).toBe('unlocked');
  const names = value<{ name: string }[]>(await call('items.list', {})).map((i) => i.name);
  expect(names).toContain('kept.txt');
  expect(names).not.toContain('hostile.bin'); // never committed: absent, not half there
  const report = value<{ ok: boolean; problems: unknown[] }>(await call('vault.check', {}));
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  const left = await readdir(join(vaultDir, 'blobs'), { recursive: true });
  expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
}

describe('lock always wins over a busy vault worker', () => {
  it('host.lock() (auto-lock, quick lock) returns within 2 s and stops the stuck import', async () => {
    const { host, call, pending, vaultDir } = await busyImport();
    const events: unknown[] = [];
    host.onEvent((e, p) => events.push([e, p]));
    const started = Date.now();
    await host.lock();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(host.isUnlocked).toBe(false);
    const answer = await pending;
    expect(answer).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    if (!answer.ok) {
      expect(answer.error.message).toMatch(/locked while this was still running/);
      expect(answer.error.message).toMatch(/Nothing already saved was lost/);
    }
    // The lock was asked for: it is not reported as a crash.
    expect(events).toEqual([]);
    await soundAfterwards(call, vaultDir);
  });

  it('session.lock through the API (the bridge, the Lock button) answers within 2 s', async () => {
    const { host, call, pending, vaultDir } = await busyImport();
    const events: unknown[] = [];
    host.onEvent((e, p) => events.push([e, p]));
    const started = Date.now();
    const locked = await call('session.lock', {});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(value<{ state: string }>(locked).state).toBe('locked');
    expect(events).toEqual([['locked', { reason: 'user' }]]);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await soundAfterwards(call, vaultDir);
  });
});
