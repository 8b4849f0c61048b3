// The review in words (review-summary.pdf in a review zip, docs/review-format.md): the
// overall note first, then exhibit by exhibit in the bundle's order, then the incidents and
// messages the adviser said something about. The adviser's key fingerprint is on every page.
// Drawn with the evidence report's page layer (../export/pdf), so text is cleaned the same
// way: a hidden or direction-changing character prints as [U+XXXX].
import {
  REVIEW_LIMITS,
  REVIEW_STATUS_WORDS,
  reviewState,
  type ReviewFile,
  type ReviewTargetState,
} from '../../../shared/review';
import { twoPasses, type Pass } from '../export/pdf/two-pass';
import {
  BODY,
  CONTENT_W,
  MARGIN,
  PAGE,
  PdfWriter,
  RULE,
  SMALL,
  SOFT,
  type Row,
} from '../export/pdf/writer';
import { findReportFonts, BUILT_IN_FONTS, type ReportFonts } from '../export/report/fonts';
import { cleanText, plural } from '../export/report/text';
import type { ReviewedBundle } from './reviewed-bundle';

export interface SummaryInput {
  review: ReviewFile;
  bundle: ReviewedBundle;
  /** The adviser's signing-key fingerprint ("1a2b 3c4d …"). */
  fingerprint: string;
  /** The name of the zip the summary travels in, for the text. */
  zipName: string;
  /** 'built-in' forces PDF's own fonts (tests). */
  fonts?: 'auto' | 'built-in';
}

/** Streams the PDF (two passes, for "Page X of Y"). */
export function renderReviewSummaryPdf(input: SummaryInput): AsyncGenerator<Buffer> {
  const fonts = input.fonts === 'built-in' ? BUILT_IN_FONTS : findReportFonts();
  return twoPasses<Layout>((planned) => new Summary(input, fonts, planned));
}

interface Layout {
  totalPages: number;
}

const NO_TEXT = { max: 300 };

class Summary implements Pass<Layout> {
  readonly w: PdfWriter;
  private readonly state: Map<string, ReviewTargetState>;

  constructor(
    private readonly input: SummaryInput,
    fonts: ReportFonts,
    private readonly planned: Layout | null,
  ) {
    const { review } = input;
    const saved = new Date(review.savedAt);
    let footerCase = '';
    let footerKey = '';
    this.w = new PdfWriter({
      fonts,
      draw: planned !== null,
      info: {
        Title: `Review of the evidence bundle — ${cleanText(review.bundle.caseName, () => true, { max: 120 })}`,
        Subject: "A legal adviser's review of an evidence bundle, exhibit by exhibit",
        Creator: 'Dossier',
        Producer: 'Dossier (PDFKit)',
        CreationDate: saved,
        ModDate: saved,
      },
      footer: (w, page) => this.footer(w, page, footerCase, footerKey),
    });
    footerCase = this.w.t(review.bundle.caseName, { max: 70 });
    footerKey = this.w.t(input.fingerprint, { max: 100 });
    this.state = reviewState(review.entries);
  }

  layout(): Layout {
    return { totalPages: this.w.page };
  }

  private footer(w: PdfWriter, page: number, caseName: string, key: string): void {
    const { doc } = w;
    const fy = PAGE.height - MARGIN.bottom + 22;
    doc
      .moveTo(MARGIN.left, fy - 6)
      .lineTo(PAGE.width - MARGIN.right, fy - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    const right = `Page ${page} of ${this.planned?.totalPages ?? 0}`;
    w.use('B', 7.5, SOFT);
    const pw = doc.widthOfString(right);
    doc.text(right, PAGE.width - MARGIN.right - pw, fy, { lineBreak: false });
    w.use('R', 7.5, SOFT);
    doc.text(`Review of the evidence bundle — ${caseName}`, MARGIN.left, fy, {
      width: CONTENT_W - pw - 16,
      height: 10,
      ellipsis: true,
      lineBreak: false,
    });
    const label = "Adviser's key fingerprint ";
    doc.text(label, MARGIN.left, fy + 11, { lineBreak: false });
    const lw = doc.widthOfString(label);
    w.use('M', 6.5, SOFT);
    doc.text(key, MARGIN.left + lw, fy + 12, {
      width: CONTENT_W - lw,
      height: 9,
      ellipsis: true,
      lineBreak: false,
    });
  }

  *blocks(): Generator<Promise<void> | undefined> {
    const { w, input } = this;
    const { review, bundle } = input;
    w.newPage();
    w.openAtFullSize();
    w.use('B', SMALL, SOFT);
    w.doc.text("A LEGAL ADVISER'S REVIEW", MARGIN.left, w.y, { width: CONTENT_W });
    w.heading(w.t(`Review of the evidence bundle — ${review.bundle.caseName}`, NO_TEXT), 16, 4);
    w.rule();
    w.gap(8);
    const checked = this.state.get('bundle')?.fingerprintChecked ?? null;
    const rows: Row[] = [
      { label: 'Case', value: w.t(review.bundle.caseName, NO_TEXT) },
      { label: 'Bundle', value: w.t(review.bundle.bagName, NO_TEXT) },
      {
        label: 'Bundle made by',
        value: bundle.exporter ? w.t(bundle.exporter, NO_TEXT) : 'Not given',
      },
      { label: 'Bundle tag manifest SHA-256', value: review.bundle.tagManifestSha256, mono: true },
      {
        label: "Bundle's signing key fingerprint",
        value: review.bundle.signingKeyFingerprint,
        mono: true,
      },
      {
        label: 'Bundle fingerprint compared',
        value: checked
          ? `Yes: ${w.t(checked.how || 'how not said', { max: REVIEW_LIMITS.how })}, ${checked.at.replace('T', ' ').slice(0, 19)} UTC`
          : 'Not recorded',
      },
      { label: 'Reviewer (as given)', value: w.t(review.reviewer.name ?? 'Not given', NO_TEXT) },
      {
        label: 'Organisation (as given)',
        value: w.t(review.reviewer.organisation ?? 'Not given', NO_TEXT),
      },
      { label: 'Review saved', value: `${review.savedAt.replace('T', ' ').slice(0, 19)} UTC` },
      { label: 'Changes recorded', value: plural(review.entries.length, 'change') },
      { label: "Adviser's key fingerprint", value: input.fingerprint, mono: true, bold: true },
    ];
    w.rows(rows, MARGIN.left, CONTENT_W);
    w.gap(6);
    w.para(
      `This summary is one file of a review signed with the adviser's own key (${w.t(input.zipName, NO_TEXT)}). ` +
        'The signature covers review.json, which holds every change the adviser made, in order, and ' +
        'this summary. VERIFY.txt in the same folder explains how to check it. The fingerprint above ' +
        'must be the one the adviser gave you by another route (phone, letter, in person). The ' +
        'reviewer’s name and organisation are as the adviser typed them: only the signature shows ' +
        'who made the review.',
      { size: SMALL + 0.5, color: SOFT },
    );
    w.gap(4);
    w.para(
      'Comments and questions are printed as they were written. A character the typeface cannot ' +
        'show, and any invisible or direction-changing control character, is printed as [U+XXXX], ' +
        'its Unicode code point; the exact text is in review.json.',
      { size: SMALL + 0.5, color: SOFT },
    );
    yield w.tick();

    // The overall note first.
    const overall = this.state.get('bundle');
    w.keep(w.headingHeight('Overall note', 12, 12) + BODY * 4);
    w.heading('Overall note', 12, 12);
    if (overall?.comment) yield* this.text(overall.comment);
    else w.para('No overall note.', { color: SOFT });
    if (overall?.questions.length) yield* this.questions(overall.questions);
    yield w.tick();

    this.sectionHeading('Exhibits, in the bundle’s order');
    if (bundle.exhibits.length === 0) w.para('The bundle has no exhibits.', { color: SOFT });
    for (const x of bundle.exhibits) {
      const s = this.state.get(`exhibit:${x.itemId}`);
      const title = `${w.t(x.label, { max: 40 })}  ${w.t(x.name, NO_TEXT)}`;
      if (!s) {
        w.keep(BODY * 2);
        w.use('R', BODY, SOFT);
        w.doc.text(`${title} — not reviewed`, MARGIN.left, w.y, { width: CONTENT_W });
        w.gap(3);
        yield w.tick();
        continue;
      }
      yield* this.block(title, s, true);
    }

    const incidents = bundle.incidents.filter((i) => this.state.has(`incident:${i.incidentId}`));
    if (incidents.length) {
      this.sectionHeading('Incidents');
      for (const i of incidents) {
        const when = i.occurredAt ? i.occurredAt.replace('T', ' ') : 'time not given';
        const what = i.whatHappened ? `: ${i.whatHappened}` : '';
        yield* this.block(
          w.t(`Incident, ${when}${what}`, { max: 200 }),
          this.state.get(`incident:${i.incidentId}`)!,
          false,
        );
      }
    }

    const messages = bundle.messages.filter((m) => this.state.has(`message:${m.messageId}`));
    if (messages.length) {
      this.sectionHeading('Messages');
      for (const m of messages) {
        yield* this.block(
          w.t(`${m.exhibit}, message ${m.index + 1} · ${m.sender}: ${m.text}`, { max: 200 }),
          this.state.get(`message:${m.messageId}`)!,
          false,
        );
      }
    }
  }

  /** A heading with a rule under it, never alone at the foot of a page. */
  private sectionHeading(title: string): void {
    const { w } = this;
    w.keep(w.headingHeight(title, 12, 14) + BODY * 8);
    w.heading(title, 12, 14);
    w.rule();
    w.gap(4);
  }

  /** One target's block: its title, then status, order, comment and questions. */
  private *block(
    title: string,
    s: ReviewTargetState,
    exhibit: boolean,
  ): Generator<Promise<void> | undefined> {
    const { w } = this;
    w.keep(BODY * 6);
    w.gap(4);
    w.use('B', BODY + 1);
    w.doc.text(title, MARGIN.left, w.y, { width: CONTENT_W });
    w.gap(2);
    const rows: Row[] = [
      { label: 'Status', value: s.status ? REVIEW_STATUS_WORDS[s.status] : 'Not set', bold: true },
    ];
    if (exhibit && s.order !== null) rows.push({ label: 'Proposed order', value: String(s.order) });
    w.rows(rows, MARGIN.left, CONTENT_W);
    if (s.comment) {
      w.use('R', SMALL, SOFT);
      w.doc.text('Comment', MARGIN.left, w.y, { width: CONTENT_W });
      yield* this.text(s.comment);
    }
    if (s.questions.length) yield* this.questions(s.questions);
    w.gap(4);
    yield w.tick();
  }

  private *text(raw: string): Generator<Promise<void> | undefined> {
    yield* this.w.flow(this.w.t(raw, { multiline: true, max: REVIEW_LIMITS.comment }));
  }

  private *questions(list: readonly string[]): Generator<Promise<void> | undefined> {
    const { w } = this;
    w.use('R', SMALL, SOFT);
    w.doc.text(`Questions for the client (${list.length})`, MARGIN.left, w.y, { width: CONTENT_W });
    for (const [i, q] of list.entries()) {
      yield* w.flow(w.t(`${i + 1}. ${q}`, { multiline: true, max: REVIEW_LIMITS.question + 10 }), {
        x: MARGIN.left + 10,
      });
    }
  }
}
