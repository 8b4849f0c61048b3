// Page furniture: the footer on every page, a rule, the document's name and the case on the
// left, the page number on the right ("Page 3 of 40", or "JD3 · Page 17 of 240" on an
// exhibit's pages), and the signing-key fingerprint under them.
import { CONTENT_W, MARGIN, PAGE, RULE, SOFT, type PdfWriter } from './writer';

export interface Footer {
  /** Left: e.g. "Evidence report — <case>" (clipped with an ellipsis). */
  left: string;
  /** Right, in bold: e.g. "Page 3 of 40". */
  right: string;
  /** The signing key's fingerprint, already cleaned. */
  key: string;
}

export function drawFooter(w: PdfWriter, f: Footer): void {
  const { doc } = w;
  const fy = PAGE.height - MARGIN.bottom + 22;
  doc
    .moveTo(MARGIN.left, fy - 6)
    .lineTo(PAGE.width - MARGIN.right, fy - 6)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  w.use('B', 7.5, SOFT);
  const pw = doc.widthOfString(f.right);
  doc.text(f.right, PAGE.width - MARGIN.right - pw, fy, { lineBreak: false });
  w.use('R', 7.5, SOFT);
  doc.text(f.left, MARGIN.left, fy, {
    width: CONTENT_W - pw - 16,
    height: 10,
    ellipsis: true,
    lineBreak: false,
  });
  doc.text('Signing key fingerprint ', MARGIN.left, fy + 11, { lineBreak: false });
  const lw = doc.widthOfString('Signing key fingerprint ');
  w.use('M', 6.5, SOFT);
  doc.text(f.key, MARGIN.left + lw, fy + 12, {
    width: CONTENT_W - lw,
    height: 9,
    ellipsis: true,
    lineBreak: false,
  });
}
