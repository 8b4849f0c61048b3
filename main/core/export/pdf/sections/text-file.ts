// A text-file exhibit after its cover sheet: its text in a monospace face, paginated, each
// line cut to the page's width (nothing hidden past the margin).
import type { TextContent } from '../../bundle/exhibit-content';
import type { Exhibit } from '../../model';
import { SMALL, SOFT, type PdfWriter } from '../writer';

/** Longest text printed, in characters; the whole file is in the bundle. */
const TEXT_MAX = 4_000_000;

export function* textPages(
  w: PdfWriter,
  e: Exhibit,
  c: TextContent,
  label: string,
): Generator<undefined> {
  w.newPage();
  w.heading(`${label} · the text of the file`, 13, 0);
  w.rule();
  w.gap(4);
  w.para(
    `Read as ${w.t(c.encoding, { max: 80 })}.` +
      (c.truncated
        ? ` Only the start of the file is shown; the whole file is in the bundle at ${w.t(e.bagPath, { max: 300 })}.`
        : '') +
      ' Characters that would be invisible are shown as [U+XXXX].',
    { size: SMALL, color: SOFT },
  );
  w.gap(6);
  yield* w.flow(w.tm(c.text, { multiline: true, max: TEXT_MAX }) || '(the file is empty)', {
    mono: true,
    size: 8,
  });
}
