/**
 * Issue 15 in the app, in Debian's Chromium through the bridge and the real core: an email is
 * redacted in two passages, one selected with the mouse and one with Shift and the arrow keys
 * in the read-only text, each with its reason; the preview shows "[REDACTED: …]" in their
 * place; saving opens the new item with "Redacted copy of threat.eml: 2 passages covered (…)",
 * whose text holds neither passage. axe finds no violation in the new panel.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  ROOT,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const ARTIFACTS = join(ROOT, 'test-results', 'redact-text');

const skip = webSkipReason();
const title = skip
  ? `redacted copies of emails in the app — SKIPPED: ${skip}`
  : 'redacted copies of emails in the app (Chromium, bridge)';
if (skip) console.warn(title);

/** The little of the page's DOM the measuring below uses (the tests compile without DOM types). */
interface Box {
  style: Record<string, string>;
  textContent: string;
  offsetLeft: number;
  offsetTop: number;
  offsetHeight: number;
  appendChild(child: Box): void;
  remove(): void;
}
interface PageGlobals {
  getComputedStyle(el: unknown): Record<string, string>;
  document: { createElement(tag: string): Box; body: Box };
}

/** What the test reads of a text area in the page. */
interface Area {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

const EMAIL = [
  'From: Alex <alex@example.com>',
  'To: Sam <sam@example.org>',
  'Subject: I know where you are',
  'Date: Fri, 01 Mar 2024 21:00:00 +0000',
  'X-Secret-Header: HEADER-MARKER-41',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'I saw you outside 12 Elm Street yesterday.',
  'Say hello to Jo for me.',
  'You cannot hide.',
  '',
].join('\r\n');

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium({ viewport: { width: 1280, height: 900 } });
    ({ app, page, watch } = started);
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(() => closeAppInChromium(started));

  const axe = async (where: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${where.replace(/\W+/g, '-')}.png`) });
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).include('.item-view').analyze();
    expect(
      result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`),
      where,
    ).toEqual([]);
  };
  const focusedId = () =>
    page.evaluate('document.activeElement ? document.activeElement.id : ""') as Promise<string>;
  const itemTitle = (name: string) => page.getByRole('heading', { name, level: 1, exact: true });

  it('covers two passages of an email, with the mouse and with the keyboard, and opens the copy', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const src = join(await tempDir(), 'src');
    await mkdir(src);
    await writeFile(join(src, 'threat.eml'), EMAIL);
    await page.getByTestId('file-input').setInputFiles([join(src, 'threat.eml')]);
    await page.getByRole('button', { name: /^threat\.eml/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: /^threat\.eml/ }).click();
    await itemTitle('threat.eml').waitFor();
    const copies = page.getByRole('region', { name: 'Copies for disclosure' });
    // An email has no location to take out: only the redacted copy is offered.
    expect(await copies.getByRole('button', { name: 'Make a copy without location' }).count()).toBe(
      0,
    );
    await copies.getByRole('button', { name: 'Make a redacted copy' }).click();
    const panel = page.getByRole('region', { name: 'Make a redacted copy' });
    const text = panel.getByRole('textbox', { name: 'Text of threat.eml, to select passages in' });
    await text.waitFor();
    const value = await text.inputValue();
    expect(value).toBe(
      [
        'From: Alex <alex@example.com>',
        'To: Sam <sam@example.org>',
        'Subject: I know where you are',
        'Date: Fri, 01 Mar 2024 21:00:00 +0000',
        '',
        'I saw you outside 12 Elm Street yesterday.',
        'Say hello to Jo for me.',
        'You cannot hide.',
        '',
      ].join('\n'),
    );
    expect(await text.getAttribute('aria-readonly')).toBe('true');

    // Nothing selected yet: said, in words.
    await panel.getByRole('button', { name: 'Cover the selected text' }).click();
    expect(await panel.getByRole('alert').innerText()).toMatch(/Select the words to cover first/);

    // Passage 1: "12 Elm Street", selected with the mouse (a drag across it).
    const start = value.indexOf('12 Elm Street');
    const box = (await text.boundingBox())!;
    // Where the characters are: measured in the page with a mirror of the text area.
    // Where the character at an offset is, from the text area's top left corner: measured
    // in the page with a hidden copy of its text and style.
    const point = (offset: number) =>
      text.evaluate((el, at) => {
        const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
        const a = el as unknown as Area & { scrollLeft: number; scrollTop: number };
        const style = getComputedStyle(a);
        const mirror = document.createElement('div');
        for (const p of [
          'font',
          'padding',
          'border',
          'width',
          'boxSizing',
          'whiteSpace',
          'overflowWrap',
          'lineHeight',
          'letterSpacing',
        ])
          mirror.style[p] = style[p]!;
        mirror.style.position = 'absolute';
        mirror.style.visibility = 'hidden';
        mirror.textContent = a.value.slice(0, at);
        const mark = document.createElement('span');
        mark.textContent = '\u200b';
        mirror.appendChild(mark);
        document.body.appendChild(mirror);
        const r = {
          x: mark.offsetLeft - a.scrollLeft,
          y: mark.offsetTop + mark.offsetHeight / 2 - a.scrollTop,
        };
        mirror.remove();
        return r;
      }, offset);
    const from = await point(start);
    const to = await point(start + '12 Elm Street'.length);
    await page.mouse.move(box.x + from.x + 1, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + to.x, box.y + to.y, { steps: 5 });
    await page.mouse.up();
    const selected = await text.evaluate((el) => {
      const a = el as unknown as Area;
      return a.value.slice(a.selectionStart, a.selectionEnd);
    });
    expect(selected).toBe('12 Elm Street');
    await panel.getByRole('button', { name: 'Cover the selected text' }).click();
    const reason1 = panel.getByLabel('Why is passage 1 covered?');
    await reason1.waitFor();
    await expect.poll(focusedId).toBe(await reason1.getAttribute('id'));
    await reason1.selectOption('address');

    // Passage 2: "Jo", with the keyboard alone: into the text, the caret moved to it, then
    // Shift+Right twice.
    await text.focus();
    await page.keyboard.press('Control+Home');
    const jo = value.indexOf('Jo');
    const lines = value.slice(0, jo).split('\n');
    for (let i = 0; i < lines.length - 1; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    for (let i = 0; i < lines.at(-1)!.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(
      await text.evaluate((el) => [
        (el as unknown as Area).selectionStart,
        (el as unknown as Area).selectionEnd,
      ]),
    ).toEqual([jo, jo + 2]);
    // Typing, deleting or pasting into the text changes nothing.
    await page.keyboard.press('End');
    await page.keyboard.type('typed');
    await page.keyboard.press('Backspace');
    expect(await text.inputValue()).toBe(value);
    await page.keyboard.press('Home');
    for (let i = 0; i < lines.at(-1)!.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate('document.activeElement && document.activeElement.textContent'),
    ).toBe('Cover the selected text');
    await page.keyboard.press('Enter');
    const reason2 = panel.getByLabel('Why is passage 2 covered?');
    await reason2.waitFor();
    await expect.poll(focusedId).toBe(await reason2.getAttribute('id'));
    await reason2.selectOption('other');
    expect(await panel.locator('.cover-list .detail').allInnerTexts()).toEqual([
      `“12 Elm Street” (characters ${start} to ${start + 13})`,
      `“Jo” (characters ${jo} to ${jo + 2})`,
    ]);
    // "Other" without words is refused before anything is sent.
    await panel.getByRole('button', { name: 'Preview the copy' }).click();
    expect(await panel.getByRole('alert').innerText()).toBe(
      'Passage 2 is covered for another reason: say which, in words.',
    );
    await axe('covering passages, a reason asked for');
    await panel.getByLabel('In words, why passage 2').fill('a friend’s name');

    await panel.getByRole('button', { name: 'Preview the copy' }).click();
    const check = page.getByRole('region', { name: 'Check the redacted copy' });
    await check.waitFor();
    expect(await check.innerText()).toContain(
      '2 passages covered (Personal address; Other: a friend’s name)',
    );
    const preview = await check.getByLabel('The redacted copy’s text').innerText();
    expect(preview).toContain('I saw you outside [REDACTED: Personal address] yesterday.');
    expect(preview).toContain('Say hello to [REDACTED: Other: a friend’s name] for me.');
    expect(preview).not.toContain('Elm');
    await axe('the preview of a redacted email');

    await check.getByRole('button', { name: 'Save the redacted copy' }).click();
    await itemTitle('threat (redacted).txt').waitFor({ timeout: 30_000 });
    const banner = page.getByRole('region', {
      name: 'Redacted copy of threat.eml: 2 passages covered (Personal address; Other: a friend’s name)',
    });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('Saved as a new item.');
    // The copy's own text, as the app shows a text file: the passages and hidden header gone.
    const shown = await page.getByLabel('Text of threat (redacted).txt').innerText();
    expect(shown).toContain('REDACTED COPY, made with Dossier');
    expect(shown).toContain('I saw you outside [REDACTED: Personal address] yesterday.');
    for (const gone of ['Elm', ' Jo ', 'HEADER-MARKER-41']) expect(shown).not.toContain(gone);
    await axe('the redacted copy of an email');

    // The original is unchanged and lists its copy.
    await banner.getByRole('button', { name: 'Open the original, threat.eml' }).click();
    await itemTitle('threat.eml').waitFor();
    await page
      .getByRole('list', { name: 'Copies of this item' })
      .getByRole('button', { name: 'threat (redacted).txt' })
      .waitFor();
    expect(watch.problems).toEqual([]);
  });
});
