// Copies without location (issue 15): exiftool finds no GPS and no other metadata but the
// orientation, the image data is the original's byte for byte, and damage is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWithoutLocation } from '../../../main/core/redaction/strip-location';
import { exiftool, makeExifJpeg, makePlainJpeg } from '../../fixtures/evidence';
import { missingTools, skipTitle } from '../../support/tools';

const noExiftool = missingTools(['exiftool']);
const title = skipTitle('copies without location (exiftool)', noExiftool);
if (noExiftool) console.warn(title);

/** Tags exiftool finds, one `[Group] Name` per line, without the file system's own. */
async function tagsOf(path: string): Promise<string[]> {
  const out = await exiftool(['-a', '-G1', '-s', '-e', path]);
  return out
    .split('\n')
    .filter((l) => l.trim() && !/^\[(System|File|ExifTool|Composite)\]/.test(l))
    .map((l) => l.replace(/\s*:.*$/, '').replace(/\s+/g, ' '));
}

async function rawPixels(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).raw().toBuffer();
}

const MARKERS = ['MARKER-IN-COMMENT', 'MARKER-IN-XMP', 'MARKER-IN-TEXT', 'MARKER-AFTER-END'];

describe.skipIf(noExiftool !== null)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a JPEG loses GPS, camera, XMP, comment and trailing data; its scan is byte for byte; orientation stays', async () => {
    const path = join(dir, 'photo.jpg');
    writeFileSync(path, await makePlainJpeg());
    await makeExifJpeg(path);
    await exiftool([
      '-overwrite_original',
      '-Comment=MARKER-IN-COMMENT',
      '-XMP-dc:Description=MARKER-IN-XMP',
      path,
    ]);
    const original = Buffer.concat([readFileSync(path), Buffer.from('MARKER-AFTER-END')]);
    expect((await tagsOf(path)).join('\n')).toMatch(/GPSLatitude/);

    const copy = await copyWithoutLocation(original, 'image/jpeg');
    expect(copy).toMatchObject({ mime: 'image/jpeg', lossless: true, orientation: 6 });
    expect(copy.removed).toEqual(
      expect.arrayContaining([
        'EXIF (camera, time, GPS)',
        'XMP',
        'comment',
        '16 bytes after the end of the image',
      ]),
    );
    const out = join(dir, 'copy.jpg');
    writeFileSync(out, copy.bytes);
    expect(await tagsOf(out)).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/GPS|Make|Model|XMP|Comment|DateTime/)]),
    );
    expect((await tagsOf(out)).filter((t) => /^\[(IFD0|ExifIFD|GPS|XMP)/.test(t))).toEqual([
      '[IFD0] Orientation',
    ]);
    for (const m of MARKERS) expect(copy.bytes.includes(m)).toBe(false);
    // The compressed picture, from the first scan to the end, is the original's.
    const sos = original.indexOf(Buffer.from([0xff, 0xda]));
    const eoi = original.lastIndexOf(Buffer.from([0xff, 0xd9])) + 2;
    expect(copy.bytes.includes(original.subarray(sos, eoi))).toBe(true);
    expect((await rawPixels(copy.bytes)).equals(await rawPixels(original))).toBe(true);
  });

  it('a PNG loses its text, EXIF and time chunks; every image chunk is the original’s', async () => {
    const path = join(dir, 'shot.png');
    writeFileSync(
      path,
      await sharp({ create: { width: 30, height: 20, channels: 3, background: '#369' } })
        .png()
        .toBuffer(),
    );
    await exiftool([
      '-overwrite_original',
      '-PNG:Comment=MARKER-IN-TEXT',
      '-XMP-dc:Description=MARKER-IN-XMP',
      '-EXIF:GPSLatitude=51.5',
      '-EXIF:GPSLatitudeRef=N',
      '-EXIF:Orientation#=3',
      path,
    ]);
    const original = readFileSync(path);
    expect((await tagsOf(path)).join('\n')).toMatch(/GPS/);
    const copy = await copyWithoutLocation(original, 'image/png');
    expect(copy).toMatchObject({ mime: 'image/png', lossless: true, orientation: 3 });
    const out = join(dir, 'copy.png');
    writeFileSync(out, copy.bytes);
    const tags = await tagsOf(out);
    expect(tags.filter((t) => /GPS|XMP|Comment|IFD0/.test(t))).toEqual(['[IFD0] Orientation']);
    for (const m of MARKERS) expect(copy.bytes.includes(m)).toBe(false);
    expect((await rawPixels(copy.bytes)).equals(await rawPixels(original))).toBe(true);
  });

  it('a WebP loses EXIF and XMP, and its header says so', async () => {
    const path = join(dir, 'pic.webp');
    writeFileSync(
      path,
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#a33' } })
        .webp({ lossless: true })
        .toBuffer(),
    );
    await exiftool([
      '-overwrite_original',
      '-EXIF:GPSLatitude=51.5',
      '-EXIF:GPSLatitudeRef=N',
      '-XMP-dc:Description=MARKER-IN-XMP',
      path,
    ]);
    const original = readFileSync(path);
    expect((await tagsOf(path)).join('\n')).toMatch(/GPS/);
    const copy = await copyWithoutLocation(original, 'image/webp');
    const out = join(dir, 'copy.webp');
    writeFileSync(out, copy.bytes);
    expect((await tagsOf(out)).filter((t) => /GPS|XMP|IFD0|ExifIFD/.test(t))).toEqual([]);
    expect(copy.bytes.includes('MARKER-IN-XMP')).toBe(false);
    expect(copy.bytes.readUInt32LE(4)).toBe(copy.bytes.length - 8);
    expect((await rawPixels(copy.bytes)).equals(await rawPixels(original))).toBe(true);
  });

  it('refuses a truncated JPEG or PNG and a file that is not a picture, writing nothing', async () => {
    const jpeg = await makePlainJpeg();
    await expect(copyWithoutLocation(jpeg.subarray(0, 300), 'image/jpeg')).rejects.toThrow(
      /This JPEG is damaged/,
    );
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await expect(copyWithoutLocation(png.subarray(0, png.length - 8), 'image/png')).rejects.toThrow(
      /This PNG is damaged/,
    );
    await expect(copyWithoutLocation(Buffer.from('hello'), 'text/plain')).rejects.toThrow(
      /Only a picture/,
    );
  });
});
