/**
 * Issue 10, point B5 in the app: an item is renamed (its original name shown as such) and
 * removed through a confirmation that needs a reason; it leaves the library and its
 * encrypted file leaves the vault. Through the bridge in Chromium, like app-bridge.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  seriousAxeViolations,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip ? `removal in the app — SKIPPED: ${skip}` : 'removal and renaming in the app';
if (skip) console.warn(title);

const ageFiles = async (dir: string): Promise<string[]> =>
  (await readdir(join(dir, 'blobs'), { recursive: true })).filter((f) => f.endsWith('.age'));

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium();
    ({ app, page, watch } = started);
  });
  afterAll(() => closeAppInChromium(started));

  it('renames an item, then removes it only once a reason is given', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const dir = await tempDir();
    const file = join(dir, 'IMG_4411.txt');
    await writeFile(file, 'you will regret this\n');
    await page.getByTestId('file-input').setInputFiles(file);
    await page
      .getByRole('status')
      .filter({ hasText: /1 added/ })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await ageFiles(app.vaultDir)).toHaveLength(1);

    await page.getByRole('button', { name: /IMG_4411\.txt/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    const field = dialog.getByLabel('New name');
    await field.fill('bad/name.txt');
    await dialog.getByText(/cannot contain \//).waitFor();
    expect(await dialog.getByRole('button', { name: 'Save name' }).isDisabled()).toBe(true);
    await field.fill('Threat from Jo, 9 March.txt');
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await dialog.getByRole('heading', { name: 'Threat from Jo, 9 March.txt' }).waitFor();
    await dialog.getByText('Original name: IMG_4411.txt').waitFor();

    await dialog.getByRole('button', { name: 'Remove this item…' }).click();
    const confirm = dialog.getByRole('group', { name: 'Remove this item?' });
    const remove = confirm.getByRole('button', { name: 'Remove permanently' });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.getByLabel('Why are you removing it? (required)').fill('   ');
    expect(await remove.isDisabled()).toBe(true);
    expect(await seriousAxeViolations(page, { frames: false })).toEqual([]);
    await confirm.getByLabel('Why are you removing it? (required)').fill('imported by mistake');
    await remove.click();

    // Closed, gone from the library, and its encrypted file gone from the vault.
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await expect
      .poll(() => page.getByRole('button', { name: /Threat from Jo/ }).count(), { timeout: 15_000 })
      .toBe(0);
    expect(await ageFiles(app.vaultDir)).toEqual([]);
    expect(watch.problems).toEqual([]);
  });
});
