/**
 * Issue 12 end to end, in Debian's Chromium through the bridge and the real core: a WhatsApp
 * export whose dates do not say which is the day is imported through the picker; the app
 * asks, showing its dates read both ways, and imports it with the answer; the conversation
 * opens as a chat; a word is found in it; two messages are selected and linked to a new
 * incident; the timeline shows them under it, and opens the conversation at one. axe finds
 * no violation on the dialog or the conversation view. Then the case is exported through the
 * wizard, and both messages are in the bundle's transcript (bundle.pdf, and messages.json with
 * spans that hash to the chat text inside the exported zip). Skipped, with the reason, without
 * Chromium or pdftotext.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScreenshotPng } from '../fixtures/evidence';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { missingTools } from '../support/tools';
import {
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  startExport,
  ROOT,
  webSkipReason,
  type AppInChromium,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason() ?? missingTools(['pdftotext']);
const title = skip
  ? `conversations in the app — SKIPPED: ${skip}`
  : 'conversations in the app (Chromium, bridge)';
if (skip) console.warn(title);

const ARTIFACTS = join(ROOT, 'test-results', 'conversation');

/** Every axe violation, whatever its impact (none is allowed), with a screenshot to look at. */
async function axeViolations(page: Page, include: string, shot = ''): Promise<string[]> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${include.replace(/\W+/g, '')}${shot}.png`) });
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).include(include).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

const PHOTO = '00000005-PHOTO-2024-03-06-07-05-00.png';

/** Every day and month is 12 or below: nothing proves the order, so the app must ask. */
const CHAT = buildChat(IOS_UK, [
  { at: [2024, 3, 4, 9, 15, 0], sender: 'Alex', text: 'I know where you live' },
  { at: [2024, 3, 5, 21, 40, 0], sender: 'Me', text: 'Please stop messaging me' },
  { at: [2024, 3, 5, 21, 41, 0], sender: 'Alex', text: 'Watching your window tonight' },
  { at: [2024, 3, 6, 7, 2, 0], sender: 'Alex', text: 'You will regret it\nsee you soon' },
  { at: [2024, 3, 6, 7, 5, 0], sender: 'Alex', text: `\u200e<attached: ${PHOTO}>` },
]);

/**
 * Exports everything through the wizard; the messages linked to the incident are in the
 * court bundle's transcript and in messages.json, each span hashing to its bytes.
 */
async function exportAndFindTranscript(page: Page): Promise<void> {
  const out = await tempDir();
  await page
    .getByRole('dialog', { name: /WhatsApp Chat/ })
    .getByRole('button', { name: '← Back to library' })
    .click();
  await openExportWizard(page, 'Alex');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();
  await startExport(page, out);
  const [bag] = await readdir(out);
  const data = join(out, bag!, 'data');
  const pdf = spawnSync('pdftotext', ['-layout', join(data, 'report/bundle.pdf'), '-'], {
    encoding: 'utf8',
  }).stdout.replace(/\s+/g, ' ');
  expect(pdf).toContain('I know where you live');
  expect(pdf).toContain('Watching your window tonight');
  expect(pdf).toMatch(/_chat\.txt\s+line 1\b/);

  const messages = JSON.parse(await readFile(join(data, 'metadata/messages.json'), 'utf8')) as {
    text: string;
    chatFile: string | null;
    offset: number;
    length: number;
    sha256: string;
  }[];
  expect(messages.map((m) => m.text)).toEqual([
    'I know where you live',
    'Watching your window tonight',
  ]);
  for (const m of messages) {
    expect(m.chatFile).toBe('_chat.txt');
    const cut = CHAT.bytes.subarray(m.offset, m.offset + m.length);
    expect(createHash('sha256').update(cut).digest('hex')).toBe(m.sha256);
  }
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

  it('asks the date order, opens the chat, finds a word, links two messages to an incident, shows them on the timeline', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);

    const zip = join(await tempDir(), 'WhatsApp Chat - Alex.zip');
    await writeFile(
      zip,
      await zipOf([
        { name: '_chat.txt', data: CHAT.bytes },
        { name: PHOTO, data: await makeScreenshotPng(120, 200, 7) },
      ]),
    );
    await page.getByTestId('file-input').setInputFiles(zip);

    // The question, with the file's own dates read both ways.
    const dialog = page.getByRole('dialog', { name: /Which way round are the dates/ });
    await dialog.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => dialog.locator('.chat-examples li').count(), { timeout: 15_000 })
      .toBe(6); // three dates, each read both ways
    const dayFirst = await dialog.getByRole('list', { name: 'Read day first' }).innerText();
    const monthFirst = await dialog.getByRole('list', { name: 'Read month first' }).innerText();
    expect(dayFirst).toContain('4 Mar 2024');
    expect(monthFirst).toContain('3 Apr 2024');
    expect(await dialog.innerText()).toMatch(/This computer’s zone is \S+/);
    expect(await axeViolations(page, '.chat-choice')).toEqual([]);

    await dialog.getByLabel('Day first (dd/mm/yyyy)').check();
    await dialog.getByLabel('Find a zone').fill('london');
    await dialog.getByLabel('Time zone', { exact: true }).selectOption('Europe/London');
    await dialog.getByRole('button', { name: 'Import with these' }).click();
    await dialog.waitFor({ state: 'detached' });
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

    // The library shows it as one conversation at a glance.
    const tile = page.locator('.tile-open', { hasText: 'WhatsApp Chat - Alex.zip' });
    await expect
      .poll(() => tile.innerText(), { timeout: 15_000 })
      .toContain('5 messages · Alex, Me · 4 Mar 2024 – 6 Mar 2024');
    await tile.click();

    const view = page.getByRole('dialog', { name: /WhatsApp Chat/ });
    await view.getByRole('heading', { level: 1 }).waitFor();
    const cards = view.locator('.msg-card');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(5);
    const first = view.locator('.msg-card[data-index="0"]');
    expect(await first.innerText()).toContain(
      'as shown in the export, in the zone you confirmed (Europe/London)',
    );
    expect(await first.innerText()).toContain('4 Mar 2024, 09:15:00 UTC');
    expect(await view.locator('.msg-card[data-index="3"]').innerText()).toContain(
      'You will regret it\nsee you soon',
    );

    // The photo from the zip is an item of its own, shown inline; it opens over the chat.
    const photo = view.getByRole('button', { name: `Open ${PHOTO}` });
    await expect
      .poll(
        () =>
          photo.locator('img').evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThan(0);
    await photo.click();
    const item = page.getByRole('dialog', { name: PHOTO });
    await item.waitFor();
    await item.getByRole('button', { name: '← Back to library' }).click();
    await item.waitFor({ state: 'detached' });

    // Search within it: one hit, highlighted, counted.
    await view.getByLabel('Search messages').fill('window');
    await view.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => view.locator('.search-count').innerText()).toBe('1 of 1');
    expect(await view.locator('.msg.highlighted mark').innerText()).toBe('window');
    expect(await view.locator('.msg.highlighted .msg-card').getAttribute('data-index')).toBe('2');

    // Select two messages: a click, then Ctrl-click; the keyboard extends with Shift+Up.
    await view.locator('.msg-card[data-index="0"]').click();
    await view.locator('.msg-card[data-index="2"]').click({ modifiers: ['Control'] });
    await view.getByText('2 messages selected').waitFor();
    await page.keyboard.press('Shift+ArrowUp');
    await view.getByText('2 messages selected').waitFor(); // 2..1 from the anchor at 2
    expect(
      await view
        .locator('.msg.selected .msg-card')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-index'))),
    ).toEqual(['1', '2']);
    // Back to the two wanted, by keyboard: Space toggles.
    await page.keyboard.press('Space'); // 1 off
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space'); // 0 on
    await view.getByText('2 messages selected').waitFor();
    expect(await axeViolations(page, '.conversation-view')).toEqual([]);

    await view.getByRole('button', { name: 'Link to incident…' }).click();
    await view.getByLabel('Incident', { exact: true }).selectOption('new');
    await view.getByLabel('What happened').fill('Threats about my home');
    await view.getByRole('button', { name: 'Create and link' }).click();
    await view.getByText('2 messages linked to the incident.').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => view.locator('.msg .badge', { hasText: /^Incident/ }).count(), {
        timeout: 15_000,
      })
      .toBe(2);

    // Tag them, note them, and say who their sender is: the rows show each.
    await view.getByRole('button', { name: 'Tag…' }).click();
    await view.getByLabel('Tag for the 2 messages').fill('threat');
    await view.getByRole('button', { name: 'Add tag' }).click();
    await view.getByText('2 messages tagged "threat".').waitFor({ timeout: 15_000 });
    // The form closed; focus went back to the button that opened it.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Tag…');
    await view.getByRole('button', { name: 'Note…' }).click();
    await view.getByLabel('Note (added to each of the 2 messages)').fill('Sent the night of');
    await view.getByRole('button', { name: 'Add note' }).click();
    await view.getByText('Note added to 2 messages.').waitFor({ timeout: 15_000 });
    await view.getByRole('button', { name: 'This sender is…' }).click();
    await view.getByLabel('Person', { exact: true }).selectOption('new');
    await view.getByLabel('Their name').fill('Alex Jones');
    await view.getByRole('button', { name: 'Mark sender' }).click();
    await view.getByText(/This sender is now Alex Jones: 4 messages from them/).waitFor({
      timeout: 15_000,
    });
    await expect
      .poll(() => view.locator('.msg-card[data-index="2"] .msg-marks').innerText(), {
        timeout: 15_000,
      })
      .toMatch(/threat[\s\S]*1 note[\s\S]*Incident/);
    await expect
      .poll(() => view.locator('.msg-card[data-index="3"] .msg-sender').innerText())
      .toContain('Alex Jones');

    expect(await axeViolations(page, '.conversation-view', 'after-actions')).toEqual([]);

    // Go to a date: the first message on or after it.
    await view.getByLabel('Go to date').fill('2024-03-06');
    await view.getByRole('button', { name: 'Go', exact: true }).click();
    await expect
      .poll(() => view.locator('.msg.highlighted .msg-card').getAttribute('data-index'))
      .toBe('3');

    // The timeline shows both under the incident; one opens the chat at that message.
    await view.getByRole('button', { name: '← Back to library' }).click();
    await page.getByRole('button', { name: 'Timeline' }).click();
    const linked = page.getByRole('list', { name: 'Messages linked to this incident' });
    await linked.waitFor({ timeout: 15_000 });
    const lines = await linked.locator('li').allInnerTexts();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('I know where you live');
    expect(lines[1]).toContain('Watching your window tonight');
    await linked.getByRole('button', { name: /Watching your window/ }).click();
    const reopened = page.getByRole('dialog', { name: /WhatsApp Chat/ });
    await expect
      .poll(() => reopened.locator('.msg.highlighted .msg-card').getAttribute('data-index'), {
        timeout: 15_000,
      })
      .toBe('2');

    // A library search for a word of a message opens the chat at that message.
    await reopened.getByRole('button', { name: '← Back to library' }).click();
    await page.getByRole('button', { name: 'Library' }).click();
    await page.getByLabel('Search names, notes and text').fill('regret');
    const hit = page.locator('.tile-open', { hasText: 'WhatsApp Chat - Alex.zip' });
    await expect
      .poll(() => hit.locator('.tile-snippet mark').allInnerTexts(), { timeout: 15_000 })
      .toEqual(['regret']);
    await hit.click();
    await expect
      .poll(
        () =>
          page
            .getByRole('dialog', { name: /WhatsApp Chat/ })
            .locator('.msg.highlighted .msg-card')
            .getAttribute('data-index'),
        { timeout: 15_000 },
      )
      .toBe('3');

    await exportAndFindTranscript(page);
    expect(watch.problems).toEqual([]);
  });
});
