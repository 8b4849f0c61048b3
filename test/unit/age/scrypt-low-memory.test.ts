// scrypt with part of its table kept gives exactly scrypt's key (main/core/age/scrypt-low-memory.ts).
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scryptLowMemory, tableSpacing } from '../../../main/core/age/scrypt-low-memory';
import { OPEN_TABLE_BYTES } from '../../../main/core/age/scrypt';

const native = (p: Buffer, s: Buffer, logN: number, r: number, dkLen: number): Buffer =>
  scryptSync(p, s, dkLen, { N: 2 ** logN, r, p: 1, maxmem: 1 << 30 });

describe('scrypt in less memory', () => {
  it('gives the RFC 7914 §12 test vectors (p = 1)', () => {
    expect(
      scryptLowMemory(Buffer.alloc(0), Buffer.alloc(0), 4, 1, 64, 1 << 30).toString('hex'),
    ).toBe(
      '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
    );
    const pleaseletmein = scryptLowMemory(
      Buffer.from('pleaseletmein'),
      Buffer.from('SodiumChloride'),
      14,
      8,
      64,
      1024 * 1024, // 1/16 of the table
    );
    expect(pleaseletmein.toString('hex')).toBe(
      '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    );
  });

  it('gives node:crypto’s key whatever part of the table it keeps', () => {
    const p = Buffer.from('correct horse battery staple');
    for (const [logN, r] of [
      [1, 1],
      [2, 8],
      [7, 3],
      [10, 8],
      [11, 1],
    ] as const) {
      const salt = Buffer.from(`salt ${logN} ${r}`);
      const want = native(p, salt, logN, r, 32);
      for (const table of [
        1 << 30,
        2 ** logN * 128 * r,
        2 ** logN * 64 * r,
        2 ** logN * 4 * r,
        1,
      ]) {
        expect(scryptLowMemory(p, salt, logN, r, 32, table), `2^${logN} r=${r} ${table}`).toEqual(
          want,
        );
      }
    }
  });

  it('keeps 64 MiB of the 256 MiB table at age’s work factor, and everything when it fits', () => {
    expect(tableSpacing(18, 8, OPEN_TABLE_BYTES)).toBe(4);
    expect((2 ** 18 / tableSpacing(18, 8, OPEN_TABLE_BYTES)) * 1024).toBeLessThanOrEqual(
      OPEN_TABLE_BYTES,
    );
    expect(tableSpacing(16, 8, OPEN_TABLE_BYTES)).toBe(1);
    expect(tableSpacing(3, 8, 1)).toBe(8); // never fewer than one kept block
  });

  it('refuses parameters outside what it computes', () => {
    const p = Buffer.from('x');
    expect(() => scryptLowMemory(p, p, 0, 8, 32, 1 << 20)).toThrow(RangeError);
    expect(() => scryptLowMemory(p, p, 32, 8, 32, 1 << 20)).toThrow(RangeError);
    expect(() => scryptLowMemory(p, p, 4, 0, 32, 1 << 20)).toThrow(RangeError);
  });
});
