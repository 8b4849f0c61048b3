// The court bundle (data/report/bundle.pdf), drawn from hand-made ExhibitContent and read
// back with the tools a court's IT or a solicitor would use: pdfinfo, qpdf, mutool,
// pdftotext and pdftoppm.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ExhibitContent } from '../../../main/core/export/bundle/exhibit-content';
import type { CustodyRecord, Exhibit, ExportModel } from '../../../main/core/export/model';
import { renderBundlePdf, type BundleContent } from '../../../main/core/export/pdf/bundle';
import { CONTENT_H, CONTENT_W } from '../../../main/core/export/pdf/writer';
import { corruptIdat } from '../../fixtures/evidence';
import { pictureContent } from '../../support/bundle-content';
import { testExhibit } from '../../support/exhibit';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';

const dir = await tempDir('dossier-bundle-');
const noTools = missingTools(['pdftotext', 'pdftoppm', 'pdfinfo', 'qpdf', 'mutool']);
const title = (t: string): string => skipTitle(t, noTools);

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const CONTEMPT =
  'I understand that proceedings for contempt of court may be brought against anyone who makes, or causes to be made, a false statement in a document verified by a statement of truth without an honest belief in its truth.';

/** A 1170×2532 phone screenshot in one flat blue, with white lines of "text": easy to find. */
async function screenshot(width: number, height: number): Promise<Buffer> {
  const lines = Array.from(
    { length: Math.floor(height / 120) },
    (_, i) =>
      `<rect x="60" y="${60 + i * 120}" width="${width - 300}" height="30" fill="#ffffff"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${lines}</svg>`;
  return sharp({ create: { width, height, channels: 3, background: '#1f4fa0' } })
    .composite([{ input: Buffer.from(svg) }])
    .removeAlpha() // no alpha channel: pdfkit copies it as it is
    .png()
    .toBuffer();
}

function exhibit(n: number, over: Partial<Exhibit>): Exhibit {
  return testExhibit({
    number: `JD${n}`,
    bagPath: `data/evidence/JD-${String(n).padStart(3, '0')}_file`,
    itemId: `item-${n}`,
    originalName: `file-${n}`,
    name: over.originalName ?? `file-${n}`,
    sha256: sha(`file ${n}`),
    sha512: sha(`file ${n} 512`),
    size: 1000 * n + 7,
    mime: 'image/png',
    ingestedAt: `2024-03-${String(n).padStart(2, '0')}T14:02:11.000Z`,
    ...over,
  });
}

const region = (number: number, y: number, h: number, comment: string) => ({
  number,
  x: 100_000,
  y,
  w: 600_000,
  h,
  comment,
  createdAt: '2024-03-02T10:00:00Z',
});

const EMAIL: ExhibitContent = {
  kind: 'email',
  headers: [
    { name: 'From', value: 'Angry Voter <angry.voter@example.com>' },
    { name: 'To', value: 'Office <office@example.org>' },
    { name: 'Cc', value: '' },
    { name: 'Date', value: 'Fri, 22 Mar 2024 08:01:00 +0000' },
    { name: 'Subject', value: 'Re: your children' },
    { name: 'Message-ID', value: '<abc123@example.com>' },
  ],
  body:
    'You should know that the social workers will hear from me.\n\n' +
    'Paragraph two mentions the marmalade sandwich.\n' +
    `${'x'.repeat(100_000)}\n` + // one hostile unbroken run of 100,000 characters
    'Last words: goodbye\u202Eevil.',
  bodyFrom: 'html',
  attachments: [
    { name: 'photo.jpg', mime: 'image/jpeg', size: 52_113, sha256: sha('attachment one') },
    { name: 'letter.pdf', mime: 'application/pdf', size: 900, sha256: sha('attachment two') },
  ],
  rawHeaders:
    'Received: from mail.example.com by mx.example.org; Fri, 22 Mar 2024 08:01:02 +0000\n' +
    'X-Tracking-Header: quite-unusual-header-value\nSubject: Re: your children',
  problems: ['A part said it was base64 but was not.'],
};

const TEXT: ExhibitContent = {
  kind: 'text',
  text: Array.from({ length: 260 }, (_, i) => `line ${i + 1}: the text file says hello`).join('\n'),
  encoding: 'UTF-8',
  truncated: false,
};

interface Case {
  model: ExportModel;
  content: BundleContent;
}

async function realisticCase(): Promise<Case> {
  const phone = await screenshot(1170, 2532);
  const tall = await screenshot(1170, 6000);
  const exhibits = [
    exhibit(1, {
      originalName: 'Screenshot 2024-03-01 at 09.14.22.png',
      width: 1170,
      height: 2532,
      notes: [{ body: 'Arrived in the constituency inbox.', createdAt: '2024-03-01T10:00:00Z' }],
      tags: ['threat'],
      incidentIds: ['inc-1'],
      personIds: ['p-sender'],
      regions: [
        region(1, 100_000, 50_000, 'This line is the threat about the school gates'),
        region(2, 600_000, 80_000, 'He names my street here'),
      ],
    }),
    exhibit(2, {
      originalName: 'long capture.png',
      width: 1170,
      height: 6000,
      // The first crosses from the first slice into the second; the second is on the last.
      regions: [
        region(1, 250_000, 200_000, 'The mark that spans two pages'),
        region(2, 940_000, 30_000, 'A mark near the bottom of the capture'),
      ],
    }),
    exhibit(3, {
      originalName: 'Re: your children.eml',
      mime: 'message/rfc822',
      sourceTimes: { mtime: null, exif: null, email: '2024-03-22T08:01:00+00:00' },
      notes: [{ body: 'Forwarded to the police on Monday.', createdAt: '2024-03-25T09:00:00Z' }],
    }),
    exhibit(4, { originalName: 'notes.txt', mime: 'text/plain' }),
    exhibit(5, { originalName: 'voicemail.m4a', mime: 'audio/mp4' }),
    exhibit(6, {
      originalName: 'invoice\u202Egpj.exe',
      mime: 'application/octet-stream',
      regions: [region(1, 0, 100_000, 'A mark on a file that cannot be drawn')],
    }),
  ];
  const custody: CustodyRecord[] = exhibits.map((e, i) => ({
    seq: i + 2,
    at: `2024-03-01T10:0${i}:00.000Z`,
    actor: 'cli',
    action: 'ingest',
    subjects: [e.itemId],
    details: { sha256: e.sha256, name: e.originalName },
    prev: sha(`entry ${i}`),
    hash: sha(`entry ${i + 1}`),
  }));
  const model: ExportModel = {
    caseName: 'Jane Doe — messages from an unknown number',
    exportedAt: '2024-04-02T09:30:00.000Z',
    exportedOffsetMinutes: 60,
    exportedTimeZone: 'Europe/London',
    exporter: 'Jane Doe',
    exhibitPrefix: 'JD',
    signingKeyFingerprint: sha('public key').match(/.{4}/g)!.join(' '),
    signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
    evidenceIndexSha256: sha('items.json'),
    exhibits,
    incidents: [
      {
        id: 'inc-1',
        occurredAt: '2024-03-01T09:14:00Z',
        occurredUntil: null,
        place: 'Phone',
        summary: 'FIRST: a message about the school gates.',
        impact: '',
        witnesses: '',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['JD1'],
        personIds: ['p-sender'],
      },
      {
        id: 'inc-2',
        occurredAt: '2024-03-22T08:01:00Z',
        occurredUntil: null,
        place: 'Email',
        summary: 'SECOND: the email about the children.',
        impact: '',
        witnesses: '',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['JD3'],
        personIds: [],
      },
    ],
    people: [
      {
        id: 'p-sender',
        name: 'Unknown sender',
        role: 'harasser',
        identifiers: [{ kind: 'phone', value: '+44 7700 900123' }],
        notes: '',
      },
    ],
    custody,
    checkpoint: {
      seq: 7,
      head: sha('entry 6'),
      signedAt: '2024-04-02T09:30:00.000Z',
      signature: Buffer.from(sha('sig a') + sha('sig b'), 'hex').toString('base64'),
    },
    software: { name: 'Dossier', version: '0.1.0' },
  };
  const content: BundleContent = async (e, { pixels, box }) => {
    if (e.number === 'JD1') return pictureContent(phone, e.regions, pixels, box);
    if (e.number === 'JD2') return pictureContent(tall, e.regions, pixels, box);
    if (e.number === 'JD3') return EMAIL;
    if (e.number === 'JD4') return TEXT;
    if (e.number === 'JD5') return { kind: 'other', reason: 'a sound recording' };
    return { kind: 'other', reason: 'a file of an unknown kind' };
  };
  return { model, content };
}

async function render(c: Case, file: string): Promise<{ pdf: Buffer; pages: number | null }> {
  const r = renderBundlePdf(c.model, { content: c.content });
  const parts: Buffer[] = [];
  for await (const chunk of r.chunks) parts.push(chunk);
  const pdf = Buffer.concat(parts);
  await writeFile(file, pdf);
  return { pdf, pages: r.pages };
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const pdfPages = (file: string): number =>
  Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [file]))![1]);
/** The text of each page, in order. */
const pageTexts = (file: string): string[] =>
  run('pdftotext', ['-layout', file, '-']).split('\f').slice(0, -1);

type Json = Record<string, unknown>;
/** Every object of the PDF by reference ("12 0 R"), and the pages' references in order. */
function pdfObjects(file: string): { objects: Map<string, Json>; pages: string[] } {
  const j = JSON.parse(run('qpdf', ['--json=2', file])) as {
    pages: { object: string }[];
    qpdf: [unknown, Record<string, { value?: Json }>];
  };
  const objects = new Map<string, Json>();
  for (const [k, v] of Object.entries(j.qpdf[1])) {
    if (v.value) objects.set(k.replace(/^obj:/, ''), v.value);
  }
  return { objects, pages: j.pages.map((p) => p.object) };
}

/** Named destination → page number (from 1), walking the /Dests name tree. */
function namedDests(objects: Map<string, Json>, pages: string[]): Map<string, number> {
  const trailer = objects.get('trailer') as Json;
  const deref = (v: unknown): Json => (typeof v === 'string' ? objects.get(v)! : (v as Json));
  const root = deref(trailer['/Root']);
  const out = new Map<string, number>();
  const walk = (node: Json): void => {
    const names = node['/Names'] as unknown[] | undefined;
    for (let i = 0; names && i < names.length; i += 2) {
      const name = String(names[i]).replace(/^u:/, '');
      const dest = deref(names[i + 1]) as unknown as unknown[];
      out.set(name, pages.indexOf(String(dest[0])) + 1);
    }
    for (const kid of (node['/Kids'] as unknown[] | undefined) ?? []) walk(deref(kid));
  };
  walk(deref(deref(root['/Names'])['/Dests']));
  return out;
}

/** A named destination's array ([page, /XYZ, left, top, zoom]). */
function destinationOf(objects: Map<string, Json>, name: string): unknown[] {
  const deref = (v: unknown): Json => (typeof v === 'string' ? objects.get(v)! : (v as Json));
  const root = deref((objects.get('trailer') as Json)['/Root']);
  let found: unknown[] | null = null;
  const walk = (node: Json): void => {
    const names = node['/Names'] as unknown[] | undefined;
    for (let i = 0; names && i < names.length; i += 2) {
      if (String(names[i]).replace(/^u:/, '') === name)
        found = deref(names[i + 1]) as unknown as unknown[];
    }
    for (const kid of (node['/Kids'] as unknown[] | undefined) ?? []) walk(deref(kid));
  };
  walk(deref(deref(root['/Names'])['/Dests']));
  if (!found) throw new Error(`no destination ${name}`);
  return found;
}

describe(title('the court bundle, read back with pdfinfo, qpdf, mutool and poppler'), () => {
  it.skipIf(noTools !== null)(
    'is a valid PDF with every exhibit bookmarked, every hash, the email, notes, region comments and the statement of truth',
    async () => {
      const c = await realisticCase();
      const file = join(dir, 'bundle.pdf');
      const { pages } = await render(c, file);
      expect(pages).toBe(pdfPages(file)); // the count the export warns with is the real one
      run('qpdf', ['--check', file]);

      const outline = run('mutool', ['show', file, 'outline']);
      for (const e of c.model.exhibits) expect(outline).toContain(`${e.number} —`);
      for (const t of ['Index', 'Course of conduct', 'Custody log', 'Certificate of exhibits'])
        expect(outline).toContain(t);
      expect(outline).toContain('Appendix to JD3: full headers');

      const texts = pageTexts(file);
      expect(texts).toHaveLength(pages!);
      const all = texts.join('\n');
      const flat = all.replace(/\s+/g, ' ');
      for (const e of c.model.exhibits) expect(all, e.number).toContain(e.sha256);
      for (const a of (EMAIL as { attachments: { sha256: string }[] }).attachments)
        expect(all).toContain(a.sha256);
      expect(flat).toContain('Subject Re: your children');
      expect(flat).toContain('Message-ID <abc123@example.com>');
      expect(flat).toContain('the social workers will hear from me');
      expect(flat).toContain('marmalade sandwich');
      expect(flat).toContain('goodbye[U+202E]evil'); // cleaned as the report cleans it
      expect(flat).toContain('X-Tracking-Header: quite-unusual-header-value');
      expect(flat).toContain('A part said it was base64 but was not.');
      expect(flat).toContain('line 260: the text file says hello');
      expect(flat).toContain('a sound recording');
      expect(flat).toContain('data/evidence/JD-005_file');
      for (const e of c.model.exhibits) {
        for (const n of e.notes) expect(flat).toContain(n.body);
        for (const r of e.regions) expect(flat).toContain(r.comment);
      }
      expect(flat).toContain('The mark that spans two pages (the mark continues on the next part)');
      expect(flat).toContain(CONTEMPT);
      expect(flat).toContain('section 9 of the Criminal Justice Act 1967');
      expect(flat).toContain('That the content is true');
      expect(flat).not.toMatch(/proves? (that )?(it|the content) is (true|authentic|genuine)/i);
      expect(flat).toContain('2 incidents are recorded, on 2 separate days');
      expect(flat).toContain('Jane Doe');
      expect(all).not.toContain('\u202E');

      // Every page is numbered from 1, the cover included; an exhibit's pages carry its label.
      texts.forEach((t, i) => {
        const m = /(?:(JD\d+) · )?Page (\d+) of (\d+)/.exec(t);
        expect(m, `page ${i + 1}`).not.toBeNull();
        expect(Number(m![2])).toBe(i + 1);
        expect(Number(m![3])).toBe(pages);
      });
      const coverOf = (label: string): number =>
        texts.findIndex((t) => new RegExp(`^\\s*EXHIBIT\\s*\\n\\s*${label}\\s*$`, 'm').test(t)) + 1;
      expect(texts[coverOf('JD3') - 1]).toContain(`JD3 · Page ${coverOf('JD3')} of ${pages}`);
      // The tall capture: four overlapping parts, each on its own page with the label.
      const parts = [1, 2, 3, 4].map((n) =>
        texts.findIndex((t) => t.includes(`JD2 · picture, part ${n} of 4`)),
      );
      expect(parts[0]).toBe(coverOf('JD2')); // right after its cover sheet
      for (const p of parts) expect(texts[p]).toContain(`JD2 · Page ${p + 1} of ${pages}`);
      expect(texts[0]).toMatch(/Court bundle — .* Page 1 of \d+/); // the cover: no label
    },
  );

  it.skipIf(noTools !== null)(
    'links each index line to its page, names that page, and opens at 100%',
    async () => {
      const c = await realisticCase();
      const file = join(dir, 'links.pdf');
      await render(c, file);
      const texts = pageTexts(file);
      const { objects, pages } = pdfObjects(file);
      const dests = namedDests(objects, pages);

      // Links on the index page (page 2), in the order of the lines.
      const index = objects.get(pages[1]!)!;
      const annots = ((index['/Annots'] as string[] | undefined) ?? []).map((r) => objects.get(r)!);
      const targets = annots.map((a) => {
        const action = (typeof a['/A'] === 'string' ? objects.get(a['/A']) : a['/A']) as Json;
        expect(action['/S']).toBe('/GoTo');
        return String(action['/D']).replace(/^u:/, '');
      });
      expect(targets).toHaveLength(c.model.exhibits.length + 5);
      for (const [i, e] of c.model.exhibits.entries()) {
        const page = dests.get(targets[i]!)!;
        // The page the link goes to is that exhibit's cover sheet...
        expect(texts[page - 1], e.number).toMatch(
          new RegExp(`^\\s*EXHIBIT\\s*\\n\\s*${e.number}\\s*$`, 'm'),
        );
        // ...and the index prints that page's number on the exhibit's line.
        const line = texts[1]!.split('\n').find((l) => new RegExp(`^\\s*${e.number}\\s`).test(l))!;
        expect(line.trim().endsWith(` ${page}`), line).toBe(true);
      }
      const certificate = dests.get(targets.at(-1)!)!;
      expect(texts[certificate - 1]).toContain('Certificate of exhibits (for signature)');

      const root = objects.get(String((objects.get('trailer') as Json)['/Root']))!;
      expect(root['/OpenAction']).toEqual([pages[0], '/XYZ', null, null, 1]);
    },
  );

  it.skipIf(noTools !== null)(
    'draws a 1170×2532 screenshot on its own page at more than 80% of the usable height, its region comments under it',
    async () => {
      const c = await realisticCase();
      const file = join(dir, 'picture.pdf');
      await render(c, file);
      const texts = pageTexts(file);
      const page = texts.findIndex((t) => /JD1 · picture · rows 1–2,532 of 2,532/.test(t)) + 1;
      expect(page).toBeGreaterThan(2);
      run('pdftoppm', [
        '-png',
        '-r',
        '150',
        '-f',
        `${page}`,
        '-l',
        `${page}`,
        file,
        join(dir, 'p'),
      ]);
      const png = (await readdir(dir)).find((f) => /^p-\d+\.png$/.test(f))!;
      const { data, info } = await sharp(await readFile(join(dir, png)))
        .raw()
        .toBuffer({ resolveWithObject: true });
      // The bounding box of the screenshot's blue (#1f4fa0), wherever it is drawn.
      let top = Infinity;
      let bottom = -1;
      let left = Infinity;
      let right = -1;
      for (let y = 0; y < info.height; y++) {
        for (let x = 0; x < info.width; x++) {
          const o = (y * info.width + x) * info.channels;
          const [r, g, b] = [data[o]!, data[o + 1]!, data[o + 2]!];
          if (Math.abs(r - 0x1f) < 24 && Math.abs(g - 0x4f) < 24 && Math.abs(b - 0xa0) < 24) {
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
        }
      }
      const px = (pt: number): number => (pt / 72) * 150;
      const heightShare = (bottom - top + 1) / px(CONTENT_H);
      const widthShare = (right - left + 1) / px(CONTENT_W);
      expect(Math.max(heightShare, widthShare)).toBeGreaterThanOrEqual(0.8);
      expect(heightShare).toBeLessThanOrEqual(1);
      // Drawn smaller to leave room for its marks' comments, but never finer than 300 dpi.
      expect(2532 / ((bottom - top + 1) / 150)).toBeLessThanOrEqual(301);

      // The comments are listed under the picture, on the same page.
      expect(texts[page - 1]).toContain('Region marks on JD1');
      expect(texts[page - 1]).toContain('1. This line is the threat about the school gates');
      expect(texts[page - 1]).toContain('2. He names my street here');
      expect(texts[page] ?? '').not.toContain('Region marks on JD1');
      expect(texts.join('\n')).not.toContain('Region marks on JD1 (continued');
    },
  );

  it.skipIf(noTools !== null)(
    'keeps the comments on the next page when room for them would draw the picture finer than 300 dpi',
    async () => {
      const c = await realisticCase();
      // Twenty long comments: a list too tall to fit beside the picture at 300 dpi or coarser.
      const many = Array.from({ length: 20 }, (_, i) =>
        region(i + 1, 20_000 + i * 45_000, 20_000, `Comment ${i + 1}: ${'words '.repeat(40)}`),
      );
      const model = {
        ...c.model,
        exhibits: c.model.exhibits.map((e) => (e.number === 'JD1' ? { ...e, regions: many } : e)),
      };
      const file = join(dir, 'many-comments.pdf');
      const { pages } = await render({ model, content: c.content }, file);
      expect(pdfPages(file)).toBe(pages);
      const texts = pageTexts(file);
      const page = texts.findIndex((t) => /JD1 · picture · rows 1–2,532 of 2,532/.test(t)) + 1;
      expect(texts[page - 1]).not.toContain('Comment 1:');
      expect(texts[page]).toContain(`Region marks on JD1 (continued from page ${page})`);
    },
  );

  it.skipIf(noTools !== null)(
    'lists region comments under the picture when there is room, else on the next page',
    async () => {
      const c = await realisticCase();
      const file = join(dir, 'comments.pdf');
      await render(c, file);
      const texts = pageTexts(file);
      const last = texts.findIndex((t) => t.includes('JD2 · picture, part 4 of 4'));
      // The last part of the tall capture is short: the comment is under it.
      expect(texts[last]).toContain('Region marks on JD2, part 4 of 4');
      expect(texts[last]).toContain('2. A mark near the bottom of the capture');
      expect(texts[last]).not.toContain('continued from');
      // The first part fills its page: its comment is on the next page.
      const first = texts.findIndex((t) => t.includes('JD2 · picture, part 1 of 4'));
      expect(texts[first + 1]).toContain(
        `Region marks on JD2, part 1 of 4 (continued from page ${first + 1})`,
      );
    },
  );

  it.skipIf(noTools !== null)('is byte-for-byte the same for the same model', async () => {
    const c = await realisticCase();
    const a = await render(c, join(dir, 'a.pdf'));
    const b = await render(c, join(dir, 'b.pdf'));
    expect(a.pdf.equals(b.pdf)).toBe(true);
  });
});

describe(title('the court bundle wastes no paper'), () => {
  const SHORT_EMAIL: ExhibitContent = {
    ...(EMAIL as Extract<ExhibitContent, { kind: 'email' }>),
    body: 'You should know that the social workers will hear from me.',
    attachments: [],
    problems: [],
  };
  const ONE_LINE: ExhibitContent = {
    kind: 'text',
    text: 'Tuesday: the car was outside again.',
    encoding: 'UTF-8',
    truncated: false,
  };
  const coverOf = (texts: string[], label: string): number =>
    texts.findIndex((t) => new RegExp(`^\\s*EXHIBIT\\s*\\n\\s*${label}\\s*$`, 'm').test(t)) + 1;

  it.skipIf(noTools !== null)(
    'puts a short email (headers, body, appendix) and a one-line text file on their cover sheets’ pages',
    async () => {
      const c = await realisticCase();
      const content: BundleContent = async (e, o) =>
        e.number === 'JD3' ? SHORT_EMAIL : e.number === 'JD4' ? ONE_LINE : c.content(e, o);
      const file = join(dir, 'short.pdf');
      const { pages } = await render({ model: c.model, content }, file);
      expect(pdfPages(file)).toBe(pages);
      const texts = pageTexts(file);
      const jd3 = coverOf(texts, 'JD3');
      const jd4 = coverOf(texts, 'JD4');
      // One page each: the next exhibit's cover sheet follows at once.
      expect(jd4).toBe(jd3 + 1);
      expect(coverOf(texts, 'JD5')).toBe(jd4 + 1);
      const email = texts[jd3 - 1]!.replace(/\s+/g, ' ');
      expect(email).toContain('JD3 · the email as text');
      expect(email).toContain('Subject Re: your children');
      expect(email).toContain('the social workers will hear from me');
      expect(email).toContain('Appendix to JD3: full headers');
      expect(email).toContain('X-Tracking-Header: quite-unusual-header-value');
      expect(email).toContain(`JD3 · Page ${jd3} of ${pages}`);
      const text = texts[jd4 - 1]!.replace(/\s+/g, ' ');
      expect(text).toContain('JD4 · the text of the file');
      expect(text).toContain('Tuesday: the car was outside again.');

      // The appendix keeps its own bookmark and link target, on the page it is on, where it starts.
      expect(run('mutool', ['show', file, 'outline'])).toContain('Appendix to JD3: full headers');
      const { objects, pages: refs } = pdfObjects(file);
      expect(namedDests(objects, refs).get('exhibit-3-headers')).toBe(jd3);
      const dest = destinationOf(objects, 'exhibit-3-headers');
      expect(dest[1]).toBe('/XYZ');
      expect(Number(dest[3])).toBeLessThan(600); // part-way down the page, not its top (≈ 806)
      // Every page still carries its own number, out of the right total.
      texts.forEach((t, i) => expect(t).toMatch(new RegExp(`Page ${i + 1} of ${pages}\\b`)));
    },
  );

  it.skipIf(noTools !== null)(
    'starts the email on a new page when its headers and first lines do not fit under the cover sheet',
    async () => {
      const c = await realisticCase();
      const jd3 = { ...c.model.exhibits[2]!, number: 'JD1' };
      const content: BundleContent = async () => SHORT_EMAIL;
      // More and more custody entries about the exhibit push the end of its cover sheet down
      // the page, until the email no longer fits under it.
      let movedOn = 0;
      for (let n = 8; n <= 35; n += 3) {
        const custody: CustodyRecord[] = Array.from({ length: n }, (_, i) => ({
          seq: 100 + i,
          at: '2024-03-25T09:00:00.000Z',
          actor: 'cli',
          action: 'annotate',
          subjects: [jd3.itemId],
          details: { what: 'note added', note: `Note ${i + 1} about the email.` },
          prev: sha(`n ${i}`),
          hash: sha(`n ${i + 1}`),
        }));
        const model = { ...c.model, exhibits: [jd3], incidents: [], custody };
        const file = join(dir, `full-cover-${n}.pdf`);
        const { pages } = await render({ model, content }, file);
        expect(pdfPages(file)).toBe(pages);
        const texts = pageTexts(file);
        const end = texts.findIndex((t) => t.includes('What follows'));
        const start = texts.findIndex((t) => t.includes('JD1 · the email as text'));
        expect(start, `${n} entries`).toBeGreaterThanOrEqual(end);
        // Wherever it starts, its six headers and its first line are on that page with it.
        expect(texts[start], `${n} entries`).toContain('Message-ID');
        expect(texts[start], `${n} entries`).toContain('the social workers will hear from me');
        if (start > end) {
          movedOn++;
          expect(texts[start]!.trimStart().startsWith('JD1 · the email as text')).toBe(true);
        }
      }
      expect(movedOn).toBeGreaterThan(0);
    },
  );
});

describe(title('the court bundle reads ahead'), () => {
  const slow =
    (c: Case, delay: (n: number) => number, seen?: { inFlight: number; most: number }) =>
    (e: Exhibit, o: { pixels: boolean; box: { width: number; height: number } }) =>
      new Promise<ExhibitContent>((resolve, reject) => {
        if (seen && o.pixels) seen.most = Math.max(seen.most, ++seen.inFlight);
        setTimeout(
          () => {
            if (seen && o.pixels) seen.inFlight--;
            c.content(e, o).then(resolve, reject);
          },
          delay(Number(e.number.slice(2))),
        );
      });

  it.skipIf(noTools !== null)(
    'reads the next two exhibits while one is drawn, never more, and writes the same bytes',
    async () => {
      const c = await realisticCase();
      const model = {
        ...c.model,
        exhibits: [...c.model.exhibits, ...c.model.exhibits].map((e, i) => ({
          ...e,
          number: `JD${i + 1}`,
          itemId: `item-${i + 1}`,
        })),
      };
      const content: BundleContent = async (e, o) =>
        c.content({ ...e, number: `JD${((Number(e.number.slice(2)) - 1) % 6) + 1}` }, o);
      const base = await render({ model, content }, join(dir, 'ahead-0.pdf'));
      const seen = { inFlight: 0, most: 0 };
      // Later exhibits come back first: reading ahead must not change what is drawn where.
      const ahead = await render(
        { model, content: slow({ model, content }, (n) => 60 - n * 4, seen) },
        join(dir, 'ahead-1.pdf'),
      );
      expect(seen.most).toBe(3); // the one being drawn and the next two
      expect(ahead.pages).toBe(base.pages);
      expect(ahead.pdf.equals(base.pdf)).toBe(true);
    },
  );
});

describe('the court bundle refuses to be wrong', () => {
  it('stops when content reads differently in the second pass, rather than misnumber pages', async () => {
    const c = await realisticCase();
    const short: ExhibitContent = {
      kind: 'text',
      text: 'short',
      encoding: 'UTF-8',
      truncated: false,
    };
    const content: BundleContent = async (e, o) =>
      e.number === 'JD4' ? (o.pixels ? TEXT : short) : c.content(e, o);
    const r = renderBundlePdf(c.model, { content });
    await expect(async () => {
      for await (const chunk of r.chunks) void chunk;
    }).rejects.toThrow(/came out differently in its two passes/);
  });

  it('passes on a reader failure instead of writing a bundle without it', async () => {
    const c = await realisticCase();
    const content: BundleContent = async (e, o) => {
      if (e.number === 'JD3') throw new Error('the disk went away');
      return c.content(e, o);
    };
    const r = renderBundlePdf(c.model, { content });
    await expect(async () => {
      for await (const chunk of r.chunks) void chunk;
    }).rejects.toThrow('the disk went away');
  });
});

describe(title('the court bundle at scale'), () => {
  it.skipIf(noTools !== null)(
    'draws 1,000 picture exhibits with bounded memory, every one indexed and bookmarked',
    async () => {
      const c = await realisticCase();
      const phone = await screenshot(390, 844);
      const N = 1000;
      const model: ExportModel = {
        ...c.model,
        exhibits: Array.from({ length: N }, (_, i) =>
          exhibit(i + 1, {
            originalName: `Screenshot ${i + 1}.png`,
            sha256: sha(`bulk ${i}`),
            regions: i % 5 === 0 ? [region(1, 100_000, 50_000, `Mark on ${i + 1}`)] : [],
          }),
        ),
        custody: [],
      };
      const content: BundleContent = (e, { pixels }) => pictureContent(phone, e.regions, pixels);
      const file = join(dir, 'bulk.pdf');
      const out = createWriteStream(file);
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      let chunks = 0;
      const started = Date.now();
      const r = renderBundlePdf(model, { content });
      for await (const chunk of r.chunks) {
        if (!out.write(chunk)) await new Promise<void>((done) => out.once('drain', () => done()));
        if (++chunks % 16 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      const growthMb = (peak - before) / 1e6;
      console.log(
        `1,000 picture exhibits: ${r.pages} pages, ${((Date.now() - started) / 1000).toFixed(1)} s, live heap growth ${growthMb.toFixed(0)} MB`,
      );
      expect(growthMb).toBeLessThan(60);
      expect(pdfPages(file)).toBe(r.pages);
      const outline = run('mutool', ['show', file, 'outline']);
      for (let i = 1; i <= N; i++) expect(outline).toContain(`JD${i} — Screenshot ${i}.png`);
    },
    300_000,
  );
});

describe(title('the court bundle and hostile content'), () => {
  it.skipIf(noTools !== null)(
    'draws what it can and says what it cannot, never crashing on a bad picture',
    async () => {
      const c = await realisticCase();
      // With an alpha channel pdfkit must decode the pixels itself; a damaged one used to
      // throw from inside zlib's callback, which nothing can catch.
      const rgba = await sharp({
        create: { width: 300, height: 500, channels: 4, background: '#1f4fa0cc' },
      })
        .png()
        .toBuffer();
      const slice = (image: Buffer | null, over: object = {}) => ({
        top: 0,
        rows: 500,
        drawWidth: 300,
        drawHeight: 500,
        image,
        regions: [{ number: 1, x: -5, y: 0.5, w: 99, h: Number.NaN, clipped: false }],
        ...over,
      });
      const pictures: ExhibitContent[] = [
        { kind: 'image', width: 300, height: 500, slices: [slice(corruptIdat(rgba))] },
        { kind: 'image', width: 300, height: 500, slices: [slice(rgba)] },
        { kind: 'image', width: 300, height: 500, slices: [slice(Buffer.from('not a picture'))] },
        {
          kind: 'image',
          width: 300,
          height: 500,
          slices: [slice(rgba, { drawWidth: Number.NaN, drawHeight: 1e9 })],
        },
      ];
      const text: ExhibitContent = {
        kind: 'text',
        text: `bell\u0007 and \u202Ereversed\n${'@'.repeat(50_000)}\nend of file`,
        encoding: 'UTF-8 (3 damaged bytes shown as U+FFFD)',
        truncated: true,
      };
      const content: BundleContent = async (e, o) => {
        const i = Number(e.number.slice(2)) - 1;
        if (i < pictures.length) {
          const p = pictures[i] as Extract<ExhibitContent, { kind: 'image' }>;
          return o.pixels ? p : { ...p, slices: p.slices.map((s) => ({ ...s, image: null })) };
        }
        return i === 4 ? text : c.content(e, o);
      };
      const file = join(dir, 'hostile.pdf');
      const a = await render({ ...c, content }, file);
      run('qpdf', ['--check', file]);
      const texts = pageTexts(file);
      const t = texts.join('\n');
      // The long line is cut to the page's width, and not one character is lost.
      const jd5 = texts.filter((p) => /JD5 · Page/.test(p)).join('');
      expect(jd5.match(/@/g)).toHaveLength(50_000);
      expect(t.match(/this part of the picture could not be drawn/g)).toHaveLength(2);
      expect(t).toContain('bell[U+0007] and [U+202E]reversed');
      expect(t).toContain('end of file');
      expect(t).toContain('Only the start of the file is shown');
      // Decoded by us before pdfkit sees it: the same bytes every time.
      const b = await render({ ...c, content }, join(dir, 'hostile-2.pdf'));
      expect(a.pdf.equals(b.pdf)).toBe(true);
    },
  );

  it.skipIf(noTools !== null)(
    'writes hostile words read by machine into the invisible layer without breaking the page',
    async () => {
      const c = await realisticCase();
      const png = await sharp({
        create: { width: 300, height: 500, channels: 3, background: '#ffffff' },
      })
        .png()
        .toBuffer();
      const word = (t: string, x: number, y: number, w = 60, h = 20) => ({ t, x, y, w, h, c: 50 });
      const words = [
        word('Hollybush', 20, 40),
        word('bell\u0007\u202Ereversed', 20, 80),
        word('\ud800lone', 20, 120),
        word('x'.repeat(10_000), 20, 160),
        word('nan', Number.NaN, 200),
        word('huge', 1e12, -1e12, 1e12, 1e12),
        word('flat', 20, 240, 0, 0),
        word('   ', 20, 280),
      ];
      const first = c.model.exhibits[0]!;
      const model = {
        ...c.model,
        exhibits: c.model.exhibits.map((e, i) =>
          i === 0
            ? {
                ...e,
                width: 300,
                height: 500,
                recognisedText: {
                  status: 'read' as const,
                  reason: null,
                  language: 'eng',
                  reading: {
                    engine: 'tesseract.js',
                    engineVersion: '7',
                    readAt: null,
                    meanConfidence: 50,
                    width: 300,
                    height: 500,
                    text: words.map((w) => w.t).join(' '),
                    textSha256: '0'.repeat(64),
                    words,
                  },
                },
              }
            : e,
        ),
      };
      const content: BundleContent = async (e, o) =>
        e.itemId === first.itemId
          ? {
              kind: 'image',
              width: 300,
              height: 500,
              slices: [
                {
                  top: 0,
                  rows: 500,
                  drawWidth: 300,
                  drawHeight: 500,
                  image: o.pixels ? png : null,
                  regions: [],
                },
              ],
            }
          : c.content(e, o);
      const file = join(dir, 'hostile-words.pdf');
      const a = await render({ model, content }, file);
      run('qpdf', ['--check', file]);
      expect(a.pages).toBe(pdfPages(file));
      const page = pageTexts(file).find((t) => t.includes(`${first.number} · picture`))!;
      expect(page).toContain('Hollybush');
      expect(page).toContain('bell[U+0007][U+202E]reversed');
      const b = await render({ model, content }, join(dir, 'hostile-words-2.pdf'));
      expect(a.pdf.equals(b.pdf)).toBe(true);
    },
  );
});
