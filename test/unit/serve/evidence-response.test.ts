import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../main/core';
import { newId } from '../../../main/core/ids';
import {
  evidenceResponse,
  inlineContentType,
  type EvidenceResponse,
} from '../../../main/core/serve/evidence-response';
import { makeScreenshotPng, noiseBytes } from '../../fixtures/evidence';
import { tempDir } from '../../support/tmp';
import { newVault } from '../../support/vault';

const CHUNK = 64 * 1024;
const SEALED_CHUNK = CHUNK + 16;

/** A minimal ISO BMFF file: an `ftyp` box (brand isom, so file-type says video/mp4) and an `mdat` box of noise. */
function makeMp4(size: number, seed: string): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isomiso2', 16, 'latin1');
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(size - 24, 0);
  mdatHeader.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdatHeader, noiseBytes(size - 32, seed)]);
}

/** A PCM WAV file (RIFF/WAVE, fmt, data) of noise. */
function makeWav(dataSize: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataSize, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24); // sample rate
  h.writeUInt32LE(16000, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataSize, 40);
  return Buffer.concat([h, noiseBytes(dataSize, 'wav')]);
}

async function collect(body: AsyncIterable<Buffer> | null): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}

/** Byte equality without vitest's element-by-element diff, which is slow on 300 KiB buffers. */
function expectBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  if (!actual.equals(expected)) {
    const at = actual.findIndex((b, i) => b !== expected[i]);
    expect.fail(`bytes differ from offset ${at}`);
  }
}

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Accept-Ranges': 'bytes',
};

function expectRefusal(r: EvidenceResponse, status: number): void {
  expect(r.status).toBe(status);
  expect(r.body).toBeNull();
  expect(r.headers).toMatchObject({ ...SECURITY_HEADERS, 'Content-Length': '0' });
  expect(r.message).toMatch(/\w/);
}

async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

let vault: Vault;
let dir: string;
const ids: Record<string, string> = {};
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  const root = await tempDir('dossier-serve-');
  files['shot.png'] = await makeScreenshotPng(300, 600);
  files['clip.mp4'] = makeMp4(300 * 1024, 'clip');
  files['long.mp4'] = makeMp4(3 * 1024 * 1024 + 123, 'long');
  files['voice.wav'] = makeWav(20_000);
  files['note.txt'] = Buffer.from('She said: “I know where you live.”\n'.repeat(50));
  files['page.html'] = Buffer.from(
    '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>',
  );
  files['logo.svg'] = Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n',
  );
  files['bare.svg'] = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>\n',
  );
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(root, name), bytes);
  dir = join(root, 'vault');
  ({ vault } = await newVault(dir));
  const report = await vault.add(Object.keys(files).map((n) => join(root, n)));
  for (const r of report.results) {
    if (r.status !== 'added') throw new Error(`fixture ${r.name} was not added: ${r.status}`);
    ids[r.name] = r.id;
  }
});

afterAll(async () => {
  await vault.lock();
});

const id = (name: string): string => ids[name] ?? '';
const file = (name: string): Buffer => files[name] ?? Buffer.alloc(0);

describe('evidenceResponse: whole files', () => {
  it('serves an original with 200, the exact bytes and the security headers', async () => {
    const png = file('shot.png');
    const r = await evidenceResponse(vault, id('shot.png'), 'original', null);
    expect(r.status).toBe(200);
    expect(r.headers).toEqual({
      ...SECURITY_HEADERS,
      'Content-Type': 'image/png',
      'Content-Length': String(png.length),
      'Content-Disposition': 'inline',
    });
    expectBytes(await collect(r.body), png);
  });

  it('never puts the evidence name into a header', async () => {
    for (const name of ['shot.png', 'clip.mp4', 'note.txt']) {
      const r = await evidenceResponse(vault, id(name), 'original', 'bytes=0-9');
      const stem = name.split('.')[0] ?? name;
      for (const v of Object.values(r.headers)) expect(v).not.toContain(stem);
      await collect(r.body);
    }
  });

  it('serves a video, a WAV and plain text under their inline types', async () => {
    const cases: [string, string][] = [
      ['clip.mp4', 'video/mp4'],
      ['voice.wav', 'audio/wav'],
      ['note.txt', 'text/plain; charset=utf-8'],
      // An SVG without an XML prolog sniffs as text: it is served as text, never as an image.
      ['bare.svg', 'text/plain; charset=utf-8'],
    ];
    for (const [name, type] of cases) {
      const r = await evidenceResponse(vault, id(name), 'original', null);
      expect(r.status, name).toBe(200);
      expect(r.headers['Content-Type'], name).toBe(type);
      expectBytes(await collect(r.body), file(name));
    }
  });

  it('serves the preview as image/jpeg', async () => {
    const r = await evidenceResponse(vault, id('shot.png'), 'thumbnail', null);
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toBe('image/jpeg');
    const jpeg = await collect(r.body);
    expect(jpeg.length).toBe(Number(r.headers['Content-Length']));
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });

  it('serves ranges of the preview too', async () => {
    const full = await collect(
      (await evidenceResponse(vault, id('shot.png'), 'thumbnail', null)).body,
    );
    const r = await evidenceResponse(vault, id('shot.png'), 'thumbnail', 'bytes=2-5');
    expect(r.status).toBe(206);
    expect(r.headers['Content-Range']).toBe(`bytes 2-5/${full.length}`);
    expectBytes(await collect(r.body), full.subarray(2, 6));
  });

  it('is re-iterable: each iteration decrypts the body again', async () => {
    const r = await evidenceResponse(vault, id('note.txt'), 'original', null);
    expectBytes(await collect(r.body), file('note.txt'));
    expectBytes(await collect(r.body), file('note.txt'));
  });
});

describe('evidenceResponse: refusals', () => {
  it('answers 423 when the vault is locked (null)', async () => {
    expectRefusal(await evidenceResponse(null, id('shot.png'), 'original', null), 423);
    expectRefusal(await evidenceResponse(null, 'whatever', 'thumbnail', 'bytes=0-1'), 423);
  });

  it('answers 404 for an unknown id, a prefix, or anything not a full id', async () => {
    const full = id('shot.png');
    for (const bad of [
      newId(),
      full.slice(0, 4),
      full.slice(0, 25),
      full.toUpperCase(),
      ` ${full}`,
      `${full} `,
      `${full}x`,
      '',
      '../../dossier.db',
      `${full.slice(0, 25)}%`,
    ]) {
      expectRefusal(await evidenceResponse(vault, bad, 'original', null), 404);
      expectRefusal(await evidenceResponse(vault, bad, 'thumbnail', null), 404);
    }
  });

  it('answers 404 for the preview of an item without one', async () => {
    expectRefusal(await evidenceResponse(vault, id('clip.mp4'), 'thumbnail', null), 404);
  });

  it('answers 403 for HTML, SVG and XML: they must be opened another way', async () => {
    for (const name of ['page.html', 'logo.svg']) {
      const r = await evidenceResponse(vault, id(name), 'original', null);
      expectRefusal(r, 403);
      expect(r.message).toMatch(/another way/);
    }
  });

  it('answers 400 for something that is neither original nor thumbnail', async () => {
    const r = await evidenceResponse(vault, id('shot.png'), 'meta' as 'original', null);
    expectRefusal(r, 400);
  });
});

describe('evidenceResponse: ranges', () => {
  const size = 300 * 1024;

  async function range(header: string): Promise<{ r: EvidenceResponse; bytes: Buffer }> {
    const r = await evidenceResponse(vault, id('clip.mp4'), 'original', header);
    return { r, bytes: await collect(r.body) };
  }

  it('serves bytes=0-99 with 206 and Content-Range', async () => {
    const { r, bytes } = await range('bytes=0-99');
    expect(r.status).toBe(206);
    expect(r.headers).toMatchObject({
      ...SECURITY_HEADERS,
      'Content-Type': 'video/mp4',
      'Content-Length': '100',
      'Content-Range': `bytes 0-99/${size}`,
    });
    expectBytes(bytes, file('clip.mp4').subarray(0, 100));
  });

  it('serves a middle range that crosses a 64 KiB chunk boundary', async () => {
    const a = CHUNK - 1000;
    const b = 2 * CHUNK + 500; // spans three chunks
    const { r, bytes } = await range(`bytes=${a}-${b}`);
    expect(r.status).toBe(206);
    expect(r.headers['Content-Range']).toBe(`bytes ${a}-${b}/${size}`);
    expect(r.headers['Content-Length']).toBe(String(b - a + 1));
    expectBytes(bytes, file('clip.mp4').subarray(a, b + 1));
  });

  it('serves a suffix range (bytes=-500)', async () => {
    const { r, bytes } = await range('bytes=-500');
    expect(r.status).toBe(206);
    expect(r.headers['Content-Range']).toBe(`bytes ${size - 500}-${size - 1}/${size}`);
    expectBytes(bytes, file('clip.mp4').subarray(size - 500));
  });

  it('serves an open-ended range (bytes=1000-)', async () => {
    const { r, bytes } = await range('bytes=1000-');
    expect(r.status).toBe(206);
    expect(r.headers['Content-Range']).toBe(`bytes 1000-${size - 1}/${size}`);
    expectBytes(bytes, file('clip.mp4').subarray(1000));
  });

  it('clamps a last position past the end, and a suffix longer than the file', async () => {
    const long = await range(`bytes=${size - 10}-99999999999999999999999`);
    expect(long.r.status).toBe(206);
    expect(long.r.headers['Content-Range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expectBytes(long.bytes, file('clip.mp4').subarray(size - 10));
    const suffix = await range(`bytes=-${size * 2}`);
    expect(suffix.r.status).toBe(206);
    expect(suffix.r.headers['Content-Range']).toBe(`bytes 0-${size - 1}/${size}`);
    expectBytes(suffix.bytes, file('clip.mp4'));
  });

  it('accepts any case for the unit and spaces around the range', async () => {
    const { r, bytes } = await range('Bytes= 10-19 ,');
    expect(r.status).toBe(206);
    expectBytes(bytes, file('clip.mp4').subarray(10, 20));
  });

  it('answers 416 with bytes */size for a start at or past the end, or an empty suffix', async () => {
    for (const header of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, 'bytes=-0']) {
      const r = await evidenceResponse(vault, id('clip.mp4'), 'original', header);
      expectRefusal(r, 416);
      expect(r.headers['Content-Range']).toBe(`bytes */${size}`);
    }
  });

  it('ignores a Range it does not take and serves the whole file with 200', async () => {
    for (const header of [
      'garbage',
      'bytes=',
      'bytes=abc-def',
      'bytes=5-2', // last before first: invalid, not unsatisfiable
      'bytes=--5',
      'bytes=1-2-3',
      'bytes = 0-1',
      'items=0-9',
      'bytes=0-9,20-29', // several ranges: ignored, see range.ts
      `bytes=${size}-,0-1`,
    ]) {
      const r = await evidenceResponse(vault, id('clip.mp4'), 'original', header);
      expect(r.status, header).toBe(200);
      expect(r.headers['Content-Range'], header).toBeUndefined();
      expect(r.headers['Content-Length'], header).toBe(String(size));
      expectBytes(await collect(r.body), file('clip.mp4'));
    }
  });

  it('returns exactly original[a..b] for any valid single range (property)', async () => {
    const original = file('clip.mp4');
    const spec = fc.oneof(
      fc.tuple(fc.nat(size - 1), fc.nat(size - 1)).map(([x, y]) => ({
        header: `bytes=${Math.min(x, y)}-${Math.max(x, y)}`,
        a: Math.min(x, y),
        b: Math.max(x, y),
      })),
      fc.nat(size - 1).map((a) => ({ header: `bytes=${a}-`, a, b: size - 1 })),
      fc
        .integer({ min: 1, max: size })
        .map((n) => ({ header: `bytes=-${n}`, a: size - n, b: size - 1 })),
      // Ranges near chunk boundaries, where off-by-one errors live.
      fc
        .tuple(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: -2, max: 2 }),
          fc.integer({ min: 0, max: 3 }),
        )
        .map(([k, d, len]) => {
          const a = k * CHUNK + d;
          return { header: `bytes=${a}-${a + len}`, a, b: Math.min(a + len, size - 1) };
        }),
    );
    await fc.assert(
      fc.asyncProperty(spec, async ({ header, a, b }) => {
        const r = await evidenceResponse(vault, id('clip.mp4'), 'original', header);
        expect(r.status).toBe(206);
        expect(r.headers['Content-Range']).toBe(`bytes ${a}-${b}/${size}`);
        expect(r.headers['Content-Length']).toBe(String(b - a + 1));
        expectBytes(await collect(r.body), original.subarray(a, b + 1));
      }),
      { numRuns: 150 },
    );
  });
});

describe('evidenceResponse: the blob reader', () => {
  const linuxOnly = process.platform !== 'linux';

  it.skipIf(linuxOnly)(
    'closes the reader when the body ends, is abandoned, or never starts (needs /proc)',
    async () => {
      const before = await openFds();
      const whole = await evidenceResponse(vault, id('long.mp4'), 'original', null);
      expect(await openFds()).toBe(before); // the response holds no file open
      expectBytes(await collect(whole.body), file('long.mp4'));
      expect(await openFds()).toBe(before);

      const r = await evidenceResponse(vault, id('long.mp4'), 'original', null);
      const it = r.body![Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.done).toBe(false);
      expect((first.value as Buffer).length).toBeLessThan(file('long.mp4').length);
      expect(await openFds()).toBeGreaterThan(before); // the reader is open mid-stream
      await it.return?.();
      expect(await openFds()).toBe(before);

      const never = await evidenceResponse(vault, id('long.mp4'), 'original', null);
      await never.body![Symbol.asyncIterator]().return?.();
      expect(await openFds()).toBe(before);
    },
  );

  it('decrypts only the chunks covering the range: a damaged chunk fails only the ranges over it', async () => {
    const item = vault.item(id('clip.mp4'));
    const path = vault.blobs.path(item.blobId);
    const pristine = await readFile(path);
    // The plaintext is 300 KiB: chunks 0-3 are full, chunk 4 holds the last 45 056 bytes.
    // Damage chunk 3 (plaintext bytes 196 608 .. 262 143), which open() does not read.
    const lastSealed = 300 * 1024 - 4 * CHUNK + 16;
    const at = pristine.length - lastSealed - SEALED_CHUNK + 1234;
    const damaged = Buffer.from(pristine);
    damaged[at] = (damaged[at] ?? 0) ^ 0x01;
    await writeFile(path, damaged);
    try {
      const ok = await evidenceResponse(vault, id('clip.mp4'), 'original', 'bytes=0-99');
      expectBytes(await collect(ok.body), file('clip.mp4').subarray(0, 100));

      const over = await evidenceResponse(
        vault,
        id('clip.mp4'),
        'original',
        `bytes=${3 * CHUNK + 10}-${3 * CHUNK + 20}`,
      );
      expect(over.status).toBe(206);
      await expect(collect(over.body)).rejects.toThrow();

      // The whole file: chunks 0-2 may already have been sent, then the stream fails.
      const whole = await evidenceResponse(vault, id('clip.mp4'), 'original', null);
      expect(whole.status).toBe(200);
      const received: Buffer[] = [];
      await expect(
        (async () => {
          for await (const c of whole.body!) received.push(c);
        })(),
      ).rejects.toThrow();
      expect(Buffer.concat(received).length).toBeLessThan(300 * 1024);
    } finally {
      await writeFile(path, pristine);
    }
  });

  it('refuses before answering when the header or the final chunk is damaged, or the blob is gone', async () => {
    const item = vault.item(id('clip.mp4'));
    const path = vault.blobs.path(item.blobId);
    const pristine = await readFile(path);
    try {
      for (const at of [30, pristine.length - 5]) {
        const damaged = Buffer.from(pristine);
        damaged[at] = (damaged[at] ?? 0) ^ 0x80;
        await writeFile(path, damaged);
        await expect(
          evidenceResponse(vault, id('clip.mp4'), 'original', 'bytes=0-9'),
        ).rejects.toMatchObject({
          code: 'INTEGRITY',
        });
      }
      // Truncated at a chunk boundary: open() finds the new final chunk is not marked last.
      await writeFile(path, pristine.subarray(0, pristine.length - (300 * 1024 - 4 * CHUNK + 16)));
      await expect(evidenceResponse(vault, id('clip.mp4'), 'original', null)).rejects.toMatchObject(
        {
          code: 'INTEGRITY',
        },
      );
      // Another blob of the same vault put in its place decrypts fine; the recorded size differs.
      await writeFile(path, await readFile(vault.blobs.path(vault.item(id('voice.wav')).blobId)));
      await expect(evidenceResponse(vault, id('clip.mp4'), 'original', null)).rejects.toMatchObject(
        {
          code: 'INTEGRITY',
        },
      );
      await rm(path);
      await expect(evidenceResponse(vault, id('clip.mp4'), 'original', null)).rejects.toMatchObject(
        {
          code: 'INTEGRITY',
        },
      );
    } finally {
      await writeFile(path, pristine);
    }
    const ok = await evidenceResponse(vault, id('clip.mp4'), 'original', null);
    expectBytes(await collect(ok.body), file('clip.mp4'));
  });
});

describe('evidenceResponse: a vault locked after unlocking', () => {
  it('answers 423 for a locked Vault object, and a body in flight fails when the vault locks', async () => {
    const root = await tempDir('dossier-serve-lock-');
    const src = join(root, 'long.mp4');
    await writeFile(src, file('long.mp4'));
    const { vault: v } = await newVault(join(root, 'vault'));
    const report = await v.add([src]);
    const itemId = report.results[0]?.status === 'added' ? report.results[0].id : '';

    const r = await evidenceResponse(v, itemId, 'original', null);
    const it = r.body![Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    const madeBeforeLock = await evidenceResponse(v, itemId, 'original', 'bytes=0-9');
    await v.lock();
    await expect(it.next()).rejects.toMatchObject({ code: 'LOCKED' });
    // A response made before the lock refuses to start after it.
    await expect(collect(madeBeforeLock.body)).rejects.toMatchObject({ code: 'LOCKED' });
    expectRefusal(await evidenceResponse(v, itemId, 'original', null), 423);
  });
});

describe('inlineContentType', () => {
  it('allows raster images, common audio and video, and text; refuses scriptable or opaque types', () => {
    expect(inlineContentType('image/png')).toBe('image/png');
    expect(inlineContentType('IMAGE/JPEG')).toBe('image/jpeg');
    expect(inlineContentType('audio/ogg; codecs=opus')).toBe('audio/ogg');
    expect(inlineContentType('audio/x-wav')).toBe('audio/wav');
    expect(inlineContentType('video/quicktime')).toBe('video/quicktime');
    expect(inlineContentType('text/plain')).toBe('text/plain; charset=utf-8');
    // An email is served as plain text for the renderer to parse, never as a document.
    expect(inlineContentType('message/rfc822')).toBe('text/plain; charset=utf-8');
    expect(inlineContentType('text/csv')).toBe('text/plain; charset=utf-8');
    for (const refused of [
      'image/svg+xml',
      'text/html',
      'application/xhtml+xml',
      'application/xml',
      'text/xml',
      'application/pdf',
      'application/octet-stream',
      'application/x-empty',
      'application/javascript',
      'text/javascript',
      'text/css',
      'image/tiff',
      '',
    ]) {
      expect(inlineContentType(refused), refused).toBeNull();
    }
  });
});
