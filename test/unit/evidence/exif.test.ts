import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { captureTime, MAX_TAG_JSON_CHARS, readExif } from '../../../main/core/evidence/exif';
import {
  corruptGpsPointer,
  exiftool,
  findExifApp1,
  makeEvidenceFixtures,
  PHOTO_TAGS,
} from '../../fixtures/evidence';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'dossier-exif-'));
const fx = await makeEvidenceFixtures(dir);
afterAll(() => rm(dir, { recursive: true, force: true }));
const noExiftool = fx.exifJpeg === null;
if (noExiftool) console.warn(`SKIPPED EXIF photo tests: ${fx.skipped.join('; ')}`);
const photo = (): Promise<Buffer> => readFile(fx.exifJpeg ?? '');

/** Every value is plain JSON: no typed arrays, Dates, functions, NaN. */
function expectJsonSafe(v: unknown): void {
  expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  const walk = (x: unknown): void => {
    expect(ArrayBuffer.isView(x)).toBe(false);
    expect(x instanceof Date).toBe(false);
    expect(typeof x).not.toBe('function');
    if (typeof x === 'number') expect(Number.isFinite(x)).toBe(true);
    if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
}

describe.skipIf(noExiftool)('readExif on a phone photo (EXIF written by exiftool)', () => {
  it('reads the capture time with its offset, the device, GPS and orientation', async () => {
    const { exif, error } = await readExif(await photo());
    expect(error).toBeNull();
    expect(exif).not.toBeNull();
    expect(exif?.capturedAt).toBe('2024-03-09T23:10:42+01:00');
    expect(exif?.capturedAtHasZone).toBe(true);
    expect(exif?.device).toBe('Google Pixel 8');
    expect(exif?.orientation).toBe(6);
    expect(exif?.gps?.latitude).toBeCloseTo(PHOTO_TAGS.latitude, 5);
    expect(exif?.gps?.longitude).toBeCloseTo(PHOTO_TAGS.longitude, 5); // west is negative
    expect(exif?.gps?.altitude).toBeCloseTo(PHOTO_TAGS.altitude, 3);
  });

  it('gives a floating local time, without Z or offset, when OffsetTimeOriginal is absent', async () => {
    const { exif, error } = await readExif(await readFile(fx.exifJpegNoOffset ?? ''));
    expect(error).toBeNull();
    expect(exif?.capturedAt).toBe('2024-03-09T23:10:42');
    expect(exif?.capturedAtHasZone).toBe(false);
  });

  it('keeps every tag as plain JSON, byte values as hex', async () => {
    const { exif } = await readExif(await photo());
    const tags = exif?.tags ?? {};
    expectJsonSafe(tags);
    expect(tags.Make).toBe('Google');
    expect(tags.DateTimeOriginal).toBe('2024:03:09 23:10:42');
    expect(tags.ExifVersion).toEqual({ hex: '30323332' });
    expect(tags.GPSLatitudeRef).toBe('N');
    // Offsets between sections are not tags.
    expect(tags).not.toHaveProperty('GpsIFD');
    expect(tags).not.toHaveProperty('ExifIFD');
  });

  it('drops tags too big to store, and keeps the rest', async () => {
    const path = join(dir, 'big-description.jpg');
    await copyFile(fx.exifJpeg ?? '', path);
    await exiftool([
      '-q',
      '-overwrite_original',
      `-ImageDescription=${'x'.repeat(MAX_TAG_JSON_CHARS * 2)}`,
      '-UserComment=seen outside the school',
      path,
    ]);
    const { exif, error } = await readExif(await readFile(path));
    expect(error).toBeNull();
    expect(exif?.tags).not.toHaveProperty('ImageDescription');
    expect(exif?.tags.UserComment).toBe('seen outside the school');
    expect(exif?.device).toBe('Google Pixel 8');
    expect(JSON.stringify(exif).length).toBeLessThan(64 * 1024);
  });

  it('reads EXIF from the first 64 KiB alone', async () => {
    const bytes = await photo();
    const whole = await readExif(bytes);
    // A view into a bigger buffer, as a caller's head often is.
    const big = Buffer.concat([Buffer.alloc(7), bytes]);
    expect(await readExif(big.subarray(7, 7 + Math.min(bytes.length, 65536)))).toEqual(whole);
  });

  it('does not depend on the TZ of the process (run in two zones)', async () => {
    const probe = join(import.meta.dirname, 'tz-probe.ts');
    const results = [];
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', probe, fx.exifJpegNoOffset ?? ''],
        { env: { ...process.env, TZ: tz }, cwd: process.cwd() },
      );
      results.push(JSON.parse(stdout) as { offsetMinutes: number; result: unknown });
    }
    const [a, b] = results;
    // The zones really differed (UTC+14 and UTC-8 in March 2024)...
    expect(a?.offsetMinutes).toBe(-840);
    expect(b?.offsetMinutes).toBe(480);
    // ...and the answer did not.
    expect(a?.result).toEqual(b?.result);
    expect(a?.result).toMatchObject({ exif: { capturedAt: '2024-03-09T23:10:42' } });
  });

  it('says in plain words when the EXIF block is damaged, and does not throw', async () => {
    const result = await readExif(await readFile(fx.corruptExifJpeg ?? ''));
    expect(result.exif).toBeNull();
    expect(result.error).toMatch(
      /^The photo's EXIF metadata is damaged and could not be read \(.+\)\.$/,
    );
  });

  it('keeps what is readable when only the GPS section is damaged, and says so', async () => {
    const { exif, error } = await readExif(corruptGpsPointer(await photo()));
    expect(exif?.device).toBe('Google Pixel 8');
    expect(exif?.capturedAt).toBe('2024-03-09T23:10:42+01:00');
    expect(exif?.gps).toBeNull();
    expect(error).toBe(
      "Part of the photo's EXIF metadata is damaged; the readable part was kept " +
        '(the GPS location could not be read).',
    );
  });

  it('never throws on damaged EXIF bytes, and always answers in the same shape', async () => {
    const bytes = await photo();
    const app1 = findExifApp1(bytes);
    if (!app1) throw new Error('fixture has no EXIF');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: app1.tiffStart, max: app1.end - 1 }),
            fc.integer({ min: 0, max: 255 }),
          ),
          { minLength: 1, maxLength: 24 },
        ),
        async (edits) => {
          const damaged = Buffer.from(bytes);
          for (const [at, value] of edits) damaged[at] = value;
          const r = await readExif(damaged);
          expect(r.error === null || typeof r.error === 'string').toBe(true);
          if (r.exif) expectJsonSafe(r.exif);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readExif on files without EXIF', () => {
  it('returns no EXIF and no error for a screenshot, text, PDF, noise or nothing', async () => {
    for (const path of [
      fx.screenshotPng,
      fx.plainJpeg,
      fx.text,
      fx.pdf,
      fx.randomBytes,
      fx.empty,
    ]) {
      expect(await readExif(await readFile(path))).toEqual({ exif: null, error: null });
    }
  });

  it('does not throw on a truncated or corrupt image', async () => {
    for (const path of [fx.truncatedPng, fx.corruptIdatPng, fx.bombPng]) {
      const r = await readExif(await readFile(path));
      expect(r.exif).toBeNull();
    }
  });
});

describe('captureTime', () => {
  it('turns EXIF date strings into ISO 8601 by hand', () => {
    expect(captureTime('2024:03:09 23:10:42', '-05:00')).toEqual({
      iso: '2024-03-09T23:10:42-05:00',
      hasZone: true,
    });
    expect(captureTime('2024:03:09 23:10:42', undefined)).toEqual({
      iso: '2024-03-09T23:10:42',
      hasZone: false,
    });
    // Trailing NUL padding, as some cameras write.
    expect(captureTime('2024:03:09 23:10:42\0', '+00:00').iso).toBe('2024-03-09T23:10:42+00:00');
  });

  it('treats blank, zeroed and impossible dates as unknown', () => {
    for (const bad of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '2023:02:29 10:00:00',
      '2024:13:01 10:00:00',
      '2024:03:09 24:00:00',
      'yesterday',
      42,
      null,
    ]) {
      expect(captureTime(bad, '+01:00')).toEqual({ iso: null, hasZone: false });
    }
  });

  it('ignores a malformed offset rather than inventing a zone', () => {
    expect(captureTime('2024:03:09 23:10:42', '+1:00')).toEqual({
      iso: '2024-03-09T23:10:42',
      hasZone: false,
    });
    expect(captureTime('2024:03:09 23:10:42', '+25:00').hasZone).toBe(false);
  });
});
