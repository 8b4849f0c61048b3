// A text-file exhibit after its cover sheet (on the same page when there is room): its text
// in a monospace face, paginated, each line cut to the page's width (nothing hidden past the
// margin).
import type { TextContent } from '../../bundle/exhibit-content';
import type { Exhibit } from '../../model';
import { CONTENT_W, SMALL, SOFT, type PdfWriter } from '../writer';

/** Longest text printed, in characters; the whole file is in the bundle. */
const TEXT_MAX = 4_000_000;

/** Space between the cover sheet and the text when it starts on the same page. */
const SPACE_BEFORE = 16;
/** Lines of the file that must fit under the heading for the text to start on that page. */
const FIRST_LINES = 5;

/** The text under its cover sheet when its heading and first lines fit there, else from a new page. */
export function* textPages(
  w: PdfWriter,
  e: Exhibit,
  c: TextContent,
  label: string,
): Generator<undefined> {
  const title = `${label} · the text of the file`;
  const note =
    `Read as ${w.t(c.encoding, { max: 80 })}.` +
    (c.truncated
      ? ` Only the start of the file is shown; the whole file is in the bundle at ${w.t(e.bagPath, { max: 300 })}.`
      : '') +
    ' Characters that would be invisible are shown as [U+XXXX].';
  w.gap(SPACE_BEFORE);
  w.keep(
    w.headingHeight(title, 13, 0) +
      5 +
      w.height('R', SMALL, note, CONTENT_W) +
      6 +
      w.height('M', 8, Array(FIRST_LINES).fill('X').join('\n'), CONTENT_W),
  );
  w.heading(title, 13, 0);
  w.rule();
  w.gap(4);
  w.para(note, { size: SMALL, color: SOFT });
  w.gap(6);
  yield* w.flow(w.tm(c.text, { multiline: true, max: TEXT_MAX }) || '(the file is empty)', {
    mono: true,
    size: 8,
  });
}
