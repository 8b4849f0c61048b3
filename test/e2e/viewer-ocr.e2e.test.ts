/**
 * The viewer of a real export, in Debian's Chromium from file://: under a picture whose words
 * were read, "Text read by machine" with the text, who read it and how sure it was; under a
 * picture still queued, that it was not read yet. axe finds nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_LINES, textPicture } from '../support/text-picture';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault } from '../support/vault';
import { launchChromium } from '../support/web-app';

const missing = missingTools(['chromium']);
const title = skipTitle('the viewer shows the text read by machine under each picture', missing);
if (missing) console.warn(title);

describe.skipIf(missing !== null)(title, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const root = await tempDir('dossier-viewer-ocr-');
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'threat.png'), await textPicture(SCREENSHOT_LINES));
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([join(src, 'threat.png')]);
    vault.startTextRecognition();
    await vault.ocr.whenIdle();
    await writeFile(join(src, 'later.png'), await textPicture(['Saturday'], { height: 400 }));
    await vault.add([join(src, 'later.png')]);
    const out = join(root, 'out');
    await mkdir(out);
    const bundle = await vault.export({ out, format: 'dir', selection: { all: true } });
    await vault.lock();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    page = await context.newPage();
    await page.goto(pathToFileURL(join(bundle.path, 'data/viewer/index.html')).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the words under the picture, labelled as read by machine', async () => {
    const read = page
      .locator('article.exhibit', { hasText: ': threat.png' })
      .locator('.machine-text');
    expect(await read.locator('h4').textContent()).toBe('Text read by machine');
    const text = (await read.locator('.machine-read').textContent()) ?? '';
    expect(text).toContain('Hollybush Primary School');
    expect(await read.locator('p.muted').first().textContent()).toMatch(
      /^Read by tesseract\.js 7\.\d+\.\d+ .*, English: \d+ words, mean confidence \d+%.*the picture is the evidence/,
    );
    const waiting = page
      .locator('article.exhibit', { hasText: ': later.png' })
      .locator('.machine-text');
    expect(await waiting.textContent()).toContain('Not read yet');
    expect(await waiting.locator('.machine-read').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('has no accessibility violations (axe)', async () => {
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).analyze();
    expect(
      result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    ).toEqual([]);
  });
});
