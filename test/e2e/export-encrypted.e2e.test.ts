/**
 * The export wizard's encrypted zip, in Debian's Chromium through the bridge and the real
 * core: the passphrase typed twice (a mismatch is refused in words), the bundle written as
 * one `.zip.age` file, verified again from disk, and opened by Debian's `age -d` with that
 * passphrase into a zip that `unzip -t` accepts. On the way: an exhibit prefix with a dash is
 * refused beside the field, choosing the encrypted zip says the recipient needs age and
 * where to get it, and a zip to a folder that does not exist is refused by the export. Skipped, with the reason, without Chromium,
 * age, unzip or python3's pty module.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScreenshotPng } from '../fixtures/evidence';
import { noPty, onPty } from '../support/pty';
import { missingTools } from '../support/tools';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  seriousAxeViolations,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const AGE = '/usr/bin/age';
const skip = webSkipReason() ?? missingTools(['age', 'unzip']) ?? noPty;
const title = skip
  ? `export as an encrypted zip — SKIPPED: ${skip}`
  : 'export as an encrypted zip (Chromium, bridge, Debian age)';
if (skip) console.warn(title);

const ZIP_PASSPHRASE = 'lantern orchard kettle bridge';

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

  it('writes one .zip.age, verified from disk, that age -d opens with the passphrase', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const file = join(await tempDir(), 'reply.png');
    await writeFile(file, await makeScreenshotPng(390, 844, 4));
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByRole('button', { name: /^reply\.png/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    const out = await tempDir();
    await openExportWizard(page, 'Replies to my post');
    // "jd-1" breaks the rule the hint states: said beside the field as it is typed, and Next
    // does not move on.
    const prefix = page.getByLabel('Exhibit prefix');
    await prefix.fill('jd-1');
    const prefixError = page.locator('#exhibit-prefix-error');
    await prefixError.waitFor();
    expect(await prefixError.textContent()).toMatch(/only have letters and digits/);
    expect(await prefix.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .locator('#step-problem')
      .getByText(/only have letters and digits/)
      .waitFor();
    await page.getByRole('heading', { name: /Step 2 of 5/ }).waitFor();
    // JD1 as a prefix would give JD11, JD12…: refused in the court style, fine as JD1/1.
    await prefix.fill('JD1');
    await prefixError.getByText(/ends in a digit/).waitFor();
    await page.getByRole('radio', { name: /^JD1\/1$/ }).check();
    expect(await prefixError.count()).toBe(0);
    await page.getByRole('button', { name: 'Next' }).click();

    // A folder that does not exist is refused, as a zip and as a folder, and nothing is written.
    const missing = join(out, 'does-not-exist');
    for (const format of ['Zip file', 'Folder']) {
      await page.getByLabel(format, { exact: true }).check();
      await page.getByLabel('Folder on this computer to save the bundle in').fill(missing);
      await page.getByRole('button', { name: 'Start export' }).click();
      await page.getByText(/does-not-exist does not exist\. Check the path/).waitFor();
      expect(await readdir(out)).toEqual([]);
      await page.getByRole('button', { name: 'Back' }).click();
    }

    // The recipient needs age: said as soon as the encrypted zip is chosen, with where to get it.
    expect(await page.locator('#zip-age-tool-note').count()).toBe(0);
    await page.getByLabel('Encrypted zip file').check();
    const ageNote = page.locator('#zip-age-tool-note');
    await ageNote.waitFor();
    const said = (await ageNote.textContent()) ?? '';
    for (const where of [
      'age-encryption.org',
      'brew install age',
      'apt install age',
      'github.com/FiloSottile/age/releases',
    ])
      expect(said).toContain(where);
    await page.getByLabel('Passphrase for the zip file').fill(ZIP_PASSPHRASE);
    await page.getByLabel('Type the zip passphrase again').fill(`${ZIP_PASSPHRASE}!`);
    await page.getByLabel('Folder on this computer to save the bundle in').fill(out);
    // A mismatch is said in words, and nothing is written.
    await page.getByRole('button', { name: 'Start export' }).click();
    await page
      .getByText(/passphrases for the zip file are different|do not match/i)
      .first()
      .waitFor();
    expect(await readdir(out)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Type the zip passphrase again').fill(ZIP_PASSPHRASE);
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.getByText(/Verified: \d+ files, all hashes match/).waitFor({ timeout: 120_000 });
    const written = await readdir(out);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^Replies-to-my-post-\d{8}\.zip\.age$/);
    await page.getByText(/They open it with the free tool “age”/).waitFor();

    const zip = join(await tempDir(), 'bundle.zip');
    const opened = onPty(ZIP_PASSPHRASE, [AGE, '-d', '-o', zip, join(out, written[0]!)]);
    expect(opened.status, opened.output).toBe(0);
    const listed = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    expect(listed.stdout).toMatch(/No errors detected/);
    expect(listed.stdout).toMatch(/bagit\.txt/);
    expect(watch.problems).toEqual([]);
  });
});
