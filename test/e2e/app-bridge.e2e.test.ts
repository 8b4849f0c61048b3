/**
 * The desktop shell's promise, in a plain browser through the bridge: `npm run web` serves a
 * renderer that can create a vault, add a file, show its thumbnail (decrypted by the worker,
 * streamed through the bridge) and lock and unlock, with no console error, no CSP violation
 * and no request leaving the machine. Skipped, with the reason, without Chromium or a build.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../main/core/ids';
import { makeScreenshotPng } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  PASSPHRASE,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `renderer through the bridge — SKIPPED: ${skip}`
  : 'renderer through the bridge (npm run web)';
if (skip) console.warn(title);

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

  it('creates a vault, adds files (picker, drop, paste) and shows a thumbnail, then locks and unlocks', async () => {
    await page.goto(app.url);
    // The token leaves the address bar at once (it would otherwise sit in history).
    expect(page.url()).not.toContain('token=');
    await createVaultInPage(page);

    const dir = await tempDir();
    const file = join(dir, 'reply-from-@troll.png');
    await writeFile(file, await makeScreenshotPng(390, 844, 3));
    await page.getByTestId('file-input').setInputFiles(file);
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /1 added/ })
            .count(),
        {
          timeout: 30_000,
        },
      )
      .toBe(1);

    // Dropped anywhere on the window, and pasted from the clipboard: bytes, with no path.
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['he said he knows where the children go to school'], 'dropped.txt', { type: 'text/plain' }));
      document.querySelector('.workspace').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.getByRole('button', { name: /^dropped\.txt/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.evaluate(`(() => {
      const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([png], 'image.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.getByRole('button', { name: /^pasted-.*\.png/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    const tile = page.getByRole('button', { name: /reply-from-@troll\.png/ });
    await tile.waitFor();
    const thumb = page.locator('.thumb img').first();
    await thumb.waitFor();
    // Decoded: the bytes arrived through /evidence/<id>/thumbnail and are a real image.
    await expect
      .poll(() => thumb.evaluate((img) => (img as { naturalWidth: number }).naturalWidth), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);

    const thumbSrc = await thumb.getAttribute('src');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Dossier' }).waitFor();
    // Locked: nothing of the library is left on screen, and the same address answers 423.
    expect(await page.locator('.thumb img').count()).toBe(0);
    const lockedStatus = await page.evaluate(async (src) => (await fetch(src!)).status, thumbSrc);
    expect(lockedStatus).toBe(423);
    // That refusal was asked for; Chromium logs every 4xx answer as a console error.
    const expected = watch.problems.findIndex((p) => p.includes('423 (Locked)'));
    expect(expected).toBeGreaterThanOrEqual(0);
    watch.problems.splice(expected, 1);

    // A wrong passphrase says so and keeps what was typed.
    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /passphrase/i })
      .waitFor();
    expect(await page.getByLabel('Passphrase', { exact: true }).inputValue()).toBe(
      'not the passphrase',
    );

    // While locked, an encrypted file no item refers to appears (an interrupted import):
    // the unlock moves it to quarantine/, and the library says so until dismissed.
    const blobs = join(app.vaultDir, 'blobs');
    const shard = (await readdir(blobs)).find((d) => /^[0-9a-z]{2}$/.test(d))!;
    const existing = (await readdir(join(blobs, shard))).find((f) => f.endsWith('.age'))!;
    const stray = newId();
    await mkdir(join(blobs, stray.slice(0, 2)), { recursive: true });
    await copyFile(join(blobs, shard, existing), join(blobs, stray.slice(0, 2), `${stray}.age`));

    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /reply-from-@troll\.png/ }).waitFor();
    const notices = page.getByRole('status', { name: 'Notices about your vault' });
    await notices.getByText(/moved to quarantine/).waitFor();
    expect(await notices.innerText()).toContain(stray);
    await notices.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notices.getByRole('listitem').count()).toBe(0);
    // A reload while unlocked asks main again; the dismissed notice stays dismissed.
    await page.reload();
    await page.getByRole('button', { name: /reply-from-@troll\.png/ }).waitFor({ timeout: 30_000 });
    expect(await notices.getByRole('listitem').count()).toBe(0);

    expect(watch.problems).toEqual([]);
  });

  it("refuses the page's API calls without the token", async () => {
    const answer = await page.evaluate(async () => {
      const res = await fetch('/api/session.status', { method: 'POST', body: '{}' });
      return res.status;
    });
    expect(answer).toBe(401);
  });
});
