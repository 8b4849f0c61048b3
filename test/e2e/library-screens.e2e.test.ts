/**
 * The library, import and item screens in Debian's Chromium through the bridge and the real
 * core, on a vault made here: real files (two screenshots, a truncated PNG, an empty file, a
 * photo with GPS, a multi-line email) and 60 seeded rows. Focus after unlocking and the skip
 * link, the grid filling the window, snippets and tags in search, the list layout, sort
 * labels, badges and the damaged-file banner, and the item dialog's Tab loop. Each screen is
 * checked with axe. Skipped, with the reason, without Chromium or exiftool.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { hasExiftool, makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { seedItems } from '../support/seed';
import { tempDir } from '../support/tmp';
import { TEST_KDF } from '../support/vault';
import {
  launchChromium,
  PASSPHRASE,
  ROOT,
  seriousAxeViolations,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const ARTIFACTS = join(ROOT, 'test-results', 'library-screens');

// A body with line breaks around the word searched for: the snippet must read as one line.
const EMAIL = [
  'From: Office <office@example.org>',
  'To: me@example.org',
  'Subject: Constituency surgery',
  'Date: Tue, 3 Mar 2026 21:14:00 +0000',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Dear Member,',
  '',
  'We know you hold your surgery in',
  'Waltham Forest',
  'on Fridays.',
  '',
].join('\r\n');

const skip =
  webSkipReason() ??
  ((await hasExiftool())
    ? null
    : 'exiftool is not installed (apt-get install -y libimage-exiftool-perl)');
const title = skip
  ? `library screens — SKIPPED: ${skip}`
  : 'library screens (Chromium, bridge, real core)';
if (skip) console.warn(title);

// Page-side snippets as strings: the Node type-check has no DOM library.
const FOCUSED = `(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return 'body';
  return (a.getAttribute('aria-label') || a.textContent || a.tagName).trim();
})()`;
const FIRST_TAB_STOP = `(() => {
  const all = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]');
  const first = [...all].find((el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]'));
  return first ? first.textContent.trim() : 'none';
})()`;
const FOCUS_IN_DIALOG = `(() => {
  const a = document.activeElement;
  return !!a && a !== document.body && !!a.closest('[role="dialog"]');
})()`;

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    const root = await tempDir();
    const folder = join(root, 'evidence');
    await mkdir(folder);
    const shot = await makeScreenshotPng(390, 844, 1);
    await writeFile(join(folder, 'reply-1.png'), shot);
    await writeFile(join(folder, 'reply-2.png'), await makeScreenshotPng(390, 844, 2));
    await writeFile(join(folder, 'broken.png'), shot.subarray(0, Math.floor(shot.length / 2)));
    await writeFile(join(folder, 'empty.txt'), '');
    await writeFile(join(folder, 'surgery.eml'), EMAIL);
    await makeExifJpeg(join(folder, 'doorstep.jpg'));

    const dir = join(root, 'vault');
    const { vault } = await Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
    const report = await vault.add([folder]);
    expect(report).toMatchObject({ added: 6, withWarnings: 2 });
    const reply = vault.list().find((i) => i.name === 'reply-1.png')!;
    vault.setTags(reply.id, ['threat']);
    seedItems(vault, 60, { seed: 3, people: 0, incidents: 0 });
    await vault.lock();

    app = await startWebApp({ DOSSIER_VAULT: dir });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch = watchPage(page, app.origin);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const search = (text: string) => page.getByLabel('Search names, notes and text').fill(text);
  const countText = () => page.locator('.result-count').innerText();
  const tile = (name: string) => page.locator('.tile', { has: page.getByLabel(`Select ${name}`) });
  /** Screenshot (test-results/library-screens/) and axe, for the screen as it is now. */
  const axe = async (where: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${where.replace(/\W+/g, '-')}.png`) });
    expect(await seriousAxeViolations(page), where).toEqual([]);
  };

  it('puts focus on the library after unlocking, and a skip link reaches the results', async () => {
    await page.goto(app.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 30_000 });
    await page.locator('.tile-open').first().waitFor();
    // The library's first control, not the page body.
    await expect.poll(() => page.evaluate(FOCUSED)).toBe('Add files');

    // From the top of the page: the first Tab stop is "Skip to content", the next one
    // "Skip to results", and Enter there reaches the grid's current tile.
    expect(await page.evaluate(FIRST_TAB_STOP)).toBe('Skip to content');
    await page.locator('.skip-link').first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(FOCUSED)).toBe('Skip to results');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate("document.activeElement.getAttribute('data-index')"))
      .toBe('0');
    await axe('library after unlock');
  });

  it('fills the width of a 1,280 and a 1,600 px window with tiles', async () => {
    for (const width of [1280, 1600]) {
      await page.setViewportSize({ width, height: 900 });
      const measure = () =>
        page.evaluate(`(() => {
          const scroller = document.querySelector('.item-scroller');
          const tiles = [...document.querySelector('.item-row').children];
          const box = scroller.getBoundingClientRect();
          const last = tiles[tiles.length - 1].getBoundingClientRect();
          return { columns: tiles.length, tileWidth: last.width, emptyRight: box.left + scroller.clientWidth - last.right };
        })()`) as Promise<{ columns: number; tileWidth: number; emptyRight: number }>;
      await expect
        .poll(async () => (await measure()).columns)
        .toBeGreaterThanOrEqual(width === 1280 ? 6 : 8);
      const m = await measure();
      // No strip of empty window on the right, and tiles of a sensible size.
      expect(m.emptyRight, `${width} px`).toBeLessThan(8);
      expect(m.tileWidth, `${width} px`).toBeGreaterThanOrEqual(176);
      expect(m.tileWidth, `${width} px`).toBeLessThan(260);
      await axe(`grid at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a search snippet on one line: line breaks are spaces, not escapes', async () => {
    await search('Waltham');
    await expect.poll(countText).toBe('1 item');
    const snippet = page.locator('.tile-snippet').first();
    await expect.poll(() => snippet.innerText()).toMatch(/surgery in Waltham Forest on/);
    expect(await snippet.innerText()).not.toContain('\\u{');
    expect(await snippet.locator('mark').innerText()).toBe('Waltham');
    await axe('search in the grid');
  });

  it('finds items by their tags, and says which tag matched', async () => {
    await search('threat');
    await expect.poll(() => tile('reply-1.png').count()).toBe(1);
    expect(await tile('reply-1.png').locator('.tile-snippet').innerText()).toBe('tag: threat');
  });

  it('keeps list rows one line high after Grid→List during a search', async () => {
    // One match: one row in either layout, so only the change of layout can resize it.
    await search('Waltham');
    await expect.poll(countText).toBe('1 item');
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const height = () =>
      page
        .locator('.list .tile')
        .first()
        .evaluate((el) => el.getBoundingClientRect().height);
    await expect.poll(height).toBeGreaterThan(30);
    expect(await height()).toBeLessThan(70);
    await axe('search in the list');
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
    await search('');
    await expect.poll(countText).toBe('66 items');
  });

  it('labels the order by the sort, starts Name at A to Z, and lists columns with times', async () => {
    const orderButton = page.locator('.filter-bar button.secondary');
    expect(await orderButton.innerText()).toBe('Newest first');
    await page.getByLabel('Sort by').selectOption({ label: 'Name' });
    await expect.poll(() => orderButton.innerText()).toBe('A to Z');
    expect(await orderButton.getAttribute('aria-label')).toBe('A to Z; switch to Z to A');
    const firstNames = () =>
      page.locator('.tile-name').evaluateAll((els) => els.slice(0, 6).map((e) => e.textContent!));
    await expect
      .poll(async () => {
        const names = await firstNames();
        return names.every((n, i) => i === 0 || names[i - 1]!.localeCompare(n) <= 0);
      })
      .toBe(true);
    await orderButton.click();
    await expect.poll(() => orderButton.innerText()).toBe('Z to A');
    await page.getByLabel('Sort by').selectOption({ label: 'Size' });
    await expect.poll(() => orderButton.innerText()).toBe('Largest first');
    await orderButton.click();
    await expect.poll(() => orderButton.innerText()).toBe('Smallest first');

    // The list: a heading over each column, and the time of day with its zone.
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const header = page.getByRole('group', { name: 'List columns' });
    expect(await header.innerText()).toMatch(
      /^Type\s+Name[^]*\s+When it happened[^]*\s+Size[^]*\s+Tags$/,
    );
    await page.getByLabel('Sort by').selectOption({ label: 'When it happened' });
    const when = await tile('surgery.eml').locator('.list-when').innerText();
    expect(when).toBe('3 Mar 2026, 21:14 UTC');
    // A column heading sorts by its column.
    await header.getByRole('button', { name: 'Name' }).click();
    await expect.poll(() => orderButton.innerText()).toBe('A to Z');
    expect(await page.getByLabel('Sort by').inputValue()).toBe('name');
    await axe('list with columns');
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
  });

  it('badges damaged files and files with a location; a damaged item says so at the top', async () => {
    await search('broken');
    await expect.poll(() => tile('broken.png').count()).toBe(1);
    expect(await tile('broken.png').locator('.badge-problem').count()).toBe(1);
    expect(await tile('broken.png').getByRole('button').first().getAttribute('aria-label')).toMatch(
      /a problem was found when it was added/,
    );
    await search('doorstep');
    await expect.poll(() => tile('doorstep.jpg').count()).toBe(1);
    expect(await tile('doorstep.jpg').locator('.badge-location').count()).toBe(1);
    expect(await tile('doorstep.jpg').locator('.badge-problem').count()).toBe(0);
    await search('empty');
    await expect.poll(() => tile('empty.txt').count()).toBe(1);
    expect(await tile('empty.txt').locator('.badge-problem').count()).toBe(1);

    await search('broken');
    await tile('broken.png').getByRole('button').first().click();
    const banner = page.getByRole('region', { name: 'Dossier found a problem with this file' });
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/truncated or damaged/);
    // At the top, on screen without scrolling.
    const box = (await banner.boundingBox())!;
    expect(box.y).toBeLessThan(200);
    expect(await page.getByRole('dialog').getAttribute('aria-describedby')).toBe(
      'item-problem-title',
    );
    await axe('item with a problem');
    await page.keyboard.press('Escape');
    await search('');
  });

  it("keeps Tab and Shift+Tab inside the item dialog, never on the page's body", async () => {
    await search('reply');
    await tile('reply-2.png').getByRole('button').first().click();
    await page.getByRole('heading', { name: 'reply-2.png', level: 1 }).waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(FOCUS_IN_DIALOG), `after ${i + 1} Tabs`).toBe(true);
      seen.add(String(await page.evaluate(FOCUSED)));
    }
    // It went all the way round: back at the first control.
    expect(seen.has('← Back to library')).toBe(true);
    await page.getByRole('button', { name: 'Back to library' }).first().focus();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(FOCUS_IN_DIALOG)).toBe(true);
    expect(await page.evaluate(FOCUSED)).not.toBe('← Back to library');
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(FOCUS_IN_DIALOG), `after ${i + 1} Shift+Tabs`).toBe(true);
    }
    await page.keyboard.press('Escape');
    expect(watch.problems).toEqual([]);
  });
});
