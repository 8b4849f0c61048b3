// The court bundle's front matter: the cover (page 1: case, exporter, date, signing-key
// fingerprint) and the index, where every line links to its page and gives its number.
import { groupDigits, plural } from '../../report/text';
import type { CaseFacts } from '../facts';
import { kindOfMime, type ItemKind } from '../../../../../shared/item-kind';
import { coverTop } from './cover';
import { BODY, CONTENT_W, MARGIN, PAGE, SMALL, SOFT, type PdfWriter } from '../writer';

export function bundleCover(w: PdfWriter, f: CaseFacts, totalPages: number | null): void {
  const m = f.model;
  coverTop(w, m, {
    kind: 'COURT BUNDLE',
    document: 'bundle',
    rows: [
      {
        label: 'Pages',
        // The first pass does not know the total yet: a number of the same kind keeps the layout.
        value: `${plural(totalPages ?? 0, 'page')}, numbered from 1 (this cover is page 1)`,
      },
    ],
  });
  w.gap(6);
  w.heading('How to read this bundle', 11, 4);
  w.para(
    'Each exhibit has a cover sheet (its label, original name, SHA-256 and times), then its ' +
      'content as read from the original file: a picture at a readable size with any region ' +
      'marks drawn on it, an email or a text file as text. Page numbers are this PDF’s own, from ' +
      '1; every line of the index links to its page, and every exhibit is a bookmark. The ' +
      'originals are in the same signed bundle (data/evidence/), and VERIFY.txt explains how to ' +
      'check them without Dossier.',
  );
  w.heading('About the text in this bundle', 11, 10);
  w.para(
    'Names, notes and the text of emails and files are printed as they were recorded. A ' +
      'character the typeface cannot show, and any invisible or direction-changing control ' +
      'character, is printed as [U+XXXX], its Unicode code point.',
    { size: SMALL + 0.5, color: SOFT },
  );
}

export interface IndexEntry {
  /** The destination the line links to. */
  dest: string;
  /** The exhibit label, or '' for a section. */
  label: string;
  title: string;
  /** The exhibit's MIME type, or null for a section. */
  kind: string | null;
}

const LINE = BODY + 6;

/**
 * The index: one line per exhibit, then one per closing section, each a link to its page.
 * `pageOf` is null in the first pass; every line is one line high either way, so both passes
 * lay it out alike. `onStart` marks the index's first page.
 */
export function* bundleIndex(
  w: PdfWriter,
  entries: IndexEntry[],
  pageOf: (dest: string) => number | null,
  onStart: (name: string) => void,
): Generator<undefined> {
  w.newPage();
  onStart('index');
  w.heading('Index', 16, 0);
  w.rule();
  w.gap(6);
  w.para(
    'Page numbers are those printed at the foot of each page and shown by a PDF reader, ' +
      'counting the cover as page 1. Click a line to go to its page.',
    { size: SMALL + 0.5, color: SOFT },
  );
  w.gap(6);
  const exhibits = entries.filter((e) => e.kind !== null);
  const sections = entries.filter((e) => e.kind === null);
  const group = (title: string): void => {
    w.keep(LINE * 3);
    w.use('B', 11);
    w.doc.text(title, MARGIN.left, w.y, { width: CONTENT_W });
    w.gap(4);
  };
  // Labels in a column as wide as the widest (JD1000 is wider than JD1).
  w.use('B', BODY);
  let labelW = 40;
  for (const e of exhibits)
    labelW = Math.max(labelW, w.doc.widthOfString(w.t(e.label, { max: 20 })) + 10);
  labelW = Math.min(labelW, 120);
  const line = (e: IndexEntry): void => {
    if (w.y + LINE > w.maxY) w.newPage();
    const y = w.y;
    const page = pageOf(e.dest);
    const pt = page === null ? '' : String(page);
    w.use('R', BODY);
    const pw = w.doc.widthOfString('0000') + 4;
    let x = MARGIN.left;
    if (e.kind !== null) {
      w.use('B', BODY);
      w.doc.text(w.t(e.label, { max: 20 }), x, y, {
        lineBreak: false,
        width: labelW,
        ellipsis: true,
      });
      x += labelW;
    }
    w.use('R', BODY);
    const title =
      e.kind === null
        ? e.title
        : `${w.t(e.title, { max: 200 }) || '(no name)'}  (${kindWords(e.kind)})`;
    w.doc.text(title, x, y, {
      width: PAGE.width - MARGIN.right - pw - x - 8,
      height: BODY + 3,
      ellipsis: true,
      lineBreak: false,
    });
    w.doc.text(pt, PAGE.width - MARGIN.right - w.doc.widthOfString(pt), y, { lineBreak: false });
    w.linkTo(e.dest, MARGIN.left, y - 2, CONTENT_W, LINE - 2);
    w.y = y + LINE;
  };
  if (exhibits.length > 0) {
    group(`Exhibits (${groupDigits(exhibits.length)})`);
    for (const [n, e] of exhibits.entries()) {
      line(e);
      if (n % 50 === 49) yield w.tick();
    }
    w.gap(8);
  }
  group('Closing sections');
  for (const e of sections) line(e);
  yield w.tick();
}

const KIND_WORDS: Record<ItemKind, string> = {
  image: 'picture',
  video: 'video',
  audio: 'sound recording',
  document: 'document',
  email: 'email',
  text: 'text file',
  conversation: 'exported conversation',
  other: 'file',
};

function kindWords(mime: string): string {
  return KIND_WORDS[kindOfMime(mime)];
}
