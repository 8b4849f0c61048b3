/**
 * The viewer's transcript of a real export, in Debian's Chromium from file://: a WhatsApp zip
 * (its chat file deflated) and a chat .txt, two messages linked to an incident and one chosen.
 * Once the bundle folder is chosen, every message's span is cut from its original and marked
 * Matches; in a copy where one byte of a message was changed, that message (and only it) is
 * DIFFERENT.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault } from '../support/vault';
import { launchChromium } from '../support/web-app';

const run = promisify(execFile);
const missing = missingTools(['chromium']);
const title = skipTitle('the viewer checks each transcript message against its original', missing);
if (missing) console.warn(title);

describe.skipIf(missing !== null)(title, () => {
  let browser: Browser;
  let bag: string;
  let tampered: string;
  const problems: string[] = [];

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(path, 'data/viewer/index.html')).href);
    return page;
  }

  const marks = (page: Page, name: string) =>
    page
      .locator('article.exhibit', { hasText: `: ${name}` })
      .locator('.chat-message')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-number'),
          (e.querySelector('.chat-ref .status')?.textContent ?? '').trim(),
        ]),
      );

  beforeAll(async () => {
    const root = await tempDir('dossier-viewer-transcript-');
    const chat = buildChat(IOS_UK, [
      { at: [2024, 3, 14, 21, 10, 0], sender: 'Alex', text: 'hello' },
      { at: [2024, 3, 14, 21, 14, 5], sender: 'Alex', text: 'I know where you live\nand your car' },
      { at: [2024, 3, 14, 21, 15, 0], sender: 'Me', text: 'Please stop messaging me' },
      {
        at: [2024, 3, 15, 8, 2, 0],
        sender: 'Alex',
        text: 'See you at the school gate \u202egpj.exe',
      },
    ]);
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(
      join(src, 'WhatsApp Chat - Alex.zip'),
      await zipOf([{ name: '_chat.txt', data: chat.bytes }]),
    );
    await writeFile(join(src, 'chat-sam.txt'), chat.bytes);
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([src], { timeZone: 'Europe/London' });
    const zip = vault.list().find((i) => i.name === 'WhatsApp Chat - Alex.zip')!;
    const txt = vault.list().find((i) => i.name === 'chat-sam.txt')!;
    const zipMessages = vault.conversationMessages(zip.id, 0, 10);
    const incident = vault.createIncident(
      { occurredAt: '2024-03-14T21:14:05Z', place: 'WhatsApp', summary: 'Threat' },
      {},
    );
    vault.setMessageIncident(incident.id, [zipMessages[1]!.id, zipMessages[3]!.id], 'link');
    const out = join(root, 'out');
    await mkdir(out);
    const result = await vault.export({
      out,
      format: 'dir',
      selection: { incidentIds: [incident.id] },
      messageIds: [vault.conversationMessages(txt.id, 2, 1)[0]!.id],
      exhibitPrefix: 'JD',
    });
    await vault.lock();
    bag = result.path;
    tampered = join(root, 'tampered');
    await run('cp', ['-a', bag, tampered]);
    const records = JSON.parse(
      await readFile(join(bag, 'data/metadata/messages.json'), 'utf8'),
    ) as { file: string; chatFile: string | null; offset: number; length: number }[];
    const plain = records.find((r) => r.chatFile === null)!;
    const file = join(tampered, plain.file);
    const bytes = await readFile(file);
    bytes[plain.offset + plain.length - 2] = bytes[plain.offset + plain.length - 2]! ^ 0x20;
    await writeFile(file, bytes);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each transcript as a chat and, once the folder is chosen, marks every message Matches', async () => {
    const page = await open(bag);
    const zipCard = page.locator('article.exhibit', { hasText: ': WhatsApp Chat - Alex.zip' });
    expect(await zipCard.locator('.transcript h4').textContent()).toBe('Transcript: 2 messages');
    expect(await zipCard.locator('.chat-text').allTextContents()).toEqual([
      'I know where you live\nand your car',
      // A hidden direction override is shown, never obeyed.
      'See you at the school gate \\u{202e}gpj.exe',
    ]);
    // The incident lists its messages, each linked to its exhibit.
    const incident = page.locator('#incident-0');
    const zipLabel = await zipCard.getAttribute('data-number');
    expect(await incident.locator('li').allTextContents()).toEqual([
      `${zipLabel} message 2 · Alex: I know where you live`,
      `${zipLabel} message 4 · Alex: See you at the school gate \\u{202e}gpj.exe`,
    ]);
    expect(await incident.locator('li a').first().textContent()).toBe(zipLabel);
    expect(await marks(page, 'WhatsApp Chat - Alex.zip')).toEqual([
      ['2', '— Not checked yet'],
      ['4', '— Not checked yet'],
    ]);
    await page.locator('#pick').setInputFiles(bag);
    await page.locator('#verdict .verdict').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => marks(page, 'WhatsApp Chat - Alex.zip'), { timeout: 15_000 })
      .toEqual([
        ['2', '✓ Matches'],
        ['4', '✓ Matches'],
      ]);
    await expect
      .poll(() => marks(page, 'chat-sam.txt'), { timeout: 15_000 })
      .toEqual([['3', '✓ Matches']]);
    const { AxeBuilder } = await import('@axe-core/playwright');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
  });

  it('marks the message whose bytes were changed DIFFERENT, and only it', async () => {
    const page = await open(tampered);
    await page.locator('#pick').setInputFiles(tampered);
    await page.locator('#verdict .verdict').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => marks(page, 'chat-sam.txt'), { timeout: 15_000 })
      .toEqual([['3', '✗ DIFFERENT']]);
    expect(await marks(page, 'WhatsApp Chat - Alex.zip')).toEqual([
      ['2', '✓ Matches'],
      ['4', '✓ Matches'],
    ]);
    expect(
      await page
        .locator('article.exhibit', { hasText: ': chat-sam.txt' })
        .locator('.transcript .flag')
        .textContent(),
    ).toContain('1 message DIFFERENT');
  });

  it('logged no error', () => {
    expect(problems).toEqual([]);
  });
});
