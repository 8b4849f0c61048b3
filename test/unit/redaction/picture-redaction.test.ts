// Redacted copies of pictures (issue 15): inside every box the fill colour, outside the
// original's pixels unchanged, no metadata at all, and bad boxes refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { boxPixels, redactPicture } from '../../../main/core/redaction/picture-redaction';
import { exiftool, makeExifJpeg, makePlainJpeg, makeScreenshotPng } from '../../fixtures/evidence';
import { missingTools, skipTitle } from '../../support/tools';

const noExiftool = missingTools(['exiftool']);
const M = 1_000_000;

async function pixels(
  png: Buffer,
): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Every pixel inside `boxes` is black and opaque; every other equals the original's. */
async function expectRedacted(
  original: Buffer,
  copy: Buffer,
  boxes: { x: number; y: number; w: number; h: number }[],
): Promise<void> {
  const a = await pixels(original);
  const b = await pixels(copy);
  expect([b.width, b.height, b.channels]).toEqual([a.width, a.height, a.channels]);
  const covered = new Uint8Array(a.width * a.height);
  for (const box of boxes) {
    const { left, top, right, bottom } = boxPixels(box, a.width, a.height);
    for (let y = top; y < bottom; y++) covered.fill(1, y * a.width + left, y * a.width + right);
  }
  let inside = 0;
  for (let i = 0; i < covered.length; i++) {
    const px = b.data.subarray(i * b.channels, (i + 1) * b.channels);
    if (covered[i]) {
      inside++;
      const colour = b.channels === 2 || b.channels === 4 ? b.channels - 1 : b.channels;
      for (let c = 0; c < colour; c++) expect(px[c]).toBe(0);
      if (colour < b.channels) expect(px[colour]).toBe(255);
    } else if (!px.equals(a.data.subarray(i * a.channels, (i + 1) * a.channels))) {
      throw new Error(`pixel ${i % a.width},${Math.floor(i / a.width)} outside the boxes changed`);
    }
  }
  expect(inside).toBeGreaterThan(0);
}

describe('redactPicture', () => {
  const boxes = [
    { x: 100_000, y: 50_000, w: 300_000, h: 100_000 },
    { x: 600_000, y: 700_000, w: 399_999, h: 300_000 },
  ];

  it('fills each box of a PNG screenshot and leaves every other pixel as it was', async () => {
    const png = await makeScreenshotPng(390, 844);
    const out = await redactPicture(png, boxes);
    expect(out.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await expectRedacted(png, out.png, boxes);
  });

  it('covers a pixel a box only partly touches (rounds outwards)', () => {
    // 10 px wide: 0.15–0.25 touches pixels 1 and 2.
    expect(boxPixels({ x: 150_000, y: 0, w: 100_000, h: M }, 10, 4)).toEqual({
      left: 1,
      top: 0,
      right: 3,
      bottom: 4,
    });
  });

  it('makes a transparent area opaque black: nothing covered shows through', async () => {
    const rgba = await sharp({
      create: {
        width: 40,
        height: 40,
        channels: 4,
        background: { r: 200, g: 10, b: 10, alpha: 0 },
      },
    })
      .png()
      .toBuffer();
    const out = await redactPicture(rgba, [{ x: 0, y: 0, w: 500_000, h: 500_000 }]);
    await expectRedacted(rgba, out.png, [{ x: 0, y: 0, w: 500_000, h: 500_000 }]);
  });

  it('refuses a box outside the picture, one with no size, or none at all, before reading', async () => {
    const png = await makeScreenshotPng(100, 200);
    await expect(redactPicture(png, [])).rejects.toThrow(/at least one box/);
    await expect(redactPicture(png, [{ x: 900_000, y: 0, w: 200_000, h: 10 }])).rejects.toThrow(
      /Box 1 cannot be used: it goes past the right edge/,
    );
    await expect(redactPicture(png, [{ x: 0, y: 0, w: 10, h: 0 }])).rejects.toThrow(/no size/);
    await expect(redactPicture(png, [{ x: 0.5, y: 0, w: 10, h: 10 }])).rejects.toThrow(
      /whole millionths/,
    );
  });

  it('refuses what is not a still picture, or is damaged', async () => {
    await expect(redactPicture(Buffer.from('not a picture'), boxes)).rejects.toThrow(
      /not a picture Dossier can redact/,
    );
    const png = await makeScreenshotPng(100, 200);
    const cut = png.subarray(0, Math.floor(png.length / 2));
    await expect(redactPicture(cut, boxes)).rejects.toThrow(/damaged|not a picture/);
    // A two-frame GIF, by hand: covering one frame would leave the other showing.
    const frame = '21F904000A000000' + '2C0000000001000100' + '00' + '0202440100';
    const two = Buffer.from(
      `474946383961010001008000000000 00FFFFFF${frame}${frame}3B`.replace(/ /g, ''),
      'hex',
    );
    await expect(redactPicture(two, boxes)).rejects.toThrow(/2 frames/);
  });
});

const title = skipTitle('redactPicture on an EXIF photo (exiftool)', noExiftool);
if (noExiftool) console.warn(title);

describe.skipIf(noExiftool !== null)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'redact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a JPEG with GPS, a comment and an orientation: boxes as shown, nothing of its metadata', async () => {
    const photo = join(dir, 'photo.jpg');
    writeFileSync(photo, await makePlainJpeg());
    await makeExifJpeg(photo);
    await exiftool([
      '-overwrite_original',
      '-Comment=MARKER-IN-COMMENT',
      '-XMP-dc:Description=MARKER-IN-XMP',
      photo,
    ]);
    const original = readFileSync(photo);
    const boxes = [{ x: 0, y: 0, w: 500_000, h: 250_000 }];
    const out = await redactPicture(original, boxes);
    // Orientation 6: the 640×480 file is shown 480 wide, 640 tall; so is the copy, as pixels.
    expect([out.width, out.height]).toEqual([480, 640]);
    await expectRedacted(original, out.png, boxes);
    const copy = join(dir, 'copy.png');
    writeFileSync(copy, out.png);
    const tags = await exiftool(['-a', '-G1', '-s', copy]);
    expect(tags).not.toMatch(
      /GPS|IFD0|ExifIFD|XMP|IPTC|Comment|Orientation|Make|Model|ICC_Profile/,
    );
    expect(tags).toMatch(/\[PNG\]\s+ImageWidth\s+: 480/);
    expect(out.png.includes('MARKER')).toBe(false);
  });
});

describe('what a redacted copy is known to be, without examining it again', () => {
  // Its preview is made after the copy is saved, as an import makes it: compared byte for
  // byte with an import's in test/integration/redaction-previews.test.ts.
  it('is what an import finds in that PNG: type, size, no metadata; the preview comes later', async () => {
    const { examineEvidence, sniffMime } = await import('../../../main/core/evidence');
    const { redactedPictureFacts } = await import('../../../main/core/redaction/picture-redaction');
    for (const source of [await makeScreenshotPng(600, 1300), await makePlainJpeg(640, 480)]) {
      const redacted = await redactPicture(source, [
        { x: 100_000, y: 100_000, w: 400_000, h: 50_000 },
      ]);
      const head = redacted.png.subarray(0, 64 * 1024);
      const examined = await examineEvidence({
        head,
        bytes: redacted.png,
        name: 'copy.png',
        size: redacted.png.length,
        sniffed: await sniffMime(head, 'copy.png'),
      });
      expect(examined.thumbnail).not.toBeNull();
      expect(redactedPictureFacts(redacted)).toEqual({ ...examined, thumbnail: null });
    }
  });
});

describe('covering in the decode pipeline (opaque colour pictures) or in the decoded pixels', () => {
  const boxes = [
    { x: 100_000, y: 50_000, w: 300_000, h: 100_000 },
    { x: 600_000, y: 700_000, w: 399_999, h: 300_000 },
  ];
  const shot = () => makeScreenshotPng(390, 844, 5);

  /** The copy as covering the decoded pixels makes it (the way every picture was covered before). */
  async function inPixels(original: Buffer): Promise<Buffer> {
    const { data, info } = await sharp(original)
      .rotate()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    for (const b of boxes) {
      const { left, top, right, bottom } = boxPixels(b, width, height);
      for (let y = top; y < bottom; y++) {
        const row = y * width * channels;
        data.fill(0, row + left * channels, row + right * channels);
        if (channels === 4) for (let x = left; x < right; x++) data[row + x * channels + 3] = 255;
      }
    }
    return sharp(data, { raw: { width, height, channels } })
      .png({ compressionLevel: 6 })
      .toBuffer();
  }

  const pictures: Array<[string, () => Promise<Buffer>, 'in-pipeline' | 'in-pixels']> = [
    [
      'an opaque RGBA screenshot',
      async () =>
        sharp(await shot())
          .ensureAlpha(1)
          .png()
          .toBuffer(),
      'in-pipeline',
    ],
    [
      'an RGB picture',
      async () =>
        sharp(await shot())
          .removeAlpha()
          .png()
          .toBuffer(),
      'in-pipeline',
    ],
    [
      'an opaque RGBA with a Display P3 profile',
      async () =>
        sharp(await shot())
          .ensureAlpha(1)
          .withIccProfile('p3')
          .png()
          .toBuffer(),
      'in-pipeline',
    ],
    [
      'a JPEG turned by its EXIF orientation',
      async () =>
        sharp(await shot())
          .removeAlpha()
          .withMetadata({ orientation: 6 })
          .jpeg()
          .toBuffer(),
      'in-pipeline',
    ],
    [
      'a grey picture',
      async () =>
        sharp(await shot())
          .toColourspace('b-w')
          .png()
          .toBuffer(),
      'in-pixels',
    ],
    [
      'a 16-bit picture',
      async () =>
        sharp(await shot())
          .removeAlpha()
          .toColourspace('rgb16')
          .png()
          .toBuffer(),
      'in-pixels',
    ],
  ];
  for (const [what, make, path] of pictures) {
    it(`${what}: covered ${path}, every pixel outside the boxes the original's, the same PNG as before`, async () => {
      const original = await make();
      const out = await redactPicture(original, boxes);
      expect(out.covered).toBe(path);
      await expectRedacted(original, out.png, boxes);
      // Byte for byte the PNG covering the decoded pixels writes: the same copy, whichever way.
      expect(out.png.equals(await inPixels(original))).toBe(true);
    });
  }

  it('a turned PNG with alpha: the pixels under the boxes as shown are the ones checked', async () => {
    const { data, info } = await sharp(await shot())
      .ensureAlpha(1)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const stored = { width: info.width, height: info.height, channels: 4 as const };
    // Orientation 6 shows the stored picture turned a quarter clockwise: upright (u, v) is
    // stored (v, height - 1 - u).
    const upright = { width: info.height, height: info.width };
    const box = boxPixels(boxes[0]!, upright.width, upright.height);
    const turned = async (u: number, v: number) => {
      const one = Buffer.from(data);
      one[((info.height - 1 - u) * info.width + v) * 4 + 3] = 254;
      const png = await sharp(one, { raw: stored })
        .withMetadata({ orientation: 6 })
        .png()
        .toBuffer();
      const shown = await sharp(png).rotate().raw().toBuffer({ resolveWithObject: true });
      expect(shown.data[(v * upright.width + u) * 4 + 3]).toBe(254); // where it is shown
      return png;
    };
    const under = await turned(box.left + 3, box.top + 1);
    const out = await redactPicture(under, boxes);
    expect(out.covered).toBe('in-pixels');
    await expectRedacted(under, out.png, boxes);
    // Just right of the box as shown: not under it, so the pipeline's copy is used.
    const beside = await turned(box.right, box.top);
    expect((await redactPicture(beside, boxes)).covered).toBe('in-pipeline');
  });

  it('one copy after another, or at once, each covers its own boxes only (the mask is reused)', async () => {
    const original = await sharp(await shot())
      .ensureAlpha(1)
      .png()
      .toBuffer();
    const other = [{ x: 0, y: 400_000, w: 1_000_000, h: 200_000 }];
    for (const b of [boxes, other, boxes]) {
      const out = await redactPicture(original, b);
      expect(out.covered).toBe('in-pipeline');
      await expectRedacted(original, out.png, b);
    }
    const [one, two] = await Promise.all([
      redactPicture(original, other),
      redactPicture(original, boxes),
    ]);
    await expectRedacted(original, one!.png, other);
    await expectRedacted(original, two!.png, boxes);
  });

  /** The test screenshot's pixels with alpha, and a PNG of them with some pixels changed. */
  async function withPixels(set: Array<[number, number[]]>) {
    const { data, info } = await sharp(await shot())
      .ensureAlpha(1)
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (const [pixel, value] of set) data.set(value, pixel * 4);
    const raw = { width: info.width, height: info.height, channels: 4 as const };
    return {
      png: await sharp(data, { raw }).png().toBuffer(),
      width: info.width,
      height: info.height,
    };
  }

  it('pixels not opaque outside the boxes: covered in the pipeline, each byte of them kept', async () => {
    // A pixel fully transparent with a colour, one half transparent (composite would change them).
    const { png: original, width } = await withPixels([
      [400 * 390 + 5, [200, 100, 50, 0]],
      [400 * 390 + 6, [201, 99, 7, 128]],
    ]);
    const out = await redactPicture(original, boxes);
    expect(out.covered).toBe('in-pipeline');
    await expectRedacted(original, out.png, boxes);
    const copy = await sharp(out.png).raw().toBuffer();
    const at = (400 * width + 5) * 4;
    expect([...copy.subarray(at, at + 8)]).toEqual([200, 100, 50, 0, 201, 99, 7, 128]);
    expect(out.png.equals(await inPixels(original))).toBe(true);
  });

  it('a pixel not opaque under a box, wherever it is, is found: covered in its pixels, the box opaque', async () => {
    const { width, height } = await withPixels([]);
    const [first, last] = boxes.map((b) => boxPixels(b, width, height));
    const under = [
      first!.top * width + first!.left, // a box's first pixel
      Math.floor((first!.top + first!.bottom) / 2) * width + first!.left + 17, // inside one
      (last!.bottom - 1) * width + last!.right - 1, // the picture's very last pixel
    ];
    for (const pixel of under) {
      const { png: original } = await withPixels([[pixel, [10, 20, 30, 254]]]);
      const out = await redactPicture(original, boxes);
      expect(out.covered, `pixel ${pixel}`).toBe('in-pixels');
      await expectRedacted(original, out.png, boxes);
    }
    // Just beside a box: not under it, so the pipeline's copy is used.
    const beside = first!.top * width + first!.left - 1;
    const { png: original } = await withPixels([[beside, [10, 20, 30, 254]]]);
    expect((await redactPicture(original, boxes)).covered).toBe('in-pipeline');
  });
});
