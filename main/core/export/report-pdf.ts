// The human-readable evidence report (data/report/report.pdf): cover, summary, timeline of
// incidents, one block per exhibit, custody log, what the hashes prove, and a certificate
// ready to sign. Laid out twice: a first pass that writes nowhere counts the pages (for
// "Page X of Y" and the contents), then the real pass streams each block out as it is drawn,
// so memory stays bounded for thousands of exhibits.
import { setImmediate as tick } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import {
  courseOfConduct,
  zoneOffsetMinutes,
  type CourseOfConduct,
  type Gap,
} from '../../../shared/course-of-conduct';
import { custodyEntryText } from '../../../shared/custody-wording';
import type { CustodyRecord, Exhibit, ExportModel, IncidentRecord, PersonRecord } from './model';
import { BUILT_IN_FONTS, findReportFonts, type ReportFonts } from './report/fonts';
import {
  cleanText,
  compactUtc,
  dateText,
  groupDigits,
  instantText,
  parseTime,
  plural,
  recordedText,
  sizeText,
  zoneText,
  type CleanOptions,
  type ParsedTime,
  type Supports,
} from './report/text';

export interface ReportOptions {
  /** 'built-in' forces PDF's own fonts (tests; machines without a Unicode font). */
  fonts?: 'auto' | 'built-in';
}

/** Renders the report. Streams pages out (bounded memory for thousands of exhibits). */
export function renderReportPdf(model: ExportModel): AsyncIterable<Buffer> {
  return renderReportPdfWith(model, {});
}

export async function* renderReportPdfWith(
  model: ExportModel,
  opts: ReportOptions,
): AsyncGenerator<Buffer> {
  const fonts = opts.fonts === 'built-in' ? BUILT_IN_FONTS : findReportFonts();
  const plan = new Report(model, fonts, null);
  for (const pending of plan.blocks()) {
    if (pending) await pending;
    // Yield the event loop now and then: the first pass is pure CPU.
    if (plan.blockCount % 64 === 0) await tick();
  }
  const report = new Report(model, fonts, plan.layout());
  const chunks: Buffer[] = [];
  let size = 0;
  report.doc.on('data', (c: Buffer) => {
    chunks.push(c);
    size += c.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    report.doc.on('end', resolve);
    report.doc.on('error', reject);
  });
  const take = (): Buffer => {
    const out = Buffer.concat(chunks);
    chunks.length = 0;
    size = 0;
    return out;
  };
  for (const pending of report.blocks()) {
    if (pending) await pending;
    await tick(); // pdfkit emits 'data' asynchronously
    if (size >= 64 * 1024) yield take();
  }
  report.doc.end();
  await ended;
  if (size > 0) yield take();
}

// ---- Layout ----

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = { top: 56, bottom: 70, left: 56, right: 56 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const LABEL_W = 108;
const THUMB_BOX = 104;
const THUMB_GAP = 14;
const THUMB_CAPTION = 11;
const PREVIEWS_AHEAD = 6;
const BODY = 9.5;
const SMALL = 8;
const HASH = 9;
const INK = '#111111';
const SOFT = '#444444';
const RULE = '#999999';

const SECTIONS = [
  ['summary', '1  Summary'],
  ['timeline', '2  Incidents in time order (course of conduct)'],
  ['exhibits', '3  Exhibits'],
  ['custody', '4  Custody log (appendix)'],
  ['hashes', '5  What the hashes prove, and what they do not'],
  ['certificate', '6  Certificate of exhibits (for signature)'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

interface Layout {
  totalPages: number;
  sectionPages: Map<SectionId, number>;
}

interface Preview {
  data: Buffer;
  width: number;
  height: number;
}

interface Row {
  label: string;
  value: string;
  mono?: boolean;
  bold?: boolean;
}

type FontName = 'R' | 'B' | 'M';

interface DatedIncident {
  incident: IncidentRecord;
  n: number;
  time: ParsedTime | null;
  /** From the previous incident (shared/course-of-conduct.ts); null for the first. */
  gap: Gap | null;
}

const ROLE: Record<PersonRecord['role'], string> = {
  harasser: 'Alleged harasser',
  witness: 'Witness',
  official: 'Official',
  other: 'Other',
};

const SENSITIVE: Record<string, string> = {
  gps: 'The original file records a GPS location (where it was taken).',
};

class Report {
  readonly doc: PDFKit.PDFDocument;
  blockCount = 0;
  private readonly supports: Supports;
  private readonly draw: boolean;
  private page = 0;
  private font: { name: FontName; size: number; color: string } = {
    name: 'R',
    size: BODY,
    color: INK,
  };
  private readonly sectionPages = new Map<SectionId, number>();
  private readonly incidents: DatedIncident[];
  private readonly conduct: CourseOfConduct<IncidentRecord>;
  private readonly incidentNo = new Map<string, DatedIncident>();
  private readonly people = new Map<string, PersonRecord>();
  private readonly exhibitByItem = new Map<string, string>();
  private readonly footerCase: string;
  private readonly footerKey: string;
  private exhibitOutline: PDFKit.PDFOutline | null = null;

  constructor(
    private readonly model: ExportModel,
    fonts: ReportFonts,
    private readonly planned: Layout | null,
  ) {
    this.draw = planned !== null;
    const exported = new Date(parseTime(model.exportedAt)?.ms ?? 0);
    const title = `Evidence report — ${cleanText(model.caseName, () => true, { max: 120 })}`;
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: MARGIN,
      autoFirstPage: false,
      bufferPages: false,
      displayTitle: true,
      lang: 'en-GB',
      pdfVersion: '1.7',
      info: {
        // No evidence file names here: viewers show the title in their window.
        Title: title,
        Subject: 'Evidence report with exhibit hashes, timeline and custody log',
        Creator: `${model.software.name} ${model.software.version}`,
        Producer: `${model.software.name} ${model.software.version} (PDFKit)`,
        // Fixed from the model, so the same export gives byte-identical PDFs.
        CreationDate: exported,
        ModDate: exported,
      },
    });
    if (!this.draw) this.doc.on('data', () => undefined); // the first pass writes nowhere
    this.doc.registerFont('R', fonts.regular);
    this.doc.registerFont('B', fonts.bold);
    this.doc.registerFont('M', fonts.mono);
    this.supports = fonts.embedded ? this.glyphCoverage() : fonts.supports;
    this.doc.on('pageAdded', () => this.onPage());

    this.conduct = courseOfConduct(model.incidents, model.exportedTimeZone);
    this.incidents = this.conduct.occasions.map((o, i) => ({
      incident: o.incident,
      n: i + 1,
      time: o.time,
      gap: o.gap,
    }));
    for (const d of this.incidents) this.incidentNo.set(d.incident.id, d);
    for (const p of model.people) this.people.set(p.id, p);
    for (const e of model.exhibits) this.exhibitByItem.set(e.itemId, e.number);
    this.footerCase = this.t(model.caseName, { max: 70 });
    this.footerKey = this.t(model.signingKeyFingerprint, { max: 100 });
  }

  layout(): Layout {
    return { totalPages: this.page, sectionPages: new Map(this.sectionPages) };
  }

  /** Draws the report one block at a time; a yielded promise is work to await first. */
  *blocks(): Generator<Promise<void> | undefined> {
    this.cover();
    yield this.tick();
    this.summary();
    yield this.tick();
    this.timelineIntro();
    yield this.tick();
    for (const d of this.incidents) {
      this.incidentBlock(d);
      yield this.tick();
    }
    this.section('exhibits');
    this.para(
      'Each block identifies one exhibit by its SHA-256 hash. The exhibit is the original file, ' +
        'kept unchanged in the bundle at the path shown. A preview, where shown, is a reduced copy ' +
        'for recognition only. “Imported” is when Dossier stored the file, from the computer’s ' +
        'clock; the other times are read from the file or the file system and can be set by anyone ' +
        '(see section 5).',
    );
    this.gap(6);
    yield this.tick();
    // Previews are reduced a few exhibits ahead, so sharp's threads work while we lay out.
    const ex = this.model.exhibits;
    const ahead = new Map<number, Promise<Preview | null>>();
    const start = (i: number): void => {
      const jpeg = ex[i]?.thumbnailJpeg;
      if (this.draw && jpeg && !ahead.has(i)) ahead.set(i, reducePreview(jpeg));
    };
    for (let i = 0; i < ex.length; i++) {
      for (let j = i; j < i + PREVIEWS_AHEAD; j++) start(j);
      let preview: Preview | null = null;
      const pending = ahead.get(i);
      ahead.delete(i);
      if (pending)
        yield pending.then((b) => {
          preview = b;
        });
      this.exhibitBlock(ex[i]!, preview);
      yield this.tick();
    }
    yield* this.custody();
    this.hashes();
    yield this.tick();
    this.certificate();
    yield this.tick();
  }

  private tick(): undefined {
    if (++this.blockCount % 200 === 0) this.forgetLayouts();
    return undefined;
  }

  /**
   * pdfkit caches the layout of every distinct word for the life of the document, and every
   * hash is a new word: emptied now and then so memory stays flat however many exhibits there
   * are (turning the cache off makes the report three times slower).
   */
  private forgetLayouts(): void {
    const fonts = (this.doc as unknown as { _fontFamilies?: Record<string, unknown> })
      ._fontFamilies;
    for (const f of Object.values(fonts ?? {})) {
      if (f && typeof f === 'object' && 'layoutCache' in f && f.layoutCache)
        f.layoutCache = Object.create(null) as unknown;
    }
  }

  // ---- Pages and fonts ----

  private glyphCoverage(): Supports {
    type Fontkit = { hasGlyphForCodePoint(cp: number): boolean };
    const open = (name: FontName): Fontkit | null => {
      this.doc.font(name);
      const f = (this.doc as unknown as { _font?: { font?: Fontkit } })._font?.font;
      return f && typeof f.hasGlyphForCodePoint === 'function' ? f : null;
    };
    const regular = open('R');
    const bold = open('B');
    this.doc.font('R');
    const memo = new Map<number, boolean>();
    return (cp) => {
      let ok = memo.get(cp);
      if (ok === undefined) {
        // Printable only if both weights have it; without fontkit, stay with WinAnsi.
        ok =
          regular && bold
            ? regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp)
            : BUILT_IN_FONTS.supports(cp);
        memo.set(cp, ok);
      }
      return ok;
    };
  }

  private use(name: FontName, size: number, color = INK): void {
    this.font = { name, size, color };
    this.doc.font(name).fontSize(size).fillColor(color);
  }

  private onPage(): void {
    this.page++;
    const { doc } = this;
    const x = doc.x;
    const y = doc.y;
    const saved = this.font;
    if (this.draw) {
      // The footer sits in the bottom margin; lift the margin so pdfkit adds no page for it.
      doc.page.margins.bottom = 0;
      const fy = PAGE.height - MARGIN.bottom + 22;
      const total = this.planned?.totalPages ?? 0;
      const pageText = `Page ${this.page} of ${total}`;
      doc
        .moveTo(MARGIN.left, fy - 6)
        .lineTo(PAGE.width - MARGIN.right, fy - 6)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      this.use('B', 7.5, SOFT);
      const pw = doc.widthOfString(pageText);
      doc.text(pageText, PAGE.width - MARGIN.right - pw, fy, { lineBreak: false });
      this.use('R', 7.5, SOFT);
      doc.text(`Evidence report — ${this.footerCase}`, MARGIN.left, fy, {
        width: CONTENT_W - pw - 16,
        height: 10,
        ellipsis: true,
        lineBreak: false,
      });
      doc.text('Signing key fingerprint ', MARGIN.left, fy + 11, { lineBreak: false });
      const lw = doc.widthOfString('Signing key fingerprint ');
      this.use('M', 6.5, SOFT);
      doc.text(this.footerKey, MARGIN.left + lw, fy + 12, {
        width: CONTENT_W - lw,
        height: 9,
        ellipsis: true,
        lineBreak: false,
      });
      doc.page.margins.bottom = MARGIN.bottom;
    }
    this.use(saved.name, saved.size, saved.color);
    doc.x = x;
    doc.y = y;
  }

  private newPage(): void {
    this.doc.addPage();
  }

  private get maxY(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /** Starts a new page unless `h` points fit below; never on an empty page. */
  private keep(h: number): void {
    if (this.doc.y + h > this.maxY && this.doc.y > MARGIN.top + 1) this.newPage();
  }

  private t(s: string, opts?: CleanOptions): string {
    return cleanText(s, this.supports, opts);
  }

  // ---- Text primitives ----

  private height(name: FontName, size: number, text: string, width: number): number {
    this.doc.font(name).fontSize(size);
    const h = this.doc.heightOfString(text === '' ? ' ' : text, { width, lineGap: 1.5 });
    this.doc.font(this.font.name).fontSize(this.font.size);
    return h;
  }

  private para(text: string, opts: { size?: number; color?: string; bold?: boolean } = {}): void {
    this.use(opts.bold ? 'B' : 'R', opts.size ?? BODY, opts.color ?? INK);
    this.doc.text(text, MARGIN.left, this.doc.y, { width: CONTENT_W, lineGap: 1.5 });
  }

  private gap(h: number): void {
    this.doc.y += h;
  }

  private heading(text: string, size: number, before: number): void {
    this.gap(before);
    this.use('B', size);
    this.doc.text(text, MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(size * 0.35);
  }

  private section(id: SectionId): void {
    this.newPage();
    this.sectionPages.set(id, this.page);
    const title = SECTIONS.find((s) => s[0] === id)![1];
    if (this.draw) {
      const item = this.doc.outline.addItem(title.replace(/^\d\s+/, ''));
      if (id === 'exhibits') this.exhibitOutline = item;
    }
    this.heading(title, 16, 0);
    this.rule();
    this.gap(8);
  }

  private rule(): void {
    const y = this.doc.y;
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(PAGE.width - MARGIN.right, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    this.doc.y = y + 1;
  }

  private rowHeight(r: Row, width: number): number {
    const lh = this.height('R', SMALL, r.label, LABEL_W - 8);
    const vh = this.height(
      r.mono ? 'M' : r.bold ? 'B' : 'R',
      r.mono ? HASH : BODY,
      r.value,
      width - LABEL_W,
    );
    return Math.max(lh, vh) + 3;
  }

  private rowsHeight(rows: Row[], width: number): number {
    return rows.reduce((h, r) => h + this.rowHeight(r, width), 0);
  }

  /** Label/value rows at x; values flow onto the next page if a single one is that long. */
  private rows(rows: Row[], x: number, width: number): void {
    for (const r of rows) {
      const y = this.doc.y;
      const page = this.page;
      this.use('R', SMALL, SOFT);
      this.doc.text(r.label, x, y + (r.mono ? 0.8 : 1.2), { width: LABEL_W - 8, lineGap: 1.5 });
      const labelEnd = this.doc.y;
      this.use(r.mono ? 'M' : r.bold ? 'B' : 'R', r.mono ? HASH : BODY, INK);
      this.doc.text(r.value === '' ? ' ' : r.value, x + LABEL_W, y, {
        width: width - LABEL_W,
        lineGap: 1.5,
      });
      this.doc.y = (this.page === page ? Math.max(labelEnd, this.doc.y) : this.doc.y) + 3;
    }
  }

  // ---- Cover ----

  private cover(): void {
    const m = this.model;
    this.newPage();
    this.use('B', 10, SOFT);
    this.doc.text('EVIDENCE REPORT', MARGIN.left, MARGIN.top + 20);
    this.gap(6);
    this.use('B', 22);
    this.doc.text(this.t(m.caseName, { max: 200 }) || '(no case name)', MARGIN.left, this.doc.y, {
      width: CONTENT_W,
      height: 90,
      ellipsis: true,
    });
    this.gap(14);
    const n = m.exhibits.length;
    const first = m.exhibits[0]?.number;
    const last = m.exhibits[n - 1]?.number;
    this.rows(
      [
        {
          label: 'Exported',
          value: instantText(m.exportedAt, m.exportedOffsetMinutes, this.supports),
        },
        {
          label: 'Exported by',
          value: m.exporter.trim() ? this.t(m.exporter, { max: 200 }) : '(no name was given)',
        },
        {
          label: 'Exhibits',
          value:
            n === 0
              ? 'none'
              : `${plural(n, 'exhibit')}${first && last ? `, ${this.t(first, { max: 40 })} to ${this.t(last, { max: 40 })}` : ''}`,
        },
        {
          label: 'Made with',
          value: this.t(`${m.software.name} ${m.software.version}`, { max: 80 }),
        },
      ],
      MARGIN.left,
      CONTENT_W,
    );
    this.gap(12);
    this.coverHash(
      'Signing-key fingerprint',
      'SHA-256 of the Ed25519 public key in signature/dossier-public-key.pem',
      this.t(m.signingKeyFingerprint, { max: 100 }),
    );
    this.coverHash(
      'SHA-256 of the evidence index (data/metadata/items.json)',
      'The index lists every exhibit with its SHA-256. If that file gives this hash, it is the exact list this report was made from.',
      this.t(m.evidenceIndexSha256, { max: 100 }),
    );
    this.gap(6);
    this.heading('How to check this bundle', 11, 4);
    this.para(
      'This report is one file inside a signed evidence bundle (a BagIt folder or zip). ' +
        'VERIFY.txt, at the top of the bundle, explains step by step how to check the ' +
        'signature and the SHA-256 hash of every file with standard tools (sha256sum and ' +
        'openssl), without Dossier. The bundle also contains an offline viewer ' +
        '(data/viewer/index.html) that re-checks the hashes in a web browser.',
    );
    this.heading('Contents', 11, 10);
    for (const [id, title] of SECTIONS) {
      const y = this.doc.y;
      this.use('R', BODY);
      this.doc.text(title, MARGIN.left, y, { lineBreak: false });
      const p = this.planned?.sectionPages.get(id);
      const pt = p === undefined ? '' : `page ${p}`;
      this.doc.text(pt, PAGE.width - MARGIN.right - this.doc.widthOfString(pt), y, {
        lineBreak: false,
      });
      this.doc.y = y + BODY + 5;
    }
    this.heading('About the text in this report', 11, 10);
    this.para(
      'Names, notes and descriptions are printed as they were recorded. A character the ' +
        'report’s typeface cannot show, and any invisible or direction-changing control ' +
        'character (which could make a file name look like something else), is printed as ' +
        '[U+XXXX], its Unicode code point. The exact text is in data/metadata/items.json.',
      { size: SMALL + 0.5, color: SOFT },
    );
  }

  private coverHash(title: string, note: string, value: string): void {
    this.use('B', 9.5);
    this.doc.text(title, MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(2);
    this.use('M', 10);
    this.doc.text(value || '(none)', MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(1);
    this.para(note, { size: SMALL, color: SOFT });
    this.gap(8);
  }

  // ---- Summary ----

  private summary(): void {
    const m = this.model;
    this.section('summary');
    const derived = m.exhibits.filter((e) => e.derivedFrom !== null).length;
    const bytes = m.exhibits.reduce((s, e) => s + e.size, 0);
    const kinds = new Map<string, number>();
    for (const e of m.exhibits) {
      const k = kindOf(e.mime);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    const ingests = m.exhibits
      .map((e) => parseTime(e.ingestedAt))
      .filter((t) => t !== null)
      .map((t) => t.ms)
      .sort((a, b) => a - b);
    const timed = this.incidents.filter((d) => d.time !== null);
    const days = this.conduct.days;
    const roles = new Map<string, number>();
    for (const p of m.people)
      roles.set(ROLE[p.role] ?? 'Other', (roles.get(ROLE[p.role]) ?? 0) + 1);
    const firstInc = timed[0];
    const lastInc = timed[timed.length - 1];
    const rows: Row[] = [
      {
        label: 'Exhibits',
        value:
          `${plural(m.exhibits.length, 'exhibit')}` +
          (derived
            ? ` (${groupDigits(m.exhibits.length - derived)} original, ${groupDigits(derived)} derived cop${derived === 1 ? 'y' : 'ies'})`
            : ''),
      },
      {
        label: 'Kinds of file',
        value: [...kinds].map(([k, c]) => plural(c, k)).join(', ') || 'none',
      },
      { label: 'Total size', value: sizeText(bytes) },
      {
        label: 'Imported',
        value:
          ingests.length > 0
            ? `between ${dateText(ingests[0]!)} and ${dateText(ingests[ingests.length - 1]!)} (UTC)`
            : '—',
      },
      {
        label: 'Incidents',
        value:
          m.incidents.length === 0
            ? 'none described'
            : `${plural(m.incidents.length, 'incident')} on ${plural(days, 'separate day')} (calendar days in the ${this.t(this.conduct.timeZone, { max: 60 })} time zone)`,
      },
      {
        label: 'Incident dates',
        value:
          firstInc && lastInc
            ? `${this.when(firstInc.incident.occurredAt)} to ${this.when(lastInc.incident.occurredAt)}`
            : '—',
      },
      {
        label: 'People named',
        value:
          m.people.length === 0
            ? 'none'
            : `${groupDigits(m.people.length)}: ${[...roles].map(([r, c]) => `${groupDigits(c)} ${r.toLowerCase()}`).join(', ')}`,
      },
      {
        label: 'Custody log',
        value:
          `${groupDigits(m.custody.length)} ${m.custody.length === 1 ? 'entry' : 'entries'}` +
          (m.custodyLeftOut
            ? ` (and ${groupDigits(m.custodyLeftOut)} about other evidence, counted but not shown)`
            : '') +
          (m.checkpoint
            ? `, with a signed checkpoint at entry ${m.checkpoint.seq}`
            : ', no signed checkpoint'),
      },
    ];
    this.rows(rows, MARGIN.left, CONTENT_W);
    if (m.people.length === 0) return;
    this.heading('People', 12, 10);
    const links = this.personLinks();
    for (const p of m.people) {
      const l = links.get(p.id);
      const pr: Row[] = [
        { label: 'Name', value: this.t(p.name, { max: 200 }) || '(no name)', bold: true },
        { label: 'Role', value: ROLE[p.role] ?? this.t(String(p.role), { max: 40 }) },
      ];
      if (p.identifiers.length)
        pr.push({
          label: 'Identifiers',
          value: this.t(
            p.identifiers
              .slice(0, 20)
              .map((i) => `${i.kind}: ${i.value}`)
              .join('\n') +
              (p.identifiers.length > 20 ? `\n… and ${p.identifiers.length - 20} more` : ''),
            { multiline: true, max: 1500 },
          ),
        });
      if (l?.incidents.length)
        pr.push({ label: 'Incidents', value: l.incidents.map((n) => `${n}`).join(', ') });
      if (l?.exhibits.length) pr.push({ label: 'Exhibits', value: this.list(l.exhibits, 40) });
      if (p.notes.trim())
        pr.push({ label: 'Notes', value: this.t(p.notes, { multiline: true, max: 600 }) });
      this.keep(Math.min(this.rowsHeight(pr, CONTENT_W) + 8, 300));
      this.rows(pr, MARGIN.left, CONTENT_W);
      this.gap(6);
    }
  }

  private personLinks(): Map<string, { incidents: number[]; exhibits: string[] }> {
    const map = new Map<string, { incidents: number[]; exhibits: string[] }>();
    const get = (id: string): { incidents: number[]; exhibits: string[] } => {
      let v = map.get(id);
      if (!v) map.set(id, (v = { incidents: [], exhibits: [] }));
      return v;
    };
    for (const d of this.incidents)
      for (const id of new Set(d.incident.personIds)) get(id).incidents.push(d.n);
    for (const e of this.model.exhibits)
      for (const id of new Set(e.personIds)) get(id).exhibits.push(e.number);
    return map;
  }

  // ---- Timeline ----

  private timelineIntro(): void {
    this.section('timeline');
    const c = this.conduct;
    const n = this.incidents.length;
    const zone = this.t(c.timeZone, { max: 60 });
    let text: string;
    if (n === 0) text = 'No incidents are described in this bundle.';
    else if (n === 1)
      text = `One incident is recorded, on ${this.when(this.incidents[0]!.incident.occurredAt)}.`;
    else {
      text = `${groupDigits(n)} incidents are recorded, on ${plural(c.days, 'separate day')}`;
      if (c.firstDay && c.lastDay && c.spanDays > 0) {
        text += `, from ${dayWords(c.firstDay)} to ${dayWords(c.lastDay)} (${plural(c.spanDays, 'day')} from the first day to the last).`;
      } else text += '.';
      if (c.gaps.length > 0) {
        const longest = Math.max(...c.gaps);
        const shortest = Math.min(...c.gaps);
        text +=
          longest === shortest
            ? ` Each incident is ${plural(longest, 'day')} after the one before.`
            : ` The gaps between one incident and the next range from ${plural(shortest, 'day')} to ${plural(longest, 'day')}.`;
      }
      if (c.dated < n)
        text += ` ${plural(n - c.dated, 'incident')} ${n - c.dated === 1 ? 'has' : 'have'} a time the report cannot read, and ${n - c.dated === 1 ? 'is' : 'are'} not counted in these figures.`;
      text += ` Days are calendar days in the ${zone} time zone (the exporter’s); a time recorded without a zone keeps the date it was written with.`;
    }
    this.para(text);
    this.gap(4);
    this.para(
      'For reference: in England and Wales, harassment under the Protection from Harassment Act ' +
        '1997 needs a “course of conduct”, which means conduct on at least two occasions. These ' +
        'figures count what was recorded; whether it amounts to harassment is for a court to decide.',
      { size: SMALL + 0.5, color: SOFT },
    );
    if (n === 0) return;
    // One line per occasion first, then the full descriptions.
    this.heading('At a glance', 12, 10);
    const cols = [0, 30, 190, 300];
    const header = ['No.', 'When', 'Since previous', 'Where / platform'];
    const line = (cells: string[], bold: boolean): void => {
      const y = this.doc.y;
      this.use(bold ? 'B' : 'R', SMALL + 0.5, bold ? SOFT : INK);
      cells.forEach((c, i) => {
        const x = MARGIN.left + cols[i]!;
        const w = (cols[i + 1] ?? CONTENT_W) - cols[i]! - 6;
        this.doc.text(c, x, y, { width: w, height: SMALL + 3, ellipsis: true, lineBreak: false });
      });
      this.doc.y = y + SMALL + 5;
    };
    line(header, true);
    let prev: DatedIncident | null = null;
    for (const d of this.incidents) {
      if (this.doc.y + SMALL + 5 > this.maxY) {
        this.newPage();
        line(header, true);
      }
      line(
        [
          String(d.n),
          this.when(d.incident.occurredAt, true),
          prev ? this.gapText(d) : '—',
          this.t(d.incident.place, { max: 80 }).replace(/\n/g, ' ') || '—',
        ],
        false,
      );
      prev = d;
    }
    this.heading('Each incident', 12, 10);
  }

  private incidentBlock(d: DatedIncident): void {
    const i = d.incident;
    const prev = d.n > 1 ? this.incidents[d.n - 2] : undefined;
    const head = `Incident ${d.n} of ${this.incidents.length}`;
    const rows: Row[] = [
      {
        label: 'When',
        value:
          this.when(i.occurredAt) +
          (i.occurredUntil ? `\nuntil ${this.when(i.occurredUntil)}` : ''),
      },
    ];
    if (prev) rows.push({ label: 'Since previous', value: this.gapText(d) });
    const add = (label: string, v: string, max = 3000): void => {
      if (v.trim()) rows.push({ label, value: this.t(v, { multiline: true, max }) });
    };
    add('Where / platform', i.place, 300);
    add('What happened', i.summary);
    add('Impact', i.impact);
    add('Witnesses', i.witnesses, 800);
    add('Police reference', i.policeRef, 200);
    add('Platform reference', i.platformRef, 200);
    rows.push({
      label: 'Exhibits',
      value: i.exhibitNumbers.length ? this.list(i.exhibitNumbers, 60) : 'none linked',
    });
    const names = i.personIds.map((id) => this.personName(id));
    if (names.length)
      rows.push({ label: 'People', value: this.t(names.join('; '), { max: 1500 }) });
    const h = this.height('B', 11, head, CONTENT_W) + 6 + this.rowsHeight(rows, CONTENT_W);
    this.keep(Math.min(h + 10, this.maxY - MARGIN.top));
    this.gap(4);
    this.rule();
    this.gap(4);
    this.use('B', 11);
    this.doc.text(head, MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(3);
    this.rows(rows, MARGIN.left, CONTENT_W);
  }

  private when(raw: string, short = false): string {
    if (!short) return recordedText(raw, 'plain', this.supports);
    const t = parseTime(raw);
    if (!t) return this.t(raw, { max: 30 });
    // A zoned time on the clock of the zone its day is counted in, so the two agree.
    const zoned = t.kind === 'utc' || t.kind === 'offset';
    const off = zoned ? zoneOffsetMinutes(this.conduct.timeZone, t.ms) : 0;
    const iso = new Date(t.ms + off * 60_000).toISOString();
    const day = iso.slice(0, 10);
    const clock = iso.slice(11, 16);
    if (t.kind === 'date') return `${day} (date only)`;
    return t.kind === 'floating' ? `${day} ${clock} (no zone)` : `${day} ${clock} ${zoneText(off)}`;
  }

  /** The gap before an incident, in the words the app and the viewer use too. */
  private gapText(d: DatedIncident): string {
    return d.gap ? d.gap.text : 'unknown';
  }

  private personName(id: string): string {
    const p = this.people.get(id);
    return p
      ? `${p.name} (${ROLE[p.role]?.toLowerCase() ?? 'other'})`
      : `unknown person ${id.slice(0, 8)}`;
  }

  /** At most `max` items, saying how many more there are (all are in the metadata files). */
  private list(items: string[], max: number, sep = ', '): string {
    const shown = items.slice(0, max).join(sep);
    return this.t(items.length > max ? `${shown} … and ${items.length - max} more` : shown, {
      max: 3000,
    });
  }

  // ---- Exhibits ----

  private exhibitBlock(e: Exhibit, preview: Preview | null): void {
    const number = this.t(e.number, { max: 40 });
    const top: Row[] = [
      {
        label: 'Original name',
        value: this.t(e.originalName, { max: 500 }) || '(no name)',
        bold: true,
      },
      ...(e.name !== e.originalName
        ? [{ label: 'Renamed in the vault to', value: this.t(e.name, { max: 500 }) }]
        : []),
      { label: 'SHA-256', value: this.t(e.sha256, { max: 80 }), mono: true },
    ];
    if (e.derivedFrom)
      top.push({
        label: 'Parent SHA-256',
        value: this.t(e.derivedFrom.sha256, { max: 80 }),
        mono: true,
      });
    const side = e.thumbnailJpeg !== null;
    const innerW = side ? CONTENT_W - THUMB_BOX - THUMB_GAP : CONTENT_W;
    const rows = this.exhibitRows(e);
    const notes = this.noteRows(e);
    const headH = this.height('B', 12, `Exhibit ${number}`, CONTENT_W) + 4;
    const firstH =
      headH +
      this.rowsHeight(top, CONTENT_W) +
      Math.max(this.rowsHeight(rows, innerW), side ? THUMB_BOX + THUMB_CAPTION : 0) +
      12;
    const allH = firstH + this.rowsHeight(notes, CONTENT_W);
    // Keep the whole block together if a page can hold it; always keep the hash with its heading.
    const full = this.maxY - MARGIN.top;
    if (this.doc.y + allH > this.maxY) this.keep(allH <= full ? allH : Math.min(firstH, full));

    this.gap(4);
    this.rule();
    this.gap(5);
    if (this.draw) this.exhibitOutline?.addItem(`Exhibit ${number}`);
    this.use('B', 12);
    this.doc.text(`Exhibit ${number}`, MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(3);
    this.rows(top, MARGIN.left, CONTENT_W);
    const y0 = this.doc.y;
    const page0 = this.page;
    // The preview first, while still on the page where the block's rows start.
    if (side && this.draw) this.thumbnail(preview, PAGE.width - MARGIN.right - THUMB_BOX, y0);
    this.rows(rows, MARGIN.left, innerW);
    if (side && this.page === page0)
      this.doc.y = Math.max(this.doc.y, y0 + THUMB_BOX + THUMB_CAPTION);
    this.rows(notes, MARGIN.left, CONTENT_W);
    this.gap(4);
  }

  private exhibitRows(e: Exhibit): Row[] {
    const s = this.supports;
    const rows: Row[] = [
      { label: 'Size', value: sizeText(e.size) },
      { label: 'Type (MIME)', value: this.t(e.mime, { max: 100 }) || 'unknown' },
    ];
    if (e.width && e.height)
      rows.push({ label: 'Pixels', value: `${groupDigits(e.width)} × ${groupDigits(e.height)}` });
    rows.push({ label: 'File in bundle', value: this.t(e.bagPath, { max: 300 }) });
    rows.push({
      label: 'Imported (Dossier)',
      value: instantText(e.ingestedAt, e.ingestedOffsetMinutes, s),
    });
    if (e.sourceTimes.exif)
      rows.push({ label: 'Taken (EXIF)', value: recordedText(e.sourceTimes.exif, 'camera', s) });
    if (e.sourceTimes.email)
      rows.push({
        label: 'Sent (email Date)',
        value: recordedText(e.sourceTimes.email, 'plain', s),
      });
    if (e.sourceTimes.mtime)
      rows.push({
        label: 'Modified (file system)',
        value: recordedText(e.sourceTimes.mtime, 'plain', s),
      });
    if (e.derivedFrom) {
      const d = e.derivedFrom;
      rows.push({
        label: 'Derived from',
        value: this.t(
          `${d.number ? `Exhibit ${d.number}` : 'A file not in this bundle'} (parent SHA-256 above), by “${d.operation}”. Reason: ${d.reason || 'not given'}`,
          { multiline: true, max: 800 },
        ),
      });
    }
    if (e.incidentIds.length) {
      const nums = e.incidentIds
        .map((id) => this.incidentNo.get(id))
        .filter((d) => d !== undefined)
        .map((d) => d.n)
        .sort((a, b) => a - b);
      if (nums.length) rows.push({ label: 'Incidents', value: this.list(nums.map(String), 60) });
    }
    if (e.personIds.length)
      rows.push({
        label: 'People',
        value: this.list(
          e.personIds.map((id) => this.personName(id)),
          30,
          '; ',
        ),
      });
    if (e.tags.length) rows.push({ label: 'Tags', value: this.list(e.tags, 80) });
    if (e.sensitive.length)
      rows.push({
        label: 'Sensitive',
        value: this.t(
          e.sensitive
            .slice(0, 20)
            .map((f) => SENSITIVE[f] ?? `Marked sensitive: ${f}`)
            .join('\n'),
          { multiline: true, max: 1000 },
        ),
      });
    if (e.metadataProblems.length)
      rows.push({
        label: 'Import problems',
        value: this.t(
          e.metadataProblems
            .slice(0, 20)
            .map((p) => `• ${p}`)
            .join('\n') +
            (e.metadataProblems.length > 20
              ? `\n… and ${e.metadataProblems.length - 20} more`
              : ''),
          { multiline: true, max: 2500 },
        ),
      });
    return rows;
  }

  private noteRows(e: Exhibit): Row[] {
    const shown = e.notes.slice(0, 20);
    const rows: Row[] = shown.map((n, i) => ({
      label: i === 0 ? 'Notes' : '',
      value: `${instantText(n.createdAt, undefined, this.supports)}\n${this.t(n.body, { multiline: true, max: 1500 })}`,
    }));
    if (e.notes.length > shown.length)
      rows.push({
        label: '',
        value: `… and ${e.notes.length - shown.length} more notes (all are in data/metadata/annotations.json)`,
      });
    return rows;
  }

  private thumbnail(small: Preview | null, x: number, y: number): void {
    const { doc } = this;
    const saved = { x: doc.x, y: doc.y };
    let drawn = false;
    if (small) {
      try {
        const scale = Math.min(THUMB_BOX / small.width, THUMB_BOX / small.height, 1);
        const w = small.width * scale;
        const h = small.height * scale;
        const ix = x + (THUMB_BOX - w);
        doc.image(small.data, ix, y, { width: w, height: h });
        doc.rect(ix, y, w, h).lineWidth(0.5).strokeColor(RULE).stroke();
        drawn = true;
      } catch {
        drawn = false;
      }
    }
    this.use('R', 6.5, SOFT);
    doc.text(
      drawn ? 'Preview (reduced copy)' : '(no preview could be shown)',
      x,
      y + (drawn ? THUMB_BOX + 2 : 2),
      {
        width: THUMB_BOX,
        align: 'right',
        lineBreak: false,
      },
    );
    doc.x = saved.x;
    doc.y = saved.y;
  }

  // ---- Custody ----

  private *custody(): Generator<undefined> {
    const m = this.model;
    this.section('custody');
    this.para(
      'Every action in the vault is recorded in a chain: each entry’s hash covers the entry and ' +
        'the hash of the entry before it, so no entry can be changed, removed or reordered without ' +
        'breaking the chain. Shown here are the entries that concern the exhibits in this bundle ' +
        '(subjects are given as exhibit numbers where possible). The complete entries are in ' +
        'data/metadata/custody.jsonl. Times are UTC.',
    );
    const pathWithheld = m.custody.filter((c) => c.withheld === 'full-source-path').length;
    if (m.custodyLeftOut || pathWithheld) {
      this.para(
        [
          m.custodyLeftOut
            ? `${groupDigits(m.custodyLeftOut)} ${m.custodyLeftOut === 1 ? 'entry is' : 'entries are'} about evidence not in this bundle: ` +
              'they are left out and counted, with no times, and the chain still checks across them.'
            : '',
          pathWithheld
            ? `${groupDigits(pathWithheld)} ${pathWithheld === 1 ? 'entry has its' : 'entries have their'} details withheld because ` +
              'they record the full path a file was imported from (which can name the person’s home folder); ' +
              'their place in the chain is kept.'
            : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
    this.gap(6);
    const cp = m.checkpoint;
    this.heading('Signed checkpoint', 11, 2);
    if (cp) {
      const sig = this.t(cp.signature, { max: 400 }).replace(/(.{64})(?=.)/g, '$1\n');
      this.rows(
        [
          { label: 'Entry (seq)', value: String(cp.seq) },
          { label: 'Head hash', value: this.t(cp.head, { max: 80 }), mono: true },
          { label: 'Signed at', value: instantText(cp.signedAt, undefined, this.supports) },
          { label: 'Signature', value: sig, mono: true },
        ],
        MARGIN.left,
        CONTENT_W,
      );
      this.para(
        'The checkpoint is signed with the bundle’s signing key: it fixes the head of the chain at ' +
          'export time, so the log cannot later be rewritten without the key. VERIFY.txt explains how to check it.',
        { size: SMALL, color: SOFT },
      );
    } else this.para('No signed checkpoint was recorded.');
    this.heading('Entries', 11, 10);
    if (m.custody.length === 0) {
      this.para('No entries.');
      return;
    }
    const cols = [0, 36, 128, 196, 286, CONTENT_W];
    const header = ['Seq', 'Time (UTC)', 'Actor', 'Action', 'Subjects and details'];
    const headerRow = (): void => {
      const y = this.doc.y;
      this.use('B', 7.5, SOFT);
      header.forEach((h, i) => this.doc.text(h, MARGIN.left + cols[i]!, y, { lineBreak: false }));
      this.doc.y = y + 11;
      this.rule();
      this.gap(2);
    };
    headerRow();
    for (const c of [...m.custody].sort((a, b) => a.seq - b.seq)) {
      const cells = [
        String(c.seq),
        compactUtc(c.at, this.supports).replace(/Z$/, ''),
        this.t(c.actor, { max: 60 }),
        this.t(c.action, { max: 40 }),
        this.custodyText(c),
      ];
      const hs = cells.map((v, i) => this.height('R', 7.5, v, cols[i + 1]! - cols[i]! - 5));
      const h = Math.max(...hs) + 11;
      if (this.doc.y + h > this.maxY) {
        this.newPage();
        headerRow();
      }
      const y = this.doc.y;
      this.use('R', 7.5);
      cells.forEach((v, i) =>
        this.doc.text(v, MARGIN.left + cols[i]!, y, {
          width: cols[i + 1]! - cols[i]! - 5,
          lineGap: 1.5,
        }),
      );
      const hy = y + Math.max(...hs) + 1;
      this.use('R', 6.5, SOFT);
      this.doc.text('entry hash', MARGIN.left + cols[1]!, hy + 0.5, { lineBreak: false });
      this.use('M', 7, SOFT);
      this.doc.text(this.t(c.hash, { max: 80 }), MARGIN.left + cols[2]!, hy, { lineBreak: false });
      this.doc.y = y + h;
      yield this.tick();
    }
  }

  private custodyText(c: CustodyRecord): string {
    if (c.withheld === 'full-source-path') {
      return this.t(
        'Details withheld: this entry records the full path the file was imported from.',
        { max: 220 },
      );
    }
    const subjects = c.subjects.map((s) => this.exhibitByItem.get(s) ?? `${s.slice(0, 10)}…`);
    const subj =
      subjects.length > 8
        ? `${subjects.slice(0, 8).join(', ')} … and ${subjects.length - 8} more`
        : subjects.join(', ');
    // The shared wording (also the app's and the viewer's); every hash is in custody.jsonl.
    const text = [subj, custodyEntryText(c)].filter((s) => s !== '').join(' — ');
    return this.t(text, { max: 600 }) || '—';
  }

  // ---- Honest claims and certificate ----

  private hashes(): void {
    this.section('hashes');
    const bullets = (items: string[]): void => {
      for (const b of items) {
        const y = this.doc.y;
        this.use('R', BODY);
        this.doc.text('•', MARGIN.left + 4, y, { lineBreak: false });
        this.doc.text(b, MARGIN.left + 16, y, { width: CONTENT_W - 16, lineGap: 1.5 });
        this.gap(3);
      }
    };
    this.heading('What a SHA-256 hash shows', 12, 0);
    this.para(
      'A SHA-256 hash is a 64-character fingerprint calculated from every bit of a file. Dossier ' +
        'calculated each exhibit’s hash when the file was imported, kept the file unchanged, and ' +
        'checked the hash again when making this bundle.',
    );
    this.gap(4);
    bullets([
      'If a copy of an exhibit gives the SHA-256 printed in this report, that copy is bit-for-bit ' +
        'identical to the file as it was imported into Dossier at the recorded import time. ' +
        'Changing even one pixel or one character would give a different hash.',
      'The custody log shows, in order, what was done in the vault and when (by the computer’s ' +
        'clock); its chain of hashes shows that no entry has been changed, removed or reordered since.',
      'The signature shows that the bundle’s file list and hashes have not been changed since ' +
        'export by anyone without the signing key whose fingerprint is printed on every page.',
    ]);
    this.heading('What the hashes do not show', 12, 8);
    bullets([
      'That the content is true, or that it shows what it appears to show.',
      'Who made the file, who sent it, or who holds the signing key.',
      'When the file was really created. Times taken from the file system (“file modified”) and ' +
        'from EXIF data (“taken”) are copied from the file, and anyone can set them. The import ' +
        'time comes from the clock of the computer running Dossier.',
      'That the file was not changed before it was imported into Dossier.',
    ]);
    this.heading('How to check', 12, 8);
    this.para(
      'VERIFY.txt in the bundle explains how to check the signature and every file’s hash with ' +
        'standard tools. For a single exhibit, calculate its SHA-256 and compare it with the value ' +
        'printed in its exhibit block, for example with:',
    );
    this.gap(4);
    this.rows(
      [
        { label: 'Linux', value: 'sha256sum FILE', mono: true },
        { label: 'macOS', value: 'shasum -a 256 FILE', mono: true },
        { label: 'Windows', value: 'certutil -hashfile FILE SHA256', mono: true },
      ],
      MARGIN.left + 16,
      CONTENT_W - 16,
    );
  }

  private certificate(): void {
    const m = this.model;
    this.section('certificate');
    this.para(
      'This page is prepared for signature. It follows the pattern of a certificate for electronic ' +
        'records (in the spirit of US Federal Rule of Evidence 902(14)) and of a UK exhibit ' +
        'statement. The wording a court or police force requires may differ; it can be adapted before signing.',
      { size: SMALL + 0.5, color: SOFT },
    );
    this.gap(12);
    const n = m.exhibits.length;
    const first = m.exhibits[0]?.number;
    const last = m.exhibits[n - 1]?.number;
    const range =
      n === 0
        ? 'no exhibits'
        : n === 1
          ? `exhibit ${first}`
          : `exhibits ${first} to ${last} (${plural(n, 'exhibit')})`;
    const who = m.exporter.trim()
      ? this.t(m.exporter, { max: 120 })
      : '____________________________________';
    this.para(`I, ${who}, state that:`);
    this.gap(8);
    const items = [
      `I produced ${this.t(range, { max: 200 })}, listed in section 3 of this report, from the Dossier evidence vault for the case “${this.t(m.caseName, { max: 200 })}”, in an export made on ${instantText(m.exportedAt, m.exportedOffsetMinutes, this.supports)}.`,
      'Each exhibit is identified by its SHA-256 hash, printed in its exhibit block and listed in ' +
        `data/metadata/items.json, whose own SHA-256 is ${this.t(m.evidenceIndexSha256, { max: 80 })}.`,
      'Each file in the bundle gives the SHA-256 that Dossier recorded when it was imported; it was checked when the bundle was made.',
      `The bundle is signed with the key whose fingerprint is ${this.t(m.signingKeyFingerprint, { max: 100 })}.`,
    ];
    items.forEach((text, i) => {
      const y = this.doc.y;
      this.use('R', BODY + 0.5);
      this.doc.text(`${i + 1}.`, MARGIN.left, y, { lineBreak: false });
      this.doc.text(text, MARGIN.left + 18, y, { width: CONTENT_W - 18, lineGap: 2 });
      this.gap(6);
    });
    this.gap(8);
    this.heading('Statement of truth', 11, 4);
    this.para('I believe that the facts stated in this certificate are true.', {
      size: BODY + 0.5,
    });
    this.gap(28);
    const line = (label: string): void => {
      this.keep(34);
      const y = this.doc.y;
      this.use('R', BODY);
      this.doc.text(label, MARGIN.left, y, { lineBreak: false });
      this.doc
        .moveTo(MARGIN.left + 120, y + 10)
        .lineTo(PAGE.width - MARGIN.right, y + 10)
        .lineWidth(0.6)
        .strokeColor(INK)
        .stroke();
      this.doc.y = y + 32;
    };
    line('Signature');
    line('Full name');
    line('Role');
    line('Date');
    line('Place');
  }
}

/** The stored preview (up to 512 px) reduced, so thousands of them keep the PDF small. */
async function reducePreview(jpeg: Buffer): Promise<Preview | null> {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  try {
    const { data, info } = await sharp(jpeg, { limitInputPixels: 4096 * 4096, failOn: 'error' })
      .resize(240, 240, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null; // drawn as "no preview could be shown"
  }
}

/** "Tue 5 Mar 2024" for a calendar day "YYYY-MM-DD". */
function dayWords(day: string): string {
  return dateText(Date.parse(`${day}T00:00:00Z`));
}

/** A kind of file, singular (plural() adds the "s"). */
function kindOf(mime: string): string {
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'message/rfc822') return 'email';
  if (mime === 'application/pdf') return 'PDF document';
  if (mime.startsWith('audio/')) return 'audio recording';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('text/')) return 'text file';
  return 'other file';
}
