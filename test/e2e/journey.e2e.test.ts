/**
 * A person's whole journey, in Debian's Chromium through the bridge and the real core:
 * create a vault, import a folder of fixtures (screenshots, a photo with EXIF, a truncated
 * PNG, a duplicate), see the thumbnails, write a note and find it by search, mark a region,
 * make an incident with two items and a person, see the timeline, export a bundle and see it
 * verified, lock and unlock. Every screen is checked with axe (no serious or critical
 * violation) and saved as a screenshot in test-results/journey/. Prints the time from
 * pressing Unlock to the first thumbnails on screen. Skipped, with the reason, without
 * Chromium or a build.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools } from '../support/tools';
import {
  createVaultInPage,
  launchChromium,
  PASSPHRASE,
  ROOT,
  seriousAxeViolations,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const ARTIFACTS = join(ROOT, 'test-results', 'journey');

// The journey imports a photo with EXIF: without exiftool to make it, the whole test skips.
const skip = webSkipReason() ?? missingTools(['exiftool']);
const title = skip ? `the journey — SKIPPED: ${skip}` : 'the journey (Chromium, bridge, real core)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };
  const axeFindings: string[] = [];

  beforeAll(async () => {
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    app = await startWebApp();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    watch = watchPage(page, app.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Screenshot and axe for one screen, as it is now. */
  async function screen(name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    for (const v of await seriousAxeViolations(page)) axeFindings.push(`${name}: ${v}`);
  }

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });

  it('create, import, note and search, annotate, incident, timeline, export, lock', async () => {
    // Fixtures: two screenshots, a photo with EXIF, a truncated PNG and a duplicate.
    const folder = join(await tempDir(), 'from-phone');
    await mkdir(folder);
    const shot1 = await makeScreenshotPng(390, 844, 1);
    await writeFile(join(folder, 'reply-1.png'), shot1);
    await writeFile(join(folder, 'reply-2.png'), await makeScreenshotPng(390, 844, 2));
    await writeFile(join(folder, 'reply-1 (copy).png'), shot1);
    await writeFile(join(folder, 'broken.png'), shot1.subarray(0, Math.floor(shot1.length / 2)));
    await makeExifJpeg(join(folder, 'doorstep.jpg'));
    const fileCount = (await readdir(folder)).length;

    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    await screen('01-create-vault');
    const recoveryCode = await createVaultInPage(page, PASSPHRASE, () =>
      screen('01b-recovery-code'),
    );
    await screen('02-library-empty');

    // Import the folder with the browser's folder picker.
    await page.getByTestId('folder-input').setInputFiles(folder);
    const panel = page.getByRole('complementary', { name: /Import finished/ });
    await panel.waitFor({ timeout: 60_000 });
    const summary = await panel.getByRole('status').innerText();
    expect(summary).toMatch(new RegExp(`${fileCount - 1} added`));
    expect(summary).toMatch(/1 already in the vault/);
    // The truncated PNG is added, and counted as a problem.
    expect(summary).toMatch(/1 with a problem \(1 added with a warning\)/);
    // The duplicate and the truncated PNG are explained per file.
    await expect.poll(() => panel.getByText(/already in the vault as/).count()).toBe(1);
    await expect.poll(() => panel.locator('li', { hasText: 'broken.png' }).count()).toBe(1);
    await screen('03-import-result');
    await panel.getByRole('button', { name: 'Close' }).click();

    // Thumbnails: decoded images for the screenshots.
    const thumbs = page.locator('.thumb img');
    await expect.poll(() => thumbs.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect
      .poll(
        () =>
          thumbs.evaluateAll(
            (imgs) => imgs.filter((i) => (i as { naturalWidth: number }).naturalWidth > 0).length,
          ),
        { timeout: 20_000 },
      )
      .toBeGreaterThanOrEqual(2);
    await screen('04-library');
    // The list layout: one line per item, each with its small preview.
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expect
      .poll(
        () =>
          page
            .locator('.list-thumb img')
            .evaluateAll(
              (imgs) => imgs.filter((i) => (i as { naturalWidth: number }).naturalWidth > 0).length,
            ),
        { timeout: 20_000 },
      )
      .toBeGreaterThanOrEqual(2);
    await screen('04b-library-list');
    await page.getByRole('button', { name: 'Grid', exact: true }).click();

    // Open a screenshot, write a note, mark a region.
    await page.getByRole('button', { name: /^reply-1\.png/ }).click();
    await page.getByRole('heading', { name: 'reply-1.png', level: 1 }).waitFor();
    await page
      .getByLabel('Add a note')
      .fill('Sent after the council meeting: mentions the children');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.note-body', { hasText: 'Sent after the council meeting' }).waitFor();
    // The box empties once the note is saved.
    await expect.poll(() => page.getByLabel('Add a note').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Add region by numbers' }).click();
    await page.getByLabel('From the left (%)').fill('10');
    await page.getByLabel('From the top (%)').fill('20');
    await page.getByLabel('Width (%)').fill('50');
    await page.getByLabel('Height (%)').fill('10');
    await page.getByLabel('Comment', { exact: true }).fill('The threat about the children');
    await page.getByRole('button', { name: 'Save region' }).click();
    await page.getByText('The threat about the children').first().waitFor();
    await screen('05-item-view');
    await page.getByRole('button', { name: 'Back to library' }).first().click();

    await page.getByRole('button', { name: /^doorstep\.jpg/ }).click();
    await page.getByRole('heading', { name: 'doorstep.jpg', level: 1 }).waitFor();
    await page
      .getByText(/Sensitive: location/)
      .first()
      .waitFor();
    await screen('06-photo-with-exif');
    await page.getByRole('button', { name: 'Back to library' }).first().click();

    // Search for a word of the note: the item is found, with the word highlighted.
    await page.getByLabel('Search names, notes and text').fill('council');
    await expect.poll(() => page.locator('.result-count').innerText()).toBe('1 item');
    await expect
      .poll(() => page.locator('mark', { hasText: /council/i }).count())
      .toBeGreaterThan(0);
    await screen('07-search');
    await page.getByLabel('Search names, notes and text').fill('');
    await expect.poll(() => page.locator('.result-count').innerText()).toMatch(/^\d+ items$/);

    // Select two screenshots for the incident.
    await page.getByRole('checkbox', { name: 'Select reply-1.png' }).check();
    await page.getByRole('checkbox', { name: 'Select reply-2.png' }).check();

    // A person, then an incident with the two items and the person.
    await nav('People').click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New person' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Anonymous account @care_watch');
    await page.getByLabel('Role').selectOption('harasser');
    await page.getByRole('button', { name: 'Save person' }).click();
    await page.getByText('Anonymous account @care_watch').first().waitFor();
    await screen('08-people');

    await nav('Incidents').click();
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New incident' }).click();
    await page.getByLabel('When it happened').fill('2026-03-09T14:30');
    await page.getByLabel('Platform or place').fill('Email to constituency office');
    await page
      .getByLabel('What happened')
      .fill('Email saying my children should be taken into care');
    await page.getByRole('button', { name: 'Save incident' }).click();
    await page.getByRole('button', { name: /Link the 2 selected items/ }).click();
    await expect
      .poll(
        () =>
          page.getByRole('region', { name: 'Evidence for this incident' }).locator('img').count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(2);
    await page
      .getByLabel('Add a person')
      .selectOption({ label: 'Anonymous account @care_watch (harasser)' });
    await page.getByRole('button', { name: 'Link person' }).click();
    await page
      .getByRole('region', { name: 'People involved' })
      .getByText('Anonymous account @care_watch')
      .waitFor();
    await screen('09-incident');

    // A second occasion: with two, the timeline shows a course of conduct and the gap.
    await page.getByRole('button', { name: 'New incident' }).click();
    await page.getByLabel('When it happened').fill('2026-04-01T09:15');
    await page.getByLabel('Platform or place').fill('Instagram');
    await page.getByLabel('What happened').fill('Comment repeating the threat under my post');
    await page.getByRole('button', { name: 'Save incident' }).click();
    await page
      .getByLabel('Add a person')
      .selectOption({ label: 'Anonymous account @care_watch (harasser)' });
    await page.getByRole('button', { name: 'Link person' }).click();
    await page
      .getByRole('region', { name: 'People involved' })
      .getByText('Anonymous account @care_watch')
      .waitFor();

    await nav('Timeline').click();
    await page.getByRole('heading', { name: 'Timeline', level: 1 }).waitFor();
    await page.getByText('Email saying my children should be taken into care').first().waitFor();
    await page.getByText('Comment repeating the threat under my post').first().waitFor();
    await page.getByText(/^23 days later/).waitFor();
    await page.getByText(/^2 incidents/).waitFor();
    await page
      .getByLabel('Show incidents involving')
      .selectOption({ label: 'Anonymous account @care_watch (harasser)' });
    await page.getByText(/^2 incidents/).waitFor();
    await screen('10-timeline');

    await nav('Custody log').click();
    await page.getByRole('heading', { name: 'Custody log', level: 1 }).waitFor();
    await page.getByText(/The log is intact/).waitFor();
    // Entries say what they are about in words, not ids.
    await page
      .getByText(
        'About: the incident on 9 Mar 2026 (Email to constituency office), Anonymous account @care_watch (person)',
      )
      .first()
      .waitFor();
    await page
      .getByText(/^About: .*“reply-1\.png”/)
      .first()
      .waitFor();
    await screen('11-custody-log');
    // The first entry is at the far end in newest-first order: found, shown and focused.
    await page.getByLabel('Go to entry number').fill('1');
    await page.getByRole('button', { name: 'Show entry', exact: true }).click();
    await page.locator('[data-seq="1"]:focus').waitFor();
    await page.getByText('The vault was created.').waitFor();

    await nav('Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    // The whole vault checked: every file against its fingerprint, and the custody log.
    await page.getByRole('button', { name: 'Check the vault' }).click();
    await page.getByText(/^Everything checks out: \d+ files/).waitFor({ timeout: 60_000 });
    await screen('12-settings');

    // Export everything to a folder and see it verified from disk.
    const out = join(await tempDir(), 'bundles');
    await mkdir(out);
    await nav('Export').click();
    await page.getByRole('heading', { name: 'Export evidence', level: 1 }).waitFor();
    await page.getByLabel('Everything').check();
    await screen('13-export-what');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Case name').fill('Harassment of the Member for Northfield');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Folder', { exact: true }).check();
    await page.getByLabel('Folder on this computer to save the bundle in').fill(out);
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.getByText(/Verified: \d+ files, all hashes match/).waitFor({ timeout: 120_000 });
    await screen('14-export-verified');
    const bundles = await readdir(out);
    expect(bundles).toHaveLength(1);
    expect(existsSync(join(out, bundles[0]!, 'bagit.txt'))).toBe(true);

    // Lock, then unlock: the thumbnails come back.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Dossier' }).waitFor();
    await screen('15-unlock');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect
      .poll(
        () =>
          page
            .locator('.thumb img')
            .evaluateAll(
              (imgs) => imgs.filter((i) => (i as { naturalWidth: number }).naturalWidth > 0).length,
            ),
        { timeout: 30_000, interval: 20 },
      )
      .toBeGreaterThan(0);
    console.log(`unlock → first thumbnails on screen: ${Date.now() - t0} ms`);

    // A forgotten passphrase: the recovery code written down at the start opens the vault.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('button', { name: 'Use the recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCode);
    await screen('16-unlock-recovery-code');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });

    expect(axeFindings).toEqual([]);
    expect(watch.problems).toEqual([]);
    // About 60 s on a quiet machine: a busy two-core CI runner needs room.
  }, 240_000);
});
