// An email exhibit after its cover sheet (on the same page when there is room), as text: the
// six headers a reader looks for, the body (an HTML body already converted to text by the
// reader, nothing remote loaded), the attachments with their SHA-256, what could not be read,
// then an appendix with the full header block.
import type { EmailContent } from '../../bundle/exhibit-content';
import type { Exhibit } from '../../model';
import { plural, sizeText } from '../../report/text';
import { BODY, CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter, type Row } from '../writer';

/** Longest body and header block printed, in characters; the whole message is in the bundle. */
const BODY_MAX = 2_000_000;
const HEADERS_MAX = 400_000;

/** Space between the cover sheet (or the body) and what follows it on the same page. */
const SPACE_BEFORE = 16;
/** Body lines that must fit under the six headers for the email to start on the cover sheet's page. */
const FIRST_BODY_LINES = 3;

/**
 * The email under its cover sheet when its six headers and the first lines of its body fit
 * there, else from a new page; the appendix follows on from the body, under its own heading.
 */
export function* emailPages(
  w: PdfWriter,
  e: Exhibit,
  c: EmailContent,
  label: string,
  /** Called where the appendix starts (its bookmark and link target), with its y on the page. */
  appendix: (y: number) => void,
): Generator<undefined> {
  const title = `${label} · the email as text`;
  const rows: Row[] = c.headers.map((h) => ({
    label: h.name,
    value: w.t(h.value, { max: 2000 }) || '(none)',
    bold: h.name === 'Subject',
  }));
  const note =
    c.bodyFrom === 'html'
      ? 'Converted from the message’s HTML to text; nothing remote was loaded and no script was run.'
      : c.bodyFrom === 'text'
        ? 'The message’s plain-text part.'
        : 'The message has no body text.';
  w.gap(SPACE_BEFORE);
  w.keep(
    w.headingHeight(title, 13, 0) +
      7 +
      w.rowsHeight(rows, CONTENT_W) +
      6 +
      w.headingHeight('Body', 11, 2) +
      w.height('R', SMALL, note, CONTENT_W) +
      4 +
      w.height('R', BODY, Array(FIRST_BODY_LINES).fill('X').join('\n'), CONTENT_W),
  );
  w.heading(title, 13, 0);
  w.rule();
  w.gap(6);
  w.rows(rows, MARGIN.left, CONTENT_W);
  w.gap(6);
  w.keep(40);
  w.heading('Body', 11, 2);
  w.para(note, { size: SMALL, color: SOFT });
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

  const heading = `Appendix to ${label}: full headers`;
  const about = `The header block of the message as received (${w.t(e.bagPath, { max: 300 })}), lines unfolded.`;
  w.gap(SPACE_BEFORE);
  // Its heading, the line under it and a few header lines together, never a heading alone.
  w.keep(
    w.headingHeight(heading, 13, 0) +
      5 +
      w.height('R', SMALL, about, CONTENT_W) +
      4 +
      w.height('M', 7.5, 'X\nX\nX', CONTENT_W),
  );
  appendix(w.y);
  w.heading(heading, 13, 0);
  w.rule();
  w.gap(4);
  w.para(about, { size: SMALL, color: SOFT });
  w.gap(4);
  yield* w.flow(w.tm(c.rawHeaders, { multiline: true, max: HEADERS_MAX }) || '(none)', {
    mono: true,
    size: 7.5,
  });
}
