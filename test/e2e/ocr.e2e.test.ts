/**
 * Text in pictures, in the app (issue 13), in Debian's Chromium through the bridge and the
 * real core: two screenshots of rendered text are imported, the queue's progress shows with
 * Pause and Resume, the web app's service reads them, a word that is only in a picture is
 * found by the library search, and the hit opens with that word outlined on the picture (in
 * the right place) and marked in "Text in this picture", whose text copies. axe finds no
 * serious problem on each screen. Skipped, with the reason, without Chromium.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_LINES, textPicture } from '../support/text-picture';
import { tempDir } from '../support/tmp';
import {
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  seriousAxeViolations,
  webSkipReason,
  type AppInChromium,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `text in pictures in the app — SKIPPED: ${skip}`
  : 'text in pictures in the app (Chromium, bridge)';
if (skip) console.warn(title);

/** The second picture's lines: "Hollybush" starts line 3 (x = 50, baseline 250 + 2 × 150). */
const NOTE_LINES = ['Pick up at the gate', 'Wednesday after lunch', 'Hollybush Road corner'];
const NOTE = { width: 1170, height: 1200 };

const ENGLISH_DATA = join(
  dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
  'eng.traineddata.gz',
);

async function axeClean(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let page: Page;

  beforeAll(async () => {
    started = await openAppInChromium({
      viewport: { width: 1280, height: 900 },
      prepare: (context, origin) =>
        context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }),
    });
    page = started.page;
  }, 60_000);
  afterAll(() => closeAppInChromium(started));

  it('reads two screenshots, finds a word only in a picture, outlines it and copies the text', async () => {
    await page.goto(started!.app.url);
    await createVaultInPage(page);

    const dir = await tempDir();
    const shot = join(dir, 'threats.png');
    const note = join(dir, 'pickup-note.png');
    await writeFile(shot, await textPicture(SCREENSHOT_LINES));
    await writeFile(note, await textPicture(NOTE_LINES, NOTE));
    // The word is in neither file's name: only recognition can find it.
    const search = page.getByLabel('Search names, notes and text');

    await page.getByTestId('file-input').setInputFiles([shot, note]);
    // The queue's progress, with Pause: pausing keeps the pictures waiting.
    const pause = page.getByRole('button', { name: 'Pause reading' });
    await pause.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Reading text in pictures' }).count())
      .toBeGreaterThan(0);
    expect(
      await page.getByText(/^Reading text in pictures: \d of 2, /).count(),
      'the progress line says how many of the two are read, and the time left',
    ).toBe(1);
    await pause.click();
    const resume = page.getByRole('button', { name: 'Resume reading' });
    await resume.waitFor();
    await page.getByText(/^Reading text in pictures is paused: [12] pictures? waiting$/).waitFor();
    await axeClean(page);
    await resume.click();
    // Read: the progress line goes away when the queue is empty.
    await page.getByRole('button', { name: 'Pause reading' }).waitFor();
    await page
      .getByText(/^Reading text in pictures/)
      .waitFor({ state: 'detached', timeout: 60_000 });

    await search.fill('hollybush');
    const hits = page.getByRole('button', { name: /^(threats|pickup-note)\.png/ });
    await expect.poll(() => hits.count(), { timeout: 20_000 }).toBe(2);
    await axeClean(page);
    await page.getByRole('button', { name: /^pickup-note\.png/ }).click();

    // The hit on the picture: one word outlined, over "Hollybush" where it was drawn.
    const dialog = page.getByRole('dialog');
    await dialog.getByText('1 match in the picture, outlined on the picture').waitFor({
      timeout: 20_000,
    });
    const boxes = dialog.locator('.ocr-match');
    expect(await boxes.count()).toBe(1);
    // Once the picture has loaded and been fitted (the boxes scale with it).
    const picture = dialog.locator('.image-stage img');
    await expect
      .poll(async () => (await picture.boundingBox())?.width ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(100);
    const img = await picture.boundingBox();
    const box = await boxes.first().boundingBox();
    const fx = (box!.x - img!.x) / img!.width;
    const fy = (box!.y - img!.y) / img!.height;
    const fw = box!.width / img!.width;
    // Drawn at x = 50 px of 1170, 40 px text on a baseline at 550 px of 1200.
    expect(fx).toBeGreaterThan(30 / 1170);
    expect(fx).toBeLessThan(70 / 1170);
    expect(fy).toBeGreaterThan(500 / 1200);
    expect(fy).toBeLessThan(530 / 1200);
    expect(fw).toBeGreaterThan(120 / 1170);
    expect(fw).toBeLessThan(260 / 1170);

    // The panel: labelled machine-read, the text with the match marked, the count said.
    const panel = dialog.getByRole('region', { name: 'Text in this picture' });
    await panel
      .getByText(
        /^Read by machine \(Tesseract\), may contain mistakes; confidence \d+%; English\.$/,
      )
      .waitFor();
    const body = panel.getByRole('region', { name: 'Text read from the picture' });
    expect(await body.innerText()).toContain('Wednesday after lunch');
    expect(await body.locator('mark').allInnerTexts()).toEqual(['Hollybush']);
    await expect
      .poll(() => panel.getByRole('status').filter({ hasText: '1 match in the picture' }).count())
      .toBe(1);
    // Its own find box: another word, outlined instead.
    await panel.getByLabel('Find in this text').fill('wednesday lunch');
    await dialog.getByText('2 matches in the picture, outlined on the picture').waitFor();
    expect(await boxes.count()).toBe(2);
    expect(await body.locator('mark').allInnerTexts()).toEqual(['Wednesday', 'lunch']);

    await panel.getByRole('button', { name: 'Copy the text' }).click();
    await panel.getByText('Copied.').waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toContain('Pick up at the gate');
    expect(copied).toContain('Hollybush Road corner');
    await axeClean(page);

    // Read again: logged by the core, queued, then read again.
    await panel.getByRole('button', { name: 'Read again' }).click();
    await panel.getByRole('button', { name: 'Read again' }).waitFor({ timeout: 30_000 });
    await panel.getByText(/^Read by machine/).waitFor();
    await dialog.getByRole('button', { name: '← Back to library' }).click();

    // Settings: the language list, and how to add another language by hand.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Settings', exact: true })
      .click();
    const settings = page.getByRole('region', { name: 'Text recognition' });
    await settings.getByLabel('Read pictures in').waitFor();
    expect(await settings.getByLabel('Read pictures in').inputValue()).toBe('eng');
    expect(await settings.getByRole('option').allInnerTexts()).toEqual(['English']);
    await settings.getByText(/in a folder named ocr-languages inside your vault folder/).waitFor();
    await axeClean(page);

    // A language added by hand as the screen says (English's own data, named Ukrainian) is
    // offered; changing to it asks whether to read the pictures again.
    const folder = join(started!.app.vaultDir, 'ocr-languages');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'ukr.traineddata'), gunzipSync(await readFile(ENGLISH_DATA)));
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Library', exact: true })
      .click();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Settings', exact: true })
      .click();
    await expect
      .poll(() => settings.getByRole('option').allInnerTexts())
      .toEqual(['English', 'Ukrainian']);
    await settings.getByLabel('Read pictures in').selectOption('ukr');
    await settings.getByRole('button', { name: 'Change language' }).click();
    await settings.getByText('Read the pictures already read again, in Ukrainian?').waitFor();
    await axeClean(page);
    await settings.getByRole('button', { name: 'Yes, read them again' }).click();
    await settings
      .getByText(
        /^New pictures will be read in Ukrainian, and 2 pictures already read will be read again in it\./,
      )
      .waitFor();
    expect(await settings.getByLabel('Read pictures in').inputValue()).toBe('ukr');
    await page
      .getByText(/^Reading text in pictures/)
      .waitFor({ state: 'detached', timeout: 60_000 });

    // The custody log has the readings and the read-again.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Custody log', exact: true })
      .click();
    await page
      .getByText(/The words in a picture were read by machine/)
      .first()
      .waitFor();
    expect(started!.watch.problems).toEqual([]);
  }, 120_000);
});
