/**
 * A WhatsApp export already in the vault as a plain file (a reader failed on it at import, as
 * in a vault made before conversations existed) is read as a conversation from the item view,
 * in Debian's Chromium through the bridge and the real core: the button, the date-order
 * dialog with the file's own dates read both ways, then the conversation view. axe finds no
 * violation on the item view, the dialog or the conversation. Skipped, with the reason,
 * without Chromium.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../support/vault';
import {
  launchChromium,
  ROOT,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `reading a stored export as a conversation — SKIPPED: ${skip}`
  : 'reading a stored export as a conversation (Chromium, bridge)';
if (skip) console.warn(title);

const ARTIFACTS = join(ROOT, 'test-results', 'read-as-conversation');

/** Every axe violation, whatever its impact (none is allowed), with a screenshot to look at. */
async function axeViolations(page: Page, include: string): Promise<string[]> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${include.replace(/\W+/g, '')}.png`) });
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).include(include).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Every day and month is 12 or below: nothing proves the order, so the app must ask. */
const CHAT = buildChat(IOS_UK, [
  { at: [2024, 3, 4, 9, 15, 0], sender: 'Alex', text: 'I know where you live' },
  { at: [2024, 3, 5, 21, 40, 0], sender: 'Me', text: 'Please stop messaging me' },
  { at: [2024, 3, 5, 21, 41, 0], sender: 'Alex', text: 'Watching your window tonight' },
]);

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
    const zip = join(root, 'WhatsApp Chat - Alex.zip');
    await writeFile(zip, await zipOf([{ name: '_chat.txt', data: CHAT.bytes }]));
    // A reader with a bug claims it at import: it is stored as a plain file, with a warning.
    const off = registerReaderForTests({
      format: 'whatsapp',
      detect: (_head, name) => name.endsWith('.zip'),
      open: () => Promise.reject(new Error('a bug in this reader')),
    });
    const r = await vault.add([zip]);
    off();
    expect(r.added).toBe(1);
    expect(vault.conversations.has(r.results[0]!.status === 'added' ? r.results[0]!.id : '')).toBe(
      false,
    );
    await vault.lock();
    app = await startWebApp({ DOSSIER_VAULT: dir });
    browser = await launchChromium();
    // axe needs a page made from a context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch = watchPage(page, app.origin);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('item view → "Read as a conversation" → the date-order dialog → the conversation view', async () => {
    await page.goto(app!.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const tile = page.locator('.tile-open', { hasText: 'WhatsApp Chat - Alex.zip' });
    await tile.waitFor({ timeout: 30_000 });
    await tile.click();

    const item = page.getByRole('dialog', { name: 'WhatsApp Chat - Alex.zip' });
    const read = item.getByRole('button', { name: 'Read as a conversation' });
    await read.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain('This file looks like a WhatsApp export.');
    expect(await axeViolations(page, '.item-view')).toEqual([]);
    await read.click();

    const dialog = page.getByRole('dialog', { name: /Which way round are the dates/ });
    await dialog.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => dialog.locator('.chat-examples li').count(), { timeout: 15_000 })
      .toBe(6); // three dates, each read both ways
    expect(await dialog.getByRole('list', { name: 'Read day first' }).innerText()).toContain(
      '4 Mar 2024',
    );
    expect(await dialog.getByRole('list', { name: 'Read month first' }).innerText()).toContain(
      '3 Apr 2024',
    );
    expect(await dialog.innerText()).toContain('The file stays as it is in the vault');
    expect(await axeViolations(page, '.chat-choice')).toEqual([]);
    await dialog.getByLabel('Day first (dd/mm/yyyy)').check();
    await dialog.getByLabel('Find a zone').fill('london');
    await dialog.getByLabel('Time zone', { exact: true }).selectOption('Europe/London');
    await dialog.getByRole('button', { name: 'Read with these' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The conversation view opens over the library, the item view gone.
    const view = page.getByRole('dialog', { name: /WhatsApp Chat/ });
    await view.locator('.conversation-view, .msg-card').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => view.locator('.msg-card').count(), { timeout: 15_000 }).toBe(3);
    expect(await view.locator('.msg-card[data-index="0"]').innerText()).toContain(
      '4 Mar 2024, 09:15:00 UTC',
    );
    expect(await page.locator('.item-view:not(.conversation-view)').count()).toBe(0);
    expect(await axeViolations(page, '.conversation-view')).toEqual([]);

    // The library lists it as a conversation now.
    await expect
      .poll(() => tile.innerText(), { timeout: 15_000 })
      .toContain('3 messages · Alex, Me · 4 Mar 2024 – 5 Mar 2024');
    expect(watch.problems).toEqual([]);
  }, 120_000);
});
