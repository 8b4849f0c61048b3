// A picture exhibit after its cover sheet: one slice a page, as large as the page allows
// (the readers cut it: at most 300 dpi, never enlarged), region marks drawn as numbered
// outlines, and their comments listed under the slice, or on the next page if no room.
import type { ImageContent, ImageSlice } from '../../bundle/exhibit-content';
import type { Exhibit } from '../../model';
import { groupDigits } from '../../report/text';
import {
  BODY,
  CONTENT_H,
  CONTENT_W,
  INK,
  MARGIN,
  RULE,
  SMALL,
  SOFT,
  type PdfWriter,
} from '../writer';

/** The mark colour: a red that prints dark on grey-scale printers too. */
const MARK = '#c00000';
/** Height of the line above each slice that says which part it is. */
const HEADER = 22;

/**
 * The area a picture slice may fill on its page, in points: the page between its margins,
 * less the line above the slice. The content readers cut pictures to fit it.
 */
export const BUNDLE_IMAGE_BOX = { width: CONTENT_W, height: CONTENT_H - HEADER };

export function* picturePages(
  w: PdfWriter,
  e: Exhibit,
  c: ImageContent,
  label: string,
): Generator<undefined> {
  const n = c.slices.length;
  for (const [i, given] of c.slices.entries()) {
    // A size outside the box (a reader's mistake) is brought back into it.
    const s = {
      ...given,
      drawWidth: fit(given.drawWidth, BUNDLE_IMAGE_BOX.width),
      drawHeight: fit(given.drawHeight, BUNDLE_IMAGE_BOX.height),
    };
    w.newPage();
    const page = w.page;
    const part = n > 1 ? `, part ${i + 1} of ${n}` : '';
    w.use('B', SMALL, SOFT);
    w.doc.text(
      `${label} · picture${part} · rows ${groupDigits(s.top + 1)}–${groupDigits(s.top + s.rows)} of ${groupDigits(c.height)} (${groupDigits(c.width)} × ${groupDigits(c.height)} pixels)`,
      MARGIN.left,
      MARGIN.top,
      { width: CONTENT_W, height: SMALL + 4, ellipsis: true, lineBreak: false },
    );
    const x = MARGIN.left + Math.max(0, (CONTENT_W - s.drawWidth) / 2);
    const y = MARGIN.top + HEADER;
    drawSlice(w, s, x, y);
    drawMarks(w, s, x, y);
    w.y = y + s.drawHeight + 8;
    if (s.regions.length > 0) comments(w, e, s, label, part, page, i, n);
    yield w.tick();
  }
}

function drawSlice(w: PdfWriter, s: ImageSlice, x: number, y: number): void {
  const { doc } = w;
  let drawn = false;
  if (s.image && w.draw) {
    try {
      doc.image(s.image, x, y, { width: s.drawWidth, height: s.drawHeight });
      drawn = true;
    } catch {
      drawn = false; // a slice pdfkit cannot read: said so in its place, same size
    }
  }
  doc.rect(x, y, s.drawWidth, s.drawHeight).lineWidth(0.5).strokeColor(RULE).stroke();
  if (!drawn && w.draw) {
    w.use('R', BODY, SOFT);
    doc.text(
      '(this part of the picture could not be drawn; the original is in the bundle)',
      x + 8,
      y + 8,
      {
        width: Math.max(40, s.drawWidth - 16),
      },
    );
  }
}

function drawMarks(w: PdfWriter, s: ImageSlice, x: number, y: number): void {
  if (!w.draw) return;
  const { doc } = w;
  for (const r of s.regions) {
    const rx = x + clamp(r.x) * s.drawWidth;
    const ry = y + clamp(r.y) * s.drawHeight;
    const rw = Math.max(1, clamp(r.w) * s.drawWidth);
    const rh = Math.max(1, clamp(r.h) * s.drawHeight);
    doc.rect(rx, ry, rw, rh).lineWidth(1.5).strokeColor(MARK).stroke();
    // The number in a tag at the mark's top left corner, kept inside the picture.
    w.use('B', 8, '#ffffff');
    const text = String(r.number);
    const tw = doc.widthOfString(text) + 6;
    const th = 11;
    const tx = Math.min(rx, x + s.drawWidth - tw);
    const ty = Math.max(y, ry - th);
    doc.rect(tx, ty, tw, th).fillColor(MARK).fill();
    w.use('B', 8, '#ffffff');
    doc.text(text, tx + 3, ty + 1.5, { lineBreak: false });
  }
  w.use('R', BODY, INK);
}

/** The comments of the marks on this slice: under it, or on a page of their own. */
function comments(
  w: PdfWriter,
  e: Exhibit,
  s: ImageSlice,
  label: string,
  part: string,
  page: number,
  i: number,
  n: number,
): void {
  const byNumber = new Map(e.regions.map((r) => [r.number, r]));
  const items = [...s.regions]
    .sort((a, b) => a.number - b.number)
    .map((r) => {
      const comment = byNumber.get(r.number)?.comment ?? '';
      const before = r.clipped && i > 0 && r.y <= 0.001;
      const after = r.clipped && i < n - 1 && r.y + r.h >= 0.999;
      const more =
        before && after
          ? ' (the mark continues on the parts before and after)'
          : before
            ? ' (the mark continues from the part before)'
            : after
              ? ' (the mark continues on the next part)'
              : '';
      return `${r.number}.  ${w.t(comment, { multiline: true, max: 1500 }) || '(no comment)'}${more}`;
    });
  const title = `Region marks on ${label}${part}`;
  const h =
    w.height('B', 10, title, CONTENT_W) +
    6 +
    items.reduce((sum, t) => sum + w.height('R', BODY, t, CONTENT_W - 12) + 3, 0);
  if (w.y + h > w.maxY) {
    w.newPage();
    w.use('B', 10);
    w.doc.text(`${title} (continued from page ${page})`, MARGIN.left, w.y, { width: CONTENT_W });
  } else {
    w.use('B', 10);
    w.doc.text(title, MARGIN.left, w.y, { width: CONTENT_W });
  }
  w.gap(4);
  for (const t of items) {
    w.use('R', BODY, INK);
    w.doc.text(t, MARGIN.left + 12, w.y, { width: CONTENT_W - 12, lineGap: 1.5 });
    w.gap(3);
  }
}

function fit(v: number, max: number): number {
  return Number.isFinite(v) && v > 1 ? Math.min(v, max) : max / 4;
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
