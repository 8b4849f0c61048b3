/**
 * A hostile HTML email, in Debian's Chromium through the bridge and the real core: it is
 * found by a word of its body, shown sanitised in a sandboxed frame, its remote images and
 * styles are never requested (every request that would leave the machine is stopped here
 * and counted), its scripts and event handlers never run, its inline (cid:) picture is
 * shown, and the page says remote content was blocked. Sorted by its Date header. Skipped,
 * with the reason, without Chromium.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import {
  createVaultInPage,
  launchChromium,
  ROOT,
  seriousAxeViolations,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip ? `the email view — SKIPPED: ${skip}` : 'the email view (Chromium, bridge)';
if (skip) console.warn(title);

/** 1×1 PNG, sent inline as cid:dot. */
const DOT =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

// Remote references use the reserved .invalid domain; they are stopped before any lookup.
const HOSTILE_EMAIL = [
  'Received: from mx.example.org by inbox.example.org; Tue, 3 Mar 2026 21:14:05 +0100',
  'Received: from mail.example.net (mail.example.net [192.0.2.7])',
  '\tby mx.example.org; Tue, 3 Mar 2026 21:14:02 +0100',
  'DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1; b=c2lnbmF0dXJl',
  'Authentication-Results: mx.example.org; dkim=pass header.d=example.net',
  'X-Hidden: a\u202eoverride',
  'From: "Concerned Parent" <anon@example.net>',
  'To: office@example.org',
  'Subject: About your children',
  'Date: Tue, 3 Mar 2026 21:14:00 +0100',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><head><link rel="stylesheet" href="https://styles.tracker.invalid/s.css">',
  '<style>body{background:url(https://bg.tracker.invalid/b.png)}</style></head>',
  "<body onload=\"parent.postMessage('onload ran', '*')\">",
  '<p>Your children should be taken into <b>care</b>. We are watching the house.</p>',
  '<img src="https://pixel.tracker.invalid/open.gif?id=42" width="1" height="1">',
  '<img src="cid:dot" alt="inline dot">',
  '<img src="x" onerror="parent.postMessage(\'onerror ran\', \'*\')">',
  '<script>parent.postMessage("script ran", "*")</script>',
  '<a href="https://phish.tracker.invalid/login">Sign in</a>',
  '<iframe src="https://frame.tracker.invalid/"></iframe>',
  '</body></html>',
  '--b1',
  'Content-Type: image/png',
  'Content-ID: <dot>',
  'Content-Transfer-Encoding: base64',
  '',
  DOT,
  '--b1--',
  '',
].join('\r\n');

describe.skipIf(skip !== null)(title, () => {
  let app: WebApp;
  let browser: Browser;
  let page: Page;
  let watch: { problems: string[] };
  const stopped: string[] = [];

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing may leave the machine: any such request is stopped here and recorded.
    await context.route(
      (url) => url.origin !== app.origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => {
        stopped.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    page = await context.newPage();
    watch = watchPage(page, app.origin);
    // Anything the email manages to run would post a message to the app's window.
    await page.addInitScript(
      `window.ranInEmail = []; window.addEventListener('message', (e) => window.ranInEmail.push(String(e.data)));`,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('finds it by a body word, shows it sanitised, loads nothing remote, runs nothing', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const file = join(await tempDir(), 'about-your-children.eml');
    await writeFile(file, HOSTILE_EMAIL);
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByRole('button', { name: /^about-your-children\.eml/ }).waitFor({
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Close' }).click();

    // A word that is only in the body: the import read the email's text.
    await page.getByLabel('Search names, notes and text').fill('watching');
    await expect
      .poll(() => page.locator('.tile-snippet mark', { hasText: 'watching' }).count(), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: /about-your-children\.eml/ }).click();
    await page.getByRole('heading', { name: 'about-your-children.eml', level: 1 }).waitFor();

    // The sender's own clock and offset, from the Date header.
    await page.getByText('Sent (email Date)').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Remote images were blocked' })
      .waitFor({ timeout: 15_000 });

    const frame = page.locator('iframe.email-body');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = page.frameLocator('iframe.email-body').locator('body');
    await body.getByText('Your children should be taken into').waitFor();
    const html = await body.innerHTML();
    // No remote reference is left to load or follow (a link keeps its address as a title).
    expect(html).not.toMatch(/(src|href|srcset|style)=["'][^"']*tracker\.invalid/);
    for (const gone of ['onload', 'onerror', '<script', '<iframe', '<link']) {
      expect(html).not.toContain(gone);
    }
    expect(await body.getByText('Sign in').getAttribute('href')).toBeNull();
    // The inline picture came from the email itself.
    const inline = body.locator('img[alt="inline dot"]');
    await expect
      .poll(() => inline.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(1);

    // Give anything that would run or load a moment, then check that nothing did.
    await page.waitForTimeout(500);
    expect(await page.evaluate('window.ranInEmail')).toEqual([]);
    // The listener itself works: a message posted to the window is seen.
    await page.evaluate(`window.postMessage('probe', '*')`);
    await expect.poll(() => page.evaluate('window.ranInEmail')).toEqual(['probe']);
    expect(stopped).toEqual([]);
    // DOMPurify parses the email in an inert DOMParser document, which inherits the page's
    // CSP: Chromium reports the email's inline handlers and styles there as blocked (none can
    // run in such a document). Those reports are the CSP at work; anything else is a problem.
    const csp = /^console: (Executing inline event handler|Applying inline style) violates/;
    expect(watch.problems.filter((p) => !csp.test(p))).toEqual([]);

    // Every header, in order, behind a "Headers" disclosure; hidden characters shown.
    const headers = page.locator('details.email-all-headers');
    await headers.locator('summary').click();
    const names = await headers.locator('dt').allTextContents();
    expect(names.slice(0, 6)).toEqual([
      'Received',
      'Received',
      'DKIM-Signature',
      'Authentication-Results',
      'X-Hidden',
      'From',
    ]);
    const values = await headers.locator('dd').allTextContents();
    expect(values[1]).toBe(
      'from mail.example.net (mail.example.net [192.0.2.7])\\u{0009}by mx.example.org; Tue, 3 Mar 2026 21:14:02 +0100',
    );
    expect(values[4]).toBe('a\\u{202e}override');
    await page.screenshot({ path: join(ROOT, 'test-results', 'email-view.png'), fullPage: true });
    expect(await seriousAxeViolations(page, { frames: false })).toEqual([]);
  });

  it('shows an Outlook .msg as an email: sender, text, attachments and its transport headers', async () => {
    const file = join(await tempDir(), 'from-outlook.msg');
    await copyFile(join(ROOT, 'test/vectors/msgreader/attachmentFiles.msg'), file);
    // The first test left its email open and a search in place.
    await page.getByText('← Back to library').click();
    await page.getByLabel('Search names, notes and text').fill('');
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByRole('button', { name: /^from-outlook\.msg/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: /from-outlook\.msg/ }).click();
    await page.getByRole('heading', { name: 'from-outlook.msg', level: 1 }).waitFor();
    const view = page.locator('.email-viewer');
    await view.locator('.email-headers').getByText('hmailuser@hmailserver.test').first().waitFor();
    expect(await view.locator('pre.email-text').textContent()).toContain('attachmentFiles');
    expect(await view.locator('#email-attachments-title + p + ul li').allTextContents()).toEqual([
      'jpg.jpg (image/jpeg, 726 bytes)',
      'png.png (image/png, 134 bytes)',
      'tif.tif (image/tiff, 664 bytes)',
    ]);
    const headers = view.locator('details.email-all-headers');
    await headers.locator('summary').click();
    expect((await headers.locator('dt').allTextContents()).slice(0, 3)).toEqual([
      'Return-Path',
      'Received',
      'From',
    ]);
    expect(stopped).toEqual([]);
    expect(await seriousAxeViolations(page, { frames: false })).toEqual([]);
  });
});
