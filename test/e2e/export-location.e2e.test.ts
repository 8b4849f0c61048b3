/**
 * Issue 15, "Location warning in every export": in Debian's Chromium through the bridge and the
 * real core, a photo with GPS coordinates (made with exiftool) and a screenshot are imported.
 * The wizard's last step names the photo as recording where it was taken before anything is
 * written, and offers to leave the location out (chosen already) or include it; axe finds no
 * violation there. Exporting with the default writes a bundle whose metadata and viewer hold no
 * coordinate, and whose viewer, opened from the disk, says "Location withheld by the exporter".
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExifJpeg, makeScreenshotPng, PHOTO_TAGS } from '../fixtures/evidence';
import { missingTools } from '../support/tools';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  startExport,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason() ?? missingTools(['exiftool']);
const title = skip
  ? `the wizard warns of photos' location — SKIPPED: ${skip}`
  : 'the wizard warns of photos’ location and withholds it by default (Chromium, bridge)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium({ viewport: { width: 1280, height: 900 } });
    ({ app, page, watch } = started);
  });
  afterAll(() => closeAppInChromium(started));

  it('names the located photo before exporting, and the default withholds its location', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const src = join(await tempDir(), 'src');
    await mkdir(src);
    await makeExifJpeg(join(src, 'doorstep.jpg'));
    await writeFile(join(src, 'screenshot.png'), await makeScreenshotPng(300, 600));
    await page
      .getByTestId('file-input')
      .setInputFiles([join(src, 'doorstep.jpg'), join(src, 'screenshot.png')]);
    await page.getByRole('button', { name: /^screenshot\.png/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^doorstep\.jpg/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    const out = await tempDir();
    await openExportWizard(page, 'Doorstep');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();

    // Said before anything is written: how many, and which.
    const warning = page.locator('#location-warning');
    await warning.waitFor({ timeout: 30_000 });
    const text = (await warning.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('1 item records where it was taken (GPS):');
    expect(await page.locator('#located-items li').allInnerTexts()).toEqual(['JD1 doorstep.jpg']);
    expect(text).not.toContain('screenshot.png');
    const withhold = page.getByLabel('Leave the location out (recommended)');
    expect(await withhold.isChecked()).toBe(true);
    expect(await page.getByLabel('Include the location').isChecked()).toBe(false);
    expect(await page.locator('#location-originals').innerText()).toContain(
      'the original files are exported unchanged',
    );
    expect(await page.locator('#export-location-summary').innerText()).toContain(
      'left out of the bundle',
    );
    expect(await readdir(out)).toEqual([]);

    // The changed step, every rule and impact.
    const { AxeBuilder } = await import('@axe-core/playwright');
    const axe = await new AxeBuilder({ page }).include('.wizard-body').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await startExport(page, out);
    expect(await page.locator('#export-location-result').innerText()).toContain(
      '1 exhibit records where it was taken: the location was left out',
    );
    const [name] = await readdir(out);
    const bag = join(out, name!);
    const items = JSON.parse(await readFile(join(bag, 'data/metadata/items.json'), 'utf8')) as {
      originalName: string;
      location: string | null;
      exif: Record<string, unknown> | null;
    }[];
    const photo = items.find((i) => i.originalName === 'doorstep.jpg')!;
    expect(photo.location).toBe('withheld');
    expect(Object.keys(photo.exif ?? {}).filter((k) => /gps/i.test(k))).toEqual([]);
    // No coordinate in any file but the originals (the decimal degrees and the seconds).
    const coordinates = [String(PHOTO_TAGS.latitude).slice(0, 6), '2.6244'];
    for (const e of await readdir(bag, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const rel = relative(bag, join(e.parentPath, e.name));
      if (rel.startsWith('data/evidence/') || rel.endsWith('.pdf')) continue;
      const body = await readFile(join(bag, rel), 'latin1');
      for (const c of coordinates) expect(body.includes(c), `${c} in ${rel}`).toBe(false);
    }

    // The bundle's viewer, from the disk, says the location was withheld where it would be.
    const viewer = await page.context().newPage();
    await viewer.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
    const card = viewer.locator('article.exhibit', { hasText: ': doorstep.jpg' });
    await card.waitFor();
    const said = await card.innerText();
    expect(said).toContain('Location withheld by the exporter.');
    expect(said).toContain('still holds its own location');
    expect(await card.getByRole('button', { name: 'Show location' }).count()).toBe(0);
    await viewer.close();
    expect(watch.problems).toEqual([]);
  }, 240_000);
});
