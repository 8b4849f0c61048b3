// An exhibit's cover sheet in the court bundle: its label, original name, SHA-256, size,
// type, the times with where each came from, notes, tags, linked incidents and people, its
// region marks, the custody entries about it in words, and what the pages after it show.
import { custodyEntryText } from '../../../../../shared/custody-wording';
import type { ExhibitContent } from '../../bundle/exhibit-content';
import type { CustodyRecord, Exhibit } from '../../model';
import { compactUtc, groupDigits, plural } from '../../report/text';
import type { CaseFacts } from '../facts';
import { CONTENT_W, MARGIN, SOFT, type PdfWriter, type Row } from '../writer';
import { exhibitRows, exhibitTopRows, noteRows } from './exhibit-block';

/** Custody entries listed on a cover sheet; the rest are counted (all are in the log). */
const CUSTODY_SHOWN = 40;

export function coverSheet(
  w: PdfWriter,
  f: CaseFacts,
  e: Exhibit,
  content: ExhibitContent,
  custody: CustodyRecord[],
): void {
  const label = w.t(e.number, { max: 40 });
  w.use('B', 10, SOFT);
  w.doc.text('EXHIBIT', MARGIN.left, w.y, { width: CONTENT_W });
  w.use('B', 20);
  w.doc.text(label, MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(4);
  w.rule();
  w.gap(6);
  w.rows(exhibitTopRows(w, e), MARGIN.left, CONTENT_W);
  w.rows(exhibitRows(w, f, e), MARGIN.left, CONTENT_W);
  const rows: Row[] = [];
  if (e.regions.length > 0) {
    if (content.kind === 'image')
      rows.push({
        label: 'Region marks',
        value: `${plural(e.regions.length, 'region mark')}, drawn on the picture as numbered outlines and listed with it.`,
      });
    else
      // Not drawn (the picture could not be shown): the comments are still given.
      e.regions.forEach((r, i) =>
        rows.push({
          label: i === 0 ? 'Region marks' : '',
          value: `${r.number}. ${w.t(r.comment, { multiline: true, max: 1500 }) || '(no comment)'}`,
        }),
      );
  }
  w.rows(rows, MARGIN.left, CONTENT_W);
  w.rows(noteRows(w, e, true), MARGIN.left, CONTENT_W);
  const shown = custody.slice(0, CUSTODY_SHOWN);
  const log: Row[] = shown.map((c, i) => ({
    label: i === 0 ? 'Custody log' : '',
    value: w.t(
      `Entry ${c.seq}, ${compactUtc(c.at, w.supports)}: ${
        c.withheld === 'full-source-path'
          ? 'details withheld (the entry records the full path the file was imported from).'
          : custodyEntryText(c)
      }`,
      { max: 600 },
    ),
  }));
  if (custody.length > shown.length)
    log.push({
      label: '',
      value: `… and ${groupDigits(custody.length - shown.length)} more entries about this exhibit, in the custody log at the end of this bundle.`,
    });
  if (log.length === 0)
    log.push({ label: 'Custody log', value: 'No entries about this exhibit are in this bundle.' });
  w.rows(log, MARGIN.left, CONTENT_W);
  w.gap(8);
  w.keep(60);
  w.use('B', 10.5);
  w.doc.text('What follows', MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(3);
  w.para(e.conversation ? conversationShows(w, f, e) : shows(w, e, content));
}

/**
 * A chat export or mailbox is not printed whole (two years of messages would be hundreds of
 * pages): its transcript follows, and the original is the whole conversation.
 */
function conversationShows(w: PdfWriter, f: CaseFacts, e: Exhibit): string {
  const c = e.conversation!;
  const n = f.transcriptOf.get(e.itemId)?.length ?? 0;
  const path = w.t(e.bagPath, { max: 300 });
  const whole = `The whole conversation (${plural(c.messageCount, 'message')}) is the original, in the bundle at ${path} with the SHA-256 printed above; it is not printed here.`;
  return n === 0
    ? `${whole} None of its messages is linked to the incidents in this bundle or was chosen for it.`
    : `Its transcript: the ${plural(n, 'message')} linked to the incidents in this bundle or chosen for it, each with its exact place in the original. ${whole}`;
}

function shows(w: PdfWriter, e: Exhibit, c: ExhibitContent): string {
  const path = w.t(e.bagPath, { max: 300 });
  switch (c.kind) {
    case 'image': {
      const n = c.slices.length;
      return n === 1
        ? `The picture, on the next page, drawn from the original file (${groupDigits(c.width)} × ${groupDigits(c.height)} pixels) at no more than 300 dpi and never enlarged.`
        : `The picture (${groupDigits(c.width)} × ${groupDigits(c.height)} pixels) is too tall to read on one page, so it follows in ${n} parts, top to bottom, one a page; each part overlaps the one before, so no line is cut unseen. It is drawn at no more than 300 dpi and never enlarged.`;
    }
    case 'email':
      return (
        'The email as text: From, To, Cc, Date, Subject and Message-ID, then the body' +
        (c.bodyFrom === 'html'
          ? ' (converted from its HTML to text; nothing remote was loaded and no script was run)'
          : c.bodyFrom === 'none'
            ? ' (it has none)'
            : '') +
        `, its attachments with their SHA-256, and an appendix with its full headers. The original message is in the bundle at ${path}.`
      );
    case 'text':
      return (
        `The text of the file, read as ${w.t(c.encoding, { max: 80 })}.` +
        (c.truncated ? ` Only its start is shown; the whole file is in the bundle at ${path}.` : '')
      );
    case 'other':
      return `Nothing more: the original is in the bundle at ${path}, with the SHA-256 printed above. It is not shown here: ${w.t(c.reason, { max: 400 }) || 'its content cannot be shown as text or a picture'}.`;
  }
}
