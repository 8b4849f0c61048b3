// Issue 15 through the API, as the wizard calls it: export.located names the items of a choice
// that record where they were taken (GPS), with the labels the export will give them, writing
// nothing; export.create refuses such a choice without `location` (NEEDS_CHOICE) before
// anything is written, and takes "withheld" or "included".
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';

const noTools = missingTools(['exiftool']);

describe.skipIf(noTools !== null)(
  skipTitle('export.located and export.create’s location', noTools),
  async () => {
    const { service, vault, call } = await newService();
    afterAll(() => service.lock());
    const src = join(await tempDir(), 'src');
    await mkdir(src);
    await makeExifJpeg(join(src, 'doorstep.jpg'));
    await writeFile(join(src, 'screenshot.png'), await makeScreenshotPng(200, 400));
    await vault.add([src]);
    const byName = new Map(vault.list().map((i) => [i.name, i.id]));

    it('lists the located items with their labels, writing nothing to the log', async () => {
      const before = vault.log().length;
      const all = await ok<{ items: { itemId: string; number: string; name: string }[] }>(
        call('export.located', { selection: { all: true }, exhibitPrefix: 'AB' }),
      );
      expect(all.items).toEqual([
        {
          itemId: byName.get('doorstep.jpg'),
          number: expect.stringMatching(/^AB\d$/),
          name: 'doorstep.jpg',
        },
      ]);
      const none = await ok<{ items: unknown[] }>(
        call('export.located', { selection: { itemIds: [byName.get('screenshot.png')!] } }),
      );
      expect(none.items).toEqual([]);
      expect(vault.log()).toHaveLength(before);
    });

    it('refuses to export located items without a choice, before writing anything', async () => {
      const out = await tempDir();
      const refused = await failure(
        call('export.create', { out, format: 'dir', selection: { all: true } }),
      );
      expect(refused.code).toBe('NEEDS_CHOICE');
      expect(refused.message).toContain('1 item records where it was taken (GPS)');
      expect(refused.message).toContain('Nothing was exported');
      expect(await readdir(out)).toEqual([]);
      expect(vault.log().filter((e) => e.action === 'export')).toHaveLength(0);
      const odd = await failure(
        call('export.create', { out, format: 'dir', selection: { all: true }, location: 'maybe' }),
      );
      expect(odd.code).toBe('USAGE');
    });

    it('takes either choice, and says which in the result', async () => {
      for (const choice of ['withheld', 'included'] as const) {
        const out = await tempDir();
        const made = await ok<{ path: string; location: { items: number; choice: string } }>(
          call('export.create', { out, format: 'dir', selection: { all: true }, location: choice }),
        );
        expect(made.location).toEqual({ items: 1, choice });
        const items = JSON.parse(
          await readFile(join(made.path, 'data/metadata/items.json'), 'utf8'),
        ) as { originalName: string; exif: Record<string, unknown> | null }[];
        const photo = items.find((i) => i.originalName === 'doorstep.jpg')!;
        expect('GPSLatitude' in photo.exif!).toBe(choice === 'included');
      }
    });
  },
);
