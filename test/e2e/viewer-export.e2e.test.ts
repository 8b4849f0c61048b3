/**
 * The viewer of a real export, in Debian's Chromium from file://: a vault with a phone
 * screenshot marked with a region, a photo with GPS, an HTML email with a tracking pixel and
 * ten more pictures is exported with the vault's own pipeline, and the bundle's
 * data/viewer/index.html shows the evidence itself once the bundle folder is chosen.
 * test/e2e/viewer.e2e.test.ts covers the page in detail on a hand-made model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExifJpeg, makeScreenshotPng, PHOTO_TAGS } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault } from '../support/vault';
import { launchChromium } from '../support/web-app';

const missing = missingTools(['chromium', 'exiftool']);
const title = skipTitle('the viewer of a real export shows the evidence', missing);
if (missing) console.warn(title);

const EMAIL = [
  'From: Anonymous <anon@example.com>',
  'To: jane@example.com',
  'Date: Mon, 02 Mar 2026 21:14:00 +0000',
  'Subject: Your children',
  'Message-ID: <m1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Your children should be taken into care.</p>',
  '<img src="http://tracker.example/open.gif"><script>alert(1)</script>',
  '',
].join('\r\n');

describe.skipIf(missing !== null)(title, () => {
  let browser: Browser;
  let page: Page;
  let bag: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const root = await tempDir('dossier-viewer-export-');
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a-screenshot.png'), await makeScreenshotPng(1170, 2532, 3));
    await makeExifJpeg(join(src, 'b-photo.jpg'));
    await writeFile(join(src, 'c-message.eml'), EMAIL);
    for (let i = 0; i < 10; i++) {
      await writeFile(join(src, `d-${i}.png`), await makeScreenshotPng(120 + i, 260, 20 + i));
    }
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([src]);
    const shot = vault.list().find((i) => i.name === 'a-screenshot.png')!;
    vault.addRegion(shot.id, { x: 0.1, y: 0.25, w: 0.5, h: 0.125 }, 'This line is the threat');
    const out = join(root, 'out');
    await mkdir(out);
    const result = await vault.export({
      out,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
      caseName: 'R v Unknown',
      exporter: 'Jane Doe',
      // The photo's location, printed by choice, stays hidden until "Show location".
      location: 'included',
    });
    await vault.lock();
    bag = result.path;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    context.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page = await context.newPage();
    await page.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const card = (name: string) => page.locator('article.exhibit', { hasText: `: ${name}` });

  it('lists the exhibits with their labels in number order', async () => {
    const labels = await page
      .locator('article.exhibit')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
    expect(labels).toEqual(Array.from({ length: 13 }, (_, i) => `JD${i + 1}`));
  });

  it('once the folder is chosen, shows each original: the screenshot with its mark, the email as text', async () => {
    await page.locator('#pick').setInputFiles(bag);
    await page.locator('#verdict .verdict').waitFor({ timeout: 60_000 });
    expect(await page.locator('#verdict h3').textContent()).toMatch(/^✓ All \d+ files match$/);

    const shot = card('a-screenshot.png');
    const img = shot.locator('.original img.original-img');
    await img.scrollIntoViewIfNeeded();
    await expect
      .poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 15_000,
      })
      .toBe(1170);
    expect(await shot.locator('.original .mark').count()).toBe(1);
    expect(await shot.locator('.regions').textContent()).toContain(
      'Region 1: This line is the threat',
    );
    const href = await shot
      .getByRole('link', { name: 'Open the file itself' })
      .getAttribute('href');
    expect(href).toMatch(/^\.\.\/evidence\/JD-0\d\d_a-screenshot\.png$/);

    const mail = card('c-message.eml').locator('.original');
    await mail.locator('pre.email-body').waitFor();
    expect(await mail.locator('pre.email-body').textContent()).toBe(
      'Your children should be taken into care.\n\n[picture on the internet, not loaded]',
    );
    expect(await mail.textContent()).toContain('Your children');
    expect(await mail.locator('img').count()).toBe(0);
  });

  it('keeps the photo’s GPS position hidden until "Show location"', async () => {
    const photo = card('b-photo.jpg');
    // As the photo records it: degrees, minutes, seconds (51.500729° is 51° 30′ 2.62″).
    expect(PHOTO_TAGS.latitude).toBeCloseTo(51 + 30 / 60 + 2.6244 / 3600, 5);
    const lat = '51, 30, 2.6244';
    expect(await photo.innerText()).not.toContain(lat);
    await photo.getByRole('button', { name: 'Show location' }).click();
    expect(await photo.innerText()).toContain(lat);
  });

  it('has no accessibility violations (axe)', async () => {
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).analyze();
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });

  it('made no network request, ran nothing from the email, and logged no error', () => {
    for (const url of requests) expect(url).toMatch(/^(file|data|blob):/);
    expect(problems).toEqual([]);
  });
});
