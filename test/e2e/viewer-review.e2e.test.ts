/**
 * "Your review" in the viewer of a real export, in Debian's Chromium from file://: an adviser
 * without Dossier chooses the bundle folder, reviews three exhibits with the keyboard, writes
 * an overall note and saves review-<bag>-<YYYYMMDD>.json, which parses with the import's
 * schema, whose hash chain is whole, and which names the bundle by the SHA-256 of its
 * tagmanifest-sha256.txt. Nothing is stored in the browser or sent anywhere, and the browser
 * asks before the page is closed with unsaved changes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewChainBreak, reviewState, type ReviewFile } from '../../shared/review';
import { reviewFileSchema } from '../../shared/review-schema';
import { makeScreenshotPng } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';
import { Vault } from '../../main/core';
import { launchChromium } from '../support/web-app';

const missing = missingTools(['chromium']);
const title = skipTitle('the viewer’s "Save my review" in Chromium', missing);
if (missing) console.warn(title);

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const ACTIVE_ID = 'document.activeElement && document.activeElement.id';
// A comment with what a hostile or careless reviewer might type: markup, a bidi override, a tab.
const COMMENT_1 = 'Strong: the sender’s handle is visible.\n<script>alert(1)</script>\u202E';
const COMMENT_3 = 'Ask her for the original email (.eml), not a screenshot.';
const NOTE = 'Overall: a course of conduct is shown from JD1 to JD3.';

describe.skipIf(missing !== null)(title, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let bag: string;
  let other: string;
  let labels: string[];
  const requests: string[] = [];
  const problems: string[] = [];
  let items: { id: string; sha256: string; name: string }[];
  /** The client's vault the bundle came from, and the file the viewer saved. */
  let vaultDir: string;
  let downloaded: string;

  beforeAll(async () => {
    const root = await tempDir('dossier-viewer-review-');
    const src = join(root, 'src');
    await mkdir(src);
    for (let i = 0; i < 4; i++) {
      await writeFile(join(src, `shot-${i}.png`), await makeScreenshotPng(200 + i, 400, 10 + i));
    }
    vaultDir = join(root, 'vault');
    const { vault } = await newVault(vaultDir);
    await vault.add([src]);
    items = vault.list().map((i) => ({ id: i.id, sha256: i.sha256, name: i.name }));
    const exportTo = async (dir: string): Promise<string> => {
      await mkdir(dir);
      const r = await vault.export({
        out: dir,
        format: 'dir',
        selection: { all: true },
        exhibitPrefix: 'JD',
        caseName: 'R v Unknown',
        exporter: 'Jane Doe',
      });
      return r.path;
    };
    bag = await exportTo(join(root, 'out'));
    // A second export of the same evidence: another bundle, whose folder is not this page's.
    other = await exportTo(join(root, 'out2'));
    await vault.lock();

    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1100, height: 1400 },
      acceptDownloads: true,
    });
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    await context.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) =>
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    );
    page = await context.newPage();
    await page.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
    labels = await page
      .locator('article.exhibit')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-number') ?? ''));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const text = async (selector: string): Promise<string> =>
    ((await page.locator(selector).textContent()) ?? '').trim();

  it('before a folder is chosen, "Save my review" says the folder must be chosen first', async () => {
    expect(labels).toEqual(['JD1', 'JD2', 'JD3', 'JD4']);
    await page.locator('#review-save').click();
    expect(await text('#review-message')).toContain('Choose the bundle folder first');
    expect(await text('#review-message')).toContain('tagmanifest-sha256.txt');
    // Its button takes the reader to the folder picker.
    await page
      .locator('#review-message')
      .getByRole('button', { name: 'Choose the bundle folder' })
      .click();
    expect(await page.evaluate(ACTIVE_ID)).toBe('pick');
  });

  it('refuses to name a folder that holds another bundle', async () => {
    await page.locator('#pick').setInputFiles(other);
    await page.locator('#verdict .verdict').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => text('#review-bundle'))
      .toContain('is not the bundle this page came from');
    await page.locator('#review-save').click();
    await expect
      .poll(() => text('#review-message'))
      .toMatch(/^Not saved\. The folder you chose is not the bundle this page came from/);
  });

  it('reviews three exhibits with the keyboard, and an overall note', async () => {
    await page.locator('#pick').setInputFiles(bag);
    await page.locator('#verdict .verdict').waitFor({ timeout: 60_000 });
    expect(await text('#verdict h3')).toMatch(/^✓ All \d+ files match$/);
    await expect
      .poll(() => text('#review-bundle'))
      .toContain(sha256(await readFile(join(bag, 'tagmanifest-sha256.txt'))));
    // The "choose the folder first" message went when the folder was chosen.
    expect(await text('#review-message')).toBe('');

    /** From the exhibit's heading (reached with N), Tab to its status, then to its comment. */
    async function review(i: number, arrows: number, comment: string | null): Promise<void> {
      while ((await page.evaluate(ACTIVE_ID)) !== `exhibit-${i}-h`) await page.keyboard.press('n');
      while ((await page.evaluate(ACTIVE_ID)) !== `review-status-${i}`)
        await page.keyboard.press('Tab');
      for (let k = 0; k < arrows; k++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(ACTIVE_ID)).toBe(`review-comment-${i}`);
      if (comment !== null) await page.keyboard.insertText(comment);
      // Leaving the box commits the comment; Escape does not leave a textarea, so Tab on.
      await page.keyboard.press('Tab');
    }
    await page.locator('#exhibit-0-h').focus();
    await review(0, 1, COMMENT_1); // Relevant
    // A status changed twice: both changes are entries, the last one counts.
    await review(1, 2, null); // Not relevant
    await page.locator('#review-status-1').focus();
    await page.keyboard.press('ArrowDown'); // Need the original
    await page.keyboard.press('ArrowUp'); // Not relevant
    await page.keyboard.press('ArrowUp'); // Relevant
    await page.locator('#exhibit-1-h').focus();
    await review(2, 3, COMMENT_3); // Need the original

    await page.locator('#review-note').focus();
    await page.keyboard.insertText(NOTE);
    await page.locator('#review-name').focus();
    await page.keyboard.insertText('A. Solicitor');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(ACTIVE_ID)).toBe('review-organisation');
    await page.keyboard.insertText('Smith & Co');
    expect(await text('#review-counts')).toContain(
      '3 exhibits with a status, 2 exhibits with a comment',
    );
  });

  it('has no accessibility violations (axe) with the review controls shown', async () => {
    await mkdir('test-results', { recursive: true });
    await page.locator('#review').screenshot({ path: 'test-results/viewer-review.png' });
    await page.locator('#exhibit-0').screenshot({ path: 'test-results/viewer-review-exhibit.png' });
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).analyze();
    expect(
      result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    ).toEqual([]);
  });

  it('asks before the page is closed with unsaved changes, and only then', async () => {
    // Used but unchanged: closing it asks nothing.
    const p1 = await context.newPage();
    await p1.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
    const asked: string[] = [];
    p1.on('dialog', (d) => {
      asked.push(d.type());
      void d.accept();
    });
    await p1.locator('#review-comment-0').click();
    await p1.locator('#review-status-0').focus();
    await p1.close({ runBeforeUnload: true });
    await expect.poll(() => p1.isClosed()).toBe(true);
    expect(asked).toEqual([]);

    // A second page of the same bundle: one change, then closing it runs beforeunload.
    const p2 = await context.newPage();
    await p2.goto(pathToFileURL(join(bag, 'data/viewer/index.html')).href);
    const dialogs: string[] = [];
    p2.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await p2.locator('#review-comment-0').fill('Unsaved thought');
    // Chromium shows the "Leave site?" prompt only after the user has interacted with the page.
    await p2.locator('#review-comment-0').click();
    await p2.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
  });

  let saved: ReviewFile;
  let fileName: string;

  it('"Save my review" downloads the review, in the format the client’s import reads', async () => {
    await page.keyboard.press('Tab');
    while ((await page.evaluate(ACTIVE_ID)) !== 'review-save') await page.keyboard.press('Tab');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    fileName = download.suggestedFilename();
    const path = join(await tempDir('dossier-review-download-'), fileName);
    await download.saveAs(path);
    downloaded = path;
    const raw = await readFile(path, 'utf8');
    const parsed = reviewFileSchema.safeParse(JSON.parse(raw));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    saved = parsed.data!;

    const bagName = (await readFile(join(bag, 'bag-info.txt'), 'utf8')).match(
      /^External-Identifier: (.*)$/m,
    )![1]!;
    expect(fileName).toBe(`review-${bagName}-${saved.savedAt.slice(0, 10).replace(/-/g, '')}.json`);
    expect(saved.madeIn).toBe('viewer');
    expect(saved.bundle).toEqual({
      tagManifestSha256: sha256(await readFile(join(bag, 'tagmanifest-sha256.txt'))),
      bagName,
      caseName: 'R v Unknown',
      signingKeyFingerprint: (await readFile(join(bag, 'bag-info.txt'), 'utf8')).match(
        /^Signing-Key-Fingerprint: (.*)$/m,
      )![1]!,
    });
    expect(saved.reviewer).toEqual({ name: 'A. Solicitor', organisation: 'Smith & Co' });
    expect(
      reviewChainBreak(saved.entries, saved.head, (t) => sha256(Buffer.from(t, 'utf8'))),
    ).toBeNull();
    expect(saved.head).toBe(saved.entries.at(-1)!.hash);
    expect(await text('#review-message')).toContain(`Your browser saved ${fileName}`);
    expect(await text('#review-counts')).toContain('Everything is saved.');
  });

  it('the client’s import takes the saved file, says it is unsigned, and shows it on her item', async () => {
    const vault = await Vault.unlock(vaultDir, PASSPHRASE);
    try {
      const result = await vault.importReview({ path: downloaded });
      expect(result).toMatchObject({ outcome: 'imported', madeIn: 'viewer', signed: false });
      expect(result.entriesAdded).toBe(saved.entries.length);
      const first = saved.entries.find(
        (e) => e.target.kind === 'exhibit' && e.target.exhibit === labels[0],
      )!.target as { itemId: string };
      const about = vault.adviserReviews.about({ itemId: first.itemId });
      expect(about).toEqual([
        expect.objectContaining({ signed: false, statusWords: 'Relevant', comment: COMMENT_1 }),
      ]);
    } finally {
      await vault.lock();
    }
  });

  it('holds every change as an entry, each exhibit named by its vault id and SHA-256', async () => {
    const ops = saved.entries.map(
      (e) =>
        `${e.target.kind === 'exhibit' ? e.target.exhibit : e.target.kind} ${e.op} ${JSON.stringify(e.value)}`,
    );
    expect(ops).toEqual([
      'JD1 status "relevant"',
      `JD1 comment ${JSON.stringify(COMMENT_1)}`,
      // Stepping through the list with the arrow keys is one change, made on leaving it.
      'JD2 status "not-relevant"',
      'JD2 status "relevant"',
      'JD3 status "need-original"',
      `JD3 comment ${JSON.stringify(COMMENT_3)}`,
      `bundle comment ${JSON.stringify(NOTE)}`,
    ]);
    const state = [...reviewState(saved.entries).values()];
    for (const s of state) {
      if (s.target.kind !== 'exhibit') continue;
      const card = page.locator(`article.exhibit[data-number="${s.target.exhibit}"]`);
      // The exhibit's vault id and SHA-256 are those of the item behind that card.
      const shown = await card.locator('h3').textContent();
      const item = items.find((i) => shown?.endsWith(`: ${i.name}`))!;
      expect(s.target).toEqual({
        kind: 'exhibit',
        exhibit: s.target.exhibit,
        itemId: item.id,
        sha256: item.sha256,
      });
    }
    expect(state.map((s) => [s.target.kind, s.status, s.comment])).toEqual([
      ['exhibit', 'relevant', COMMENT_1],
      ['exhibit', 'relevant', ''],
      ['exhibit', 'need-original', COMMENT_3],
      ['bundle', null, NOTE],
    ]);
  });

  it('saves again after more changes: the new file starts with the earlier entries', async () => {
    await page.locator('#review-status-3').focus();
    await page.keyboard.press('End'); // Privileged, still in its box: saving records it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#review-save').click(),
    ]);
    const again = reviewFileSchema.parse(
      JSON.parse(await readFile((await download.path())!, 'utf8')),
    );
    expect(again.entries.slice(0, saved.entries.length)).toEqual(saved.entries);
    expect(again.entries.at(-1)).toMatchObject({
      seq: saved.entries.length + 1,
      op: 'status',
      value: 'privileged',
      prev: saved.head,
    });
  });

  it('stored nothing in the browser, made no network request, and logged no error', async () => {
    expect(
      await page.evaluate('localStorage.length + sessionStorage.length + document.cookie.length'),
    ).toBe(0);
    for (const url of requests) expect(url).toMatch(/^(file|data|blob):/);
    expect(problems).toEqual([]);
  });
});
