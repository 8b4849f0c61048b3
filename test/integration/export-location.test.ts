// Issue 15, "Location warning in every export": a photo with GPS coordinates (made with
// exiftool) is exported. `dossier export` names it and stops before writing unless told
// --withhold-location or --include-location. Withheld, none of the coordinates' digits are in
// any file Dossier writes about the items (metadata, report, court bundle, viewer); the places
// that would show them say "Location withheld by the exporter"; the original file is unchanged
// (it still holds its GPS). Included, the same search finds them. The custody log's export
// entry records the choice, and `dossier verify` passes on both bundles.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import type { Io } from '../../main/cli/commands';
import { Vault } from '../../main/core/vault/vault';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { custodyEntryText } from '../../shared/custody-wording';
import { exiftool, makeExifJpeg, makeScreenshotPng, PHOTO_TAGS } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE, sha256 } from '../support/vault';

const noTools = missingTools(['exiftool', 'pdftotext', 'pdfimages']);

/** Every file of a bundle folder but the originals, as text (PDFs as pdftotext reads them). */
async function bundleText(bag: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(bag, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    const rel = relative(bag, path);
    if (rel.startsWith('data/evidence/')) continue;
    out.set(rel, (await readFile(path)).toString('latin1'));
    if (rel.endsWith('.pdf')) {
      const text = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      out.set(`${rel} (text)`, text.stdout.replace(/\s+/g, ' '));
    }
  }
  return out;
}

/**
 * The digit strings of the photo's position as the vault holds it: the decimal degrees, and
 * each latitude and longitude number exiftool wrote into the EXIF (degrees, minutes, seconds)
 * that has a fractional part or more than two digits (small whole numbers occur everywhere).
 */
function coordinateDigits(tags: Record<string, unknown>): string[] {
  const digits = new Set<string>([
    String(PHOTO_TAGS.latitude),
    String(Math.abs(PHOTO_TAGS.longitude)),
    String(PHOTO_TAGS.latitude).slice(0, 6),
    String(Math.abs(PHOTO_TAGS.longitude)).slice(0, 6),
  ]);
  for (const [k, v] of Object.entries(tags)) {
    if (!/^GPS(Latitude|Longitude)$/.test(k)) continue;
    for (const n of [v].flat())
      if (typeof n === 'number' && (!Number.isInteger(n) || Math.abs(n) >= 100))
        digits.add(String(n));
  }
  return [...digits];
}

function found(files: Map<string, string>, digits: readonly string[]): string[] {
  const hits: string[] = [];
  for (const [name, text] of files)
    for (const d of digits) if (text.includes(d)) hits.push(`${d} in ${name}`);
  return hits;
}

describe(skipTitle('the location a photo records, in an export', noTools), () => {
  const saved = process.env.DOSSIER_PASSPHRASE;
  let root: string;
  let vaultDir: string;
  let photoPath: string;
  let photoId: string;
  let digits: string[];

  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      data: async () => undefined,
    };
    const code = await main(['export', '--vault', vaultDir, ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  const exportEntries = async () => {
    const vault = await Vault.unlock(vaultDir, PASSPHRASE);
    try {
      return vault.custody.entriesWith(['export']);
    } finally {
      await vault.lock();
    }
  };

  beforeAll(async () => {
    if (noTools) return;
    process.env.DOSSIER_PASSPHRASE = PASSPHRASE;
    root = await tempDir();
    const src = join(root, 'src');
    await mkdir(src);
    photoPath = join(src, 'doorstep.jpg');
    await makeExifJpeg(photoPath);
    await writeFile(join(src, 'screenshot.png'), await makeScreenshotPng(400, 800));
    vaultDir = join(root, 'vault');
    const { vault } = await newVault(vaultDir);
    await vault.add([src]);
    const photo = vault.items.list().find((i) => i.name === 'doorstep.jpg')!;
    photoId = photo.id;
    // A note and a region mark on the photo: annotations.json and the PDFs carry them too.
    vault.addNote(photoId, 'Left on my doorstep');
    const detail = vault.items.get(photoId);
    const tags = (detail.metadata as { exif: { tags: Record<string, unknown> } }).exif.tags;
    digits = coordinateDigits(tags);
    await vault.lock();
  }, 60_000);

  afterAll(() => {
    if (saved === undefined) delete process.env.DOSSIER_PASSPHRASE;
    else process.env.DOSSIER_PASSPHRASE = saved;
  });

  it.skipIf(noTools !== null)(
    'without a choice, names the located item and stops before writing anything',
    async () => {
      const out = join(root, 'refused');
      await mkdir(out);
      const r = await run(['--out', out, '--all']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('Location: 1 item records where it was taken (GPS):');
      expect(r.err).toMatch(/^ {2}EX1 +doorstep\.jpg$/m);
      expect(r.err).not.toContain('screenshot.png');
      expect(r.err).toContain('--withhold-location');
      expect(r.err).toContain('--include-location');
      expect(r.err).toContain('Nothing was exported');
      expect(await readdir(out)).toEqual([]);
      expect(await exportEntries()).toHaveLength(0);

      const both = await run(['--out', out, '--all', '--withhold-location', '--include-location']);
      expect(both.code).toBe(2);
      expect(both.err).toContain('not both');
      expect(await readdir(out)).toEqual([]);
    },
    60_000,
  );

  it.skipIf(noTools !== null)(
    'withheld: no coordinate digits anywhere in the bundle but the original, which is unchanged',
    async () => {
      expect(digits.length).toBeGreaterThan(4);
      const out = join(root, 'withheld');
      await mkdir(out);
      const r = await run(['--out', out, '--all', '--withhold-location', '--exhibit-prefix', 'JD']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain('Their location is withheld');
      const [name] = await readdir(out);
      const bag = join(out, name!);

      const files = await bundleText(bag);
      expect(found(files, digits)).toEqual([]);

      // Nor in the pictures Dossier made from the photo: the viewer's preview and the PDFs'.
      const pictures = join(root, 'pictures-withheld');
      await mkdir(pictures);
      const previews = files.get('data/viewer/index.html')!.match(/\/9j\/[A-Za-z0-9+/=]+/g) ?? [];
      expect(previews.length).toBeGreaterThan(0);
      for (const [i, b64] of previews.entries())
        await writeFile(join(pictures, `preview-${i}.jpg`), Buffer.from(b64, 'base64'));
      for (const pdf of ['report', 'bundle'])
        spawnSync('pdfimages', ['-all', join(bag, `data/report/${pdf}.pdf`), join(pictures, pdf)]);
      const made = await readdir(pictures);
      expect(made.some((f) => f.startsWith('bundle'))).toBe(true);
      const gps = await exiftool(['-q', '-q', '-s3', '-GPSLatitude', '-GPSLongitude', pictures]);
      expect(gps.trim()).toBe('');

      // The places that would show the location say it was withheld.
      const items = JSON.parse(files.get('data/metadata/items.json')!) as {
        originalName: string;
        location: string | null;
        exif: Record<string, unknown> | null;
        bagPath: string;
        sensitive: string[];
      }[];
      const photo = items.find((i) => i.originalName === 'doorstep.jpg')!;
      expect(photo.location).toBe('withheld');
      expect(photo.sensitive).toEqual(['gps']);
      expect(Object.keys(photo.exif!).filter((k) => /gps|latitude|longitude/i.test(k))).toEqual([]);
      expect(photo.exif!.Make).toBe(PHOTO_TAGS.make); // only the location is left out
      expect(items.find((i) => i.originalName === 'screenshot.png')!.location).toBeNull();
      expect(files.get('data/metadata/items.csv')).toContain('Location withheld by the exporter');
      expect(files.get('data/report/report.pdf (text)')).toContain(
        'Location withheld by the exporter',
      );
      expect(files.get('data/report/bundle.pdf (text)')).toContain(
        'Location withheld by the exporter',
      );
      expect(files.get('data/viewer/index.html')).toContain('"locationWithheld":true');

      // The original is the evidence: byte for byte what was imported, GPS and all.
      const original = await readFile(join(bag, photo.bagPath));
      expect(sha256(original)).toBe(sha256(await readFile(photoPath)));
      expect(await exiftool(['-s3', '-GPSLatitude#', join(bag, photo.bagPath)])).toMatch(/^51\.5/);

      // VERIFY.txt tells the recipient, in its 80 columns, that the originals keep theirs.
      const verify = files.get('VERIFY.txt')!;
      expect(verify).toContain('LOCATION IN PHOTOS');
      expect(verify).toContain('chose to withhold that location');
      expect(verify).toContain('so they still hold their own location');
      expect(verify.split('\n').filter((l) => l.length > 80)).toEqual([]);

      expect((await verifyBundle(bag)).ok).toBe(true);
      const entry = (await exportEntries()).at(-1)!;
      expect(entry.details.location).toBe('withheld');
      expect(entry.details.locatedItems).toBe(1);
      expect(custodyEntryText(entry)).toContain(
        '1 of them records where it was taken: the location was withheld by the exporter',
      );
    },
    120_000,
  );

  it.skipIf(noTools !== null)(
    'included: the coordinates are printed, and the choice is in the custody log',
    async () => {
      const out = join(root, 'included');
      await mkdir(out);
      const r = await run(['--out', out, '--all', '--include-location', '--json']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).location).toEqual({ items: 1, choice: 'included' });
      const [name] = await readdir(out);
      const bag = join(out, name!);
      const files = await bundleText(bag);
      // The same search that found nothing above finds them now.
      expect(found(files, digits).some((h) => h.endsWith('in data/metadata/items.json'))).toBe(
        true,
      );
      const items = JSON.parse(files.get('data/metadata/items.json')!) as {
        originalName: string;
        location: string | null;
        exif: Record<string, unknown>;
      }[];
      const photo = items.find((i) => i.originalName === 'doorstep.jpg')!;
      expect(photo.location).toBe('included');
      expect(photo.exif.GPSLatitude).toBeDefined();
      expect(files.get('data/viewer/index.html')).toContain('GPSLatitude');
      expect(files.get('data/report/report.pdf (text)')).toContain('Included by the exporter');

      expect((await verifyBundle(bag)).ok).toBe(true);
      const entry = (await exportEntries()).at(-1)!;
      expect(entry.details.location).toBe('included');
      expect(entry.details.locatedItems).toBe(1);
      expect(custodyEntryText(entry)).toContain('the exporter chose to include the location');
    },
    120_000,
  );

  it.skipIf(noTools !== null)(
    'an export with no located item needs no choice, and says so in its entry',
    async () => {
      const out = join(root, 'none');
      await mkdir(out);
      const vault = await Vault.unlock(vaultDir, PASSPHRASE);
      const other = vault.items.list().find((i) => i.name === 'screenshot.png')!.id;
      await vault.lock();
      const r = await run(['--out', out, '--item', other]);
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toContain('Location');
      const [name] = await readdir(out);
      expect(await readFile(join(out, name!, 'VERIFY.txt'), 'utf8')).not.toContain('LOCATION');
      const entry = (await exportEntries()).at(-1)!;
      expect(entry.details.locatedItems).toBe(0);
      expect(entry.details.location).toBeUndefined();
    },
    120_000,
  );
});
