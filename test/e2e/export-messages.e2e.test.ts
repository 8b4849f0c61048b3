/**
 * Issue 12, "the linked OR SELECTED messages are printed in the report and court bundle", from
 * the app, in Debian's Chromium through the bridge and the real core: a WhatsApp zip is
 * imported; two messages linked to no incident are selected and "Export these messages…"
 * opens the wizard on them (focus on its step heading); the choice survives the steps; the
 * bundle's transcript (bundle.pdf read by pdftotext, and data/metadata/messages.json) holds
 * exactly those two. Chosen again, one is removed in the wizard: the page count drops and
 * the next bundle holds the other alone. The choice is gone after each export and after a
 * lock. axe finds no violation on the wizard or the conversation. Skipped, with the reason,
 * without Chromium or pdftotext.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { missingTools } from '../support/tools';
import {
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  PASSPHRASE,
  ROOT,
  startExport,
  webSkipReason,
  type AppInChromium,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason() ?? missingTools(['pdftotext']);
const title = skip
  ? `exporting chosen messages from the app — SKIPPED: ${skip}`
  : 'exporting chosen messages from the app (Chromium, bridge)';
if (skip) console.warn(title);

const ARTIFACTS = join(ROOT, 'test-results', 'export-messages');

async function axeViolations(page: Page, include: string, shot: string): Promise<string[]> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`) });
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).include(include).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Message 3 (index 3) is long: 200 lines, pages of the transcript on its own. */
const LONG = Array.from({ length: 200 }, (_, i) => `line ${i + 1} of the long threat`).join('\n');
const CHAT = buildChat(IOS_UK, [
  { at: [2024, 3, 4, 9, 15, 0], sender: 'Alex', text: 'Opening words from Alex' },
  { at: [2024, 3, 5, 21, 40, 0], sender: 'Alex', text: 'I know your car registration' },
  { at: [2024, 3, 5, 21, 41, 0], sender: 'Me', text: 'Leave me alone' },
  { at: [2024, 3, 6, 7, 2, 0], sender: 'Alex', text: LONG },
  { at: [2024, 3, 6, 7, 5, 0], sender: 'Alex', text: 'Closing words from Alex' },
]);
const SHORT = 'I know your car registration';
const OTHERS = ['Opening words from Alex', 'Leave me alone', 'Closing words from Alex'];

interface Transcript {
  pdf: string;
  messages: { text: string; index: number; selected: boolean }[];
}

/** The written bundle's transcript, with every span checked against the chat's bytes. */
async function transcriptOf(out: string): Promise<Transcript> {
  const [bag] = await readdir(out);
  const data = join(out, bag!, 'data');
  const pdf = spawnSync('pdftotext', ['-layout', join(data, 'report/bundle.pdf'), '-'], {
    encoding: 'utf8',
  }).stdout.replace(/\s+/g, ' ');
  const messages = JSON.parse(await readFile(join(data, 'metadata/messages.json'), 'utf8')) as {
    text: string;
    index: number;
    selected: boolean;
    chatFile: string | null;
    offset: number;
    length: number;
    sha256: string;
  }[];
  for (const m of messages) {
    expect(m.chatFile).toBe('_chat.txt');
    const cut = CHAT.bytes.subarray(m.offset, m.offset + m.length);
    expect(createHash('sha256').update(cut).digest('hex')).toBe(m.sha256);
  }
  return { pdf, messages };
}

/** Opens the conversation from its tile and selects these messages by index. */
async function selectInChat(page: Page, indices: number[]): Promise<void> {
  await page.locator('.tile-open', { hasText: 'WhatsApp Chat - Alex.zip' }).click();
  const view = page.getByRole('dialog', { name: /WhatsApp Chat/ });
  await expect.poll(() => view.locator('.msg-card').count(), { timeout: 45_000 }).toBe(5);
  for (const [i, index] of indices.entries()) {
    await view
      .locator(`.msg-card[data-index="${index}"]`)
      .click(i === 0 ? {} : { modifiers: ['Control'] });
  }
  await view.getByText(`${indices.length} messages selected`).waitFor();
}

/** The wizard's step 3 page count ("Court bundle: N pages"), once counted. */
async function pageCount(page: Page): Promise<number> {
  const line = page.locator('#bundle-pages');
  await expect.poll(() => line.innerText(), { timeout: 30_000 }).toMatch(/\d+ pages?$/);
  return Number(/([\d,]+) pages?$/.exec(await line.innerText())![1]!.replace(/,/g, ''));
}

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

  it('exports just the messages chosen in a conversation, and follows a removal', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);

    const zip = join(await tempDir(), 'WhatsApp Chat - Alex.zip');
    await writeFile(zip, await zipOf([{ name: '_chat.txt', data: CHAT.bytes }]));
    await page.getByTestId('file-input').setInputFiles(zip);
    const question = page.getByRole('dialog', { name: /Which way round are the dates/ });
    await question.waitFor({ timeout: 30_000 });
    await question.getByLabel('Day first (dd/mm/yyyy)').check();
    await question.getByLabel('Find a zone').fill('london');
    await question.getByLabel('Time zone', { exact: true }).selectOption('Europe/London');
    await question.getByRole('button', { name: 'Import with these' }).click();
    await question.waitFor({ state: 'detached' });
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
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Close' }).click();

    // Two messages linked to no incident: the short one and the long one.
    await selectInChat(page, [1, 3]);
    const view = page.getByRole('dialog', { name: /WhatsApp Chat/ });
    const action = view.getByRole('button', { name: 'Export these messages…' });
    expect(await action.getAttribute('aria-describedby')).toBe('export-these-hint');
    expect(await axeViolations(page, '.conversation-view', 'conversation')).toEqual([]);
    // By keyboard: the action is a button in the Tab order.
    await action.focus();
    await page.keyboard.press('Enter');
    await view.waitFor({ state: 'detached' });

    // The wizard, on its first step, with the two chosen and the focus on the step's heading.
    const stepTitle = page.getByRole('heading', { name: 'Step 1 of 5: What' });
    await stepTitle.waitFor();
    await expect
      .poll(() => page.evaluate('document.activeElement?.textContent'))
      .toBe('Step 1 of 5: What');
    expect(await page.getByLabel('Chosen messages only').isChecked()).toBe(true);
    const list = page.getByRole('list', { name: 'Chosen messages from WhatsApp Chat - Alex' });
    expect(await list.locator('li').allInnerTexts()).toEqual([
      expect.stringContaining(`Message 2, Alex, 5 Mar 2024, 21:40 UTC: ${SHORT}`),
      expect.stringContaining('Message 4, Alex, 6 Mar 2024, 07:02 UTC: line 1 of the long threat'),
    ]);
    const chosen = page.locator('.chosen-messages');
    expect(await chosen.innerText()).toContain(
      '2 messages, 5 Mar 2024, 21:40 UTC to 6 Mar 2024, 07:02 UTC',
    );
    expect(await page.locator('.export-count').innerText()).toBe(
      'This export will contain 1 item, with 2 chosen messages in the transcript.',
    );
    expect(await axeViolations(page, '.export-wizard', 'wizard-chosen')).toEqual([]);

    // Forth and back: the choice is still there.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Case name').fill('Alex');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();
    expect(await page.locator('#export-chosen-count').innerText()).toBe(
      'Chosen messages in the transcript: 2',
    );
    const withBoth = await pageCount(page);
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    await stepTitle.waitFor();
    expect(await list.locator('li').count()).toBe(2);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const out = await tempDir();
    await startExport(page, out);

    const both = await transcriptOf(out);
    expect(both.messages.map((m) => m.index)).toEqual([1, 3]);
    expect(both.messages.every((m) => m.selected)).toBe(true);
    expect(both.pdf).toContain(SHORT);
    expect(both.pdf).toContain('line 200 of the long threat');
    for (const other of OTHERS) expect(both.pdf).not.toContain(other);

    // Once written, the choice is cleared: a new export has none.
    await page.getByRole('button', { name: 'New export' }).click();
    await stepTitle.waitFor();
    expect(await chosen.innerText()).toContain('No messages are chosen.');
    expect(await page.getByLabel('Chosen messages only').isDisabled()).toBe(true);

    // Chosen again; the long one is removed in the wizard, by keyboard.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Library', exact: true })
      .click();
    await selectInChat(page, [1, 3]);
    await page.getByRole('button', { name: 'Export these messages…' }).click();
    await stepTitle.waitFor();
    await page.getByRole('button', { name: /^Remove message 4 from Alex/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => list.locator('li').count()).toBe(1);
    // The focus goes to the message left, not to the page.
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe(
      'Remove message 2 from Alex, 5 Mar 2024, 21:40 UTC',
    );
    expect(await chosen.getByRole('status').innerText()).toBe('Removed message 4. 1 message left.');
    expect(await axeViolations(page, '.export-wizard', 'wizard-removed')).toEqual([]);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Case name').fill('Alex');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.locator('#export-chosen-count').innerText()).toBe(
      'Chosen messages in the transcript: 1',
    );
    expect(await pageCount(page)).toBeLessThan(withBoth);
    const out2 = await tempDir();
    await startExport(page, out2);
    const one = await transcriptOf(out2);
    expect(one.messages.map((m) => m.index)).toEqual([1]);
    expect(one.pdf).toContain(SHORT);
    expect(one.pdf).not.toContain('long threat');
    for (const other of OTHERS) expect(one.pdf).not.toContain(other);

    // Chosen, then the vault locks: unlocked again, nothing is chosen.
    await page.getByRole('button', { name: 'New export' }).click();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Library', exact: true })
      .click();
    await selectInChat(page, [0, 4]);
    await page.getByRole('button', { name: 'Export these messages…' }).click();
    await expect.poll(() => list.locator('li').count()).toBe(2);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Dossier' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Export', exact: true })
      .click();
    await stepTitle.waitFor();
    expect(await chosen.innerText()).toContain('No messages are chosen.');

    expect(watch.problems).toEqual([]);
  });
});
