// Image exhibits in the court bundle: readable (≤ 300 dpi, filling the page), never upscaled,
// tall captures cut into overlapping pages, region marks on the right slice, hostile files
// refused in plain words (issue 11, part 1).
import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  embedsAsIs,
  imageContent,
  MAX_IMAGE_BYTES,
  planImage,
  regionsOnSlice,
  SCALE_300_DPI,
  SCALE_NATURAL,
  SLICE_OVERLAP,
} from '../../../main/core/export/bundle/image-content';
import type { ImageContent } from '../../../main/core/export/bundle/exhibit-content';
import type { Exhibit, ExhibitRegion } from '../../../main/core/export/model';
import {
  corruptIdat,
  makeBombPng,
  makePlainJpeg,
  makeScreenshotPng,
} from '../../fixtures/evidence';
import { previewOf, testExhibit } from '../../support/exhibit';

/** A4 less 2 cm margins and room for the footer and a caption: what the bundle gives a slice. */
const BOX = { width: 483, height: 690 };
const THUMB = Buffer.from('preview made at import');

function region(number: number, y: number, h: number, over: Partial<ExhibitRegion> = {}) {
  return {
    number,
    x: 100_000,
    y,
    w: 500_000,
    h,
    comment: `mark ${number}`,
    createdAt: '2024-03-10T10:00:00.000Z',
    ...over,
  };
}

function imageExhibit(width: number, height: number, over: Partial<Exhibit> = {}): Exhibit {
  return testExhibit({ mime: 'image/png', width, height, preview: previewOf(THUMB), ...over });
}

async function rgbPng(width: number, height: number): Promise<Buffer> {
  return sharp(await makeScreenshotPng(width, height))
    .removeAlpha()
    .png()
    .toBuffer();
}

function asImage(c: Awaited<ReturnType<typeof imageContent>>): ImageContent {
  if (c.kind !== 'image') throw new Error(`expected an image, got: ${c.reason}`);
  return c;
}

describe('planImage', () => {
  it('fits a 1170×2532 phone screenshot on one page at 264 dpi, the full height of the box', () => {
    const plan = planImage(1170, 2532, BOX);
    expect(plan.slices).toEqual([{ top: 0, rows: 2532 }]);
    expect(plan.scale).toBeCloseTo(690 / 2532, 6);
    expect(72 / plan.scale).toBeCloseTo(264, 0);
    expect(2532 * plan.scale).toBeCloseTo(BOX.height, 6);
    expect(plan.outputWidth).toBe(1170);
  });

  it('never draws a small picture larger than its natural size (96 dpi)', () => {
    const plan = planImage(200, 100, BOX);
    expect(plan.scale).toBe(SCALE_NATURAL);
    expect(plan.slices).toHaveLength(1);
  });

  it('cuts a tall capture into full-width pages that overlap, instead of shrinking it', () => {
    const plan = planImage(1170, 10_000, BOX);
    expect(plan.scale).toBeCloseTo(483 / 1170, 6);
    expect(plan.outputWidth).toBe(1170);
    expect(plan.slices.length).toBe(7);
    expect(plan.slices[0]!.top).toBe(0);
    const last = plan.slices.at(-1)!;
    expect(last.top + last.rows).toBe(10_000);
  });

  it('downsamples a picture wider than 300 dpi across the box to exactly 300 dpi', () => {
    const plan = planImage(6000, 2000, BOX);
    expect(plan.scale).toBeCloseTo(483 / 6000, 6);
    expect(plan.outputWidth).toBe(Math.floor(483 / SCALE_300_DPI));
    expect(plan.slices).toEqual([{ top: 0, rows: 2000 }]);
  });

  it('keeps every rule for any picture size and box', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 100, max: 800 }),
        fc.integer({ min: 100, max: 800 }),
        (w, h, bw, bh) => {
          const box = { width: bw, height: bh };
          const plan = planImage(w, h, box);
          const drawWidth = w * plan.scale;
          // Never above the box, never above natural size, never more than 300 dpi.
          expect(drawWidth).toBeLessThanOrEqual(bw + 1e-6);
          expect(plan.scale).toBeLessThanOrEqual(SCALE_NATURAL);
          expect((plan.outputWidth * 72) / drawWidth).toBeLessThanOrEqual(300 + 1e-6);
          // Never more pixels than the original.
          expect(plan.outputWidth).toBeLessThanOrEqual(w);
          // Every row shown; every slice fits the box; neighbours overlap by at least 6%.
          expect(plan.slices[0]!.top).toBe(0);
          const last = plan.slices.at(-1)!;
          expect(last.top + last.rows).toBe(h);
          plan.slices.forEach((s, i) => {
            expect(s.rows * plan.scale).toBeLessThanOrEqual(bh + 1e-6);
            const next = plan.slices[i + 1];
            if (next) {
              expect(next.top).toBeGreaterThan(s.top);
              expect(s.top + s.rows - next.top).toBeGreaterThanOrEqual(
                Math.floor(s.rows * SLICE_OVERLAP),
              );
            }
          });
          // A picture that fits at 300 dpi or coarser is never cut.
          if (Math.min(bw / w, bh / h) >= SCALE_300_DPI) expect(plan.slices).toHaveLength(1);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('regionsOnSlice', () => {
  it('puts a mark on the slice it is on, as fractions of that slice', () => {
    // Picture 1000 rows; slice rows 200..600; mark rows 300..400.
    const [r] = regionsOnSlice([region(1, 300_000, 100_000)], 1000, 200, 400);
    expect(r).toEqual({ number: 1, x: 0.1, y: 0.25, w: 0.5, h: 0.25, clipped: false });
  });

  it('clips a mark that crosses a page break and shows it on both pages', () => {
    const marks = [region(2, 500_000, 200_000)]; // rows 500..700
    const [a] = regionsOnSlice(marks, 1000, 0, 600);
    const [b] = regionsOnSlice(marks, 1000, 560, 440);
    expect(a).toMatchObject({ number: 2, clipped: true });
    expect(a!.y).toBeCloseTo(500 / 600, 9);
    expect(a!.h).toBeCloseTo(100 / 600, 9);
    expect(b).toMatchObject({ number: 2, y: 0, clipped: true });
    expect(b!.h).toBeCloseTo(140 / 440, 9);
  });

  it('leaves out marks on other slices and clamps hostile boxes into the picture', () => {
    const marks = [region(1, 0, 100_000), region(2, 900_000, 400_000, { x: -5, w: 2_000_000 })];
    const got = regionsOnSlice(marks, 1000, 800, 200);
    expect(got).toEqual([{ number: 2, x: 0, y: 0.5, w: 1, h: 0.5, clipped: false }]);
  });
});

describe('embedsAsIs', () => {
  it('passes an opaque, whole, upright PNG through and refuses anything pdfkit would decode', async () => {
    const rgb = await rgbPng(300, 600);
    expect(embedsAsIs(rgb, 300, 600)).toBe(true);
    expect(embedsAsIs(rgb, 600, 300)).toBe(false); // not the size the import read
    const rgba = await sharp(rgb).ensureAlpha().png().toBuffer();
    expect(embedsAsIs(rgba, 300, 600)).toBe(false);
    const interlaced = await sharp(rgb).png({ progressive: true }).toBuffer();
    expect(embedsAsIs(interlaced, 300, 600)).toBe(false);
    expect(embedsAsIs(corruptIdat(rgb), 300, 600)).toBe(false);
    expect(embedsAsIs(rgb.subarray(0, rgb.length - 20), 300, 600)).toBe(false);
    expect(embedsAsIs(Buffer.concat([rgb, Buffer.from('junk')]), 300, 600)).toBe(false);
    const rotated = await sharp(rgb).withMetadata({ orientation: 3 }).png().toBuffer();
    expect(embedsAsIs(rotated, 300, 600)).toBe(false);
  });
});

/** The PDF pdfkit writes for one picture: its image objects show how it embedded it. */
async function pdfWith(image: Buffer): Promise<string> {
  const doc = new PDFDocument({ autoFirstPage: false, compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => doc.on('end', resolve));
  doc.addPage();
  doc.image(image, 0, 0, { width: 100 });
  doc.end();
  await done;
  return Buffer.concat(chunks).toString('latin1');
}

describe('embedsAsIs on damaged PNGs', () => {
  it('never throws, and refuses any PNG whose bytes were changed', async () => {
    const png = await rgbPng(40, 30);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: png.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: png.length }),
        (at, xor, cut) => {
          const changed = Buffer.from(png);
          changed[at]! ^= xor;
          // A changed byte is caught by the signature, a length, a CRC or the trailing IEND.
          expect(embedsAsIs(changed, 40, 30)).toBe(false);
          expect(embedsAsIs(png.subarray(0, cut), 40, 30)).toBe(cut === png.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('imageContent', () => {
  it('gives pdfkit pictures it copies without decoding (no alpha channel to split)', async () => {
    // pdfkit decodes a PNG with alpha in JavaScript to split out an /SMask: about 20 times
    // slower than sharp re-encoding it. Every slice must avoid that path.
    const rgba = await makeScreenshotPng(400, 800);
    expect(await pdfWith(rgba)).toContain('/SMask');
    for (const png of [rgba, await rgbPng(400, 800)]) {
      const c = asImage(await imageContent(png, imageExhibit(400, 800), BOX, { pixels: true }));
      const pdf = await pdfWith(c.slices[0]!.image!);
      expect(pdf).not.toContain('/SMask');
      expect(pdf).toContain('/Predictor 15');
    }
  });

  it('passes a phone screenshot through untouched: one page, no decode', async () => {
    const png = await rgbPng(1170, 2532);
    const c = asImage(await imageContent(png, imageExhibit(1170, 2532), BOX, { pixels: true }));
    expect(c.slices).toHaveLength(1);
    expect(c.slices[0]!.image).toBe(png);
    expect(c.slices[0]!.drawHeight).toBeCloseTo(BOX.height, 6);
  });

  it('re-encodes a screenshot with an alpha channel as opaque PNG (pdfkit would decode it slowly)', async () => {
    const rgba = await makeScreenshotPng(400, 800);
    const c = asImage(await imageContent(rgba, imageExhibit(400, 800), BOX, { pixels: true }));
    const meta = await sharp(c.slices[0]!.image!).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 400, height: 800, hasAlpha: false });
  });

  it('cuts a tall capture into PNG slices whose pixels are the original rows', async () => {
    const png = await rgbPng(600, 4000);
    const ex = imageExhibit(600, 4000, { regions: [region(1, 450_000, 100_000)] });
    const c = asImage(await imageContent(png, ex, BOX, { pixels: true }));
    expect(c.slices.length).toBeGreaterThan(1);
    const original = await sharp(png).raw().toBuffer();
    for (const s of c.slices) {
      const { data, info } = await sharp(s.image!).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ format: 'raw', width: 600, height: s.rows, channels: 3 });
      // Lossless: the slice's first row is the original's row `top`.
      const row = 600 * 3;
      expect(data.subarray(0, row).equals(original.subarray(s.top * row, (s.top + 1) * row))).toBe(
        true,
      );
      expect(s.drawWidth).toBeLessThanOrEqual(BOX.width + 1e-6);
      expect(s.drawHeight).toBeLessThanOrEqual(BOX.height + 1e-6);
    }
    // The mark (rows 1800..2200) is on at least one slice, and only where it lies.
    const marked = c.slices.filter((s) => s.regions.length > 0);
    expect(marked.length).toBeGreaterThan(0);
    for (const s of marked) expect(s.top < 2200 && s.top + s.rows > 1800).toBe(true);
  });

  it('gives the same pages without pixels, reading no bytes', async () => {
    const png = await rgbPng(600, 4000);
    const ex = imageExhibit(600, 4000, { regions: [region(1, 450_000, 100_000)] });
    const full = asImage(await imageContent(png, ex, BOX, { pixels: true }));
    const counted = asImage(await imageContent(Buffer.alloc(0), ex, BOX, { pixels: false }));
    expect(counted.slices.map((s) => ({ ...s, image: null }))).toEqual(
      full.slices.map((s) => ({ ...s, image: null })),
    );
    expect(counted.slices.every((s) => s.image === null)).toBe(true);
  });

  it('turns a photo upright per its EXIF orientation and writes it as JPEG', async () => {
    // Stored 640×480 landscape with orientation 6: upright it is 480×640.
    const jpeg = await sharp(await makePlainJpeg(640, 480))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const ex = imageExhibit(480, 640, { mime: 'image/jpeg' });
    const c = asImage(await imageContent(jpeg, ex, BOX, { pixels: true }));
    const meta = await sharp(c.slices[0]!.image!).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 480, height: 640 });
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined(); // no GPS or camera data carried into the PDF
  });

  it('slices a rotated photo after turning it upright', async () => {
    // Upright 400×6000: a red strip down the left, black to white from top to bottom. It is
    // stored turned on its side (6000×400) with EXIF orientation 6, as a phone would.
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="6000"><defs>' +
      '<linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000"/>' +
      '<stop offset="1" stop-color="#fff"/></linearGradient></defs>' +
      '<rect width="400" height="6000" fill="url(#g)"/><rect width="100" height="6000" fill="#f00"/></svg>';
    const stored = await sharp(Buffer.from(svg))
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const ex = imageExhibit(400, 6000, { mime: 'image/jpeg' });
    const c = asImage(await imageContent(stored, ex, BOX, { pixels: true }));
    expect(c.slices.length).toBeGreaterThan(3);
    for (const s of c.slices) {
      const { data, info } = await sharp(s.image!).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([400, s.rows]);
      const mid = Math.floor(s.rows / 2);
      const at = (x: number) => [...data.subarray((mid * 400 + x) * 3, (mid * 400 + x) * 3 + 3)];
      const [r, g, b] = at(50);
      expect(r).toBeGreaterThan(200); // the red strip is on the left: turned the right way
      expect(g! + b!).toBeLessThan(60);
      const grey = at(300)[0]!;
      expect(Math.abs(grey - (255 * (s.top + mid)) / 6000)).toBeLessThan(20);
    }
  });

  it('downsamples a huge photo to 300 dpi across the page, never upscaling', async () => {
    const jpeg = await makePlainJpeg(4000, 3000);
    const ex = imageExhibit(4000, 3000, { mime: 'image/jpeg' });
    const c = asImage(await imageContent(jpeg, ex, BOX, { pixels: true }));
    expect(c.slices).toHaveLength(1);
    const meta = await sharp(c.slices[0]!.image!).metadata();
    expect(meta.width).toBe(Math.floor(BOX.width / SCALE_300_DPI));
    expect((meta.width! * 72) / c.slices[0]!.drawWidth).toBeLessThanOrEqual(300 + 1e-6);
  });

  it('refuses hostile and unreadable pictures in plain words, never throwing', async () => {
    const bomb = await makeBombPng();
    const cases: [Buffer, Exhibit, RegExp][] = [
      [bomb, imageExhibit(100_000, 100_000), /100000 × 100000 pixels/],
      [Buffer.alloc(0), imageExhibit(0, 0), /size could not be read/],
      [Buffer.alloc(0), imageExhibit(1, 100_000), /would take 116 pages/],
      [Buffer.from('<svg/>'), imageExhibit(10, 10, { mime: 'image/svg+xml' }), /cannot show/],
      [Buffer.alloc(0), imageExhibit(10, 10, { size: MAX_IMAGE_BYTES + 1 }), /too big to show/],
      [
        corruptIdat(await rgbPng(300, 600)),
        imageExhibit(300, 600, { preview: null }),
        /could not open when it was stored/,
      ],
    ];
    for (const [bytes, ex, reason] of cases) {
      for (const pixels of [false, true]) {
        const c = await imageContent(bytes, ex, BOX, { pixels });
        expect(c.kind).toBe('other');
        if (c.kind === 'other') expect(c.reason).toMatch(reason);
      }
    }
  });

  it('keeps the pages of a picture that fails to decode after all, with no pixels', async () => {
    // The import decoded it (a preview exists) but these bytes do not: the page count
    // counted first must still hold, so the slices stay and their image is null.
    const png = await rgbPng(300, 600);
    const truncated = png.subarray(0, png.length >> 1);
    const bombBytes = await makeBombPng(20_000, 20_000);
    for (const bytes of [truncated, bombBytes]) {
      const c = asImage(await imageContent(bytes, imageExhibit(300, 600), BOX, { pixels: true }));
      expect(c.slices).toHaveLength(1);
      expect(c.slices[0]!.image).toBeNull();
    }
  });
});
