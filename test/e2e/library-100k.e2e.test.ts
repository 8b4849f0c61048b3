/**
 * The library at 100,000 items, in Chromium through the bridge and the real core: it renders,
 * scrolls to the very end and filters while the DOM holds only what is on screen. Prints the
 * time from pressing Unlock to the first tiles on screen. Skipped, with the reason, without
 * Chromium or a build.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { seedItems, type SeedResult } from '../support/seed';
import { tempDir } from '../support/tmp';
import { TEST_KDF } from '../support/vault';
import {
  launchChromium,
  PASSPHRASE,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const ITEMS = 100_000;
// Page-side snippets as strings: the Node type-check has no DOM library.
const FOCUSED_INDEX = "document.activeElement && document.activeElement.getAttribute('data-index')";
const FOCUSED_LABEL =
  "(document.activeElement && document.activeElement.getAttribute('aria-label')) || ''";
// A screen of tiles plus overscan, whatever the window: far below the item count.
const MAX_TILES_IN_DOM = 400;

const skip = webSkipReason();
const title = skip
  ? `library at 100,000 items — SKIPPED: ${skip}`
  : 'library at 100,000 items (Chromium, bridge, real core)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let seeded: SeedResult;
  let watch: { problems: string[] };

  beforeAll(async () => {
    const dir = join(await tempDir(), 'vault');
    const { vault } = await Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
    seeded = seedItems(vault, ITEMS);
    await vault.lock();
    app = await startWebApp({ DOSSIER_VAULT: dir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch = watchPage(page, app.origin);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const tiles = () => page.locator('[role="listitem"]').count();
  const countText = () => page.locator('.result-count').innerText();
  /** The shown item count, or -1 while it is loading. */
  const shownCount = async () => {
    const m = /^([\d,]+) items?$/.exec(await countText());
    return m ? Number(m[1]!.replace(/,/g, '')) : -1;
  };
  const settledBelow = (n: number) => async () => {
    const c = await shownCount();
    return c >= 0 && c < n;
  };

  it('renders, scrolls to the end and filters with a bounded DOM', async () => {
    await page.goto(app.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('.tile-open').first().waitFor({ timeout: 30_000 });
    const firstTilesMs = Date.now() - t0;
    console.log(`unlock → first tiles on screen at ${ITEMS} items: ${firstTilesMs} ms`);

    await expect.poll(countText, { timeout: 15_000 }).toBe('100,000 items');
    const atTop = await tiles();
    expect(atTop).toBeGreaterThan(10);
    expect(atTop).toBeLessThan(MAX_TILES_IN_DOM);

    // To the very end by keyboard: End moves focus to the last item, whose page is fetched.
    await page.locator('.tile-open').first().focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.evaluate(FOCUSED_INDEX), {
        timeout: 15_000,
      })
      .toBe(String(ITEMS - 1));
    const focusedLabel = await page.evaluate(FOCUSED_LABEL);
    expect(focusedLabel).not.toBe('');
    expect(await tiles()).toBeLessThan(MAX_TILES_IN_DOM);
    // Nothing left loading at the end.
    await expect.poll(() => page.locator('.tile.loading').count(), { timeout: 15_000 }).toBe(0);

    // A search narrows the library; still only a screenful in the DOM.
    const word = seeded.words[10]!; // a common word: found in some items, not all
    await page.getByLabel('Search names, notes and text').fill(word);
    await expect.poll(settledBelow(ITEMS), { timeout: 15_000 }).toBe(true);
    const found = await shownCount();
    expect(found).toBeGreaterThan(0);
    expect(await tiles()).toBeLessThanOrEqual(Math.min(found, MAX_TILES_IN_DOM));
    await expect.poll(() => page.locator('mark').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // And a type filter on top of it, in the list layout.
    await page.getByLabel('Search names, notes and text').fill('');
    await page.getByRole('button', { name: 'List' }).click();
    const kinds = page.locator('.kinds input[type="checkbox"]');
    await kinds.first().check();
    await expect.poll(settledBelow(ITEMS), { timeout: 15_000 }).toBe(true);
    expect(await shownCount()).toBeGreaterThan(0);
    expect(await tiles()).toBeLessThan(MAX_TILES_IN_DOM);

    expect(watch.problems).toEqual([]);
  });
});
