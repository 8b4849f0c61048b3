// An email exhibit after its cover sheet, as text: the six headers a reader looks for, the
// body (an HTML body already converted to text by the reader, nothing remote loaded), the
// attachments with their SHA-256, what could not be read, then an appendix with the full
// header block.
import type { EmailContent } from '../../bundle/exhibit-content';
import type { Exhibit } from '../../model';
import { plural, sizeText } from '../../report/text';
import { CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter, type Row } from '../writer';

/** Longest body and header block printed, in characters; the whole message is in the bundle. */
const BODY_MAX = 2_000_000;
const HEADERS_MAX = 400_000;

export function* emailPages(
  w: PdfWriter,
  e: Exhibit,
  c: EmailContent,
  label: string,
  /** Called on the appendix's first page (its bookmark and link target). */
  appendix: () => void,
): Generator<undefined> {
  w.newPage();
  w.heading(`${label} · the email as text`, 13, 0);
  w.rule();
  w.gap(6);
  const rows: Row[] = c.headers.map((h) => ({
    label: h.name,
    value: w.t(h.value, { max: 2000 }) || '(none)',
    bold: h.name === 'Subject',
  }));
  w.rows(rows, MARGIN.left, CONTENT_W);
  w.gap(6);
  w.keep(40);
  w.heading('Body', 11, 2);
  w.para(
    c.bodyFrom === 'html'
      ? 'Converted from the message’s HTML to text; nothing remote was loaded and no script was run.'
      : c.bodyFrom === 'text'
        ? 'The message’s plain-text part.'
        : 'The message has no body text.',
    { size: SMALL, color: SOFT },
  );
  w.gap(4);
  if (c.body !== '') yield* w.flow(w.t(c.body, { multiline: true, max: BODY_MAX }));
  w.gap(8);
  w.keep(40);
  w.heading(
    c.attachments.length === 0 ? 'Attachments: none' : `Attachments (${c.attachments.length})`,
    11,
    2,
  );
  for (const [i, a] of c.attachments.entries()) {
    const ar: Row[] = [
      { label: `${i + 1}. Name`, value: w.t(a.name, { max: 500 }) || '(no name)', bold: true },
      { label: 'Type', value: w.t(a.mime, { max: 100 }) || 'unknown' },
      { label: 'Size', value: sizeText(a.size) },
      { label: 'SHA-256', value: w.t(a.sha256, { max: 80 }), mono: true },
    ];
    w.keep(Math.min(w.rowsHeight(ar, CONTENT_W), 200));
    w.rows(ar, MARGIN.left, CONTENT_W);
    w.gap(4);
    if (i % 20 === 19) yield w.tick();
  }
  if (c.problems.length > 0) {
    w.gap(4);
    w.keep(40);
    w.heading(`What could not be read (${plural(c.problems.length, 'problem')})`, 11, 2);
    w.bullets(c.problems.slice(0, 50).map((p) => w.t(p, { max: 500 })));
  }
  yield w.tick();

  w.newPage();
  appendix();
  w.heading(`Appendix to ${label}: full headers`, 13, 0);
  w.rule();
  w.gap(4);
  w.para(
    `The header block of the message as received (${w.t(e.bagPath, { max: 300 })}), lines unfolded.`,
    { size: SMALL, color: SOFT },
  );
  w.gap(4);
  yield* w.flow(w.tm(c.rawHeaders, { multiline: true, max: HEADERS_MAX }) || '(none)', {
    mono: true,
    size: 7.5,
  });
}
