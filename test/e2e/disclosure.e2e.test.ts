/**
 * Issue 15, the export for disclosure, in Debian's Chromium through the bridge and the real
 * core: a screenshot is redacted with two boxes (typed by numbers), each with its reason; the
 * GPS photo's location warning makes a copy without location; the wizard's "Export for
 * disclosure" says, before writing, that the located photo goes out as its copy without
 * location; the bundle's viewer, opened from the disk, shows the copies as the exhibits, each
 * marked, and the redaction schedule with the originals' SHA-256, and no coordinate anywhere.
 * axe finds no violation in the wizard's step or in the viewer.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  startExport,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason() ?? missingTools(['exiftool']);
const title = skip
  ? `the export for disclosure — SKIPPED: ${skip}`
  : 'the export for disclosure: copies for originals, and the redaction schedule (Chromium, bridge)';
if (skip) console.warn(title);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

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

  const itemTitle = (name: string) => page.getByRole('heading', { name, level: 1, exact: true });
  const axe = async (include: string, where: string, on: Page = page) => {
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page: on }).include(include).analyze();
    expect(
      result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`),
      where,
    ).toEqual([]);
  };

  it('redacts, strips the location, exports for disclosure, and the viewer shows the copies and the schedule', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const src = join(await tempDir(), 'src');
    await mkdir(src);
    await makeExifJpeg(join(src, 'doorstep.jpg'));
    await writeFile(join(src, 'screenshot.png'), await makeScreenshotPng(390, 844));
    const originals = {
      shot: sha256(await readFile(join(src, 'screenshot.png'))),
      photo: sha256(await readFile(join(src, 'doorstep.jpg'))),
    };
    await page
      .getByTestId('file-input')
      .setInputFiles([join(src, 'doorstep.jpg'), join(src, 'screenshot.png')]);
    await page.getByRole('button', { name: /^screenshot\.png/ }).waitFor({ timeout: 45_000 });
    await page.getByRole('button', { name: /^doorstep\.jpg/ }).waitFor({ timeout: 45_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    // The screenshot: two boxes typed by numbers, each with its reason.
    await page.getByRole('button', { name: /^screenshot\.png/ }).click();
    await itemTitle('screenshot.png').waitFor();
    await page
      .getByRole('region', { name: 'Copies for disclosure' })
      .getByRole('button', { name: 'Make a redacted copy' })
      .click();
    const panel = page.getByRole('region', { name: 'Make a redacted copy' });
    await panel.waitFor();
    const box = async (n: number, numbers: string[], reason: string) => {
      await panel.getByRole('button', { name: 'Add a box by numbers' }).click();
      await panel.getByLabel('From the left (%)').waitFor();
      for (const [i, v] of numbers.entries()) {
        if (i) await page.keyboard.press('Tab');
        await page.keyboard.type(v);
      }
      await page.keyboard.press('Enter');
      const why = panel.getByLabel(`Why is box ${n} covered?`);
      await why.waitFor();
      await why.selectOption(reason);
    };
    await box(1, ['10', '5', '50', '10'], 'address');
    await box(2, ['5', '60', '50', '10'], 'children');
    await panel.getByRole('button', { name: 'Preview the copy' }).click();
    const check = page.getByRole('region', { name: 'Check the redacted copy' });
    await check.waitFor();
    await check.getByRole('button', { name: 'Save the redacted copy' }).click();
    await itemTitle('screenshot (redacted).png').waitFor({ timeout: 45_000 });
    await page.getByRole('button', { name: 'Back to library' }).first().click();

    // The photo: a copy without location, from its location warning.
    await page.getByRole('button', { name: /^doorstep\.jpg/ }).click();
    await itemTitle('doorstep.jpg').waitFor();
    await page
      .getByRole('group', { name: 'Sensitive: location' })
      .getByRole('button', { name: 'Make a copy without location' })
      .click();
    await page
      .getByRole('group', { name: 'Make a copy without location' })
      .getByRole('button', { name: 'Make the copy' })
      .click();
    await itemTitle('doorstep (without location).jpg').waitFor({ timeout: 45_000 });
    await page.getByRole('button', { name: 'Back to library' }).first().click();

    // The wizard: everything, for disclosure.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Export', exact: true })
      .click();
    await page.getByLabel('Everything').check();
    await page.getByLabel('Export for disclosure').check();
    expect(await page.locator('#kind-disclosure-hint').innerText()).toContain(
      'Its original is withheld',
    );
    await axe('.wizard-body', 'the wizard’s first step, for disclosure');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Case name').fill('Doorstep');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();
    // The location warning, before anything is written: the photo goes out as its copy.
    const located = page.locator('#location-by-copies');
    await located.waitFor({ timeout: 45_000 });
    const said = (await located.innerText()).replace(/\s+/g, ' ');
    expect(said).toContain(
      '1 photo records where it was taken (GPS). For disclosure it goes out as a copy that holds no location, and the original is withheld:',
    );
    expect(said).toMatch(/JD\d doorstep \(without location\)\.jpg/);
    // No item left records one, so there is nothing else to choose.
    expect(await page.locator('#located-items').count()).toBe(0);
    expect(await page.locator('#export-disclosure-summary').innerText()).toContain(
      'For disclosure',
    );
    await axe('.wizard-body', 'the wizard’s last step, for disclosure');

    const out = await tempDir();
    await startExport(page, out);
    expect(await page.locator('#export-disclosure-result').innerText()).toContain(
      '2 originals are withheld, each exhibited as its copy',
    );
    const [name] = await readdir(out);
    const bag = join(out, name!);

    // The viewer, from the disk.
    const viewer = await page.context().newPage();
    await viewer.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
    const cards = viewer.locator('article.exhibit');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    const shot = viewer.locator('article.exhibit', { hasText: ': screenshot (redacted).png' });
    expect(await shot.locator('.disclosed').innerText()).toContain(
      'Redacted copy: 2 areas covered (Personal address; Children’s details)',
    );
    const photo = viewer.locator('article.exhibit', {
      hasText: ': doorstep (without location).jpg',
    });
    expect(await photo.locator('.disclosed').innerText()).toContain(
      'Copy without location: location and device details removed',
    );
    // A copy is never called the original.
    expect(await shot.locator('h4').first().innerText()).toBe(
      'The copy itself (the original is withheld)',
    );
    const schedule = viewer.getByRole('region', { name: 'Redaction schedule' });
    const listed = (await schedule.innerText()).replace(/\s+/g, ' ');
    expect(listed).toContain(originals.shot);
    expect(listed).toContain(originals.photo);
    expect(listed).toContain('Area 1: Personal address (box 10% from the left, 5% from the top');
    expect(listed).toContain('Area 2: Children’s details (box 5% from the left, 60% from the top');
    // No coordinate anywhere: not on the page, not in its data.
    const page_ = await viewer.content();
    const shown = await viewer.locator('body').innerText();
    for (const c of [
      String(PHOTO_TAGS.latitude).slice(0, 6),
      String(PHOTO_TAGS.longitude).slice(0, 6),
      '51 deg',
    ]) {
      expect(page_.includes(c), c).toBe(false);
      expect(shown.includes(c), c).toBe(false);
    }
    await axe('body', 'the disclosure bundle’s viewer', viewer);
    await viewer.close();
    expect(watch.problems).toEqual([]);
  }, 300_000);
});
