/**
 * Opening a bundle for review from the app's start screen (issue 14), in Debian's Chromium
 * through the bridge and the real core, with no vault: the bundle's folder by its typed path,
 * the banner with the fingerprint, browsing (library, item, chat transcript, timeline,
 * incidents, people, custody log) with no control that changes anything, and "Close the
 * bundle"; a .zip.age with a wrong passphrase, then the right one; a tampered copy with its
 * problems named and the failing exhibit marked in the library and the item view; and from an
 * unlocked vault, locked first. axe on the start screen, the banner, the library and the item
 * view. Skipped, with the reason, without Chromium.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_PASSPHRASE, makeReviewBundles, type ReviewBundles } from '../support/review-bundle';
import { tempDir } from '../support/tmp';
import {
  createVaultInPage,
  launchChromium,
  seriousAxeViolations,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `opening a bundle for review in the app — SKIPPED: ${skip}`
  : 'opening a bundle for review from the start screen (Chromium, bridge, real core)';
if (skip) console.warn(title);

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-results', 'review-app');

/** Words of controls that change something: none may be on screen while reviewing. */
const EDIT_CONTROLS = [
  'Add files',
  'Add folder',
  'Rename',
  'Add note',
  'Add tag',
  'Mark a region',
  'Add region by numbers',
  'Remove…',
  'Remove',
  'New incident',
  'New person',
  'Link person',
  'Export',
  'Settings',
  'Review a bundle…',
  'Read again',
];

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };
  let b: ReviewBundles;
  let tampered: string;
  let tamperedFile: string;
  let root: string;

  beforeAll(async () => {
    root = await tempDir();
    b = await makeReviewBundles(root);
    // A copy with one byte of the email (JD3) changed.
    tampered = join(root, 'tampered');
    await cp(b.folder, tampered, { recursive: true });
    const items = JSON.parse(
      await readFile(join(tampered, 'data/metadata/items.json'), 'utf8'),
    ) as { number: string; bagPath: string }[];
    tamperedFile = items.find((e) => e.number === 'JD3')!.bagPath;
    const bytes = await readFile(join(tampered, tamperedFile));
    bytes[bytes.length - 3]! ^= 0x20;
    await writeFile(join(tampered, tamperedFile), bytes);

    await mkdir(ARTIFACTS, { recursive: true });
    app = await startWebApp({ DOSSIER_VAULT: join(root, 'no-vault-here') });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch = watchPage(page, app.origin);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Screenshot, then axe: no violation of any impact (not only the serious ones). */
  const axe = async (where: string, frames = true) => {
    await page.screenshot({ path: join(ARTIFACTS, `${where.replace(/\W+/g, '-')}.png`) });
    expect(await seriousAxeViolations(page, { frames }), where).toEqual([]);
    const { AxeBuilder } = await import('@axe-core/playwright');
    const builder = new AxeBuilder({ page });
    if (!frames) builder.options({ iframes: false }).setLegacyMode(true);
    const all = (await builder.analyze()).violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(all, where).toEqual([]);
  };
  const banner = () => page.getByRole('region', { name: /^Reviewing / });
  /** Every edit control's words that can be seen now (none is expected). */
  const editControlsShown = async (): Promise<string[]> => {
    const shown: string[] = [];
    for (const name of EDIT_CONTROLS) {
      const controls = page.getByRole('button', { name, exact: true });
      for (const c of await controls.all()) if (await c.isVisible()) shown.push(name);
    }
    for (const label of ['Add a note', 'Add a tag', 'New name']) {
      if (await page.getByLabel(label, { exact: true }).count()) shown.push(label);
    }
    return shown;
  };
  const openFromStart = async (path: string) => {
    await page.getByRole('button', { name: 'Open an evidence bundle for review' }).click();
    await page.getByRole('heading', { name: 'Open an evidence bundle for review' }).waitFor();
    await page.getByLabel('Full path of the bundle').fill(path);
  };

  it('opens a bundle folder from the start screen, browses it read-only, and closes it', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    await expect(
      page.getByRole('button', { name: 'Open an evidence bundle for review' }).isVisible(),
    ).resolves.toBe(true);
    await axe('start screen');

    await openFromStart(b.folder);
    await axe('open a bundle');
    await page.getByRole('button', { name: 'Open for review' }).click();

    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });
    const heading = await banner().getByRole('heading', { level: 2 }).innerText();
    expect(heading).toMatch(
      /^Reviewing R v Unknown — a bundle made by Jane Doe MP on \d{1,2} [A-Z][a-z]{2} \d{4}; read-only$/,
    );
    const text = await banner().innerText();
    expect(text).toMatch(/nothing in the bundle was changed since it was made/);
    expect(text).toMatch(
      /Compare this fingerprint with the one Jane Doe MP gave you by phone or letter\./,
    );
    const fingerprint = await banner().locator('.copy-value code').innerText();
    expect(fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4})+$/);
    await banner().getByRole('button', { name: 'Copy signing-key fingerprint' }).waitFor();
    await page.getByRole('button', { name: /reply\.png/ }).waitFor();
    await page.getByRole('button', { name: /email\.txt/ }).waitFor();
    // Only the screens that read, and the adviser's own review (kept outside the bundle);
    // nothing that would change the bundle.
    const nav = await page.getByRole('navigation', { name: 'Sections' }).innerText();
    expect(nav.split('\n').map((s) => s.trim())).toEqual([
      'Library',
      'Incidents',
      'Timeline',
      'People',
      'Custody log',
      'Your review',
    ]);
    expect(await editControlsShown()).toEqual([]);
    await axe('library while reviewing');

    // Search works on the bundle's words.
    await page.getByLabel('Search names, notes and text').fill('children');
    await expect.poll(() => page.locator('.tile-open').count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('Search names, notes and text').fill('');

    // The picture at full size with its region marks; its note and tag read, not edited.
    await page.getByRole('button', { name: /reply\.png/ }).click();
    await page.getByText('This line is the threat').first().waitFor({ timeout: 15_000 });
    await page.getByText('reply to my constituency post').waitFor();
    // Nothing is read in a bundle under review: no promise of a reading to come.
    await page.getByText('The bundle holds no text read from this picture.').waitFor();
    expect(await page.locator('.review-strip').innerText()).toMatch(
      /^Reviewing R v Unknown — .*; read-only\.$/,
    );
    expect(await editControlsShown()).toEqual([]);
    await axe('item view while reviewing');
    await page.keyboard.press('Escape');

    // The chat exhibit reads as its transcript; a chosen message offers nothing to change.
    await page.getByRole('button', { name: /WhatsApp Chat/ }).click();
    const chatButton = page.getByRole('button', { name: /Read it as a conversation/ });
    if (await chatButton.isVisible().catch(() => false)) await chatButton.click();
    await page.getByText('I know where you live').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.review-strip').first().innerText()).toMatch(
      /^Reviewing R v Unknown/,
    );
    const check = page.getByRole('checkbox', { name: /^Select message/ }).first();
    await check.check();
    expect(await check.isChecked()).toBe(true); // chosen, yet no action is offered
    expect(await page.locator('.message-actions').count()).toBe(0);
    expect(await editControlsShown()).toEqual([]);
    await page.getByRole('button', { name: '← Back to library' }).click();
    await page.locator('.review-strip').waitFor({ state: 'detached' });

    // The timeline lists the incident with its linked messages.
    await page.getByRole('button', { name: 'Timeline', exact: true }).click();
    await page.getByText('Threat about my children').first().waitFor({ timeout: 15_000 });

    // Incidents and people are read, not edited.
    await page.getByRole('button', { name: 'Incidents', exact: true }).click();
    await page.getByRole('button', { name: /Email/ }).first().click();
    await page.getByText('Threat about my children').first().waitFor();
    expect(await editControlsShown()).toEqual([]);
    await page.getByRole('button', { name: 'People', exact: true }).click();
    await page.getByRole('button', { name: /Anonymous sender/ }).click();
    await page.getByText('anon@example.com').first().waitFor();
    expect(await editControlsShown()).toEqual([]);
    await page.getByRole('button', { name: 'Custody log', exact: true }).click();
    await page.getByRole('heading', { name: 'Custody log', level: 1 }).waitFor();

    await banner().getByRole('button', { name: 'Close the bundle' }).click();
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    expect(watch.problems).toEqual([]);
  }, 180_000);

  it('a .zip.age asks for its passphrase; a wrong one is said plainly; the right one opens it', async () => {
    await page.goto(app.url);
    await openFromStart(b.age);
    const passphrase = page.getByLabel('Passphrase for the bundle');
    await passphrase.waitFor();
    await passphrase.fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Open for review' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toMatch(/^Wrong passphrase\. That passphrase does not open/);
    expect(await passphrase.getAttribute('aria-invalid')).toBe('true');
    await passphrase.fill(BUNDLE_PASSPHRASE);
    await page.getByRole('button', { name: 'Open for review' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });
    expect(await banner().getByRole('heading', { level: 2 }).innerText()).toMatch(
      /^Reviewing R v Unknown/,
    );
    await banner().getByRole('button', { name: 'Close the bundle' }).click();
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    expect(watch.problems).toEqual([]);
  }, 180_000);

  it('a tampered bundle opens with its problems named, and the failing exhibit marked', async () => {
    await page.goto(app.url);
    await openFromStart(tampered);
    await page.getByRole('button', { name: 'Open for review' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });
    const text = await banner().innerText();
    expect(text).toMatch(/This bundle failed verification/);
    expect(text).toContain(`${tamperedFile} (exhibit JD3): `);
    await axe('banner of a tampered bundle');

    // In the library: the email's tile says so, in words a screen reader hears too.
    const tile = page.locator('.tile.failing');
    await tile.waitFor({ timeout: 15_000 });
    expect(await page.locator('.tile.failing').count()).toBe(1);
    expect(await tile.getByRole('button').getAttribute('aria-label')).toMatch(
      /email\.txt, exhibit JD3: This file does not match the bundle's manifest: do not rely on it\./,
    );
    // The others are not marked.
    expect(await page.locator('.tile', { hasText: 'reply.png' }).getAttribute('class')).not.toMatch(
      /failing/,
    );

    // In the item view.
    await tile.getByRole('button').click();
    const warning = page.locator('.failing-exhibit');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.innerText()).toMatch(
      /Exhibit JD3: This file does not match the bundle's manifest: do not rely on it\./,
    );
    expect(await page.locator('.review-strip').innerText()).toMatch(
      /This bundle failed verification\./,
    );
    await page
      .getByText('Dossier does not show this file: it is not the file that was exported')
      .waitFor();
    await axe('item view of a failing exhibit', false);
    await page.keyboard.press('Escape');
    await banner().getByRole('button', { name: 'Close the bundle' }).click();
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    // The changed file is not even asked for (main would refuse it): no failed request.
    expect(watch.problems).toEqual([]);
  }, 180_000);

  it('from an unlocked vault: says the vault is locked first, locks it, and opens the bundle', async () => {
    const own = await startWebApp({ DOSSIER_VAULT: join(root, 'own-vault') });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const mine = await context.newPage();
    const seen = watchPage(mine, own.origin);
    try {
      await mine.goto(own.url);
      await createVaultInPage(mine);
      await mine.getByRole('button', { name: 'Review a bundle…' }).click();
      const ask = mine.getByRole('region', { name: 'Open an evidence bundle for review' });
      expect(await ask.innerText()).toMatch(/Your vault will be locked first/);
      await ask.getByRole('button', { name: 'Lock my vault and open a bundle' }).click();
      // The page reloads locked, straight into the form.
      await mine
        .getByRole('heading', { name: 'Open an evidence bundle for review', level: 1 })
        .waitFor({ timeout: 30_000 });
      await mine.getByLabel('Full path of the bundle').fill(b.zip);
      await mine.getByRole('button', { name: 'Open for review' }).click();
      await mine.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });
      const reviewing = mine.getByRole('region', { name: /^Reviewing R v Unknown/ });
      await reviewing.getByRole('button', { name: 'Close the bundle' }).click();
      // Back to the start screen of this computer's own vault: locked.
      await mine.getByRole('heading', { name: 'Unlock Dossier' }).waitFor();
      await mine.getByRole('button', { name: 'Open an evidence bundle for review' }).waitFor();
      expect(seen.problems).toEqual([]);
    } finally {
      await context.close();
      await own.stop();
    }
  }, 180_000);
});
