// The court bundle (data/report/bundle.pdf): one PDF a solicitor can file or print as it is.
// Cover (page 1) and a linked index, then one section per exhibit (a cover sheet, then its
// content: the picture from the next page, the email or the text on the same page when it
// fits, read from the original), then the course of conduct, people, the custody log in
// words, what the hashes prove, and the certificate. Pages are numbered from 1 in every
// footer, with the exhibit's label on its pages; every section and exhibit is a bookmark.
// Laid out twice (two-pass.ts): the first pass asks for each exhibit's content without
// pixels and counts pages (countBundlePdfPages runs it alone, to warn before an export), the
// second draws and streams.
import { setImmediate as tick } from 'node:timers/promises';
import type { ExhibitContent, ImageBox } from '../bundle/exhibit-content';
import { regionsOnSlice } from '../bundle/image-content';
import type { CustodyRecord, Exhibit, ExportModel } from '../model';
import { BUILT_IN_FONTS, findReportFonts, type ReportFonts } from '../report/fonts';
import { cleanText, parseTime } from '../report/text';
import { CaseFacts } from './facts';
import { drawFooter } from './furniture';
import { bundleCover, bundleIndex, type IndexEntry } from './sections/bundle-front';
import { certificate } from './sections/certificate';
import { conductIntro, incidentBlock } from './sections/conduct';
import { coverSheet } from './sections/cover-sheet';
import { custodyLog } from './sections/custody';
import { emailPages } from './sections/email';
import { hashesSection } from './sections/hashes';
import { BUNDLE_IMAGE_BOX, boxWithComments, picturePages, readyForPdf } from './sections/picture';
export { BUNDLE_IMAGE_BOX } from './sections/picture';
import { people } from './sections/summary';
import { textPages } from './sections/text-file';
import { transcriptPages } from './sections/transcript';
import { twoPasses, type Pass } from './two-pass';
import { PdfWriter } from './writer';

/** Reads what the bundle shows of an exhibit; `pixels: false` when only counting pages. */
export type BundleContent = (
  exhibit: Exhibit,
  /** `box`: where a picture may be drawn (BUNDLE_IMAGE_BOX, or less to leave room for its marks' comments). */
  opts: { pixels: boolean; box: ImageBox },
) => Promise<ExhibitContent>;

export { FAMILY_BUNDLE_PAGE_CAP } from '../../../../shared/bundle-pages';

export interface BundleOptions {
  content: BundleContent;
  /** 'built-in' forces PDF's own fonts (tests; machines without a Unicode font). */
  fonts?: 'auto' | 'built-in';
}

export interface BundleRender {
  /** The PDF, streamed. */
  chunks: AsyncIterable<Buffer>;
  /** Its page count, known once the first pass is done (before the first chunk); else null. */
  readonly pages: number | null;
}

/** How many contents are read ahead of the exhibit being drawn. */
const CONTENT_AHEAD = 2;

export function renderBundlePdf(model: ExportModel, opts: BundleOptions): BundleRender {
  const fonts = opts.fonts === 'built-in' ? BUILT_IN_FONTS : findReportFonts();
  let pages: number | null = null;
  const chunks = twoPasses<BundleLayout>(
    (planned) => new Bundle(model, fonts, opts.content, planned),
    (layout) => {
      pages = layout.totalPages;
    },
  );
  return {
    chunks,
    get pages() {
      return pages;
    },
  };
}

/**
 * The court bundle's page count, from its first (counting) pass alone: nothing is drawn or
 * written, and content is asked for with `pixels: false`. The export's own first pass is the
 * same code over the same model, so its bundle has exactly this many pages.
 */
export async function countBundlePdfPages(
  model: ExportModel,
  opts: BundleOptions,
): Promise<number> {
  const fonts = opts.fonts === 'built-in' ? BUILT_IN_FONTS : findReportFonts();
  const plan = new Bundle(model, fonts, opts.content, null);
  for (const pending of plan.blocks()) {
    if (pending) await pending;
    // Let other work in (the wizard's requests): the pass is mostly CPU.
    if (plan.w.blocks % 64 === 0) await tick();
  }
  plan.w.doc.end();
  return plan.layout().totalPages;
}

interface BundleLayout {
  totalPages: number;
  /** The page of each destination (an exhibit, an appendix, a closing section). */
  pageOf: Map<string, number>;
}

const CLOSING = [
  ['conduct', 'Course of conduct: incidents in time order'],
  ['people', 'People'],
  ['custody', 'Custody log'],
  ['hashes', 'What the hashes prove, and what they do not'],
  ['certificate', 'Certificate of exhibits (for signature)'],
] as const;

class Bundle implements Pass<BundleLayout> {
  readonly w: PdfWriter;
  private readonly f: CaseFacts;
  private readonly pageOf = new Map<string, number>();
  /** The label printed in the footer beside the page number, on an exhibit's pages. */
  private current: string | null = null;
  private readonly custodyOf = new Map<string, CustodyRecord[]>();

  constructor(
    private readonly model: ExportModel,
    fonts: ReportFonts,
    private readonly content: BundleContent,
    private readonly planned: BundleLayout | null,
  ) {
    const exported = new Date(parseTime(model.exportedAt)?.ms ?? 0);
    let footerCase = '';
    let footerKey = '';
    this.w = new PdfWriter({
      fonts,
      draw: planned !== null,
      info: {
        // No evidence file names here: viewers show the title in their window.
        Title: `Court bundle — ${cleanText(model.caseName, () => true, { max: 120 })}`,
        Subject:
          'Court bundle: the exhibits, their hashes, the course of conduct and the custody log',
        Creator: `${model.software.name} ${model.software.version}`,
        Producer: `${model.software.name} ${model.software.version} (PDFKit)`,
        // Fixed from the model, so the same export gives byte-identical PDFs.
        CreationDate: exported,
        ModDate: exported,
      },
      footer: (w, page) => {
        const total = `Page ${page} of ${this.planned?.totalPages ?? 0}`;
        drawFooter(w, {
          left: `Court bundle — ${footerCase}`,
          right: this.current ? `${this.current} · ${total}` : total,
          key: footerKey,
        });
      },
    });
    this.f = new CaseFacts(model, this.w);
    footerCase = this.w.t(model.caseName, { max: 70 });
    footerKey = this.w.t(model.signingKeyFingerprint, { max: 100 });
    const items = new Set(model.exhibits.map((e) => e.itemId));
    for (const c of model.custody) {
      for (const s of new Set(c.subjects)) {
        if (!items.has(s)) continue;
        let list = this.custodyOf.get(s);
        if (!list) this.custodyOf.set(s, (list = []));
        list.push(c);
      }
    }
  }

  layout(): BundleLayout {
    return { totalPages: this.w.page, pageOf: new Map(this.pageOf) };
  }

  /**
   * Marks the current page (at its top, or at `y`) as `name`'s: a link target, and a page
   * number for the index.
   */
  private mark(name: string, y?: number): void {
    this.pageOf.set(name, this.w.page);
    this.w.destination(name, y);
  }

  *blocks(): Generator<Promise<void> | undefined> {
    const { w, f, model } = this;
    const planned = this.planned;
    bundleCover(w, f, planned?.totalPages ?? null);
    w.openAtFullSize();
    this.mark('cover');
    w.outline('Cover');
    yield w.tick();

    const entries: IndexEntry[] = [
      ...model.exhibits.map((e, i) => ({
        dest: exhibitDest(i),
        label: e.number,
        title: e.originalName,
        kind: e.mime,
      })),
      ...CLOSING.map(([id, title]) => ({ dest: id, label: '', title, kind: null })),
    ];
    yield* bundleIndex(
      w,
      entries,
      (dest) => planned?.pageOf.get(dest) ?? null,
      (name) => {
        this.mark(name);
        w.outline('Index');
      },
    );

    // Exhibits, each one's content read a couple ahead so reading overlaps drawing.
    const exhibitsOutline = model.exhibits.length ? 'Exhibits' : null;
    let parent: PDFKit.PDFOutline | undefined;
    const ahead = new Map<number, Promise<ExhibitContent>>();
    const start = (i: number): void => {
      const e = model.exhibits[i];
      if (!e || ahead.has(i)) return;
      // A conversation is never read for the bundle: its transcript stands for it.
      const p = e.conversation
        ? Promise.resolve<ExhibitContent>({ kind: 'other', reason: 'a conversation' })
        : this.content(e, { pixels: w.draw, box: this.pictureBox(e) }).then((c) =>
            w.draw ? readyForPdf(c) : c,
          );
      p.catch(() => undefined); // awaited below; this only keeps an early failure handled
      ahead.set(i, p);
    };
    for (let i = 0; i < model.exhibits.length; i++) {
      for (let j = i; j <= i + CONTENT_AHEAD; j++) start(j);
      const e = model.exhibits[i]!;
      const read: { content?: ExhibitContent } = {};
      yield ahead.get(i)!.then((got) => {
        read.content = got;
      });
      ahead.delete(i);
      const c = read.content!;
      this.current = w.t(e.number, { max: 20 });
      const dest = exhibitDest(i);
      const title = `${this.current} — ${w.t(e.originalName, { max: 80 }) || '(no name)'}`;
      w.newPage();
      this.mark(dest);
      if (exhibitsOutline && !parent) parent = w.outline(exhibitsOutline);
      const item = w.outline(title, parent);
      this.checkPage(dest);
      coverSheet(w, f, e, c, this.custodyOf.get(e.itemId) ?? []);
      yield w.tick();
      if (c.kind === 'image') yield* picturePages(w, e, c, this.current);
      else if (c.kind === 'email')
        yield* emailPages(w, e, c, this.current, (y) => {
          const d = `${dest}-headers`;
          this.mark(d, y);
          w.outline(`Appendix to ${this.current}: full headers`, item, y);
          this.checkPage(d);
        });
      else if (c.kind === 'text') yield* textPages(w, e, c, this.current);
      yield w.tick();
      const transcript = f.transcriptOf.get(e.itemId);
      if (transcript)
        yield* transcriptPages(w, f, e, transcript, this.current, (y) =>
          w.outline(`Transcript of ${this.current}`, item, y),
        );
    }
    this.current = null;

    for (const [id, title] of CLOSING) {
      w.section(title, title);
      this.mark(id);
      this.checkPage(id);
      if (id === 'conduct') {
        conductIntro(w, f);
        yield w.tick();
        for (const d of f.incidents) {
          incidentBlock(w, f, d);
          yield w.tick();
        }
      } else if (id === 'people') {
        if (model.people.length === 0) w.para('No people are named in this bundle.');
        else people(w, f);
      } else if (id === 'custody') yield* custodyLog(w, f);
      else if (id === 'hashes') {
        w.para(
          'The pages of this bundle show each exhibit as Dossier read it from the original file: ' +
            'a picture drawn at no more than 300 dpi and never enlarged, an email or a text file as ' +
            'text. The exhibit itself is the original file in the bundle, and its SHA-256 is the one ' +
            'printed on its cover sheet; where a page and the original seem to differ, the original ' +
            'is the evidence.' +
            (model.exhibits.some((e) => e.recognisedText?.reading)
              ? ' Where a machine read the words in a picture (text recognition), they lie ' +
                'invisibly over it, so the bundle can be searched and the words selected; a ' +
                'machine reading may contain mistakes, and what the picture shows is the evidence ' +
                '(data/metadata/recognised-text.json).'
              : ''),
        );
        w.gap(8);
        hashesSection(w, { document: 'bundle', block: 'cover sheet' });
      } else {
        certificate(w, f, {
          listedIn: 'the index of this bundle',
          block: 'cover sheet',
          statement: 'civil',
        });
      }
      yield w.tick();
    }
    if (planned && w.page !== planned.totalPages)
      throw new Error(
        `The court bundle came out differently in its two passes (${w.page} pages, counted ${planned.totalPages}).`,
      );
  }

  /**
   * Where this exhibit's picture may be drawn: a picture with region marks that fits one page
   * is drawn smaller, down to 300 dpi, so that its comments are listed under it on the same
   * page. Worked out from the model alone, so both passes ask for the same box.
   */
  private pictureBox(e: Exhibit): ImageBox {
    if (e.regions.length === 0 || !e.height || e.height < 1) return BUNDLE_IMAGE_BOX;
    const regions = regionsOnSlice(e.regions, e.height, 0, e.height);
    return boxWithComments(this.w, e, regions, this.w.t(e.number, { max: 20 })) ?? BUNDLE_IMAGE_BOX;
  }

  /**
   * The second pass must put everything on the page the first pass counted, or the index and
   * every "Page X of Y" would be wrong: refuse to finish rather than write a wrong bundle.
   */
  private checkPage(dest: string): void {
    const want = this.planned?.pageOf.get(dest);
    if (want !== undefined && want !== this.w.page) {
      throw new Error(
        `The court bundle came out differently in its two passes (${dest} on page ${this.w.page}, counted on page ${want}); an exhibit's content was read differently the second time.`,
      );
    }
  }
}

function exhibitDest(i: number): string {
  return `exhibit-${i + 1}`;
}
