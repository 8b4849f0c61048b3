// The human-readable evidence report (data/report/report.pdf): cover, summary, timeline of
// incidents, one block per exhibit, custody log, what the hashes prove, and a certificate
// ready to sign. Laid out twice (two-pass.ts), streamed in the second pass.
import type { Exhibit, ExportModel } from '../model';
import { BUILT_IN_FONTS, findReportFonts, type ReportFonts } from '../report/fonts';
import { cleanText, parseTime } from '../report/text';
import { CaseFacts } from './facts';
import { drawFooter } from './furniture';
import { certificate } from './sections/certificate';
import { coverTop } from './sections/cover';
import { conductIntro, incidentBlock } from './sections/conduct';
import { custodyLog } from './sections/custody';
import {
  exhibitBlock,
  PREVIEWS_AHEAD,
  reducePreview,
  type Preview,
} from './sections/exhibit-block';
import { hashesSection } from './sections/hashes';
import { redactionSchedule } from './sections/redaction-schedule';
import { people, summary } from './sections/summary';
import { transcriptPages } from './sections/transcript';
import { twoPasses, type Pass } from './two-pass';
import { BODY, MARGIN, PAGE, PdfWriter, SMALL, SOFT } from './writer';

export interface ReportOptions {
  /** 'built-in' forces PDF's own fonts (tests; machines without a Unicode font). */
  fonts?: 'auto' | 'built-in';
}

/** Renders the report. Streams pages out (bounded memory for thousands of exhibits). */
export function renderReportPdf(model: ExportModel): AsyncIterable<Buffer> {
  return renderReportPdfWith(model, {});
}

export function renderReportPdfWith(
  model: ExportModel,
  opts: ReportOptions,
): AsyncGenerator<Buffer> {
  const fonts = opts.fonts === 'built-in' ? BUILT_IN_FONTS : findReportFonts();
  return twoPasses<Layout>((planned) => new Report(model, fonts, planned));
}

const SECTIONS = [
  ['summary', '1  Summary'],
  ['timeline', '2  Incidents in time order (course of conduct)'],
  ['exhibits', '3  Exhibits'],
  ['custody', '4  Custody log (appendix)'],
  ['hashes', '5  What the hashes prove, and what they do not'],
  ['certificate', '6  Certificate of exhibits (for signature)'],
  // Only in a bundle made for disclosure.
  ['schedule', '7  Redaction schedule (originals withheld)'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

interface Layout {
  totalPages: number;
  sectionPages: Map<SectionId, number>;
}

class Report implements Pass<Layout> {
  readonly w: PdfWriter;
  private readonly f: CaseFacts;
  private readonly sectionPages = new Map<SectionId, number>();
  private exhibitOutline: PDFKit.PDFOutline | null = null;

  constructor(
    private readonly model: ExportModel,
    fonts: ReportFonts,
    private readonly planned: Layout | null,
  ) {
    const exported = new Date(parseTime(model.exportedAt)?.ms ?? 0);
    const title = `Evidence report — ${cleanText(model.caseName, () => true, { max: 120 })}`;
    let footerCase = '';
    let footerKey = '';
    this.w = new PdfWriter({
      fonts,
      draw: planned !== null,
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
      footer: (w, page) =>
        drawFooter(w, {
          left: `Evidence report — ${footerCase}`,
          right: `Page ${page} of ${this.planned?.totalPages ?? 0}`,
          key: footerKey,
        }),
    });
    this.f = new CaseFacts(model, this.w);
    footerCase = this.w.t(model.caseName, { max: 70 });
    footerKey = this.w.t(model.signingKeyFingerprint, { max: 100 });
  }

  layout(): Layout {
    return { totalPages: this.w.page, sectionPages: new Map(this.sectionPages) };
  }

  /** Draws the report one block at a time; a yielded promise is work to await first. */
  *blocks(): Generator<Promise<void> | undefined> {
    const { w, f } = this;
    this.cover();
    yield w.tick();
    this.section('summary');
    summary(w, f);
    if (this.model.people.length > 0) {
      w.heading('People', 12, 10);
      people(w, f);
    }
    yield w.tick();
    this.section('timeline');
    conductIntro(w, f);
    yield w.tick();
    for (const d of f.incidents) {
      incidentBlock(w, f, d);
      yield w.tick();
    }
    this.section('exhibits');
    w.para(
      'Each block identifies one exhibit by its SHA-256 hash. The exhibit is the original file, ' +
        'kept unchanged in the bundle at the path shown. A preview, where shown, is a reduced copy ' +
        'for recognition only. “Imported” is when Dossier stored the file, from the computer’s ' +
        'clock; the other times are read from the file or the file system and can be set by anyone ' +
        '(see section 5).',
    );
    if (this.model.disclosure?.schedule.length)
      w.para(
        'This bundle was made for disclosure: an exhibit whose block has a “For disclosure” row is ' +
          'not an original but a copy (redacted, or without location), exhibited in place of its ' +
          'original, which is withheld and listed with its SHA-256 in section 7.',
      );
    w.gap(6);
    yield w.tick();
    // Previews are reduced a few exhibits ahead, so sharp's threads work while we lay out.
    const ex = this.model.exhibits;
    const ahead = new Map<number, Promise<Preview | null>>();
    const start = (i: number): void => {
      const preview = ex[i]?.preview;
      // Read from the vault only now, and dropped once reduced: never all held at once.
      if (w.draw && preview && !ahead.has(i))
        ahead.set(
          i,
          preview.read().then(reducePreview, () => null),
        );
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
      exhibitBlock(w, f, ex[i] as Exhibit, preview, this.exhibitOutline);
      yield w.tick();
      const transcript = f.transcriptOf.get(ex[i]!.itemId);
      if (transcript)
        yield* transcriptPages(w, f, ex[i]!, transcript, w.t(ex[i]!.number, { max: 40 }));
    }
    this.section('custody');
    yield* custodyLog(w, f);
    this.section('hashes');
    hashesSection(w);
    yield w.tick();
    this.section('certificate');
    certificate(w, f, {
      listedIn: 'section 3 of this report',
      block: 'exhibit block',
      statement: 'short',
    });
    yield w.tick();
    const schedule = this.model.disclosure?.schedule;
    if (schedule) {
      this.section('schedule');
      redactionSchedule(w, schedule);
      yield w.tick();
    }
  }

  /** The sections this report has: the schedule only in a bundle made for disclosure. */
  private sections(): (typeof SECTIONS)[number][] {
    return SECTIONS.filter(([id]) => id !== 'schedule' || this.model.disclosure);
  }

  private section(id: SectionId): void {
    const title = SECTIONS.find((s) => s[0] === id)![1];
    // The page is the next one: section() always starts a page.
    this.sectionPages.set(id, this.w.page + 1);
    const item = this.w.section(title, title.replace(/^\d\s+/, ''));
    if (id === 'exhibits' && this.w.draw) this.exhibitOutline = item;
  }

  private cover(): void {
    const { w, model: m } = this;
    coverTop(w, m, { kind: 'EVIDENCE REPORT', document: 'report', rows: [] });
    w.gap(6);
    w.heading('How to check this bundle', 11, 4);
    w.para(
      'This report is one file inside a signed evidence bundle (a BagIt folder or zip). ' +
        'VERIFY.txt, at the top of the bundle, explains step by step how to check the ' +
        'signature and the SHA-256 hash of every file with standard tools (sha256sum and ' +
        'openssl), without Dossier. The bundle also contains an offline viewer ' +
        '(data/viewer/index.html) that re-checks the hashes in a web browser.',
    );
    const schedule = m.disclosure?.schedule;
    if (schedule) {
      w.heading('Made for disclosure', 11, 8);
      w.para(
        `${schedule.length} exhibit${schedule.length === 1 ? ' is a copy' : 's are copies'} made for disclosure (redacted, or without location), exhibited in place of ${schedule.length === 1 ? 'its original, which is' : 'their originals, which are'} withheld and listed, each with its SHA-256, in the redaction schedule (section 7).`,
      );
    }
    w.heading('Contents', 11, 10);
    for (const [id, title] of this.sections()) {
      const y = w.y;
      w.use('R', BODY);
      w.doc.text(title, MARGIN.left, y, { lineBreak: false });
      const p = this.planned?.sectionPages.get(id);
      const pt = p === undefined ? '' : `page ${p}`;
      w.doc.text(pt, PAGE.width - MARGIN.right - w.doc.widthOfString(pt), y, {
        lineBreak: false,
      });
      w.y = y + BODY + 5;
    }
    w.heading('About the text in this report', 11, 10);
    w.para(
      'Names, notes and descriptions are printed as they were recorded. A character the ' +
        'report’s typeface cannot show, and any invisible or direction-changing control ' +
        'character (which could make a file name look like something else), is printed as ' +
        '[U+XXXX], its Unicode code point. The exact text is in data/metadata/items.json.',
      { size: SMALL + 0.5, color: SOFT },
    );
  }
}
