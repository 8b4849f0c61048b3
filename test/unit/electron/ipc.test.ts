import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, channel, methodNames, type Envelope } from '../../../shared/contract';
import { createClient, type Transport } from '../../../shared/client';
import { DossierService } from '../../../main/core/api/service';
import { registerIpc } from '../../../main/electron/ipc';
import { tempDir } from '../../support/tmp';
import { TEST_KDF } from '../../support/vault';

type Handler = (event: unknown, payload: unknown) => Promise<Envelope<unknown>>;

/** A stand-in for Electron's ipcMain and the window, enough to drive registerIpc without the binary. */
function fakeElectron(trusted = true) {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
  const sent: { channel: string; payload: unknown }[] = [];
  const ipcMain = {
    handle: (ch: string, fn: Handler) => void handlers.set(ch, fn),
    on: (ch: string, fn: (event: unknown, payload: unknown) => void) => void listeners.set(ch, fn),
  };
  const target = {
    send: (ch: string, payload: unknown) => void sent.push({ channel: ch, payload }),
    isDestroyed: () => false,
  };
  return { ipcMain, handlers, listeners, sent, target, isTrustedSender: () => trusted };
}

async function setup(trusted = true) {
  const dir = join(await tempDir(), 'vault');
  const service = new DossierService(dir, { kdf: TEST_KDF });
  const fake = fakeElectron(trusted);
  const reg = registerIpc({
    ipcMain: fake.ipcMain as never,
    host: service,
    isTrustedSender: fake.isTrustedSender,
    target: () => fake.target,
  });
  // The renderer's typed client over these handlers, as the preload would wire it.
  const transport: Transport = {
    call: (m, args, jobId) => fake.handlers.get(channel(m))!({}, { args, jobId }),
    cancel: async (jobId) => fake.listeners.get(channel('jobs.cancel'))!({}, jobId),
    on: (event, listener) => {
      const start = fake.sent.length;
      const timer = setInterval(() => {
        for (const s of fake.sent.splice(start))
          if (s.channel === channel(event)) listener(s.payload);
      }, 1);
      return () => clearInterval(timer);
    },
  };
  return { service, fake, reg, client: createClient(transport), dir };
}

describe('IPC generated from the contract', () => {
  it('registers exactly one handler per contract method, plus cancel', async () => {
    const { fake, reg } = await setup();
    expect([...fake.handlers.keys()].sort()).toEqual(methodNames.map((m) => channel(m)).sort());
    expect(fake.listeners.has(channel('jobs.cancel'))).toBe(true);
    expect(reg.channels).toHaveLength(methodNames.length + 1);
  });

  it('refuses calls from anything but the app window', async () => {
    const { fake } = await setup(false);
    const reply = await fake.handlers.get(channel('session.status'))!(
      {},
      { args: {}, jobId: null },
    );
    expect(reply).toEqual({
      ok: false,
      error: { code: 'USAGE', message: expect.stringMatching(/Refused/) },
    });
  });

  it('validates every argument in main and returns typed errors, never stacks', async () => {
    const { fake } = await setup();
    const bad = await fake.handlers.get(channel('items.get'))!(
      {},
      { args: { id: '../../etc/passwd' }, jobId: null },
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    const extra = await fake.handlers.get(channel('session.status'))!(
      {},
      { args: { sneaky: 1 }, jobId: null },
    );
    expect(extra).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    const locked = await fake.handlers.get(channel('items.list'))!({}, { args: {}, jobId: null });
    expect(locked).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: expect.stringMatching(/locked/) },
    });
    expect(JSON.stringify(locked)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('runs a whole session through the typed client, with progress events', async () => {
    const { client, dir } = await setup();
    expect(await client['session.status']({})).toEqual({
      state: 'no-vault',
      fingerprint: null,
      notices: [],
      recoveryCodePending: false,
    });
    const { recoveryCode } = await client['session.create']({
      passphrase: 'a good long passphrase',
    });
    expect(recoveryCode).toMatch(/^[0-9A-Z-]+$/);
    await client['session.confirmRecoveryCode']({ group: 8, typed: recoveryCode.slice(-4) });
    const file = join(dir, '..', 'evidence.txt');
    await writeFile(file, 'x'.repeat(3 * 1024 * 1024));
    const seen: number[] = [];
    let progressed: () => void = () => undefined;
    const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
    const report = await client['items.add'](
      { paths: [file], tags: ['t'] },
      {
        onProgress: (p) => {
          seen.push(p.bytesDone);
          progressed();
        },
      },
    );
    expect(report.added).toBe(1);
    // Progress comes as events of its own: wait for the first, not for a guessed time.
    await firstProgress;
    expect(seen.length).toBeGreaterThan(0);
    const items = await client['items.list']({});
    expect(items.map((i) => i.name)).toEqual(['evidence.txt']);
    expect(api['items.add'].progress).toBe(true);
    expect((await client['session.lock']({})).state).toBe('locked');
    await expect(client['items.list']({})).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(client['session.unlock']({ passphrase: 'wrong one' })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect((await client['session.unlock']({ passphrase: 'a good long passphrase' })).state).toBe(
      'unlocked',
    );
    await client['session.lock']({});
  });
});
