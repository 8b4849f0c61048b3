import { request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type Envelope, type Progress } from '../../../shared/contract';
import { DossierService } from '../../../main/core/api/service';
import { isLoopbackAddress, startBridge, type Bridge } from '../../../main/bridge/server';
import { makeScreenshotPng, noiseBytes } from '../../fixtures/evidence';
import { tempDir } from '../../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../../support/vault';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request through node:http, which (unlike fetch) may set Host and Origin. */
function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let bridge: Bridge;
let service: DossierService;
let base: string;
let dir: string;
const auth = (): Record<string, string> => ({ Authorization: `Bearer ${bridge.token}` });

async function call(method: string, args: unknown, jobId: string | null = null) {
  const res = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ args, jobId }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  return (await res.json()) as Envelope<unknown>;
}

beforeAll(async () => {
  dir = await tempDir('dossier-bridge-');
  service = new DossierService(join(dir, 'vault'), { kdf: TEST_KDF });
  bridge = await startBridge({ vault: service, allowedOrigin: 'http://127.0.0.1:5173' });
  base = `http://127.0.0.1:${bridge.port}`;
});
afterAll(async () => {
  await bridge.close();
  await service.lock();
});

describe('binding', () => {
  it('listens on loopback and gives a URL with the token', () => {
    expect(bridge.url).toBe(`${base}/?token=${bridge.token}`);
    expect(Buffer.from(bridge.token, 'base64url')).toHaveLength(32);
  });

  it('refuses any host that is not a loopback address', async () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '',
      '192.168.1.10',
      '10.0.0.1',
      'localhost',
      '::ffff:127.0.0.1',
      'example.com',
    ]) {
      await expect(startBridge({ vault: service, host }), host).rejects.toThrow(/loopback/);
    }
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.45.0.9')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopbackAddress('::2')).toBe(false);
    const other = await startBridge({ vault: service, host: '127.0.0.2' });
    expect(other.url.startsWith(`http://127.0.0.2:${other.port}/`)).toBe(true);
    await other.close();
  });
});

describe('who may call', () => {
  it('answers 401 without the token or with a wrong one', async () => {
    const none = await fetch(`${base}/api/session.status`, { method: 'POST' });
    expect(none.status).toBe(401);
    const body = (await none.json()) as Envelope<unknown>;
    expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await fetch(`${base}/api/session.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bridge.token.slice(0, -1)}x` },
    });
    expect(wrong.status).toBe(401);
    // The query token is for GET only (img/video/EventSource cannot send headers).
    const query = await fetch(`${base}/api/session.status?token=${bridge.token}`, {
      method: 'POST',
    });
    expect(query.status).toBe(401);
    expect((await fetch(`${base}/events`)).status).toBe(401);
    expect((await fetch(`${base}/evidence/x/original?token=nope`)).status).toBe(401);
  });

  it('answers 403 to a foreign Origin and to a Host that is not the bridge', async () => {
    const foreign = await raw(bridge.port, '/api/session.status', {
      method: 'POST',
      headers: { ...auth(), Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const rebound = await raw(bridge.port, '/api/session.status', {
      method: 'POST',
      headers: { ...auth(), Host: `evil.example:${bridge.port}` },
    });
    expect(rebound.status).toBe(403);
    const otherPort = await raw(bridge.port, '/api/session.status', {
      method: 'POST',
      headers: { ...auth(), Host: `127.0.0.1:1` },
    });
    expect(otherPort.status).toBe(403);
    const allowed = await raw(bridge.port, '/api/session.status', {
      method: 'POST',
      headers: { ...auth(), Origin: 'http://127.0.0.1:5173' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    const preflight = await raw(bridge.port, '/api/session.status', {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('answers 413 to an oversized body', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const res = await raw(bridge.port, '/api/session.status', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      ok: false,
      error: { code: 'TOO_LARGE' },
    });
  });

  it('answers 400 to a body that is not JSON, 404 to an unknown method', async () => {
    const bad = await fetch(`${base}/api/session.status`, {
      method: 'POST',
      headers: auth(),
      body: '{',
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${base}/api/items.destroyAll`, {
      method: 'POST',
      headers: auth(),
    });
    expect(unknown.status).toBe(404);
    const proto = await fetch(`${base}/api/__proto__`, { method: 'POST', headers: auth() });
    expect(proto.status).toBe(404);
    const get = await fetch(`${base}/api/session.status`, { headers: auth() });
    expect(get.status).toBe(405);
  });
});

describe('the API', () => {
  it('has a route for every contract method, answering with an Envelope', async () => {
    for (const name of methodNames) {
      // Skip the methods that would change the session for the tests below.
      if (name === 'session.create' || name === 'session.lock') continue;
      const res = await fetch(`${base}/api/${name}`, { method: 'POST', headers: auth() });
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const env = (await res.json()) as Envelope<unknown>;
      expect(typeof env.ok, name).toBe('boolean');
      if (!env.ok) {
        expect(env.error.code).toMatch(/^[A-Z_]+$/);
        expect(JSON.stringify(env)).not.toMatch(/\n\s+at /); // no stack traces
      }
    }
  });

  let pngId = '';
  let png: Buffer;

  it('creates a vault, adds a screenshot and lists it; evidence is 423 while locked', async () => {
    expect(await call('session.status', {})).toEqual({
      ok: true,
      value: { state: 'no-vault', fingerprint: null, notices: [], recoveryCodePending: false },
    });
    const created = await call('session.create', { passphrase: PASSPHRASE });
    expect(created.ok).toBe(true);
    const { recoveryCode } = (created as { value: { recoveryCode: string } }).value;
    await call('session.confirmRecoveryCode', { group: 8, typed: recoveryCode.slice(-4) });
    png = await makeScreenshotPng(400, 800);
    const path = join(dir, 'shot.png');
    await writeFile(path, png);
    const added = await call('items.add', { paths: [path], tags: ['bridge'] }, 'job-add-1');
    expect(added).toMatchObject({ ok: true, value: { added: 1 } });
    const list = await call('items.list', {});
    expect(list.ok).toBe(true);
    const items = (list as { value: { id: string; name: string; tags: string[] }[] }).value;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'shot.png', tags: ['bridge'] });
    pngId = items[0]!.id;

    await call('session.lock', {});
    const locked = await fetch(`${base}/evidence/${pngId}/original?token=${bridge.token}`);
    expect(locked.status).toBe(423);
    expect(await call('session.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
  });

  it('serves the original, a byte range and the thumbnail', async () => {
    const full = await fetch(`${base}/evidence/${pngId}/original?token=${bridge.token}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/png');
    expect(full.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await full.arrayBuffer()).equals(png)).toBe(true);

    const part = await fetch(`${base}/evidence/${pngId}/original`, {
      headers: { ...auth(), Range: 'bytes=0-99' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${png.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(png.subarray(0, 100))).toBe(true);

    const thumb = await fetch(`${base}/evidence/${pngId}/thumbnail?token=${bridge.token}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await thumb.arrayBuffer());
    expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');

    const missing = await fetch(
      `${base}/evidence/${'0'.repeat(26)}/original?token=${bridge.token}`,
    );
    expect(missing.status).toBe(404);
  });

  it('stops streaming when the client goes away', async () => {
    const big = noiseBytes(3 * 1024 * 1024, 'abort');
    // A text/plain file, so the original is served inline.
    const path = join(dir, 'big.txt');
    await writeFile(path, Buffer.from(big.toString('hex').slice(0, big.length), 'latin1'));
    const added = (await call('items.add', { paths: [path] })) as {
      ok: true;
      value: { results: { id: string }[] };
    };
    const id = added.value.results[0]!.id;
    const controller = new AbortController();
    const res = await fetch(`${base}/evidence/${id}/original?token=${bridge.token}`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    // The bridge still answers afterwards.
    expect((await call('session.status', {})).ok).toBe(true);
  });

  it('sends progress events on /events during items.add of a 5 MB file', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, noiseBytes(5 * 1024 * 1024, 'progress'));
    const controller = new AbortController();
    const events = await fetch(`${base}/events?token=${bridge.token}`, {
      signal: controller.signal,
    });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    const seen: Progress[] = [];
    let text = '';
    let progressed: () => void = () => undefined;
    const mineArrived = new Promise<void>((resolve) => (progressed = resolve));
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const frame = text.slice(0, cut);
          text = text.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event === 'progress' && data) {
            const p = JSON.parse(data) as Progress;
            seen.push(p);
            if (p.jobId === 'job-progress' && p.bytesDone > 0) progressed();
          }
        }
      }
    })();
    const added = await call('items.add', { paths: [path] }, 'job-progress');
    expect(added).toMatchObject({ ok: true, value: { added: 1 } });
    // The events travel on their own connection: wait for one, not for a guessed time.
    await mineArrived;
    controller.abort();
    await reading;
    const mine = seen.filter((p) => p.jobId === 'job-progress');
    expect(mine.length).toBeGreaterThan(0);
    expect(Math.max(...mine.map((p) => p.bytesDone))).toBeGreaterThan(0);
  });

  it('cuts the connection when a chunk fails to decrypt after the headers went out', async () => {
    const path = join(dir, 'damaged.txt');
    await writeFile(path, Buffer.from('x'.repeat(1024 * 1024), 'latin1'));
    const added = (await call('items.add', { paths: [path] })) as {
      ok: true;
      value: { results: { id: string }[] };
    };
    const id = added.value.results[0]!.id;
    const detail = (await call('items.get', { id })) as { ok: true; value: { blobId: string } };
    const blobId = detail.value.blobId;
    const blobPath = join(dir, 'vault', 'blobs', blobId.slice(0, 2), `${blobId}.age`);
    const sealed = await readFile(blobPath);
    sealed[sealed.length - 200 * 1024]! ^= 0xff; // inside a late chunk; the size stays right
    await writeFile(blobPath, sealed);
    // Whether the cut reaches fetch before or after it has the headers is timing; either
    // way there is never a complete body.
    const whole = fetch(`${base}/evidence/${id}/original?token=${bridge.token}`).then((res) =>
      res.arrayBuffer(),
    );
    await expect(whole).rejects.toThrow();
    expect((await call('session.status', {})).ok).toBe(true);
  });

  it('accepts jobs.cancel', async () => {
    const res = await fetch(`${base}/api/jobs.cancel`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ jobId: 'nothing-running' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: {} });
  });
});
