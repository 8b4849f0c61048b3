// An image exhibit as page-sized slices for the court bundle: upright, at most 300 dpi, never
// upscaled, a tall capture cut into overlapping pages instead of shrunk to illegibility.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Exhibit, ExhibitRegion } from '../model';
import { DECODE_TIMEOUT_SECONDS, MAX_INPUT_PIXELS, isPreviewable } from '../../evidence/thumbnail';
import type { ImageBox, ImageContent, ImageSlice, OtherContent } from './exhibit-content';

/** Points per pixel at 300 dpi (72 / 300): the finest a bundle image is drawn. */
export const SCALE_300_DPI = 0.24;
/** Points per pixel at 96 dpi (72 / 96): a picture's natural screen size, never drawn larger. */
export const SCALE_NATURAL = 0.75;
/** Consecutive slices share at least this part of a slice, so no line is cut unseen. */
export const SLICE_OVERLAP = 0.06;
/** An image file bigger than this is not read into memory for the bundle. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** A picture that would take more pages than this is not sliced (open the original). */
export const MAX_IMAGE_PAGES = 100;
/** JPEG quality for slices of photographs (screenshots are written as lossless PNG). */
export const PHOTO_JPEG_QUALITY = 90;

/** Where each slice starts and how it is drawn, from the picture's size alone (no decode). */
export interface ImagePlan {
  /** Points per original pixel on the page. */
  scale: number;
  /** The width in pixels the slices are written at (less than `width` when downsampled). */
  outputWidth: number;
  slices: { top: number; rows: number }[];
}

/**
 * The layout rules (docs/bundle-format.md, "What the court bundle shows of each exhibit"):
 * a picture that fits the box at 300 dpi or coarser is drawn whole on one page, filling the box
 * but never above its natural size; otherwise it is drawn the width of the box (downsampled to
 * 300 dpi across it if it is wider still) and cut into page-tall slices that overlap.
 */
export function planImage(width: number, height: number, box: ImageBox): ImagePlan {
  const fit = Math.min(box.width / width, box.height / height);
  if (fit >= SCALE_300_DPI) {
    return {
      scale: Math.min(fit, SCALE_NATURAL),
      outputWidth: width,
      slices: [{ top: 0, rows: height }],
    };
  }
  const scale = Math.min(box.width / width, SCALE_NATURAL);
  // Wider than 300 dpi across the box: fewer pixels are written, never more.
  const outputWidth =
    scale >= SCALE_300_DPI ? width : Math.max(1, Math.floor(box.width / SCALE_300_DPI));
  // The drawn height of `rows` rows must never pass the box, rounding included.
  const rows = Math.max(1, Math.floor(box.height / scale + 1e-9));
  if (height <= rows) return { scale, outputWidth, slices: [{ top: 0, rows: height }] };
  // Every slice a full page; the slices spread evenly, so every overlap is at least 6%.
  const step = Math.max(1, Math.floor(rows * (1 - SLICE_OVERLAP)));
  const count = 1 + Math.ceil((height - rows) / step);
  const slices = Array.from({ length: count }, (_, i) => ({
    top: Math.round((i * (height - rows)) / (count - 1)),
    rows,
  }));
  return { scale, outputWidth, slices };
}

/**
 * The region marks that fall on rows [top, top + rows) of a picture `height` rows tall, as
 * fractions of the slice, clipped to it. Boxes are in millionths of the upright picture.
 */
export function regionsOnSlice(
  regions: readonly ExhibitRegion[],
  height: number,
  top: number,
  rows: number,
): ImageSlice['regions'] {
  const out: ImageSlice['regions'] = [];
  const bottom = top + rows;
  for (const r of regions) {
    const x0 = clamp01(r.x / 1e6);
    const x1 = clamp01((r.x + r.w) / 1e6);
    const y0 = clamp01(r.y / 1e6) * height;
    const y1 = clamp01((r.y + r.h) / 1e6) * height;
    // A mark with no height still belongs to the slice its line is on.
    const touches = y1 > y0 ? y0 < bottom && y1 > top : y0 >= top && y0 < bottom;
    if (!touches || x1 < x0) continue;
    const from = Math.max(y0, top);
    const to = Math.min(y1, bottom);
    out.push({
      number: r.number,
      x: x0,
      y: (from - top) / rows,
      w: x1 - x0,
      h: Math.max(0, to - from) / rows,
      clipped: y0 < top || y1 > bottom,
    });
  }
  return out;
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/**
 * Whether an image exhibit can be shown, decided the same way with or without its bytes, so a
 * page count made first (`pixels: false`) matches the bundle made after. It relies on what the
 * import found in these very bytes (their SHA-256 is checked on export): the upright size it
 * read, and whether it could decode them (a preview exists).
 */
export function imageProblem(exhibit: Exhibit, box: ImageBox): OtherContent | null {
  const other = (reason: string): OtherContent => ({ kind: 'other', reason });
  if (!isPreviewable(exhibit.mime)) {
    return other('a picture in a format Dossier cannot show: open the original');
  }
  if (exhibit.size > MAX_IMAGE_BYTES) {
    return other(`a picture file of ${mib(exhibit.size)}, too big to show here: open the original`);
  }
  const { width, height } = exhibit;
  if (!width || !height || width < 1 || height < 1) {
    return other('a picture whose size could not be read when it was stored: open the original');
  }
  if (width * height > MAX_INPUT_PIXELS) {
    return other(
      `a picture that says it is ${width} × ${height} pixels, far more than any real photo or ` +
        'screenshot, so it was not opened: the file itself is in the bundle',
    );
  }
  if (exhibit.preview === null) {
    return other(
      'a picture that Dossier could not open when it was stored (it may be damaged, or in a ' +
        'variant Dossier cannot read): open the original',
    );
  }
  const pages = planImage(width, height, box).slices.length;
  if (pages > MAX_IMAGE_PAGES) {
    return other(
      `a picture ${width} × ${height} pixels, which would take ${pages} pages at a readable ` +
        'size: open the original',
    );
  }
  return null;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

/**
 * The picture in page-sized slices (see planImage), with its region marks on each. With
 * `pixels: false` only the geometry is made and `bytes` is not read (it may be empty). A
 * picture that cannot be shown is OtherContent with the reason; this never throws on bad input.
 */
export async function imageContent(
  bytes: Buffer,
  exhibit: Exhibit,
  box: ImageBox,
  opts: { pixels: boolean },
): Promise<ImageContent | OtherContent> {
  const problem = imageProblem(exhibit, box);
  if (problem) return problem;
  const width = exhibit.width!;
  const height = exhibit.height!;
  const plan = planImage(width, height, box);
  const slices: ImageSlice[] = plan.slices.map(({ top, rows }) => ({
    top,
    rows,
    drawWidth: width * plan.scale,
    drawHeight: rows * plan.scale,
    image: null,
    regions: regionsOnSlice(exhibit.regions, height, top, rows),
  }));
  if (opts.pixels) {
    try {
      await drawSlices(bytes, exhibit, plan, slices);
    } catch {
      // The import decoded these bytes, so this is rare (a library change): the pages keep
      // their places, and the bundle says the picture could not be drawn (image: null).
      for (const s of slices) s.image = null;
    }
  }
  return { kind: 'image', width, height, slices };
}

async function drawSlices(
  bytes: Buffer,
  exhibit: Exhibit,
  plan: ImagePlan,
  slices: ImageSlice[],
): Promise<void> {
  const width = exhibit.width!;
  const height = exhibit.height!;
  if (
    slices.length === 1 &&
    plan.outputWidth === width &&
    exhibit.mime === 'image/png' &&
    embedsAsIs(bytes, width, height)
  ) {
    slices[0]!.image = bytes;
    return;
  }
  const photo = exhibit.mime === 'image/jpeg';
  // One decode per slice: libvips reads rows in order and drops those above the slice, so
  // memory stays near one slice even for a very tall capture.
  for (const slice of slices) {
    let pipeline = sharp(bytes, {
      limitInputPixels: MAX_INPUT_PIXELS,
      autoOrient: true,
      failOn: 'warning',
    })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .toColourspace('srgb');
    if (slice.top !== 0 || slice.rows !== height) {
      pipeline = pipeline.extract({ left: 0, top: slice.top, width, height: slice.rows });
    }
    if (plan.outputWidth < width) {
      pipeline = pipeline.resize({
        width: plan.outputWidth,
        height: Math.max(1, Math.round((slice.rows * plan.outputWidth) / width)),
        fit: 'fill',
      });
    }
    // Transparency would print as black in some viewers and costs pdfkit a slow decode.
    pipeline = pipeline.flatten({ background: '#ffffff' });
    slice.image = photo
      ? await pipeline.jpeg({ quality: PHOTO_JPEG_QUALITY }).toBuffer()
      : await pipeline.png().toBuffer();
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * True when pdfkit can embed this PNG as it is, copying its compressed pixels without decoding
 * them (fast, lossless): whole (every chunk's CRC holds, IEND ends it), the size given, upright
 * (no eXIf chunk), not interlaced, not animated, and no transparency (pdfkit decodes alpha and
 * tRNS in JavaScript, about 20 times slower than sharp re-encoding the picture).
 */
export function embedsAsIs(png: Buffer, width: number, height: number): boolean {
  if (png.length < 8 + 25 + 12 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  let p = 8;
  let first = true;
  let sawData = false;
  let dataEnded = false;
  while (p + 12 <= png.length) {
    const length = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    const end = p + 12 + length;
    if (length > 0x7fffffff || end > png.length) return false;
    if (crc32(png.subarray(p + 4, p + 8 + length)) >>> 0 !== png.readUInt32BE(end - 4)) {
      return false;
    }
    if (first) {
      if (type !== 'IHDR' || length !== 13) return false;
      const d = p + 8;
      const bitDepth = png[d + 8]!;
      const colourType = png[d + 9]!;
      const interlace = png[d + 12]!;
      const plain =
        (colourType === 2 && bitDepth === 8) || // RGB
        ((colourType === 0 || colourType === 3) && bitDepth <= 8); // grey or palette
      if (png.readUInt32BE(d) !== width || png.readUInt32BE(d + 4) !== height) return false;
      if (!plain || interlace !== 0) return false;
      first = false;
    } else if (type === 'IDAT') {
      if (dataEnded) return false; // IDAT chunks must be consecutive
      sawData = true;
    } else {
      if (sawData) dataEnded = true;
      if (type === 'tRNS' || type === 'eXIf' || type === 'acTL') return false;
      if (type === 'IEND') return sawData && end === png.length;
    }
    p = end;
  }
  return false;
}
