/**
 * The app's existing screens reading a bundle opened for review (issue 14), in Debian's
 * Chromium through the bridge and the real core: after review.open, the library lists the
 * bundle's exhibits (search included), an exhibit opens with its picture served from the bundle
 * and its region marks, the email reads safely, and a change is refused in words. No vault.
 * Skipped, with the reason, without Chromium.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReviewBundles, type ReviewBundles } from '../support/review-bundle';
import { tempDir } from '../support/tmp';
import {
  launchChromium,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `review screens — SKIPPED: ${skip}`
  : 'a bundle opened for review in the app (Chromium, bridge, real core)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };
  let b: ReviewBundles;

  const api = async (method: string, args: unknown = {}) => {
    const res = await fetch(`${app.origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args, jobId: null }),
    });
    return (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  };

  beforeAll(async () => {
    const root = await tempDir();
    b = await makeReviewBundles(root);
    app = await startWebApp({ DOSSIER_VAULT: join(root, 'no-vault-here') });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watch = watchPage(page, app.origin);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the library, the item view and the email read from the bundle; a change is refused', async () => {
    const opened = await api('review.open', { path: b.zip });
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    expect(opened).toMatchObject({ ok: true, value: { state: 'reviewing' } });

    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /reply\.png/ }).waitFor();
    await page.getByRole('button', { name: /email\.txt/ }).waitFor();
    // The preview is made in memory from the picture in the bundle.
    const thumb = page.locator('img[src*="thumbnail"]').first();
    await thumb.waitFor();
    await expect
      .poll(() => thumb.evaluate((el: { naturalWidth: number }) => el.naturalWidth))
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: /reply\.png/ }).click();
    await page.getByText('This line is the threat').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /email\.txt/ }).click();
    await page
      .getByText(/I know where your children go to school/)
      .first()
      .waitFor({
        timeout: 15_000,
      });
    await page.keyboard.press('Escape');

    const refused = await api('items.addNote', { id: b.ids.email, body: 'x' });
    expect(refused).toMatchObject({
      ok: false,
      error: { message: 'This is a bundle opened for review: nothing in it can be changed.' },
    });
    expect(watch.problems).toEqual([]);
  }, 120_000);
});
