// A picture exhibit after its cover sheet: one slice a page, as large as the page allows
// (the readers cut it: at most 300 dpi, never enlarged), region marks drawn as numbered
// outlines, and their comments listed under the slice (a picture shown whole is drawn smaller
// to make room, down to 300 dpi), or on the next page if there is still no room.
import sharp from 'sharp';
import type {
  ExhibitContent,
  ImageBox,
  ImageContent,
  ImageSlice,
} from '../../bundle/exhibit-content';
import { SCALE_300_DPI } from '../../bundle/image-content';
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
/** Space between a slice and the list of its marks' comments. */
const GAP_BELOW = 8;

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
    const s = { ...given, ...drawSize(given, c.width) };
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
    drawRecognisedWords(w, e, c, s, x, y);
    drawMarks(w, s, x, y);
    w.y = y + s.drawHeight + GAP_BELOW;
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

/**
 * The words a machine read in the picture, as an invisible text layer over the slice (text
 * render mode 3: neither filled nor stroked), each word stretched over its box, so a reader
 * can search and select them while the page looks exactly as without them. Words whose middle
 * is on this slice are placed (a word in the overlap of two slices is on both pages).
 */
function drawRecognisedWords(
  w: PdfWriter,
  e: Exhibit,
  c: ImageContent,
  s: ImageSlice,
  x: number,
  y: number,
): void {
  const reading = e.recognisedText?.reading;
  if (!w.draw || !s.image || !reading || reading.words.length === 0) return;
  const finite = [reading.width, reading.height, s.rows, s.drawWidth, s.drawHeight, c.width];
  if (!finite.every((v) => Number.isFinite(v) && v > 0) || !(c.height > 0)) return;
  const { doc } = w;
  // Boxes count in the picture as read; the slices in the upright picture: the same size,
  // unless the reading was made of another rendering of it.
  const fx = c.width / reading.width;
  const fy = c.height / reading.height;
  const sx = s.drawWidth / c.width;
  const sy = s.drawHeight / s.rows;
  const { width, height } = reading;
  // Boxes come from the vault; one that is not a box inside the picture is left out.
  const words = reading.words.flatMap((word) => {
    const nums = [word.x, word.y, word.w, word.h];
    if (!nums.every(Number.isFinite) || word.w <= 0 || word.h <= 0) return [];
    const x0 = Math.max(0, word.x);
    const y0 = Math.max(0, word.y);
    const x1 = Math.min(width, word.x + word.w);
    const y1 = Math.min(height, word.y + word.h);
    const mid = ((y0 + y1) / 2) * fy;
    if (x1 <= x0 || y1 <= y0 || mid < s.top || mid >= s.top + s.rows || !word.t.trim()) return [];
    return [{ t: word.t, x: x0, y: y0, w: x1 - x0, h: y1 - y0 }];
  });
  if (words.length === 0) return;
  doc.save();
  // Tr is part of the graphics state: every text object inside this q … Q is invisible.
  doc.addContent('3 Tr');
  w.use('R', BODY, INK);
  const em = (doc as unknown as { _font: { ascender: number; descender: number } })._font;
  const lineHeight = Math.max(0.5, (em.ascender - em.descender) / 1000);
  for (const word of words) {
    // Untrusted (the engine read it from a hostile picture): what the face can draw, exactly.
    const text = w.t(word.t.trim(), { max: 200 });
    if (!text) continue;
    const boxW = word.w * fx * sx;
    const boxH = word.h * fy * sy;
    const size = Math.min(200, Math.max(1, boxH / lineHeight));
    doc.fontSize(size);
    const natural = doc.widthOfString(text);
    const stretch = natural > 0 ? Math.min(1000, Math.max(1, (100 * boxW) / natural)) : 100;
    // pdfkit 0.20 takes horizontalScaling (written as Tz); its types do not list it yet.
    const options = { lineBreak: false, horizontalScaling: Math.round(stretch * 100) / 100 };
    doc.text(text, x + word.x * fx * sx, y + (word.y * fy - s.top) * sy, options);
  }
  doc.restore();
  w.use('R', BODY, INK);
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
  const { title, items } = commentList(w, e, s.regions, label, part, i, n);
  if (w.y + listHeight(w, title, items) > w.maxY) {
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

/** The list's title and one line per mark on the slice, in number order. */
function commentList(
  w: PdfWriter,
  e: Exhibit,
  regions: ImageSlice['regions'],
  label: string,
  part: string,
  i: number,
  n: number,
): { title: string; items: string[] } {
  const byNumber = new Map(e.regions.map((r) => [r.number, r]));
  const items = [...regions]
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
  return { title: `Region marks on ${label}${part}`, items };
}

function listHeight(w: PdfWriter, title: string, items: string[]): number {
  return (
    w.height('B', 10, title, CONTENT_W) +
    6 +
    items.reduce((sum, t) => sum + w.height('R', BODY, t, CONTENT_W - 12) + 3, 0)
  );
}

/**
 * The box a picture shown whole on one page may fill when its region comments are listed
 * under it: BUNDLE_IMAGE_BOX less the list's height (and the gap above it), or null when
 * that would draw it finer than 300 dpi (then the list goes on the next page). Measured with
 * the same text as the list itself, so both passes and the drawing agree.
 */
export function boxWithComments(
  w: PdfWriter,
  e: Exhibit,
  regions: ImageSlice['regions'],
  label: string,
): ImageBox | null {
  if (regions.length === 0 || !e.width || !e.height) return null;
  const { title, items } = commentList(w, e, regions, label, '', 0, 1);
  // One point spare, so rounding in pdfkit's line heights never pushes the list over.
  const height = BUNDLE_IMAGE_BOX.height - GAP_BELOW - listHeight(w, title, items) - 1;
  const box = { width: BUNDLE_IMAGE_BOX.width, height };
  if (height <= 0 || Math.min(box.width / e.width, height / e.height) < SCALE_300_DPI) return null;
  return box;
}

/**
 * Slices made safe for pdfkit. A JPEG, or a PNG pdfkit can copy as it is, passes unchanged.
 * A PNG that pdfkit would have to decode itself (an alpha channel, a transparent palette,
 * interlacing) is decoded by sharp instead and flattened onto white: pdfkit's own decoding
 * throws from inside a zlib callback on damaged data, which would bring the process down,
 * and finishes at a time that varies, so the same export would not give the same bytes.
 * Anything else, or a picture sharp cannot read, becomes null (drawn as "could not be drawn").
 */
export async function readyForPdf(c: ExhibitContent): Promise<ExhibitContent> {
  if (c.kind !== 'image') return c;
  const slices: ImageSlice[] = [];
  for (const s of c.slices) slices.push({ ...s, image: s.image && (await safeImage(s.image)) });
  return { ...c, slices };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function safeImage(image: Buffer): Promise<Buffer | null> {
  if (image.length > 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return image; // pdfkit reads a JPEG's header itself and copies the rest
  if (!image.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (!pngNeedsDecoding(image)) return image;
  try {
    return await sharp(image, { limitInputPixels: 100_000_000, failOn: 'error' })
      .flatten({ background: '#ffffff' })
      .png({ compressionLevel: 6 })
      .toBuffer();
  } catch {
    return null;
  }
}

/** Whether pdfkit would decode this PNG's pixels in JavaScript (see readyForPdf). */
function pngNeedsDecoding(png: Buffer): boolean {
  if (png.length < 33 || png.toString('latin1', 12, 16) !== 'IHDR') return true;
  const colorType = png[25]!;
  const interlaced = png[28] !== 0;
  if (interlaced || colorType === 4 || colorType === 6) return true;
  // A palette with a tRNS chunk gets an alpha channel decoded from the pixels, too.
  for (let p = 8; p + 8 <= png.length;) {
    const length = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    if (type === 'tRNS') return colorType === 3;
    if (type === 'IDAT' || type === 'IEND') return false;
    p += 12 + length;
  }
  return false;
}

/**
 * The slice's size on the page as the reader gave it, kept within the box. A size that is
 * not a number, or not positive (a reader's mistake), is worked out from the picture's
 * shape instead, so the page still shows it whole.
 */
function drawSize(s: ImageSlice, width: number): { drawWidth: number; drawHeight: number } {
  const box = BUNDLE_IMAGE_BOX;
  const ok = (v: number): boolean => Number.isFinite(v) && v > 0;
  if (ok(s.drawWidth) && ok(s.drawHeight)) {
    // Shrunk as a whole if it overflows the box, so its shape is kept.
    const k = Math.min(1, box.width / s.drawWidth, box.height / s.drawHeight);
    return { drawWidth: s.drawWidth * k, drawHeight: s.drawHeight * k };
  }
  const w = ok(width) ? width : 1;
  const h = ok(s.rows) ? s.rows : w;
  const scale = Math.min(box.width / w, box.height / h);
  return { drawWidth: w * scale, drawHeight: h * scale };
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
