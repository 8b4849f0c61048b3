import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  examineEvidence,
  MAX_BUFFERED_EMAIL_BYTES,
  MAX_BUFFERED_IMAGE_BYTES,
  MAX_BUFFERED_TEXT_BYTES,
  SNIFF_HEAD_BYTES,
  shouldBuffer,
  sniffMime,
} from '../../../main/core/evidence';
import type { EvidenceFacts } from '../../../main/core/evidence';
import { makeEvidenceFixtures } from '../../fixtures/evidence';

const dir = await mkdtemp(join(tmpdir(), 'dossier-examine-'));
const fx = await makeEvidenceFixtures(dir);
afterAll(() => rm(dir, { recursive: true, force: true }));
const noExiftool = fx.exifJpeg === null;
if (noExiftool) console.warn(`SKIPPED EXIF photo tests: ${fx.skipped.join('; ')}`);

/** What the ingest code does: sniff the head, buffer images under the cap, examine. */
async function ingest(path: string, name = 'evidence'): Promise<EvidenceFacts> {
  const bytes = await readFile(path);
  const head = bytes.subarray(0, SNIFF_HEAD_BYTES);
  const sniffed = await sniffMime(head, name);
  return examineEvidence({
    head,
    bytes: shouldBuffer(sniffed.mime, bytes.length) ? bytes : null,
    name,
    size: bytes.length,
    sniffed,
  });
}

describe('examineEvidence', () => {
  it('describes a phone screenshot: type, size, preview, no problems', async () => {
    const f = await ingest(fx.screenshotPng, 'IMG_0042.PNG');
    expect(f.mime).toBe('image/png');
    expect(f.image).toEqual({ width: 1170, height: 2532, format: 'png' });
    expect(f.thumbnail?.height).toBe(512);
    expect((await sharp(f.thumbnail?.jpeg).metadata()).format).toBe('jpeg');
    expect(f.exif).toBeNull();
    expect(f.sensitive).toEqual([]);
    expect(f.errors).toEqual([]);
  });

  it.skipIf(noExiftool)(
    'reads a photo’s EXIF and flags its GPS position as sensitive',
    async () => {
      const f = await ingest(fx.exifJpeg ?? '', 'photo.jpg');
      expect(f.errors).toEqual([]);
      expect(f.sensitive).toEqual(['gps']);
      expect(f.exif?.capturedAt).toBe('2024-03-09T23:10:42+01:00');
      expect(f.exif?.device).toBe('Google Pixel 8');
      expect(f.exif?.gps).not.toBeNull();
      // Orientation 6: the upright photo is portrait.
      expect(f.image).toEqual({ width: 480, height: 640, format: 'jpeg' });
      expect([f.thumbnail?.width, f.thumbnail?.height]).toEqual([384, 512]);
    },
  );

  it.skipIf(noExiftool)('still makes a preview when only the EXIF is damaged', async () => {
    const f = await ingest(fx.corruptExifJpeg ?? '');
    expect(f.exif).toBeNull();
    expect(f.thumbnail).not.toBeNull();
    expect(f.image).toEqual({ width: 640, height: 480, format: 'jpeg' });
    expect(f.errors).toHaveLength(1);
    expect(f.errors[0]).toMatch(/^The photo's EXIF metadata is damaged and could not be read \(/);
  });

  it('reports a truncated and a corrupt PNG in plain words, keeping the header size', async () => {
    for (const path of [fx.truncatedPng, fx.corruptIdatPng]) {
      const f = await ingest(path);
      expect(f).toMatchObject({
        mime: 'image/png',
        image: { width: 1170, height: 2532 },
        thumbnail: null,
        errors: [
          'This PNG is truncated or damaged: it was stored as is, but no preview could be made.',
        ],
      });
    }
  });

  it('refuses a decompression bomb quickly', async () => {
    const started = performance.now();
    const f = await ingest(fx.bombPng);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(f.thumbnail).toBeNull();
    expect(f.errors).toHaveLength(1);
    expect(f.errors[0]).toMatch(/^This PNG says it is 100000 × 100000 pixels/);
  });

  it('leaves other files alone: empty, HTML, noise, PDF', async () => {
    const expected: [string, string][] = [
      [fx.empty, 'application/x-empty'],
      [fx.html, 'text/html'],
      [fx.randomBytes, 'application/octet-stream'],
      [fx.pdf, 'application/pdf'],
    ];
    for (const [path, mime] of expected) {
      expect(await ingest(path)).toEqual({
        mime,
        image: null,
        thumbnail: null,
        exif: null,
        xmpLocation: null,
        email: null,
        text: null,
        sensitive: [],
        errors: [],
      });
    }
  });

  it('reads what a text file and an email say, and when the email was sent', async () => {
    const text = await ingest(fx.text);
    expect(text).toMatchObject({ mime: 'text/plain', email: null, image: null, errors: [] });
    expect(text.text).toContain('Ref: 4471/24');
    const email = await ingest(fx.eml);
    expect(email).toMatchObject({
      mime: 'message/rfc822',
      email: { subject: 'you know what you did', sentAt: '2024-03-09T23:11:58Z' },
      errors: [],
    });
    expect(email.text).toContain('I will be waiting.');
  });

  it('ignores a hostile file name, and never repeats it in a message', async () => {
    const f = await ingest(fx.hostileNamed, fx.hostileName);
    expect(f.mime).toBe('image/png');
    expect(f.errors).toEqual([]);
    const bomb = await ingest(fx.bombPng, fx.hostileName);
    expect(bomb.errors).toHaveLength(1);
    for (const e of bomb.errors) {
      for (const piece of ['../', '\u202e', '\u0007', 'gnp']) expect(e).not.toContain(piece);
    }
  });

  it('sniffs by itself when the caller has not, and trusts the caller when it has', async () => {
    const png = await readFile(fx.screenshotPng);
    const head = png.subarray(0, SNIFF_HEAD_BYTES);
    const own = await examineEvidence({ head, bytes: png, name: 'a.txt', size: png.length });
    expect(own.mime).toBe('image/png');
    expect(own.thumbnail).not.toBeNull();
    const told = await examineEvidence({
      head,
      bytes: png,
      name: 'a',
      size: png.length,
      sniffed: { mime: 'text/plain', ext: 'txt' },
    });
    expect(told.mime).toBe('text/plain');
    expect(told.thumbnail).toBeNull();
  });

  it.skipIf(noExiftool)(
    'reads EXIF from the head of an image too big to buffer, and says why there is no preview',
    async () => {
      const bytes = await readFile(fx.exifJpeg ?? '');
      const size = MAX_BUFFERED_IMAGE_BYTES + 1;
      expect(shouldBuffer('image/jpeg', size)).toBe(false);
      const f = await examineEvidence({ head: bytes, bytes: null, name: 'big.jpg', size });
      expect(f.exif?.device).toBe('Google Pixel 8');
      expect(f.sensitive).toEqual(['gps']);
      expect(f.thumbnail).toBeNull();
      expect(f.errors).toEqual([
        'This image is larger than 256 MiB, so Dossier stored it as is without making a preview or reading its size.',
      ]);
    },
  );

  it('does not throw on inputs that make no sense', async () => {
    const f = await examineEvidence({
      head: new Uint8Array(0),
      bytes: Buffer.alloc(0),
      name: '',
      size: -1,
      sniffed: { mime: 'image/png', ext: 'png' },
    });
    expect(f.mime).toBe('image/png');
    expect(f.thumbnail).toBeNull();
  });
});

describe('shouldBuffer', () => {
  it('buffers images, emails and text up to their caps, and nothing else', () => {
    expect(shouldBuffer('image/png', 3_000_000)).toBe(true);
    expect(shouldBuffer('image/jpeg', MAX_BUFFERED_IMAGE_BYTES)).toBe(true);
    expect(shouldBuffer('image/jpeg', MAX_BUFFERED_IMAGE_BYTES + 1)).toBe(false);
    expect(shouldBuffer('image/png', 0)).toBe(false);
    expect(shouldBuffer('application/pdf', 1000)).toBe(false);
    expect(shouldBuffer('text/plain', 10)).toBe(true);
    expect(shouldBuffer('text/plain', MAX_BUFFERED_TEXT_BYTES + 1)).toBe(false);
    expect(shouldBuffer('message/rfc822', MAX_BUFFERED_EMAIL_BYTES)).toBe(true);
    expect(shouldBuffer('message/rfc822', MAX_BUFFERED_EMAIL_BYTES + 1)).toBe(false);
    expect(shouldBuffer('text/html', 10)).toBe(false);
    expect(MAX_BUFFERED_IMAGE_BYTES).toBe(256 * 1024 * 1024);
  });
});
