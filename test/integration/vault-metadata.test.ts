import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEvidenceFixtures, PHOTO_TAGS } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

/** The whole fixture set through a real import: every file is stored, problems are recorded per file. */
describe('ingest of the evidence fixtures', async () => {
  const root = await tempDir();
  const fx = await makeEvidenceFixtures(join(root, 'fixtures'));
  const { vault } = await newVault(join(root, 'vault'));
  const report = await vault.add([fx.dir]);
  const byName = new Map(vault.list().map((i) => [i.name, vault.item(i.id)]));
  const named = (path: string) => byName.get(path.slice(fx.dir.length + 1))!;

  it('stores every file, however damaged, and fails none', () => {
    expect(report.failed).toBe(0);
    // The hostile-named file repeats another fixture's bytes: linked as a duplicate.
    expect(report.duplicates).toBe(1);
    expect(report.added + report.duplicates).toBe(report.results.length);
  });

  it.skipIf(fx.exifJpeg === null)(
    'keeps EXIF capture time apart from file and import times, and flags GPS (needs exiftool)',
    () => {
      const photo = named(fx.exifJpeg!);
      expect(photo.mime).toBe('image/jpeg');
      expect(photo.sourceTimes.exif).toBe('2024-03-09T23:10:42+01:00');
      expect(photo.sourceTimes.mtime).not.toBe(photo.sourceTimes.exif);
      expect(photo.sensitive).toContain('gps');
      expect(photo.metadata).toMatchObject({
        exif: { device: `${PHOTO_TAGS.make} ${PHOTO_TAGS.model}` },
      });
      // Orientation 6: stored dimensions are as displayed (rotated).
      expect(photo.height).toBeGreaterThan(photo.width!);
      const noZone = named(fx.exifJpegNoOffset!);
      expect(noZone.sourceTimes.exif).toBe('2024-03-09T23:10:42');
    },
  );

  it.skipIf(fx.corruptExifJpeg === null)(
    'stores a photo with damaged EXIF and records the problem (needs exiftool)',
    () => {
      const photo = named(fx.corruptExifJpeg!);
      expect(photo.metadataErrors.join(' ')).toMatch(/EXIF/);
      expect(photo.thumbnail).not.toBeNull();
    },
  );

  it('stores truncated and corrupt images with a plain explanation and no preview', () => {
    for (const path of [fx.truncatedPng, fx.corruptIdatPng, fx.bombPng]) {
      const item = named(path);
      expect(item.mime).toBe('image/png');
      expect(item.metadataErrors.length).toBeGreaterThan(0);
      expect(item.thumbnail).toBeNull();
    }
  });

  it('sniffs types from bytes and keeps hostile names exactly', () => {
    expect(named(fx.pdf).mime).toBe('application/pdf');
    expect(named(fx.eml).mime).toBe('message/rfc822');
    expect(named(fx.randomBytes).mime).toBe('application/octet-stream');
    // The hostile-named file holds the same bytes as another fixture: it is recorded as a source.
    const hostileBase = fx.hostileNamed.slice(fx.dir.length + 1);
    const holder = [...byName.values()].find((i) => i.sources.some((s) => s.name === hostileBase));
    expect(holder?.sources.map((s) => s.name)).toContain(hostileBase);
  });

  it('reads when an email was sent and what it and a text file say, for search', () => {
    const email = named(fx.eml);
    expect(email.sourceTimes.email).toBe('2024-03-09T23:11:58Z');
    expect(email.sourceTime).toBe('2024-03-09T23:11:58Z');
    expect(email.metadata).toMatchObject({
      email: { from: 'Anon <anon@example.net>', subject: 'you know what you did' },
    });
    expect(vault.items.search('waiting')).toEqual([email.id]);
    expect(vault.items.search('anon@example.net')).toContain(email.id);
    const text = named(fx.text);
    expect(vault.items.search('4471')).toEqual([text.id]);
    expect(vault.items.search('naive')).toEqual([text.id]);
  });

  it('passes the integrity check afterwards', async () => {
    expect((await vault.check()).ok).toBe(true);
    await vault.lock();
  });
});
