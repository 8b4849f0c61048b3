// The page-writing layer under both PDFs (report.pdf and bundle.pdf): an A4 pdfkit document
// with the shipped fonts, a page counter, page furniture drawn as each page is added,
// paragraphs, label/value rows, keep-together, outline entries and internal links. It knows
// nothing of evidence; the section modules (./sections) decide what is said.
import PDFDocument from 'pdfkit';
import { BUILT_IN_FONTS, type ReportFonts } from '../report/fonts';
import { cleanText, type CleanOptions, type Supports } from '../report/text';
import { plainPng } from './png-embed';

export const PAGE = { width: 595.28, height: 841.89 }; // A4
export const MARGIN = { top: 56, bottom: 70, left: 56, right: 56 };
export const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
/** The height between the margins. */
export const CONTENT_H = PAGE.height - MARGIN.top - MARGIN.bottom;
export const LABEL_W = 108;
export const BODY = 9.5;
export const SMALL = 8;
export const HASH = 9;
export const INK = '#111111';
export const SOFT = '#444444';
export const RULE = '#999999';

export type FontName = 'R' | 'B' | 'M';

export interface Row {
  label: string;
  value: string;
  mono?: boolean;
  bold?: boolean;
}

export interface WriterOptions {
  fonts: ReportFonts;
  /** False for the first pass, which only counts pages: it draws no furniture or outline. */
  draw: boolean;
  info: {
    Title: string;
    Subject: string;
    Creator: string;
    Producer: string;
    CreationDate: Date;
    ModDate: Date;
  };
  /** Draws the footer of page `page` (from 1); called only when drawing. */
  footer: (w: PdfWriter, page: number) => void;
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly draw: boolean;
  readonly supports: Supports;
  /** What the monospace face can draw (text files, headers); the rest prints as [U+XXXX]. */
  readonly supportsMono: Supports;
  /** The page being written, from 1 (0 before the first). */
  page = 0;
  private blockCount = 0;
  private font: { name: FontName; size: number; color: string } = {
    name: 'R',
    size: BODY,
    color: INK,
  };
  private readonly footer: WriterOptions['footer'];

  constructor(opts: WriterOptions) {
    this.draw = opts.draw;
    this.footer = opts.footer;
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: MARGIN,
      autoFirstPage: false,
      bufferPages: false,
      displayTitle: true,
      lang: 'en-GB',
      pdfVersion: '1.7',
      info: opts.info,
    });
    if (!this.draw) this.doc.on('data', () => undefined); // the first pass writes nowhere
    this.doc.registerFont('R', opts.fonts.regular);
    this.doc.registerFont('B', opts.fonts.bold);
    this.doc.registerFont('M', opts.fonts.mono);
    this.supports = opts.fonts.embedded ? this.glyphCoverage() : opts.fonts.supports;
    this.supportsMono = opts.fonts.embedded ? this.monoCoverage() : opts.fonts.supports;
    this.doc.on('pageAdded', () => this.onPage());
    this.openPlainPngsDirectly();
  }

  /** Plain PNGs (no alpha, palette or transparency) skip pdfkit's PNG reader (png-embed.ts). */
  private openPlainPngsDirectly(): void {
    const doc = this.doc as unknown as {
      openImage(src: unknown): unknown;
      _imageCount: number;
    };
    const open = doc.openImage.bind(doc);
    doc.openImage = (src: unknown) => {
      if (Buffer.isBuffer(src)) {
        const image = plainPng(src, `I${doc._imageCount + 1}`);
        if (image) {
          doc._imageCount++;
          return image;
        }
      }
      return open(src);
    };
  }

  /** Called after each block; now and then empties pdfkit's word cache (forgetLayouts). */
  tick(): undefined {
    if (++this.blockCount % FORGET_LAYOUTS_EVERY === 0) this.forgetLayouts();
    return undefined;
  }

  get blocks(): number {
    return this.blockCount;
  }

  /**
   * pdfkit caches the layout of every distinct word for the life of the document, and every
   * hash is a new word: emptied now and then so memory stays flat however many exhibits there
   * are (turning the cache off makes the report three times slower). Often, because a cached
   * layout that outlives a few blocks is moved to the old heap, where it stays as garbage
   * until a full collection (report.pdf of 1,000 screenshots: a heap peak of 127 MiB when
   * emptied every 200 blocks, 88 MiB every 16).
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

  private monoCoverage(): Supports {
    type Fontkit = { hasGlyphForCodePoint(cp: number): boolean };
    this.doc.font('M');
    const mono = (this.doc as unknown as { _font?: { font?: Fontkit } })._font?.font;
    this.doc.font(this.font.name);
    const memo = new Map<number, boolean>();
    return (cp) => {
      let ok = memo.get(cp);
      if (ok === undefined) {
        ok =
          mono && typeof mono.hasGlyphForCodePoint === 'function'
            ? mono.hasGlyphForCodePoint(cp)
            : BUILT_IN_FONTS.supports(cp);
        memo.set(cp, ok);
      }
      return ok;
    };
  }

  use(name: FontName, size: number, color = INK): void {
    this.font = { name, size, color };
    this.doc.font(name).fontSize(size).fillColor(color);
  }

  private onPage(): void {
    this.page++;
    const { doc } = this;
    this.forgetFinishedPage();
    const x = doc.x;
    const y = doc.y;
    const saved = this.font;
    if (this.draw) {
      // The footer sits in the bottom margin; lift the margin so pdfkit adds no page for it.
      doc.page.margins.bottom = 0;
      this.footer(this, this.page);
      doc.page.margins.bottom = MARGIN.bottom;
    }
    this.use(saved.name, saved.size, saved.color);
    doc.x = x;
    doc.y = y;
  }

  /** The page before the current one: written out, but pdfkit still holds its objects. */
  private finished: PDFKit.PDFPage | null = null;

  /**
   * A page is written out in full when the next one starts, yet pdfkit keeps its dictionary,
   * resources and content objects with all their data for the life of the document (the page
   * list, outline entries and links refer to them). Only their object numbers are needed from
   * then on, so their data is dropped: otherwise a bundle of thousands of pages holds a few
   * KiB for every page until it ends.
   */
  private forgetFinishedPage(): void {
    const done = this.finished as unknown as PageObjects | null;
    if (done) {
      for (const ref of [done.dictionary, done.resources, done.content]) {
        if (ref && typeof ref === 'object' && 'data' in ref) ref.data = {};
      }
    }
    this.finished = this.doc.page;
  }

  newPage(): void {
    this.doc.addPage();
  }

  get y(): number {
    return this.doc.y;
  }

  set y(v: number) {
    this.doc.y = v;
  }

  get maxY(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /** Starts a new page unless `h` points fit below; never on an empty page. */
  keep(h: number): void {
    if (this.doc.y + h > this.maxY && this.doc.y > MARGIN.top + 1) this.newPage();
  }

  /** Untrusted text made printable (report/text.ts cleanText) in this document's typeface. */
  t(s: string, opts?: CleanOptions): string {
    return cleanText(s, this.supports, opts);
  }

  /** Untrusted text made printable in the monospace face. */
  tm(s: string, opts?: CleanOptions): string {
    return cleanText(s, this.supportsMono, opts);
  }

  // ---- Text primitives ----

  height(name: FontName, size: number, text: string, width: number): number {
    this.doc.font(name).fontSize(size);
    const h = this.doc.heightOfString(text === '' ? ' ' : text, { width, lineGap: 1.5 });
    this.doc.font(this.font.name).fontSize(this.font.size);
    return h;
  }

  para(text: string, opts: { size?: number; color?: string; bold?: boolean } = {}): void {
    this.use(opts.bold ? 'B' : 'R', opts.size ?? BODY, opts.color ?? INK);
    this.doc.text(text, MARGIN.left, this.doc.y, { width: CONTENT_W, lineGap: 1.5 });
  }

  gap(h: number): void {
    this.doc.y += h;
  }

  heading(text: string, size: number, before: number): void {
    this.gap(before);
    this.use('B', size);
    this.doc.text(text, MARGIN.left, this.doc.y, { width: CONTENT_W });
    this.gap(size * 0.35);
  }

  /** The height heading(text, size, before) takes. */
  headingHeight(text: string, size: number, before: number): number {
    return before + this.height('B', size, text, CONTENT_W) + size * 0.35;
  }

  rule(): void {
    const y = this.doc.y;
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(PAGE.width - MARGIN.right, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    this.doc.y = y + 1;
  }

  /**
   * Long text (an email body, a text file) flowing over as many pages as it needs, a few
   * dozen lines per call so the document streams out as it goes. Already cleaned text.
   * `mono`: each line is cut to the width first, so nothing is left to pdfkit's word
   * splitting, which is quadratic in the length of an unbroken word.
   */
  *flow(
    text: string,
    opts: { mono?: boolean; size?: number; x?: number } = {},
  ): Generator<undefined> {
    const size = opts.size ?? BODY;
    const x = opts.x ?? MARGIN.left;
    const width = PAGE.width - MARGIN.right - x;
    this.use(opts.mono ? 'M' : 'R', size, INK);
    const per = opts.mono
      ? Math.max(8, Math.floor(width / this.doc.widthOfString('0')) - 1)
      : WORD_PIECE;
    const lines: string[] = [];
    for (const line of text.split('\n')) {
      if (!opts.mono) lines.push(line.replace(LONG_RUN, (run) => run.match(PIECES)!.join('\n')));
      else if (line.length <= per) lines.push(line);
      else {
        for (let i = 0; i < line.length;) {
          let end = Math.min(i + per, line.length);
          // Never between the two halves of a surrogate pair.
          if (end < line.length && /[\ud800-\udbff]/.test(line[end - 1]!)) end--;
          lines.push(line.slice(i, end));
          i = end;
        }
      }
    }
    for (let i = 0; i < lines.length; i += FLOW_LINES) {
      const chunk = lines.slice(i, i + FLOW_LINES).join('\n');
      this.use(opts.mono ? 'M' : 'R', size, INK);
      this.doc.text(chunk === '' ? ' ' : chunk, x, this.doc.y, { width, lineGap: 1.5 });
      yield this.tick();
    }
  }

  /** "•" bullets with hanging text. */
  bullets(items: string[]): void {
    for (const b of items) {
      const y = this.doc.y;
      this.use('R', BODY);
      this.doc.text('•', MARGIN.left + 4, y, { lineBreak: false });
      this.doc.text(b, MARGIN.left + 16, y, { width: CONTENT_W - 16, lineGap: 1.5 });
      this.gap(3);
    }
  }

  rowHeight(r: Row, width: number): number {
    const lh = this.height('R', SMALL, r.label, LABEL_W - 8);
    const vh = this.height(
      r.mono ? 'M' : r.bold ? 'B' : 'R',
      r.mono ? HASH : BODY,
      r.value,
      width - LABEL_W,
    );
    return Math.max(lh, vh) + 3;
  }

  rowsHeight(rows: Row[], width: number): number {
    return rows.reduce((h, r) => h + this.rowHeight(r, width), 0);
  }

  /** Label/value rows at x; values flow onto the next page if a single one is that long. */
  rows(rows: Row[], x: number, width: number): void {
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

  /**
   * A section's first page: a new page, an outline entry (when drawing) and its heading.
   * Returns the outline entry, under which the section's own entries can go.
   */
  section(title: string, outlineTitle: string, parent?: PDFKit.PDFOutline): PDFKit.PDFOutline {
    this.newPage();
    const item = this.draw ? (parent ?? this.doc.outline).addItem(outlineTitle) : null;
    this.heading(title, 16, 0);
    this.rule();
    this.gap(8);
    return item ?? NO_OUTLINE;
  }

  /**
   * An outline entry (bookmark) for the current page, at its top or at `y` (points from the
   * top, for something that starts part-way down); nothing when counting.
   */
  outline(title: string, parent?: PDFKit.PDFOutline, y?: number): PDFKit.PDFOutline {
    if (!this.draw) return NO_OUTLINE;
    const into = parent ?? this.doc.outline;
    if (y === undefined) return into.addItem(title);
    // pdfkit reads `top` (points from the top of the page), though its types do not say so.
    return into.addItem(title, { top: Math.max(0, y - 20) } as { expanded?: boolean });
  }

  /**
   * Names the current page as a link target, at its top or at `y` (points from the top).
   * Named, so a link can point at a page that is not written yet (pdfkit's page links need
   * the page to exist already).
   */
  destination(name: string, y?: number): void {
    const top = y === undefined ? MARGIN.top - 20 : Math.max(0, y - 20);
    if (this.draw) this.doc.addNamedDestination(name, 'XYZ', 0, top, null);
  }

  /** A link over a box on the current page to a destination named with destination(). */
  linkTo(name: string, x: number, y: number, w: number, h: number): void {
    if (this.draw) this.doc.goTo(x, y, w, h, name);
  }

  /**
   * Open the document at its first page at 100% (PDF /OpenAction [page /XYZ null null 1]):
   * the zoom courts ask for. Call on the first page.
   */
  openAtFullSize(): void {
    if (!this.draw) return;
    const root = (this.doc as unknown as { _root: { data: Record<string, unknown> } })._root;
    root.data.OpenAction = [this.doc.page.dictionary, 'XYZ', null, null, 1];
  }
}

/** What forgetFinishedPage() reaches into: a pdfkit page's own objects. */
interface PageObjects {
  dictionary?: { data: unknown };
  resources?: { data: unknown };
  content?: { data: unknown };
}

/** Blocks between two emptyings of pdfkit's word cache (forgetLayouts()). */
const FORGET_LAYOUTS_EVERY = 16;

/** Lines of flowing text per pdfkit call (flow()). */
const FLOW_LINES = 60;
/** Unbroken runs longer than this are cut into pieces this long (flow()). */
const WORD_PIECE = 200;
const LONG_RUN = /\S{201,}/gu;
const PIECES = /\S{1,200}/gu;

/** The outline entry handed out when counting pages: entries added under it go nowhere. */
const NO_OUTLINE = {
  addItem: () => NO_OUTLINE,
} as unknown as PDFKit.PDFOutline;
