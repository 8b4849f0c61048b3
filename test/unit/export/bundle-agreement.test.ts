/**
 * One model, every place that states it: the app's timeline, the offline viewer and the PDF
 * report (read back with pdftotext) must give the same numbers: exhibits, occasions, days,
 * span and the gap before each occasion. Each surface is one entry in SURFACES; when
 * bundle.pdf exists it is one more line there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustodyRecord, Exhibit, ExportModel } from '../../../main/core/export/model';
import { renderBundlePdf } from '../../../main/core/export/pdf/bundle';
import { renderReportPdfWith } from '../../../main/core/export/report-pdf';
import type { ViewerData } from '../../../main/core/export/viewer';
import { buildTimeline, calendarDay } from '../../../renderer/src/screens/timeline/timeline';
import { testExhibit } from '../../support/exhibit';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';
import { viewerHtml } from '../../support/viewer-html';

const dir = await tempDir('dossier-agreement-');
const noPoppler = missingTools(['pdftotext']);
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function exhibit(n: number): Exhibit {
  return testExhibit({
    number: `AB/${n}`,
    bagPath: `data/evidence/AB-${n}_file.txt`,
    itemId: `item${n}`,
    originalName: `file-${n}.txt`,
    name: `file-${n}.txt`,
    sha256: sha(`file ${n}`),
    sha512: sha(`file ${n}`) + sha(`file ${n}!`),
    size: 100 + n,
    mime: 'text/plain',
    ingestedAt: `2024-06-1${n}T10:00:00.000Z`,
    ingestedOffsetMinutes: 60,
  });
}

const incident = (id: string, occurredAt: string): ExportModel['incidents'][number] => ({
  id,
  occurredAt,
  occurredUntil: null,
  place: `Place ${id}`,
  summary: `Incident ${id}`,
  impact: '',
  witnesses: '',
  policeRef: '',
  platformRef: '',
  exhibitNumbers: [],
  personIds: [],
});

const custody: CustodyRecord[] = [
  {
    seq: 1,
    at: '2024-03-01T08:00:00.000Z',
    actor: 'dossier',
    action: 'create',
    subjects: [],
    details: {},
    prev: '0'.repeat(64),
    hash: sha('entry 1'),
  },
];

/**
 * Days are counted in London, where 23:30 UTC on 1 June 2024 is 00:30 on the 2nd: so C and D
 * fall on one day there, though on two in UTC. B has no zone; E cannot be read.
 */
const MODEL: ExportModel = {
  caseName: 'Agreement',
  exportedAt: '2024-07-01T12:00:00.000Z',
  exportedOffsetMinutes: 60,
  exportedTimeZone: 'Europe/London',
  exporter: 'A. Tester',
  exhibitPrefix: 'AB',
  signingKeyFingerprint: 'abcd '.repeat(16).trim(),
  signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
  evidenceIndexSha256: sha('index'),
  exhibits: [exhibit(1), exhibit(2), exhibit(3)],
  incidents: [
    incident('D', '2024-06-02T22:00:00Z'),
    incident('E', 'sometime in July'),
    incident('A', '2024-03-01T09:14:00Z'),
    incident('C', '2024-06-01T23:30:00Z'),
    incident('B', '2024-03-09T23:10:00'),
  ],
  people: [],
  custody,
  checkpoint: null,
  software: { name: 'Dossier', version: '0.0.0-test' },
};

/** What the figures must be, worked out by hand (not by the code under test). */
const EXPECTED = {
  exhibits: 3,
  occasions: 5,
  days: 3, // 1 March, 9 March, 2 June (London)
  spanDays: 93, // 1 March to 2 June 2024
  gaps: [8, 85, 0],
};

interface Figures {
  /** undefined: this surface does not state it. */
  exhibits?: number;
  occasions: number;
  days: number;
  spanDays: number;
  gaps: number[];
}

/** "Same day…", "The next day", "23 days later…" → whole days. */
function gapDays(text: string): number {
  if (/^Same day/.test(text)) return 0;
  if (/^The next day/.test(text)) return 1;
  const m = /^(\d+) days later/.exec(text);
  if (!m) throw new Error(`not a gap: ${text}`);
  return Number(m[1]);
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

async function pdfText(name: string, chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  const file = join(dir, name);
  await writeFile(file, Buffer.concat(parts));
  return run('pdftotext', ['-layout', file, '-']).split('\f');
}

/** The figures a PDF states, and a check that its contents' page references are right. */
function readPdf(pages: string[]): Figures {
  const all = pages.join('\n').replace(/\s+/g, ' '); // sentences wrap across lines
  const stated = /(\d+) incidents are recorded, on (\d+) separate days?/.exec(all);
  const span = /\((\d+) days? from the first day to the last\)/.exec(all);
  const exhibits = /Exhibits (\d+) exhibits?/.exec(all);
  const headings = new Set(all.match(/Exhibit AB\/\d+/g));
  expect(Number(exhibits?.[1])).toBe(headings.size);
  // Contents: "2 Incidents in time order (course of conduct) page 3" → page 3 opens with it.
  const contents = [...pages[0]!.matchAll(/^\s*(\d)\s+(.+?)\s+page (\d+)\s*$/gm)];
  expect(contents.length).toBe(6);
  for (const [, no, title, page] of contents) {
    const p = pages[Number(page) - 1]!.replace(/[ \t]+/g, ' ');
    expect(p, `contents: section ${no} on page ${page}`).toContain(`${no} ${title!.trim()}`);
  }
  pages
    .filter((p) => p.trim())
    .forEach((p, i, real) => expect(p).toContain(`Page ${i + 1} of ${real.length}`));
  return {
    exhibits: Number(exhibits?.[1]),
    occasions: Number(stated?.[1]),
    days: Number(stated?.[2]),
    spanDays: Number(span?.[1]),
    gaps: [...all.matchAll(/Since previous (Same day|The next day|\d+ days later)/g)].map((m) =>
      gapDays(m[1]!),
    ),
  };
}

/** The court bundle's figures, and a check that its index's page numbers are right. */
function readBundlePdf(pages: string[]): Figures {
  const all = pages.join('\n').replace(/\s+/g, ' ');
  const stated = /(\d+) incidents are recorded, on (\d+) separate days?/.exec(all);
  const span = /\((\d+) days? from the first day to the last\)/.exec(all);
  const exhibits = /Exhibits (\d+) exhibits?/.exec(pages[0]!.replace(/\s+/g, ' '));
  const sheets = pages.filter((p) => /^\s*EXHIBIT\s*\n\s*AB\/\d+\s*$/m.test(p));
  expect(Number(exhibits?.[1])).toBe(sheets.length);
  // Index: "AB/2  name (file)  7" → page 7 is AB/2's cover sheet; sections likewise.
  const index = [...pages[1]!.matchAll(/^\s*(AB\/\d+)\s+.*?\s(\d+)\s*$/gm)];
  expect(index.length).toBe(sheets.length);
  for (const [, label, page] of index)
    expect(pages[Number(page) - 1], `index: ${label} on page ${page}`).toMatch(
      new RegExp(`^\\s*EXHIBIT\\s*\\n\\s*${label!.replace('/', '\\/')}\\s*$`, 'm'),
    );
  const conduct = /^\s*Course of conduct: incidents in time order\s+(\d+)\s*$/m.exec(pages[1]!);
  expect(pages[Number(conduct?.[1]) - 1]).toContain('incidents are recorded');
  pages
    .filter((p) => p.trim())
    .forEach((p, i, real) => expect(p).toMatch(new RegExp(`Page ${i + 1} of ${real.length}\\b`)));
  return {
    exhibits: Number(exhibits?.[1]),
    occasions: Number(stated?.[1]),
    days: Number(stated?.[2]),
    spanDays: Number(span?.[1]),
    gaps: [...all.matchAll(/Since previous (Same day|The next day|\d+ days later)/g)].map((m) =>
      gapDays(m[1]!),
    ),
  };
}

function readViewer(html: string): Figures {
  const m = /<script type="application\/json" id="dossier-data">([^<]*)<\/script>/.exec(html);
  const data = JSON.parse(m![1]!) as ViewerData;
  const said = /(\d+) incidents are recorded, on (\d+) different days?/.exec(data.conduct.text[0]!);
  expect([Number(said?.[1]), Number(said?.[2])]).toEqual([
    data.conduct.occasions,
    data.conduct.days,
  ]);
  const gaps = data.incidents.filter((i) => i.gapText).map((i) => gapDays(i.gapText!));
  // C is shown with the clock of the day it is counted on.
  expect(data.incidents.find((i) => i.id === 'C')?.whenText).toContain(
    'Sunday 2 June 2024, 00:30:00 local time, UTC+01:00',
  );
  expect(gaps).toEqual(data.conduct.gaps);
  expect(data.conduct.text.join(' ')).toContain(`in the ${data.conduct.timeZone} time zone`);
  return {
    exhibits: data.exhibits.length,
    occasions: data.conduct.occasions,
    days: data.conduct.days,
    spanDays: data.conduct.spanDays,
    gaps,
  };
}

function readApp(m: ExportModel): Figures {
  const t = buildTimeline(m.incidents, null, m.exportedTimeZone);
  const days = t.entries
    .map((e) => calendarDay(e.incident.occurredAt, t.timeZone))
    .filter((d) => d !== null);
  return {
    occasions: t.entries.length,
    days: new Set(days).size,
    spanDays: days.length ? days[days.length - 1]! - days[0]! : 0,
    gaps: t.entries.filter((e) => e.gap).map((e) => gapDays(e.gap!.text)),
  };
}

const SURFACES: [
  name: string,
  needs: string | null,
  figures: (m: ExportModel) => Promise<Figures>,
][] = [
  ['app timeline', null, (m) => Promise.resolve(readApp(m))],
  [
    'viewer',
    null,
    async (m) =>
      readViewer(
        await viewerHtml(
          m,
          m.exhibits.map((e) => ({ path: e.bagPath, sha256: e.sha256 })),
        ),
      ),
  ],
  [
    'report.pdf',
    noPoppler,
    async (m) =>
      readPdf(await pdfText('report.pdf', renderReportPdfWith(m, { fonts: 'built-in' }))),
  ],
  [
    'bundle.pdf',
    noPoppler,
    async (m) =>
      readBundlePdf(
        await pdfText(
          'bundle.pdf',
          renderBundlePdf(m, {
            fonts: 'built-in',
            content: async () => ({ kind: 'other', reason: 'not drawn in this test' }),
          }).chunks,
        ),
      ),
  ],
];

describe('every surface states the same course of conduct', () => {
  for (const [name, missing, figures] of SURFACES) {
    it.skipIf(missing !== null)(skipTitle(name, missing), async () => {
      const f = await figures(MODEL);
      expect({ ...f, exhibits: f.exhibits ?? EXPECTED.exhibits }).toEqual(EXPECTED);
    });
  }
});

describe(skipTitle('report.pdf shows each time on the day it is counted', noPoppler), () => {
  it.skipIf(noPoppler !== null)('in the exporter’s zone, with its offset', async () => {
    const pages = await pdfText('when.pdf', renderReportPdfWith(MODEL, { fonts: 'built-in' }));
    const all = pages.join('\n').replace(/\s+/g, ' ');
    // C: 23:30 UTC on 1 June is 00:30 on 2 June in London, the day it is counted on.
    expect(all).toContain('2024-06-02 00:30 UTC+01:00');
    expect(all).toContain('2024-03-01 09:14 UTC');
    expect(all).toContain('2024-03-09 23:10 (no zone)');
  });
});
