// Plain PNGs go into the PDFs without pdfkit's PNG reader (png-js copies every compressed byte
// into a JavaScript array): the same bytes in the PDF, and anything unusual left to pdfkit.
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { plainPng } from '../../../main/core/export/pdf/png-embed';

/** A 37×53 picture with a pattern (so rows differ), as a PNG of the given shape. */
function picture(channels: 1 | 3 | 4, bits: 8 | 16 = 8): Promise<Buffer> {
  const w = 37;
  const h = 53;
  const raw = Buffer.alloc(w * h * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + Math.floor(i / (w * channels)) * 13) & 255;
  const image = sharp(raw, { raw: { width: w, height: h, channels } });
  if (bits === 16) image.toColourspace(channels === 1 ? 'grey16' : 'rgb16');
  else if (channels === 1) image.toColourspace('b-w');
  return image.png({ compressionLevel: 9 }).toBuffer();
}

/**
 * A one-page PDF with `png` drawn `draws` times; `direct` opens plain PNGs with plainPng.
 * pdfkit decodes a PNG with alpha on zlib's thread pool: two of them finish in either order,
 * and are written in that order, so such a picture is drawn once.
 */
async function pdfWith(png: Buffer, direct: boolean, draws: 1 | 2 = 2): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: true,
    info: { CreationDate: new Date(0), ModDate: new Date(0) },
  });
  if (direct) {
    const d = doc as unknown as { openImage(src: unknown): unknown; _imageCount: number };
    const open = d.openImage.bind(d);
    d.openImage = (src: unknown) => {
      const image = Buffer.isBuffer(src) ? plainPng(src, `I${d._imageCount + 1}`) : null;
      if (!image) return open(src);
      d._imageCount++;
      return image;
    };
  }
  const parts: Buffer[] = [];
  doc.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.image(png, 10, 10, { width: 100 });
  if (draws === 2) doc.image(png, 200, 10, { width: 50 });
  doc.end();
  await ended;
  return Buffer.concat(parts);
}

describe('plain PNGs in the PDFs', () => {
  it('writes exactly what pdfkit writes for RGB and grey, 8 and 16 bits', async () => {
    for (const [channels, depth] of [
      [3, 8],
      [1, 8],
      [3, 16],
      [1, 16],
    ] as const) {
      const png = await picture(channels, depth);
      const meta = await sharp(png).metadata();
      expect([meta.hasAlpha, meta.channels], `${channels} ${depth}`).toEqual([false, channels]);
      expect(plainPng(png, 'I1'), `${channels} ${depth}`).not.toBeNull();
      expect((await pdfWith(png, true)).equals(await pdfWith(png, false))).toBe(true);
    }
  });

  it('leaves to pdfkit a PNG with alpha, a palette, interlacing or damage', async () => {
    const rgba = await picture(4);
    expect(plainPng(rgba, 'I1')).toBeNull();
    const rgb = await picture(3);
    expect(plainPng(await sharp(rgb).png({ palette: true }).toBuffer(), 'I1')).toBeNull();
    expect(plainPng(await sharp(rgb).png({ progressive: true }).toBuffer(), 'I1')).toBeNull();
    expect(plainPng(rgb.subarray(0, rgb.length - 20), 'I1')).toBeNull(); // cut short: no IEND
    expect(plainPng(Buffer.from('not a picture at all'), 'I1')).toBeNull();
    const huge = Buffer.from(rgb);
    huge.writeUInt32BE(0x7fffffff, 8); // IHDR says it runs far past the end
    expect(plainPng(huge, 'I1')).toBeNull();
    // And pdfkit still draws what it can, as before.
    expect((await pdfWith(rgba, true, 1)).equals(await pdfWith(rgba, false, 1))).toBe(true);
  });
});
