// A hash on a cover page: its title, the value in monospace, and a note on what it is.
import { CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter } from '../writer';

export function coverHash(w: PdfWriter, title: string, note: string, value: string): void {
  w.use('B', 9.5);
  w.doc.text(title, MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(2);
  w.use('M', 10);
  w.doc.text(value || '(none)', MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(1);
  w.para(note, { size: SMALL, color: SOFT });
  w.gap(8);
}
