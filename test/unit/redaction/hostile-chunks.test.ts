// A hostile PNG or WebP with a great many made-up chunks: what was taken out is said as one
// count, not a list as long as the file (it goes into the custody log and the database).
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { stripPng } from '../../../main/core/redaction/png-metadata';
import { stripWebp } from '../../../main/core/redaction/webp-metadata';

const N = 50_000;

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A made-up chunk type, different each time, four ASCII letters. */
const made = (i: number): string =>
  Array.from({ length: 4 }, (_, k) =>
    String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26)),
  ).join('');

describe('stripping a file of made-up chunks', () => {
  it('a PNG: the made-up chunks are one count, the picture kept', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    const ihdrEnd = 8 + 12 + 13;
    const junk = Buffer.concat(
      Array.from({ length: N }, (_, i) => pngChunk(made(i), Buffer.alloc(0))),
    );
    const hostile = Buffer.concat([png.subarray(0, ihdrEnd), junk, png.subarray(ihdrEnd)]);
    const out = stripPng(hostile);
    expect(out.removed).toEqual([`${N} chunks of a kind Dossier does not know`]);
    expect(out.bytes.equals(png)).toBe(true);
  });

  it('a WebP: the same', async () => {
    const webp = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#123' } })
      .webp({ lossless: true })
      .toBuffer();
    const junk = Buffer.concat(
      Array.from({ length: N }, (_, i) =>
        Buffer.concat([Buffer.from(made(i), 'latin1'), Buffer.alloc(4)]),
      ),
    );
    const body = Buffer.concat([webp.subarray(12), junk]);
    const head = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
    head.writeUInt32LE(4 + body.length, 4);
    const out = stripWebp(Buffer.concat([head, body]));
    expect(out.removed).toEqual([`${N} chunks of a kind Dossier does not know`]);
    expect(out.bytes.equals(webp)).toBe(true);
  });
});
