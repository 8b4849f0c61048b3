/**
 * The offline viewer in Debian's Chromium, opened from file://: it renders the exhibits
 * and timeline, re-hashes a picked bundle folder, and names the exact file that changed,
 * went missing or was added, without a single network request, console error or CSP
 * violation. Skipped, with a message, when /usr/bin/chromium is not installed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exhibit, ExportModel } from '../../main/core/export/model';
import { previewOf } from '../support/exhibit';
import { tempDir } from '../support/tmp';
import { CHROMIUM, missingTools, skipTitle } from '../support/tools';
import { viewerHtml } from '../support/viewer-html';

// pdftotext and pdfimages read the printed page.
const noChromium = missingTools(['chromium', 'pdftotext', 'pdfimages']);
const haveChromium = noChromium === null;
const title = skipTitle('offline viewer in Chromium', noChromium);
if (!haveChromium) console.warn(title);

// Page-side snippets as strings: this project's type-check has no DOM library.
const ACTIVE_ID = 'document.activeElement && document.activeElement.id';

const HOSTILE = '</script><img src=x onerror=alert(1)>\u202Egnp.exe';
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface Bag {
  root: string;
  viewer: string;
  omitted: string;
  files: Map<string, Buffer>;
}

async function imagePng(seed: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="390" height="844">
    <rect width="100%" height="100%" fill="#e9eef5"/>
    <rect x="20" y="${80 + seed * 30}" width="300" height="70" rx="18" fill="#ffffff"/>
    <rect x="70" y="${200 + seed * 40}" width="290" height="90" rx="18" fill="#0b84ff"/>
    <rect x="20" y="${360 + seed * 20}" width="250" height="60" rx="18" fill="#ffffff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Mono 16-bit PCM: big enough (over 8 MB) that the page's own SHA-256 reads it in pieces. */
function wav(seconds: number): Buffer {
  const rate = 44_100;
  const n = rate * seconds;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(3000 * Math.sin(i / 20)), 44 + i * 2);
  return b;
}

/** A phone screenshot at its real size (1170 × 2532), so fitting and 100% differ. */
async function phoneScreenshot(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1170" height="2532">
    <rect width="100%" height="100%" fill="#e9eef5"/>
    <rect x="60" y="500" width="900" height="210" rx="50" fill="#ffffff"/>
    <rect x="210" y="900" width="870" height="270" rx="50" fill="#0b84ff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * An HTML email with a tracking pixel, a remote stylesheet and a script (none may run or
 * load), an empty plain-text part beside it, and an attachment.
 */
const HTML_EMAIL = [
  'From: "A. Colleague" <a@example.com>',
  'To: jane@example.com',
  'Cc: hr@example.com',
  'Date: Wed, 20 Mar 2024 21:30:00 +0000',
  'Subject: Answer your phone',
  'Message-ID: <threat-1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  // An empty plain-text part beside the HTML, as many mail programs send.
  'Content-Type: multipart/alternative; boundary="b2"',
  '',
  '--b2',
  'Content-Type: text/plain; charset=utf-8',
  '',
  '',
  '--b2',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><head><link rel="stylesheet" href="http://tracker.example/s.css"><style>p{color:red}</style>',
  '<script>alert("script from the email ran")</script></head><body>',
  '<p>Answer your phone.</p><p>I know where you <b>live</b>.</p>',
  '<img src="http://tracker.example/pixel.gif?id=jane" width="1" height="1">',
  '<a href="http://tracker.example/click">see this</a></body></html>',
  '--b2--',
  '--b1',
  'Content-Type: application/pdf; name="letter.pdf"',
  'Content-Disposition: attachment; filename="letter.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQKJSVFT0YK',
  '--b1--',
  '',
].join('\r\n');

/** A text file in UTF-16 with its byte order mark, holding a direction override. */
const NOTES_TXT = Buffer.concat([
  Buffer.from([0xff, 0xfe]),
  Buffer.from('Called at 02:14.\nSaid he would wait outside.\u202Egnp.exe\n', 'utf16le'),
]);

async function makeBag(dir: string): Promise<Bag> {
  const root = join(dir, 'Jane-Doe-20240501');
  const shot1 = await phoneScreenshot();
  const shot2 = await imagePng(2);
  const thumb = (b: Buffer): Promise<Buffer> =>
    sharp(b).resize(180).jpeg({ quality: 70 }).toBuffer();
  const email = Buffer.from(HTML_EMAIL);
  const evidence: [string, Buffer, Partial<Exhibit>][] = [
    [
      'data/evidence/JD-1_screenshot.png',
      shot1,
      {
        originalName: 'Screenshot 2024-03-04 at 09.58.png',
        preview: previewOf(await thumb(shot1)),
        tags: ['instagram', 'threat'],
        notes: [
          {
            body: 'First message after I blocked the old account.\nHe used a new handle.',
            createdAt: '2024-03-05T14:05:00.000Z',
          },
        ],
        sensitive: ['gps'],
        exif: {
          ifd0: { Make: 'Apple', Model: 'iPhone 13' },
          gps: { latitude: 51.501364, longitude: -0.14189 },
        },
        regions: [
          {
            number: 1,
            x: 51_282,
            y: 197_472,
            w: 769_231,
            h: 82_938,
            comment: 'The threat.',
            createdAt: '2024-03-05T14:10:00.000Z',
          },
          {
            number: 2,
            x: 179_487,
            y: 355_450,
            w: 743_590,
            h: 106_635,
            comment: '',
            createdAt: '2024-03-05T14:11:00.000Z',
          },
        ],
        incidentIds: ['inc1'],
        width: 1170,
        height: 2532,
      },
    ],
    [
      'data/evidence/JD-2_gnp.exe',
      shot2,
      {
        originalName: HOSTILE,
        preview: previewOf(await thumb(shot2)),
        metadataProblems: ['The date section of the EXIF data is damaged and could not be read.'],
        incidentIds: ['inc2'],
      },
    ],
    [
      'data/evidence/JD-3_message.eml',
      email,
      { originalName: 'message.eml', mime: 'message/rfc822', width: null, height: null },
    ],
    [
      'data/evidence/JD-4_voicemail.wav',
      wav(120),
      { originalName: 'voicemail.wav', mime: 'audio/wav', width: null, height: null },
    ],
    [
      'data/evidence/JD-5_notes.txt',
      NOTES_TXT,
      { originalName: 'notes.txt', mime: 'text/plain', width: null, height: null },
    ],
  ];
  const exhibits: Exhibit[] = evidence.map(([path, bytes, over], i) => ({
    number: `JD/${i + 1}`,
    bagPath: path,
    itemId: `item${i + 1}`,
    originalName: path,
    sha256: sha256(bytes),
    sha512: createHash('sha512').update(bytes).digest('hex'),
    size: bytes.length,
    mime: 'image/png',
    ingestedAt: '2024-03-05T14:02:11.000Z',
    ingestedOffsetMinutes: 0,
    sourceTimes: { mtime: '2024-03-04T09:58:30.000Z', exif: null, email: null },
    width: 390,
    height: 844,
    tags: [],
    notes: [],
    regions: [],
    metadataProblems: [],
    sensitive: [],
    exif: null,
    preview: null,
    incidentIds: [],
    personIds: ['p1'],
    derivedFrom: null,
    ...over,
    name: over.originalName ?? path,
  }));
  const model: ExportModel = {
    caseName: 'Jane Doe — messages from a former colleague',
    exportedAt: '2024-05-01T12:00:00.000Z',
    exportedOffsetMinutes: 60,
    exportedTimeZone: 'Europe/London',
    exporter: 'Jane Doe',
    exhibitPrefix: 'JD',
    signingKeyFingerprint:
      '3f2a 9c1b 77de 0a41 5b6c 8e90 12ab cdef 3f2a 9c1b 77de 0a41 5b6c 8e90 12ab cdef',
    signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n',
    evidenceIndexSha256: sha256('items'),
    exhibits,
    incidents: [
      {
        id: 'inc2',
        occurredAt: '2024-03-20T21:30',
        occurredUntil: null,
        place: 'Email',
        summary: 'Email telling me to answer my phone.',
        impact: 'Frightened to go out.',
        witnesses: '',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['JD/2', 'JD/3'],
        personIds: ['p1'],
      },
      {
        id: 'inc1',
        occurredAt: '2024-03-04T09:58:00Z',
        occurredUntil: null,
        place: 'Instagram',
        summary: 'Message from a new account after I blocked the old one.',
        impact: '',
        witnesses: 'My sister saw it.',
        policeRef: 'CAD 1234/04MAR',
        platformRef: '',
        exhibitNumbers: ['JD/1'],
        personIds: ['p1'],
      },
    ],
    people: [
      {
        id: 'p1',
        name: 'A. Colleague',
        role: 'harasser',
        identifiers: [
          { kind: 'email', value: 'a@example.com' },
          { kind: 'handle', value: '@new_account' },
        ],
        notes: 'Former colleague.',
      },
    ],
    custody: [
      {
        seq: 1,
        at: '2024-03-01T09:00:00.000Z',
        actor: 'user',
        action: 'create',
        subjects: [],
        details: {},
        prev: '0'.repeat(64),
        hash: sha256('c1'),
      },
      ...exhibits.map((e, i) => ({
        seq: i + 2,
        at: e.ingestedAt,
        actor: 'user',
        action: 'ingest',
        subjects: [e.itemId],
        details: {},
        prev: sha256(`c${i + 1}`),
        hash: sha256(`c${i + 2}`),
      })),
    ],
    checkpoint: {
      seq: 4,
      head: sha256('c4'),
      signedAt: '2024-05-01T12:00:00.000Z',
      signature: 'sig',
    },
    software: { name: 'Dossier', version: '0.1.0' },
  };

  const files = new Map<string, Buffer>(evidence.map(([p, b]) => [p, b]));
  files.set('data/metadata/items.json', Buffer.from('[]\n'));
  files.set('data/report/report.pdf', Buffer.from('%PDF-1.7\n%%EOF\n'));
  const manifest = [...files].map(([path, b]) => ({ path, sha256: sha256(b) }));
  const viewer = 'data/viewer/index.html';
  files.set(viewer, Buffer.from(await viewerHtml(model, manifest)));
  const lines = [...files].map(([p, b]) => `${sha256(b)}  ${p}`).join('\n');
  files.set('manifest-sha256.txt', Buffer.from(`${lines}\n`));
  files.set('bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
  files.set('VERIFY.txt', Buffer.from('How to check this bundle.\n'));
  for (const [p, b] of files) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), b);
  }
  // The same page with previews left out, as for a bundle whose thumbnails are too big.
  const omitted = join(dir, 'viewer-without-previews.html');
  await writeFile(omitted, await viewerHtml(model, manifest, { maxThumbnailBytes: 0 }));
  return { root, viewer: join(root, viewer), omitted, files };
}

describe.skipIf(!haveChromium)(title, () => {
  let browser: Browser;
  let page: Page;
  let bag: Bag;
  const requests: string[] = [];
  const problems: string[] = [];

  let context: BrowserContext;

  beforeAll(async () => {
    bag = await makeBag(await tempDir('dossier-viewer-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    // Every page of the context: requests, console errors, CSP violations, dialogs.
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
    context.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await context.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) =>
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    );
    page = await context.newPage();
    await page.goto(pathToFileURL(bag.viewer).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const text = async (l: Locator): Promise<string> => ((await l.textContent()) ?? '').trim();
  const statusOf = (path: string): Promise<string | null> =>
    page.locator(`#files tr[data-path="${path}"]`).getAttribute('data-status');

  async function pickFolder(on: Page = page): Promise<void> {
    await on.locator('#pick').setInputFiles(bag.root);
    await on.locator('#verdict .verdict').waitFor({ timeout: 30_000 });
  }
  /** Decoded widths of the exhibit previews; they load lazily, so each is scrolled to first. */
  async function previewWidths(on: Page): Promise<number[]> {
    const imgs = on.locator('article.exhibit .preview img');
    const widths: number[] = [];
    for (let i = 0; i < (await imgs.count()); i++) {
      await imgs.nth(i).scrollIntoViewIfNeeded();
      // Polled through the locator: a string predicate would be eval'd, which the page's CSP forbids.
      const img = imgs.nth(i);
      await expect
        .poll(
          () =>
            img.evaluate((el) => {
              const e = el as unknown as { complete: boolean; naturalWidth: number };
              return e.complete && e.naturalWidth > 0;
            }),
          { timeout: 15_000 },
        )
        .toBe(true);
      widths.push(await naturalWidth(imgs.nth(i)));
    }
    return widths;
  }
  const naturalWidth = (l: Locator): Promise<number> =>
    l.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth);
  const manifestPaths = (): string[] =>
    [...bag.files.keys()].filter((p) => p.startsWith('data/') && p !== 'data/viewer/index.html');

  it('renders exhibits with previews, the timeline in order, people and custody', async () => {
    expect(await text(page.locator('h1'))).toBe('Jane Doe — messages from a former colleague');
    const exhibits = page.locator('article.exhibit');
    expect(await exhibits.count()).toBe(5);
    expect(await text(exhibits.nth(0).locator('h3'))).toBe(
      'Exhibit JD/1: Screenshot 2024-03-04 at 09.58.png',
    );
    // The hostile name is text, with its bidi override made visible; no element came of it.
    expect(await text(exhibits.nth(1).locator('h3'))).toBe(
      'Exhibit JD/2: </script><img src=x onerror=alert(1)>\\u{202e}gnp.exe',
    );
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // Embedded thumbnails decoded.
    expect(await previewWidths(page)).toEqual([180, 180]);
    expect(await text(exhibits.nth(0))).toContain('He used a new handle.');
    expect(await text(exhibits.nth(0))).toContain('Contains a GPS location');
    expect(await text(exhibits.nth(1))).toContain('Problem found when importing');
    expect(await text(exhibits.nth(0))).toContain('Tuesday 5 March 2024, 14:02:11 UTC');
    expect(await text(exhibits.nth(2).locator('.preview'))).toBe(
      'No picture: its text is shown below, from the original',
    );
    expect(await text(exhibits.nth(3).locator('.preview'))).toBe(
      'No preview for this type of file',
    );

    const incidents = page.locator('ol.timeline > li');
    expect(await incidents.count()).toBe(2);
    expect(await text(incidents.nth(0).locator('h3'))).toContain(
      'Monday 4 March 2024, 09:58:00 UTC',
    );
    expect(await text(incidents.nth(1).locator('h3'))).toContain('no time zone was recorded');
    expect(await text(incidents.nth(1))).toContain('16 days later (about 2 weeks).');
    expect(await text(page.locator('#timeline'))).toContain('2 incidents are recorded');
    expect(await text(page.locator('#people'))).toContain('A. Colleague — Alleged harasser');
    expect(await text(page.locator('#custody'))).toContain('Imported into the vault');
    expect(await statusOf('data/evidence/JD-1_screenshot.png')).toBe('pending');
    // The folder input is labelled and reachable by keyboard.
    expect(await text(page.locator('label[for="pick"]'))).toBe('Bundle folder:');
    await page.locator('#pick').focus();
    expect(await page.evaluate(ACTIVE_ID)).toBe('pick');
  });

  it('before the folder is chosen, says what is needed and shows the preview with its regions', async () => {
    const first = page.locator('article.exhibit').nth(0);
    expect(await text(first.locator('.original'))).toContain(
      'To see the original picture at full size, choose the bundle folder above.',
    );
    expect(await first.locator('.original img').count()).toBe(0);
    // The reduced preview carries the numbered marks, and the comments are listed.
    expect(await first.locator('.preview .mark').count()).toBe(2);
    expect(await text(first.locator('.regions'))).toContain('Region 1: The threat.');
    expect(await text(first.locator('.regions'))).toContain('Region 2: No comment was written.');
    expect(await text(page.locator('article.exhibit').nth(2).locator('.original'))).toContain(
      'To read this email, choose the bundle folder above.',
    );
    // "Choose the bundle folder" takes the reader to the picker.
    await first.getByRole('button', { name: 'Choose the bundle folder' }).click();
    expect(await page.evaluate(ACTIVE_ID)).toBe('pick');
    // Each exhibit links to its own file in the bundle, relative to this page.
    expect(
      await first.getByRole('link', { name: 'Open the file itself' }).getAttribute('href'),
    ).toBe('../evidence/JD-1_screenshot.png');
  });

  it('hides GPS and location details until "Show location" is pressed', async () => {
    const first = page.locator('article.exhibit').nth(0);
    const rows = first.locator('#location-0');
    expect(await rows.isHidden()).toBe(true);
    expect(await first.innerText()).not.toContain('51.501364');
    // Not in the EXIF table either, and not printed.
    const exif = first.locator('details').filter({ hasText: 'Camera and file details' });
    expect(await text(exif)).toContain('iPhone 13');
    expect(await text(exif)).not.toContain('51.501364');
    await page.emulateMedia({ media: 'print' });
    expect(await first.innerText()).not.toContain('51.501364');
    await page.emulateMedia({ media: 'screen' });
    const button = first.getByRole('button', { name: 'Show location' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.click();
    expect(await rows.isVisible()).toBe(true);
    expect(await text(rows)).toContain('51.501364');
    expect(
      await first.getByRole('button', { name: 'Hide location' }).getAttribute('aria-expanded'),
    ).toBe('true');
    await first.getByRole('button', { name: 'Hide location' }).click();
    expect(await rows.isHidden()).toBe(true);
  });

  it('moves to the previous and next exhibit with the buttons and the keys', async () => {
    const first = page.locator('article.exhibit').nth(0);
    expect(await first.getByRole('button', { name: /Previous exhibit/ }).isDisabled()).toBe(true);
    await first.getByRole('button', { name: 'Next exhibit → (JD/2)' }).click();
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-1-h');
    await page.keyboard.press('n');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-2-h');
    await page.keyboard.press(']');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-3-h');
    await page.keyboard.press('n');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-4-h');
    await page.keyboard.press('n'); // the last one: stays
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-4-h');
    expect(
      await page
        .locator('article.exhibit')
        .nth(4)
        .getByRole('button', { name: /Next exhibit/ })
        .isDisabled(),
    ).toBe(true);
    await page.keyboard.press('p');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-3-h');
    await page.keyboard.press('[');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-2-h');
    await page
      .locator('article.exhibit')
      .nth(2)
      .getByRole('button', { name: /Previous exhibit/ })
      .click();
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-1-h');
    // With nothing focused, the keys start from the exhibit the reader scrolled to.
    await page.evaluate(
      "document.activeElement.blur(); document.getElementById('exhibit-2').scrollIntoView({ block: 'start' })",
    );
    await page.keyboard.press('n');
    expect(await page.evaluate(ACTIVE_ID)).toBe('exhibit-3-h');
  });

  it('re-hashes the picked folder: every listed file matches', async () => {
    await pickFolder();
    const manifest = manifestPaths();
    for (const p of manifest) expect(await statusOf(p), p).toBe('match');
    expect(await statusOf('data/viewer/index.html')).toBe('viewer');
    expect(await statusOf('bagit.txt')).toBe('bagfile');
    expect(await statusOf('manifest-sha256.txt')).toBe('bagfile');
    expect(await page.locator('#files tr[data-status="extra"]').count()).toBe(0);
    expect(await text(page.locator('#verdict h3'))).toBe(`✓ All ${manifest.length} files match`);
    expect(await text(page.locator('#verdict'))).toContain(
      'does not show that what a file shows is true',
    );
    expect(await text(page.locator('article.exhibit').nth(0).locator('.exhibit-status'))).toBe(
      'File check: ✓ Matches',
    );
    // The verdict takes focus so a keyboard or screen-reader user lands on it.
    expect(await page.evaluate(ACTIVE_ID)).toBe('verdict-title');
    await mkdir('test-results', { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: 'test-results/viewer.png', fullPage: true });
  });

  it('shows an image exhibit at full size from the bundle, zoomable, with its regions drawn', async () => {
    const first = page.locator('article.exhibit').nth(0);
    const img = first.locator('.original img.original-img');
    await img.scrollIntoViewIfNeeded();
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await expect
      .poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: 15_000,
      })
      .toBe(1170);
    const width = (): Promise<number> =>
      img.evaluate((e) => Math.round(e.getBoundingClientRect().width));
    // Fitted to the page at first, then 100% is the original's own pixels.
    expect(await width()).toBeLessThan(1170);
    await first.getByRole('button', { name: 'Show the picture at 100% (actual size)' }).click();
    expect(await width()).toBe(1170);
    // Keys on the focused picture: + zooms in, 0 fits again.
    await first.locator('.scroller').focus();
    await page.keyboard.press('+');
    expect(await width()).toBe(Math.round(1170 * 1.25));
    await page.keyboard.press('0');
    expect(await width()).toBeLessThan(1170);
    // The marks sit on the picture where the regions are (boxes in millionths of its size).
    const marks = first.locator('.original .mark');
    expect(await marks.count()).toBe(2);
    const box = await img.boundingBox();
    const mark = await marks.nth(0).boundingBox();
    expect(Math.abs(mark!.x - (box!.x + 0.051282 * box!.width))).toBeLessThan(2);
    expect(Math.abs(mark!.y - (box!.y + 0.197472 * box!.height))).toBeLessThan(2);
    expect(Math.abs(mark!.width - 0.769231 * box!.width)).toBeLessThan(2);
    expect(await text(marks.nth(0))).toBe('1');
  });

  it('shows an HTML email as text with its headers, loading and running nothing from it', async () => {
    const mail = page.locator('article.exhibit').nth(2).locator('.original');
    await mail.locator('.email').waitFor();
    const shown = await text(mail);
    expect(shown).toContain('"A. Colleague" <a@example.com>');
    expect(shown).toContain('hr@example.com');
    expect(shown).toContain('Answer your phone');
    expect(shown).toContain('<threat-1@example.com>');
    expect(shown).toContain('Wed, 20 Mar 2024 21:30:00 +0000');
    expect(await text(mail.locator('pre.email-body'))).toBe(
      'Answer your phone.\n\nI know where you live.\n\n[picture on the internet, not loaded] see this [http://tracker.example/click]',
    );
    expect(shown).not.toContain('alert(');
    expect(shown).toContain('letter.pdf');
    // The attachment with the SHA-256 of its decoded bytes, as in the court bundle.
    expect(shown).toContain(sha256(Buffer.from('JVBERi0xLjQKJSVFT0YK', 'base64')));
    // Every header in order, behind a "Headers" disclosure.
    const headers = mail.locator('details.email-headers');
    await headers.locator('summary').click();
    expect(await headers.locator('tbody tr td:first-child').allTextContents()).toEqual([
      'From',
      'To',
      'Cc',
      'Date',
      'Subject',
      'Message-ID',
      'MIME-Version',
      'Content-Type',
    ]);
    // Nothing of the email became an element: no image, link or frame inside it.
    expect(await mail.locator('img, a, iframe, link, script, style').count()).toBe(0);
    expect(requests.filter((u) => u.includes('tracker.example'))).toEqual([]);
  });

  it('shows a text file as text, read as its byte order mark says, with hidden characters shown', async () => {
    const notes = page.locator('article.exhibit').nth(4).locator('.original');
    await notes.locator('pre.text-body').waitFor();
    expect(await text(notes)).toContain('UTF-16LE (byte order mark)');
    expect(await text(notes.locator('pre.text-body'))).toBe(
      'Called at 02:14.\nSaid he would wait outside.\\u{202e}gnp.exe',
    );
  });

  it('prints each exhibit on its own page, the picture at a readable size', async () => {
    await page.emulateMedia({ media: 'print' });
    const breaks = await page.locator('article.exhibit').evaluateAll((els) =>
      els.map(
        (e) =>
          (
            globalThis as unknown as {
              getComputedStyle(e: unknown): { breakBefore: string };
            }
          ).getComputedStyle(e).breakBefore,
      ),
    );
    expect(breaks).toEqual(['page', 'page', 'page', 'page', 'page']);
    // Kept with the screenshot in test-results/, to look at.
    const pdf = 'test-results/viewer-print.pdf';
    const margin = '1cm';
    await page.pdf({
      path: pdf,
      format: 'A4',
      printBackground: true,
      margin: { top: margin, bottom: margin, left: margin, right: margin },
    });
    await page.emulateMedia({ media: null });
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split(
      '\f',
    );
    for (const label of ['JD/1', 'JD/2', 'JD/3', 'JD/4', 'JD/5']) {
      const on = pages.flatMap((p, i) => (p.includes(`Exhibit ${label}:`) ? [i] : []));
      expect(on, label).toHaveLength(1);
      // The exhibit starts its page: its heading is at the top, nothing of another before it.
      const lines = pages[on[0]!]!.split('\n').filter((l) => l.trim() !== '');
      expect(lines[0], label).toContain(`Exhibit ${label}:`);
    }
    // The email's text and the region comments are printed.
    expect(pages.join('')).toContain('I know where you live.');
    expect(pages.join('')).toContain('Region 1: The threat.');
    // The screenshot is printed from the original at a readable size: at least 80% of the
    // page's usable height (A4, 1 cm margins), and its reduced preview is left out.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length > 12)
      .map((f) => ({ width: Number(f[3]), height: Number(f[4]), yppi: Number(f[13]) }));
    const shot = images.filter((m) => m.width === 1170 && m.height === 2532);
    expect(shot).toHaveLength(1);
    const printedMm = (2532 / shot[0]!.yppi) * 25.4;
    expect(printedMm).toBeGreaterThanOrEqual(0.8 * (297 - 20));
    expect(images.filter((m) => m.width === 180)).toHaveLength(0);
  });

  it('has no accessibility violations (axe), with the originals shown', async () => {
    const { AxeBuilder } = await import('@axe-core/playwright');
    const result = await new AxeBuilder({ page }).analyze();
    expect(
      result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    ).toEqual([]);
  });

  it('plays a recording from the picked folder', async () => {
    const card = page.locator('article.exhibit').nth(3);
    await card.getByRole('button', { name: 'Play this recording' }).click();
    const audio = card.locator('audio');
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    // Polled through the element handle: a string predicate would be eval'd, which the page's CSP forbids.
    await expect
      .poll(() => audio.evaluate((a) => (a as unknown as { readyState: number }).readyState), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(1);
    expect(
      await audio.evaluate((a) => Math.round((a as unknown as { duration: number }).duration)),
    ).toBe(120);
  });

  it("gives the same results with the page's own SHA-256 when WebCrypto is absent", async () => {
    const p2 = await context.newPage();
    await p2.addInitScript("Object.defineProperty(window.crypto, 'subtle', { value: undefined });");
    await p2.goto(pathToFileURL(bag.viewer).href);
    expect(await text(p2.locator('#about'))).toContain('does not offer Web Crypto');
    await pickFolder(p2);
    for (const p of manifestPaths()) {
      expect(await p2.locator(`#files tr[data-path="${p}"]`).getAttribute('data-status'), p).toBe(
        'match',
      );
    }
    expect(await text(p2.locator('#verdict h3'))).toBe('✓ All 7 files match');
    await p2.close();
  });

  it('shows previews from the picked files when they were left out of the page', async () => {
    const p3 = await context.newPage();
    await p3.goto(pathToFileURL(bag.omitted).href);
    const first = p3.locator('article.exhibit').nth(0);
    expect(await text(first.locator('.preview'))).toBe(
      'Preview appears after you choose the bundle folder',
    );
    expect(await p3.locator('article.exhibit .preview img').count()).toBe(0);
    await pickFolder(p3);
    const img = first.locator('.preview img');
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await previewWidths(p3)).toEqual([1170, 390]);
    await p3.close();
  });

  it('says so, and where else to look, when its data island is damaged', async () => {
    const html = (await readFile(bag.viewer, 'utf8')).replace(
      /(<script type="application\/json" id="dossier-data">)[^<]*/,
      '$1{"format":"something-else"}',
    );
    const damaged = join(dirname(bag.omitted), 'damaged.html');
    await writeFile(damaged, html);
    const p4 = await context.newPage();
    await p4.goto(pathToFileURL(damaged).href);
    expect(await text(p4.locator('#app'))).toContain(
      'This page could not show the bundle (This page does not carry the data of a Dossier bundle',
    );
    expect(await text(p4.locator('#app'))).toContain('Read data/report/report.pdf instead');
    await p4.close();
  });

  it('names the file with one changed byte as DIFFERENT', async () => {
    const p = 'data/evidence/JD-1_screenshot.png';
    const bytes = Buffer.from(await readFile(join(bag.root, p)));
    bytes[100] = bytes[100]! ^ 1;
    await writeFile(join(bag.root, p), bytes);
    await pickFolder();
    expect(await statusOf(p)).toBe('different');
    expect(await text(page.locator(`#files tr[data-path="${p}"]`))).toContain(sha256(bytes));
    expect(await statusOf('data/evidence/JD-2_gnp.exe')).toBe('match');
    expect(await statusOf('data/evidence/JD-3_message.eml')).toBe('match');
    expect(await text(page.locator('#verdict h3'))).toBe(
      '✗ Problem found: 1 DIFFERENT (of 7 files)',
    );
    expect(await text(page.locator('article.exhibit').nth(0).locator('.exhibit-status'))).toBe(
      'File check: ✗ DIFFERENT',
    );
    // The changed file is not shown as the exhibit.
    const original = page.locator('article.exhibit').nth(0).locator('.original');
    expect(await text(original)).toContain(
      'Not shown: the file in the folder you chose is not the one',
    );
    expect(await original.locator('img').count()).toBe(0);
  });

  it('names a deleted file as missing', async () => {
    await rm(join(bag.root, 'data/evidence/JD-3_message.eml'));
    await pickFolder();
    expect(await statusOf('data/evidence/JD-3_message.eml')).toBe('missing');
    expect(await text(page.locator('article.exhibit').nth(2).locator('.original'))).toContain(
      'Not shown: the file was not found in the folder you chose.',
    );
    expect(await statusOf('data/evidence/JD-1_screenshot.png')).toBe('different');
    expect(await statusOf('data/evidence/JD-2_gnp.exe')).toBe('match');
    expect(await text(page.locator('#verdict h3'))).toBe(
      '✗ Problem found: 1 DIFFERENT, 1 missing (of 7 files)',
    );
  });

  it('names an added file as extra', async () => {
    await writeFile(join(bag.root, 'data/evidence/JD-4_added.txt'), 'not part of the export');
    await pickFolder();
    expect(await statusOf('data/evidence/JD-4_added.txt')).toBe('extra');
    expect(await text(page.locator('#counts'))).toContain(
      '1 DIFFERENT · 1 missing · 0 unreadable · 1 extra',
    );
  });

  it('made no network request and logged no error or CSP violation', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url).toMatch(/^(file|data|blob):/);
    expect(problems).toEqual([]);
  });
});
