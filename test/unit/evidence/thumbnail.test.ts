import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_INPUT_PIXELS,
  readImage,
  THUMBNAIL_MAX_PX,
} from '../../../main/core/evidence/thumbnail';
import {
  asApng,
  exiftool,
  makeBombPng,
  makeEvidenceFixtures,
  makeTinyPng,
} from '../../fixtures/evidence';
import { sniffMime } from '../../../main/core/evidence/sniff';

const dir = await mkdtemp(join(tmpdir(), 'dossier-thumb-'));
const fx = await makeEvidenceFixtures(dir);
afterAll(() => rm(dir, { recursive: true, force: true }));
const noExiftool = fx.exifJpeg === null;
if (noExiftool) console.warn(`SKIPPED EXIF photo tests: ${fx.skipped.join('; ')}`);

const TRUNCATED_PNG =
  'This PNG is truncated or damaged: it was stored as is, but no preview could be made.';

describe('readImage', () => {
  it('reads a phone screenshot and makes a JPEG preview inside 512×512', async () => {
    const { image, thumbnail, error } = await readImage(await readFile(fx.screenshotPng));
    expect(error).toBeNull();
    expect(image).toEqual({ width: 1170, height: 2532, format: 'png' });
    expect(thumbnail).not.toBeNull();
    const meta = await sharp(thumbnail?.jpeg).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([thumbnail?.width, thumbnail?.height]);
    expect(meta.height).toBe(THUMBNAIL_MAX_PX);
    expect(meta.width).toBe(Math.round((1170 * 512) / 2532));
  });

  it('previews the other common formats: WebP, GIF, TIFF, AVIF', async () => {
    const base = sharp({ create: { width: 800, height: 600, channels: 3, background: '#369' } });
    const made: [string, Buffer][] = [
      ['webp', await base.clone().webp().toBuffer()],
      ['gif', await base.clone().gif().toBuffer()],
      ['tiff', await base.clone().tiff().toBuffer()],
      ['heif', await base.clone().avif().toBuffer()],
    ];
    for (const [format, bytes] of made) {
      const r = await readImage(bytes);
      expect(r.error).toBeNull();
      expect(r.image).toEqual({ width: 800, height: 600, format });
      expect([r.thumbnail?.width, r.thumbnail?.height]).toEqual([512, 384]);
    }
  });

  it('previews an animated PNG by its first frame', async () => {
    const apng = asApng(await readFile(fx.screenshotPng));
    expect((await sniffMime(apng, 'x.png')).mime).toBe('image/apng');
    const r = await readImage(apng);
    expect(r.error).toBeNull();
    expect(r.image).toEqual({ width: 1170, height: 2532, format: 'png' });
  });

  it('puts transparent areas on white, not black', async () => {
    const png = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const { thumbnail } = await readImage(png);
    const { data } = await sharp(thumbnail?.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(240);
  });

  it('never enlarges a small image', async () => {
    const { image, thumbnail } = await readImage(await makeTinyPng());
    expect(image).toEqual({ width: 1, height: 1, format: 'png' });
    expect([thumbnail?.width, thumbnail?.height]).toEqual([1, 1]);
  });

  it('takes the sniffed type from the caller when given, and sniffs itself otherwise', async () => {
    const png = await readFile(fx.screenshotPng);
    expect((await readImage(png, 'image/png')).error).toBeNull();
    // A caller that says "PDF" gets no decode at all.
    expect((await readImage(png, 'application/pdf')).error).toMatch(/not a photo or screenshot/);
    expect((await readImage(await readFile(fx.pdf))).error).toBe(
      'This file is not a photo or screenshot format Dossier can preview (application/pdf).',
    );
  });

  it.skipIf(noExiftool)(
    'gives the upright size of an Orientation=6 photo, and turns its preview upright',
    async () => {
      const { image, thumbnail, error } = await readImage(await readFile(fx.exifJpeg ?? ''));
      expect(error).toBeNull();
      // Stored 640×480 landscape; Orientation 6 means it is shown rotated 90° clockwise.
      expect(image).toEqual({ width: 480, height: 640, format: 'jpeg' });
      expect([thumbnail?.width, thumbnail?.height]).toEqual([384, 512]);
      // The yellow disc at (213, 240) of the stored image lands at (239, 213) when upright,
      // i.e. (191, 170) in the 0.8× preview.
      const { data, info } = await sharp(thumbnail?.jpeg)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
      ];
      const [r, g, b] = at(191, 170);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeGreaterThan(160);
      expect(b).toBeLessThan(120);
    },
  );

  it.skipIf(noExiftool)('leaves all metadata, GPS included, out of the preview', async () => {
    const { thumbnail } = await readImage(await readFile(fx.exifJpeg ?? ''));
    const jpeg = thumbnail?.jpeg ?? Buffer.alloc(0);
    const meta = await sharp(jpeg).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // And exiftool agrees: no GPS, no camera.
    const path = join(dir, 'thumb.jpg');
    await writeFile(path, jpeg);
    const [tags] = JSON.parse(
      await exiftool(['-json', '-EXIF:all', '-GPS:all', '-XMP:all', path]),
    ) as Record<string, unknown>[];
    expect(Object.keys(tags ?? {}).filter((k) => k !== 'SourceFile')).toEqual([]);
  });

  it('says a truncated PNG is damaged, keeps the size from its header, and makes no preview', async () => {
    const r = await readImage(await readFile(fx.truncatedPng));
    expect(r).toEqual({
      image: { width: 1170, height: 2532, format: 'png' },
      thumbnail: null,
      error: TRUNCATED_PNG,
    });
  });

  it('says a PNG with a corrupt IDAT chunk is damaged', async () => {
    const r = await readImage(await readFile(fx.corruptIdatPng));
    expect(r.thumbnail).toBeNull();
    expect(r.error).toBe(TRUNCATED_PNG);
  });

  it('says so when not even the header can be read', async () => {
    const png = await readFile(fx.screenshotPng);
    const r = await readImage(png.subarray(0, 20), 'image/png');
    expect(r).toEqual({
      image: null,
      thumbnail: null,
      error:
        'This PNG is truncated or damaged: it was stored as is, but no preview or image size could be read.',
    });
  });

  it('refuses a decompression bomb quickly, in plain words', async () => {
    const bomb = await readFile(fx.bombPng);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    const r = await readImage(bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.thumbnail).toBeNull();
    expect(r.error).toBe(
      'This PNG says it is 100000 × 100000 pixels (10,000 megapixels), far more than any real ' +
        'photo or screenshot, so Dossier did not open it: it was stored as is, but no preview was made.',
    );
    // Just over the limit is refused too; the limit is sharp's default, about 268 MP.
    const justOver = await readImage(await makeBombPng(0x3fff + 1, 0x3fff));
    expect(justOver.error).toMatch(/says it is 16384 × 16383 pixels/);
    expect(MAX_INPUT_PIXELS).toBe(268_402_689);
  });

  it('never throws on an empty buffer or noise', async () => {
    expect((await readImage(Buffer.alloc(0), 'image/png')).error).toMatch(/PNG is truncated/);
    expect((await readImage(await readFile(fx.randomBytes), 'image/jpeg')).error).toMatch(
      /JPEG is truncated or damaged/,
    );
  });

  it('never throws on a damaged JPEG or PNG, whatever the damage', async () => {
    const jpeg = await readFile(fx.plainJpeg);
    const png = await makeTinyPng();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(jpeg, png),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 16 }),
        fc.nat(),
        async (source, edits, cut) => {
          const damaged = Buffer.from(source.subarray(0, 1 + (cut % source.length)));
          for (const [at, value] of edits) damaged[at % damaged.length] = value;
          const r = await readImage(damaged);
          expect(r.error === null || typeof r.error === 'string').toBe(true);
          if (r.error) expect(r.thumbnail).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
