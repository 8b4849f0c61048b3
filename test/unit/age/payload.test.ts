/**
 * STREAM payload behaviour: chunk-boundary sizes, chunked encryption, random-access
 * reads, truncation anywhere, and single-byte corruption anywhere.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AgeEncryptor,
  AgeError,
  AgeFileReader,
  decrypt,
  encrypt,
  encryptedPayloadSize,
  X25519Identity,
} from '../../../main/core/age/index';
import type { AgeErrorCode, Recipient, Stanza } from '../../../main/core/age/index';
import { parseHeader } from '../../../main/core/age/format';
import { PayloadSealer, SEALED_CHUNK_SIZE } from '../../../main/core/age/stream';

const CHUNK = 65536;
const id = X25519Identity.generate();
const dir = mkdtempSync(join(tmpdir(), 'age-payload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function tmpFile(data: Buffer): string {
  const path = join(dir, `f${fileNo++}.age`);
  writeFileSync(path, data);
  return path;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgeError) return e.code;
    throw e;
  }
  return 'no error';
}

/** Opens with AgeFileReader and streams everything; returns the error code or 'no error'. */
async function readerCode(file: Buffer): Promise<string> {
  const path = tmpFile(file);
  try {
    const r = await AgeFileReader.open(path, [id]);
    try {
      for await (const piece of r.stream()) void piece;
    } finally {
      await r.close();
    }
  } catch (e) {
    if (e instanceof AgeError) return e.code;
    throw e;
  } finally {
    rmSync(path);
  }
  return 'no error';
}

async function streamAll(r: AgeFileReader, opts = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of r.stream(opts)) parts.push(b);
  return Buffer.concat(parts);
}

const BOUNDARY_SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1];

describe('sizes at chunk boundaries', () => {
  it.each(BOUNDARY_SIZES)('%i bytes round-trip in memory and from disk', async (n) => {
    const plain = randomBytes(n);
    const file = encrypt(plain, [id.recipient()]);
    const h = parseHeader(file);
    expect(file.length).toBe((h?.length ?? 0) + encryptedPayloadSize(n));
    expect(decrypt(file, [id]).equals(plain)).toBe(true);

    const r = await AgeFileReader.open(tmpFile(file), [id]);
    try {
      expect(r.size).toBe(n);
      expect((await r.read(0, n)).equals(plain)).toBe(true);
      expect((await streamAll(r)).equals(plain)).toBe(true);
      expect((await streamAll(r, { highWaterMark: 1 })).equals(plain)).toBe(true);
    } finally {
      await r.close();
    }
  });
});

describe('AgeEncryptor', () => {
  const splitsOf = (n: number) =>
    fc.array(fc.integer({ min: 0, max: n }), { maxLength: 12 }).map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), n];
      return points.slice(1).map((p, i) => [points[i] ?? 0, p] as const);
    });

  it('any push() split gives the same bytes as one push (fixed key)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 4 * CHUNK + 7 })
          .chain((n) => fc.tuple(fc.constant(n), splitsOf(n))),
        ([n, pieces]) => {
          const plain = randomBytes(n);
          const key = randomBytes(32);
          const one = new PayloadSealer(key);
          const expected = Buffer.concat([one.push(plain), one.final()]);
          const split = new PayloadSealer(key);
          const out = pieces.map(([a, b]) => split.push(plain.subarray(a, b)));
          expect(Buffer.concat([...out, split.final()]).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any push() split decrypts and has the length encrypt() produces', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 3 * CHUNK + 7 })
          .chain((n) => fc.tuple(fc.constant(n), splitsOf(n))),
        ([n, pieces]) => {
          const plain = randomBytes(n);
          const enc = new AgeEncryptor([id.recipient()]);
          const parts = [enc.header, ...pieces.map(([a, b]) => enc.push(plain.subarray(a, b)))];
          // Memory bound: nothing is released until a chunk is known not to be the last.
          const released = parts.slice(1).reduce((s, p) => s + p.length, 0);
          expect(released % SEALED_CHUNK_SIZE).toBe(0);
          expect(released / SEALED_CHUNK_SIZE).toBe(Math.max(0, Math.ceil(n / CHUNK) - 1));
          const file = Buffer.concat([...parts, enc.final()]);
          expect(file.length).toBe(encrypt(plain, [id.recipient()]).length);
          expect(decrypt(file, [id]).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('header ends with the 16-byte payload nonce', () => {
    const enc = new AgeEncryptor([id.recipient()]);
    const h = parseHeader(enc.header);
    expect(enc.header.length).toBe((h?.length ?? 0) + 16);
  });

  it('refuses push() after final()', () => {
    const enc = new AgeEncryptor([id.recipient()]);
    enc.final();
    expect(() => enc.push(Buffer.from('x'))).toThrow();
    expect(() => enc.final()).toThrow();
  });
});

describe('AgeFileReader random access', () => {
  const size = 3 * CHUNK + 1234;
  const plain = randomBytes(size);
  const path = tmpFile(encrypt(plain, [id.recipient()]));

  it('read(start, end) equals the plaintext slice', async () => {
    const r = await AgeFileReader.open(path, [id]);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: size + 10 }),
          fc.integer({ min: 0, max: size + 10 }),
          async (a, b) => {
            const [s, e] = a <= b ? [a, b] : [b, a];
            expect((await r.read(s, e)).equals(plain.subarray(s, e))).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await r.close();
    }
  });

  it('stream({ start, end, highWaterMark }) equals the plaintext slice', async () => {
    const r = await AgeFileReader.open(path, [id]);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: size }),
          fc.integer({ min: 0, max: size }),
          fc.integer({ min: 1, max: 5 * CHUNK }),
          async (a, b, hwm) => {
            const [s, e] = a <= b ? [a, b] : [b, a];
            const got = await streamAll(r, { start: s, end: e, highWaterMark: hwm });
            expect(got.equals(plain.subarray(s, e))).toBe(true);
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      await r.close();
    }
  });

  it('rejects invalid ranges and use after close()', async () => {
    const r = await AgeFileReader.open(path, [id]);
    await expect(r.read(-1, 5)).rejects.toThrow(RangeError);
    await expect(r.read(5, 4)).rejects.toThrow(RangeError);
    await expect(r.read(0.5, 4)).rejects.toThrow(RangeError);
    await r.close();
    await expect(r.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('reads a range before a damaged chunk, but never the damaged one', async () => {
    const file = encrypt(plain, [id.recipient()]);
    const h = parseHeader(file);
    const payload = (h?.length ?? 0) + 16;
    file[payload + 2 * SEALED_CHUNK_SIZE + 5]! ^= 1; // inside chunk 3
    const r = await AgeFileReader.open(tmpFile(file), [id]);
    try {
      expect((await r.read(0, 2 * CHUNK)).equals(plain.subarray(0, 2 * CHUNK))).toBe(true);
      await expect(r.read(2 * CHUNK - 1, 2 * CHUNK + 1)).rejects.toMatchObject({ code: 'PAYLOAD' });
      await expect(streamAll(r)).rejects.toMatchObject({ code: 'PAYLOAD' });
    } finally {
      await r.close();
    }
  });
});

describe('truncation', () => {
  // Two files: one ending in a partial chunk, one ending exactly on a chunk boundary.
  const cases = [3 * CHUNK + 100, 3 * CHUNK].map((n) => {
    const file = encrypt(randomBytes(n), [id.recipient()]);
    const h = parseHeader(file);
    return { n, file, headerLength: h?.length ?? 0 };
  });

  it.each(cases)('$n bytes: cut at every chunk boundary fails', async ({ file, headerLength }) => {
    const payload = headerLength + 16;
    for (let at = payload; at < file.length; at += SEALED_CHUNK_SIZE) {
      const cut = file.subarray(0, at);
      expect(['TRUNCATED', 'PAYLOAD']).toContain(codeOf(() => decrypt(cut, [id])));
      expect(['TRUNCATED', 'PAYLOAD']).toContain(await readerCode(cut));
    }
  });

  it.each(cases)('$n bytes: cut one chunk short is TRUNCATED', async ({ file, headerLength }) => {
    const payload = headerLength + 16;
    const chunks = Math.ceil((file.length - payload) / SEALED_CHUNK_SIZE);
    const cut = file.subarray(0, payload + (chunks - 1) * SEALED_CHUNK_SIZE);
    expect(codeOf(() => decrypt(cut, [id]))).toBe('TRUNCATED');
    expect(await readerCode(cut)).toBe('TRUNCATED');
  });

  it.each(cases)('$n bytes: cut anywhere fails', async ({ file, headerLength }) => {
    const payload = headerLength + 16;
    const offsets = new Set<number>([0, 1, headerLength - 1, headerLength, payload - 1]);
    for (let at = payload; at < file.length; at += SEALED_CHUNK_SIZE) {
      for (const d of [1, 15, 16, 17, 1000, SEALED_CHUNK_SIZE - 17, SEALED_CHUNK_SIZE - 1]) {
        offsets.add(at + d);
      }
    }
    offsets.add(file.length - 1);
    for (const at of [...offsets].filter((o) => o >= 0 && o < file.length)) {
      const cut = file.subarray(0, at);
      const expected: AgeErrorCode[] = at < headerLength ? ['HEADER'] : ['TRUNCATED', 'PAYLOAD'];
      expect(expected, `cut at ${at}`).toContain(codeOf(() => decrypt(cut, [id])));
      expect(expected, `cut at ${at}`).toContain(await readerCode(cut));
    }
  });
});

/** X25519 plus a stanza no identity interprets, so a flip there reaches the MAC check. */
class WithGrease implements Recipient {
  wrap(fileKey: Buffer): Stanza[] {
    return [
      { type: 'grease.example', args: ['abcdef'], body: Buffer.from('opaque') },
      ...id.recipient().wrap(fileKey),
    ];
  }
}

describe('single-byte corruption', () => {
  const plain = randomBytes(2 * CHUNK + 300);
  const file = encrypt(plain, [new WithGrease()]);
  const text = file.toString('latin1');
  const h = parseHeader(file);
  const headerLength = h?.length ?? 0;

  function flipped(at: number, mask = 1): Buffer {
    const copy = Buffer.from(file);
    copy[at]! ^= mask;
    return copy;
  }

  /** Swaps a base64 character for another one, so the encoding stays valid. */
  function swapped(at: number): Buffer {
    const copy = Buffer.from(file);
    copy[at] = copy[at] === 0x41 ? 0x42 : 0x41; // 'A' <-> 'B'
    return copy;
  }

  async function both(f: Buffer): Promise<[string, string]> {
    return [codeOf(() => decrypt(f, [id])), await readerCode(f)];
  }

  it('in an uninterpreted stanza argument: HEADER_MAC', async () => {
    // 'abcdef' -> 'abcdeg': still a valid argument, so only the MAC can notice.
    expect(await both(flipped(text.indexOf('abcdef') + 5, 1))).toEqual([
      'HEADER_MAC',
      'HEADER_MAC',
    ]);
  });

  it('in the X25519 stanza body: NO_IDENTITY', async () => {
    const bodyLine = text.indexOf('\n', text.indexOf('-> X25519')) + 1;
    // The first character of a line carries no padding bits, so any swap stays canonical.
    expect(await both(swapped(bodyLine))).toEqual(['NO_IDENTITY', 'NO_IDENTITY']);
  });

  it('in the MAC: HEADER_MAC', async () => {
    const mac = text.indexOf('\n--- ') + 5;
    expect(await both(swapped(mac))).toEqual(['HEADER_MAC', 'HEADER_MAC']);
  });

  it('in the version line: HEADER or UNSUPPORTED', async () => {
    const [a, b] = await both(flipped(3, 1));
    expect(['HEADER', 'UNSUPPORTED']).toContain(a);
    expect(['HEADER', 'UNSUPPORTED']).toContain(b);
  });

  it('in the nonce, a chunk body, a tag, the last chunk: PAYLOAD', async () => {
    for (const at of [
      headerLength,
      headerLength + 15,
      headerLength + 16,
      headerLength + 16 + CHUNK + 3, // first tag
      headerLength + 16 + SEALED_CHUNK_SIZE + 9,
      file.length - 1,
    ]) {
      expect(await both(flipped(at, 0x80)), `flip at ${at}`).toEqual(['PAYLOAD', 'PAYLOAD']);
    }
  });

  it('anywhere, any bit: always an AgeError, never plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: file.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (at, bit) => {
          const [a, b] = await both(flipped(at, 1 << bit));
          expect(a).not.toBe('no error');
          expect(b).not.toBe('no error');
        },
      ),
      { numRuns: 150 },
    );
  });
});
