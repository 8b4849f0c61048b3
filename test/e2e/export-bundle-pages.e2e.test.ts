/**
 * Issue 11: "An export whose bundle would pass 350 pages warns in the wizard and the CLI, and
 * says how many pages it will have. It still writes the bundle." In Debian's Chromium through
 * the bridge and the real core: a 40,000-line diary makes a bundle of about 400 pages; the
 * wizard's last step says so before "Start export" is pressed, and the bundle written has
 * exactly that many pages. Skipped, with the reason, without Chromium or pdfinfo.
 */
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools';
import { tempDir } from '../support/tmp';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  startExport,
  seriousAxeViolations,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason() ?? missingTools(['pdfinfo']);
const title = skip
  ? `the wizard warns of a long court bundle — SKIPPED: ${skip}`
  : 'the wizard warns of a long court bundle before exporting (Chromium, bridge)';
if (skip) console.warn(title);

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

  it('says how many pages the bundle will have, over 350, before Start export', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const file = join(await tempDir(), 'diary.txt');
    await writeFile(
      file,
      Array.from({ length: 40_000 }, (_, i) => `diary line ${i + 1}`).join('\n'),
    );
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByRole('button', { name: /^diary\.txt/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();

    const out = await tempDir();
    await openExportWizard(page, 'Diary');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();

    const warning = page.locator('#bundle-pages-warning');
    await warning.waitFor({ timeout: 60_000 });
    const text = (await warning.textContent()) ?? '';
    expect(text).toMatch(/will have [\d,]+ pages/);
    expect(text).toContain('Family courts accept at most 350 pages (Practice Direction 27A)');
    expect(text).toContain('The bundle will still be written in full.');
    const pages = Number(/will have ([\d,]+) pages/.exec(text)![1]!.replace(/,/g, ''));
    expect(pages).toBeGreaterThan(350);
    expect(await page.locator('#bundle-pages').textContent()).toContain(
      `${pages.toLocaleString('en-GB')} pages`,
    );
    expect(await readdir(out)).toEqual([]); // counted, nothing written
    expect(await seriousAxeViolations(page)).toEqual([]);

    // It is still written, with exactly that many pages.
    await startExport(page, out);
    const [bag] = await readdir(out);
    const info = spawnSync('pdfinfo', [join(out, bag!, 'data/report/bundle.pdf')], {
      encoding: 'utf8',
    });
    expect(Number(/^Pages:\s+(\d+)$/m.exec(info.stdout)![1])).toBe(pages);
    expect(watch.problems).toEqual([]);
  }, 180_000);
});
