import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CustodyRecord, Exhibit, ExportModel } from '../../../main/core/export/model';
import { renderReportPdf, renderReportPdfWith } from '../../../main/core/export/report-pdf';
import { findReportFonts } from '../../../main/core/export/report/fonts';
import { cleanText, winAnsi } from '../../../main/core/export/report/text';
import { previewOf } from '../../support/exhibit';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';

const dir = await tempDir('dossier-report-');
const noPoppler = missingTools(['pdftotext', 'pdftoppm']);
const poppler = noPoppler === null;
// DejaVu (or Arial) where the machine has it; otherwise PDF's built-in fonts and [U+XXXX].
const fonts = findReportFonts();
if (!fonts.embedded) console.warn('No Unicode TrueType font found: the report uses built-in fonts');
const popplerTitle = (t: string): string => skipTitle(t, noPoppler);

const sha = (s: string, alg = 'sha256'): string => createHash(alg).update(s).digest('hex');
const HOSTILE = 'invoice\u202Egpj.exe\u0000\r\n\t\u200B\u2066 <b>&amp;</b>';
const NON_LATIN = 'Łódź_zdjęcie_زيد_😀_漢字.png';

async function jpeg(color: string, w: number, h: number): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: color } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

function exhibit(n: number, over: Partial<Exhibit>): Exhibit {
  return {
    number: `ZK/${n}`,
    bagPath: `data/evidence/ZK-${n}_file`,
    itemId: `01HQITEM${n}`,
    originalName: `file-${n}`,
    name: over.originalName ?? `file-${n}`,
    sha256: sha(`file ${n}`),
    sha512: sha(`file ${n}`, 'sha512'),
    size: 1000 * n + 7,
    mime: 'image/png',
    ingestedAt: `2024-03-${String(n).padStart(2, '0')}T14:02:11.000Z`,
    ingestedOffsetMinutes: 0,
    sourceTimes: { mtime: null, exif: null, email: null },
    width: null,
    height: null,
    tags: [],
    notes: [],
    regions: [],
    metadataProblems: [],
    sensitive: [],
    exif: null,
    preview: null,
    incidentIds: [],
    personIds: [],
    derivedFrom: null,
    ...over,
  };
}

function custody(n: number, subjects: (i: number) => string[]): CustodyRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    at: `2024-03-01T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
    actor: 'Zoë Kowalczyk',
    action: i === 0 ? 'create' : 'ingest',
    subjects: i === 0 ? [] : subjects(i),
    details: i === 0 ? {} : { sha256: sha(`file ${i}`), name: `file-${i}` },
    prev: i === 0 ? '0'.repeat(64) : sha(`entry ${i - 1}`),
    hash: sha(`entry ${i}`),
  }));
}

/** An MP's case: emails over several weeks, a photo with GPS, a redaction, hostile names. */
async function realisticModel(): Promise<ExportModel> {
  const exhibits = [
    exhibit(1, {
      originalName: 'Screenshot 2024-03-01 at 09.14.22.png',
      bagPath: 'data/evidence/ZK-1_Screenshot 2024-03-01 at 09.14.22.png',
      width: 1170,
      height: 2532,
      preview: previewOf(await jpeg('#335577', 236, 512)),
      sourceTimes: { mtime: '2024-03-01T09:14:22.000Z', exif: null, email: null },
      tags: ['email', 'threat'],
      incidentIds: ['inc-first'],
      personIds: ['p-sender'],
      notes: [{ body: 'Arrived in the constituency inbox.', createdAt: '2024-03-01T10:00:00Z' }],
    }),
    exhibit(2, {
      originalName: 'IMG_2041.JPG',
      mime: 'image/jpeg',
      width: 4032,
      height: 3024,
      preview: previewOf(await jpeg('#775533', 512, 384)),
      sourceTimes: { mtime: '2024-03-09T23:11:00.000Z', exif: '2024-03-09T23:10:42', email: null },
      sensitive: ['gps'],
      incidentIds: ['inc-car'],
    }),
    exhibit(3, {
      originalName: 'Re: your children.eml',
      mime: 'message/rfc822',
      sourceTimes: { mtime: null, exif: null, email: '2024-03-22T08:01:00+00:00' },
      incidentIds: ['inc-third'],
      personIds: ['p-sender', 'p-witness'],
    }),
    exhibit(4, {
      originalName: 'IMG_2041 (redacted).png',
      preview: previewOf(await jpeg('#553377', 512, 384)),
      derivedFrom: {
        number: 'ZK/2',
        sha256: sha('file 2'),
        operation: 'redact',
        reason: 'Hide the children’s faces',
      },
    }),
    exhibit(5, {
      originalName: HOSTILE,
      mime: 'application/octet-stream',
      metadataProblems: ['The EXIF block is damaged; times could not be read.'],
      notes: [{ body: `Line one\r\nline two\u202E reversed?`, createdAt: 'not a date' }],
    }),
    exhibit(6, {
      originalName: NON_LATIN,
      tags: ['Łódź', 'عربي', '😀'],
      preview: previewOf(Buffer.from('definitely not a jpeg')),
      ingestedOffsetMinutes: 60,
    }),
  ];
  return {
    caseName: 'Zoë Kowalczyk MP — emails about the children',
    exportedAt: '2024-04-02T09:30:00.000Z',
    exportedOffsetMinutes: 60,
    exportedTimeZone: 'Europe/London',
    exporter: 'Zoë Kowalczyk',
    exhibitPrefix: 'ZK',
    signingKeyFingerprint: sha('public key').match(/.{4}/g)!.join(' '),
    signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
    evidenceIndexSha256: sha('items.json'),
    exhibits,
    // Deliberately out of order: the report sorts them.
    incidents: [
      {
        id: 'inc-third',
        occurredAt: '2024-03-22T08:01:00+00:00',
        occurredUntil: null,
        place: 'Email to the constituency office',
        summary: 'THIRD: said again that my children should be taken into care.',
        impact: 'Kept the children home from school.',
        witnesses: '',
        policeRef: 'CAD 1234/22MAR24',
        platformRef: '',
        exhibitNumbers: ['ZK/3'],
        personIds: ['p-sender'],
      },
      {
        id: 'inc-first',
        occurredAt: '2024-03-01T09:14:00Z',
        occurredUntil: null,
        place: 'Email',
        summary: 'FIRST: an email saying my children should be taken into care.',
        impact: 'Frightened; told my caseworker.',
        witnesses: 'Zoë Smith (caseworker)',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['ZK/1'],
        personIds: ['p-sender', 'p-witness'],
      },
      {
        id: 'inc-car',
        occurredAt: '2024-03-09T23:10:00',
        occurredUntil: '2024-03-09T23:40:00',
        place: 'Outside my house',
        summary: 'SECOND: the same car parked outside for half an hour.',
        impact: '',
        witnesses: '',
        policeRef: '',
        platformRef: 'n/a',
        exhibitNumbers: ['ZK/2', 'ZK/4'],
        personIds: [],
      },
    ],
    people: [
      {
        id: 'p-sender',
        name: 'Unknown sender',
        role: 'harasser',
        identifiers: [{ kind: 'email', value: 'angry.voter@example.com' }],
        notes: '',
      },
      { id: 'p-witness', name: 'Zoë Smith', role: 'witness', identifiers: [], notes: 'Caseworker' },
    ],
    custody: custody(8, (i) => [`01HQITEM${i}`]),
    checkpoint: {
      seq: 8,
      head: sha('entry 7'),
      signedAt: '2024-04-02T09:30:00.000Z',
      signature: Buffer.from(sha('sig a') + sha('sig b'), 'hex').toString('base64'),
    },
    software: { name: 'Dossier', version: '0.1.0' },
  };
}

async function render(model: ExportModel, file: string, fonts?: 'built-in'): Promise<Buffer> {
  const parts: Buffer[] = [];
  const source = fonts ? renderReportPdfWith(model, { fonts }) : renderReportPdf(model);
  for await (const c of source) parts.push(c);
  const pdf = Buffer.concat(parts);
  await writeFile(file, pdf);
  return pdf;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

const text = (file: string): string => run('pdftotext', ['-layout', file, '-']);
const pdfInfo = (file: string): Record<string, string> =>
  Object.fromEntries(
    run('pdfinfo', [file])
      .split('\n')
      .map((l) => /^([^:]+):\s*(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
/** True if `hex` appears as one whole token (not split, not glued to other characters). */
const hasToken = (t: string, hex: string): boolean =>
  new RegExp(`(^|[^0-9a-f])${hex}([^0-9a-f]|$)`, 'm').test(t);

describe('renderReportPdf: text helpers', () => {
  it('shows hidden, reordering and unprintable characters as code points', () => {
    expect(cleanText(HOSTILE, winAnsi)).toBe(
      'invoice[U+202E]gpj.exe[U+0000][U+000D][U+000A][U+0009][U+200B][U+2066] <b>&amp;</b>',
    );
    expect(cleanText('a\r\nb\tc', winAnsi, { multiline: true })).toBe('a\nb    c');
    expect(cleanText('Zoë Łódź', winAnsi)).toBe('Zoë [U+0141]ód[U+017A]');
    expect(cleanText('\ud800x', () => true)).toBe('[U+D800]x');
    expect(cleanText('abcdef', () => true, { max: 3 })).toBe('abc … [3 more characters]');
  });
});

describe(popplerTitle('renderReportPdf (read back with poppler)'), () => {
  it.skipIf(!poppler)(
    'prints every hash, the timeline in order, the custody log and the certificate',
    async () => {
      const model = await realisticModel();
      const file = join(dir, 'report.pdf');
      await render(model, file);
      const t = text(file);
      const f = t.replace(/\s+/g, ' '); // phrases may wrap

      for (const e of model.exhibits) expect(hasToken(t, e.sha256), e.number).toBe(true);
      expect(hasToken(t, sha('file 2'))).toBe(true); // the redaction's parent
      expect(hasToken(t, model.evidenceIndexSha256)).toBe(true);
      expect(f).toContain('SHA-256 of the evidence index (data/metadata/items.json)');
      expect(f).toContain(model.signingKeyFingerprint);
      expect(f).toContain('VERIFY.txt');

      // Timeline: sorted, counted, with gaps.
      const first = f.indexOf('FIRST: an email');
      const second = f.indexOf('SECOND: the same car');
      const third = f.indexOf('THIRD: said again');
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
      expect(third).toBeGreaterThan(second);
      expect(f).toContain('3 incidents are recorded, on 3 separate days');
      // Gaps in calendar days of the exporter's zone, in the app's words (course-of-conduct.ts).
      expect(f).toContain('Since previous 8 days later');
      expect(f).toContain('Days are calendar days in the Europe/London time zone');
      expect(f).toContain('CAD 1234/22MAR24');
      expect(f).toContain('at least two occasions');

      // Exhibit details and honest times.
      expect(f).toContain('Screenshot 2024-03-01 at 09.14.22.png');
      expect(f).toContain('camera-local time (no time zone recorded)');
      expect(f).toContain('Imported (Dossier) Wed 6 Mar 2024, 14:02:11 UTC (local time');
      expect(f).toContain('GPS location');
      expect(f).toContain('The EXIF block is damaged');
      expect(f).toContain('Derived from Exhibit ZK/2');
      expect(f).toContain('invoice[U+202E]gpj.exe[U+0000]');
      expect(f).toContain(fonts.embedded ? 'Łódź_zdjęcie_' : '[U+0141]ód[U+017A]_zdj');
      expect(f).toContain('[U+5B57].png'); // 字 is not in the typeface: shown, not dropped
      expect(f).toContain('(no preview could be shown)');
      expect(f).not.toContain('\u202E');

      // Custody log with full entry hashes and the signed checkpoint.
      for (const c of model.custody) expect(hasToken(t, c.hash), `entry ${c.seq}`).toBe(true);
      // Entries in words (shared/custody-wording.ts), not raw keys.
      expect(f).toContain('ZK/1 — “file-1” was added to the vault.');
      expect(f).toContain('The vault was created.');
      expect(f).not.toMatch(/\b(sha256|name|sourcePath|blob): /);
      expect(f).toContain('Signed checkpoint');
      expect(f).toContain(model.checkpoint!.signature.slice(0, 64));

      // Honest claims and the certificate.
      expect(f).toContain('What the hashes do not show');
      expect(f).toContain('bit-for-bit');
      expect(f).toContain('That the content is true');
      expect(f).toContain('Certificate of exhibits');
      expect(f).toContain('I believe that the facts stated in this certificate are true.');
      expect(f).toContain('I, Zoë Kowalczyk, state that:');

      // Pages: "Page X of Y" matches the real count on every page.
      const info = pdfInfo(file);
      const pages = Number(info.Pages);
      const footers = [...t.matchAll(/Page (\d+) of (\d+)/g)];
      expect(footers.map((m) => Number(m[1]))).toEqual(
        Array.from({ length: pages }, (_, i) => i + 1),
      );
      expect(new Set(footers.map((m) => Number(m[2])))).toEqual(new Set([pages]));

      // The window title names the case, never an evidence file.
      expect(info.Title).toBe('Evidence report — Zoë Kowalczyk MP — emails about the children');
      expect(info.CreationDate).toMatch(/Apr {2}2 09:30:00 2024/);

      run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', file, join(dir, 'page')]);
      const pngs = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png'));
      expect(pngs).toHaveLength(2);
      for (const p of pngs) {
        const meta = await sharp(await readFile(join(dir, p))).metadata();
        expect(meta.width).toBeGreaterThan(350);
      }
    },
  );

  it.skipIf(!poppler)('is byte-for-byte the same for the same model', async () => {
    const model = await realisticModel();
    const a = await render(model, join(dir, 'a.pdf'));
    const b = await render(model, join(dir, 'b.pdf'));
    expect(a.equals(b)).toBe(true);
  });

  it.skipIf(!poppler)(
    'with only the built-in fonts, prints other characters as code points',
    async () => {
      const model = await realisticModel();
      const file = join(dir, 'builtin.pdf');
      await render(model, file, 'built-in');
      const t = text(file);
      for (const e of model.exhibits) expect(hasToken(t, e.sha256)).toBe(true);
      expect(t).toContain('[U+0141]ód[U+017A]_zdj[U+0119]cie_');
      expect(t).toContain('Zoë Smith'); // ë is in the built-in fonts' character set
    },
  );

  it.skipIf(!poppler)('handles an empty bundle and blocks longer than a page', async () => {
    const base = await realisticModel();
    const empty: ExportModel = {
      ...base,
      caseName: '',
      exporter: '',
      exhibits: [],
      incidents: [],
      people: [],
      custody: [],
      checkpoint: null,
    };
    const emptyFile = join(dir, 'empty.pdf');
    await render(empty, emptyFile);
    const e = text(emptyFile).replace(/\s+/g, ' ');
    expect(e).toContain('No incidents are described in this bundle.');
    expect(e).toContain('No signed checkpoint was recorded.');
    expect(e).toContain('I, ____');

    // One exhibit with a huge name and many long notes: it runs over pages, but its heading
    // and hash stay together on the first.
    const long: ExportModel = {
      ...base,
      exhibits: [
        base.exhibits[0]!,
        {
          ...base.exhibits[1]!,
          originalName: 'x'.repeat(5000),
          tags: Array.from({ length: 500 }, (_, i) => `tag${i}`),
          metadataProblems: Array.from({ length: 50 }, () => 'problem '.repeat(40)),
          notes: Array.from({ length: 40 }, (_, i) => ({
            body: `Note ${i}. ${'words '.repeat(500)}`,
            createdAt: '2024-03-02T10:00:00Z',
          })),
        },
      ],
    };
    const longFile = join(dir, 'long.pdf');
    await render(long, longFile);
    const pages = text(longFile).split('\f');
    const at = pages.findIndex((p) => /^\s*Exhibit ZK\/2\s*$/m.test(p));
    expect(at).toBeGreaterThan(0);
    expect(hasToken(pages[at]!, long.exhibits[1]!.sha256)).toBe(true);
    expect(pages[at + 1]).toMatch(/Note \d+\./); // the notes carried on
    expect(pages.join(' ')).toContain('and 20 more notes');
  });

  it.skipIf(!poppler)('never throws on hostile text anywhere in the model', async () => {
    const base = await realisticModel();
    const anyText = fc.string({ unit: 'binary', maxLength: 300 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          caseName: anyText,
          exporter: anyText,
          name: anyText,
          note: anyText,
          tag: anyText,
          place: anyText,
          time: anyText,
        }),
        async (r) => {
          const model: ExportModel = {
            ...base,
            caseName: r.caseName,
            exporter: r.exporter,
            exhibits: base.exhibits.map((e) => ({
              ...e,
              originalName: r.name,
              tags: [r.tag],
              notes: [{ body: r.note, createdAt: r.time }],
              sourceTimes: { mtime: r.time, exif: r.time, email: null },
            })),
            incidents: base.incidents.map((i) => ({ ...i, place: r.place, summary: r.note })),
            people: base.people.map((p) => ({ ...p, name: r.name })),
          };
          const file = join(dir, `fuzz-${n++}.pdf`);
          await render(model, file);
          const t = text(file);
          for (const e of model.exhibits) expect(hasToken(t, e.sha256)).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it.skipIf(!poppler)(
    'renders 2,000 exhibits with bounded memory, never splitting a block from its hash',
    async () => {
      const base = await realisticModel();
      const previews = await Promise.all(
        ['#224466', '#664422', '#446622'].map((c) => jpeg(c, 512, 384)),
      );
      const N = 2000;
      const model: ExportModel = {
        ...base,
        exhibits: Array.from({ length: N }, (_, i) => ({
          ...base.exhibits[i % base.exhibits.length]!,
          number: `ZK/${i + 1}`,
          itemId: `item-${i}`,
          sha256: sha(`bulk ${i}`),
          preview: i % 2 === 0 ? previewOf(previews[i % 3]!) : null,
          notes:
            i % 7 === 0
              ? [{ body: 'A longer note. '.repeat(60), createdAt: '2024-03-02T10:00Z' }]
              : [],
        })),
        custody: custody(N, (i) => [`item-${i - 1}`]),
      };
      const file = join(dir, 'bulk.pdf');
      const out = createWriteStream(file);
      // A real collection before each sample, so garbage is not counted as growth.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let peakHeap = heapBefore;
      let chunks = 0;
      const started = Date.now();
      for await (const chunk of renderReportPdf(model)) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        if (++chunks % 8 === 0) {
          gc();
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        }
      }
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      const seconds = (Date.now() - started) / 1000;
      const growthMb = (peakHeap - heapBefore) / 1e6;
      const info = pdfInfo(file);
      console.log(
        `2,000 exhibits: ${info.Pages} pages, ${(Number(info['File size']?.split(' ')[0]) / 1e6).toFixed(1)} MB, ` +
          `${seconds.toFixed(1)} s (with ${Math.floor(chunks / 8)} forced GCs), live heap growth ${growthMb.toFixed(0)} MB`,
      );
      // Measured at about 12 MB; pdfkit's word-layout cache alone held over 100 MB before the
      // report started emptying it.
      expect(growthMb).toBeLessThan(60);

      const pages = text(file).split('\f');
      const pageOf = new Map<string, number>();
      pages.forEach((p, i) => {
        for (const m of p.matchAll(/^\s*Exhibit (ZK\/\d+)\s*$/gm)) pageOf.set(m[1]!, i);
      });
      expect(pageOf.size).toBe(N);
      for (const e of model.exhibits) {
        const page = pages[pageOf.get(e.number)!]!;
        expect(hasToken(page, e.sha256), e.number).toBe(true);
      }
    },
    180_000,
  );
});
