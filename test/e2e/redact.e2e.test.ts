/**
 * Issue 15 in the app, in Debian's Chromium through the bridge and the real core: a screenshot
 * is redacted with two boxes, one dragged on the picture and one typed by numbers with the
 * keyboard, each with its reason; the preview shows them black; saving opens the new item with
 * "Redacted copy of screenshot.png: 2 areas covered (…)", and the original lists it. A GPS
 * photo's location warning offers a copy without location, which opens with no location in
 * it. The export wizard then points to such copies. axe finds no violation in the new panels.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { missingTools } from '../support/tools';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  ROOT,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const ARTIFACTS = join(ROOT, 'test-results', 'redact');

const skip = webSkipReason() ?? missingTools(['exiftool']);
const title = skip
  ? `redacted copies and copies without location in the app — SKIPPED: ${skip}`
  : 'redacted copies and copies without location in the app (Chromium, bridge)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium({ viewport: { width: 1280, height: 900 } });
    ({ app, page, watch } = started);
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(() => closeAppInChromium(started));

  /** Every axe violation (any impact) in the item view as it is now; a screenshot of it. */
  const axe = async (where: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${where.replace(/\W+/g, '-')}.png`) });
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).include('.item-view').analyze();
    expect(
      result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`),
      where,
    ).toEqual([]);
  };
  const focusedId = () =>
    page.evaluate('document.activeElement ? document.activeElement.id : ""') as Promise<string>;
  const itemTitle = (name: string) => page.getByRole('heading', { name, level: 1, exact: true });

  it('redacts a screenshot with a dragged box and a typed one, previews, saves, and opens the copy', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const src = join(await tempDir(), 'src');
    await mkdir(src);
    await makeExifJpeg(join(src, 'doorstep.jpg'));
    await writeFile(join(src, 'screenshot.png'), await makeScreenshotPng(390, 844));
    await page
      .getByTestId('file-input')
      .setInputFiles([join(src, 'doorstep.jpg'), join(src, 'screenshot.png')]);
    await page.getByRole('button', { name: /^screenshot\.png/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^doorstep\.jpg/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: /^screenshot\.png/ }).click();
    await itemTitle('screenshot.png').waitFor();
    const copies = page.getByRole('region', { name: 'Copies for disclosure' });
    await copies.getByRole('button', { name: 'Make a redacted copy' }).click();
    const panel = page.getByRole('region', { name: 'Make a redacted copy' });
    await panel.waitFor();
    expect(
      await page.getByRole('button', { name: 'Draw a box to cover' }).getAttribute('aria-pressed'),
    ).toBe('true');

    // Box 1: dragged over the top of the picture once it has loaded.
    const stage = page.locator('.image-stage');
    await expect
      .poll(() =>
        page
          .locator('.image-stage img')
          .evaluate((i) => (i as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    const at = (await stage.boundingBox())!;
    await page.mouse.move(at.x + at.width * 0.1, at.y + at.height * 0.05);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width * 0.5, at.y + at.height * 0.1, { steps: 5 });
    await page.mouse.move(at.x + at.width * 0.9, at.y + at.height * 0.15, { steps: 5 });
    await page.mouse.up();
    const reason1 = panel.getByLabel('Why is box 1 covered?');
    await reason1.waitFor();
    // The reason is what comes next: it has the focus.
    await expect.poll(focusedId).toBe(await reason1.getAttribute('id'));
    await reason1.selectOption('address');

    // Box 2: by numbers, with the keyboard alone.
    await panel.getByRole('button', { name: 'Add a box by numbers' }).focus();
    await page.keyboard.press('Enter');
    await panel.getByLabel('From the left (%)').waitFor();
    await page.keyboard.type('5');
    await page.keyboard.press('Tab');
    await page.keyboard.type('60');
    await page.keyboard.press('Tab');
    await page.keyboard.type('50');
    await page.keyboard.press('Tab');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    const reason2 = panel.getByLabel('Why is box 2 covered?');
    await reason2.waitFor();
    await expect.poll(focusedId).toBe(await reason2.getAttribute('id'));
    await reason2.selectOption('children');
    expect(await panel.locator('.cover-list .detail').allInnerTexts()).toEqual([
      expect.stringMatching(/^10(\.\d)?% from the left, 5(\.\d)?% from the top/),
      '5% from the left, 60% from the top, 50% wide, 10% high',
    ]);
    expect(await page.locator('.cover-mark').count()).toBe(2);
    // "Other" asks for words; without them the preview is refused, in words.
    await reason2.selectOption('other');
    await panel.getByRole('button', { name: 'Preview the copy' }).click();
    expect(await panel.getByRole('alert').innerText()).toBe(
      'Box 2 is covered for another reason: say which, in words.',
    );
    await axe('drawing boxes, a reason asked for');
    await reason2.selectOption('children');

    await panel.getByRole('button', { name: 'Preview the copy' }).click();
    const check = page.getByRole('region', { name: 'Check the redacted copy' });
    await check.waitFor();
    expect(await page.locator('.cover-mark.filled').count()).toBe(2);
    expect(
      await page.evaluate(
        "getComputedStyle(document.querySelector('.cover-mark.filled')).backgroundColor",
      ),
    ).toBe('rgb(0, 0, 0)');
    expect(await check.innerText()).toContain(
      '2 areas covered (Personal address; Children’s details)',
    );
    await axe('the preview');
    await check.getByRole('button', { name: 'Save the redacted copy' }).click();

    // The new item opens, saying what it is.
    await itemTitle('screenshot (redacted).png').waitFor({ timeout: 30_000 });
    const banner = page.getByRole('region', {
      name: 'Redacted copy of screenshot.png: 2 areas covered (Personal address; Children’s details)',
    });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('Saved as a new item.');
    await axe('the redacted copy');

    // Its original lists it.
    await banner.getByRole('button', { name: 'Open the original, screenshot.png' }).click();
    await itemTitle('screenshot.png').waitFor();
    expect(
      await page
        .getByRole('list', { name: 'Copies of this item' })
        .getByRole('button')
        .allInnerTexts(),
    ).toEqual(['screenshot (redacted).png']);
    await page.getByRole('button', { name: 'Back to library' }).first().click();
  });

  it('makes a copy without location from a GPS photo’s location warning', async () => {
    await page.getByRole('button', { name: /^doorstep\.jpg/ }).click();
    await itemTitle('doorstep.jpg').waitFor();
    const warning = page.getByRole('group', { name: 'Sensitive: location' });
    await warning.getByRole('button', { name: 'Make a copy without location' }).click();
    const confirm = page.getByRole('group', { name: 'Make a copy without location' });
    await confirm.waitFor();
    const said = await confirm.innerText();
    expect(said).toContain('without where it was taken (GPS)');
    expect(said).toContain('The original is kept unchanged in the vault');
    await axe('the copy without location, explained');
    await confirm.getByRole('button', { name: 'Make the copy' }).click();

    await itemTitle('doorstep (without location).jpg').waitFor({ timeout: 30_000 });
    const banner = page.getByRole('region', {
      name: 'Copy of doorstep.jpg without its location and device details',
    });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('The image data is the original’s, byte for byte.');
    // The copy holds no location: the view has no location warning.
    expect(await page.getByRole('group', { name: 'Sensitive: location' }).count()).toBe(0);
    await axe('the copy without location');
    await page.getByRole('button', { name: 'Back to library' }).first().click();

    // The export wizard points to such copies.
    await openExportWizard(page, 'Doorstep');
    await page.getByRole('button', { name: 'Next' }).click();
    const originals = page.locator('#location-originals');
    await originals.waitFor({ timeout: 30_000 });
    expect(await originals.innerText()).toContain(
      'make a copy without location in the item view and export the copy instead',
    );
    expect(watch.problems).toEqual([]);
  });
});
