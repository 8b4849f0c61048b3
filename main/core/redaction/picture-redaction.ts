// A redacted copy of a picture (docs/redaction.md): decoded once as shown (EXIF orientation
// applied), every covered box filled solid in the decoded pixels, written as a new lossless
// PNG with no metadata at all. Nothing of the original file travels into the copy but the
// pixels outside the boxes, unchanged.
import type { Metadata } from 'sharp';
import type { RedactionBox } from '../../../shared/redaction';
import { DossierError } from '../errors';
import type { EvidenceFacts } from '../evidence';

/** A picture with more pixels than this is not redacted (a phone screenshot is 3 MP). */
export const MAX_REDACT_PIXELS = 100_000_000;
/** The scale of a box's numbers: whole millionths of the picture (as region marks). */
const SCALE = 1_000_000;

export interface RedactedPicture {
  png: Buffer;
  width: number;
  height: number;
  /** Covered in the decode pipeline (an opaque colour picture), or in its decoded pixels. */
  covered: 'in-pipeline' | 'in-pixels';
}

/** A box in whole pixels of a picture `width` × `height`: every pixel it touches. */
export function boxPixels(
  box: Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>,
  width: number,
  height: number,
): { left: number; top: number; right: number; bottom: number } {
  // Rounded outwards: a pixel partly inside a box is covered; covering too little leaks.
  const left = Math.max(0, Math.floor((box.x * width) / SCALE));
  const top = Math.max(0, Math.floor((box.y * height) / SCALE));
  const right = Math.min(width, Math.ceil(((box.x + box.w) * width) / SCALE));
  const bottom = Math.min(height, Math.ceil(((box.y + box.h) * height) / SCALE));
  return { left, top, right: Math.max(right, left + 1), bottom: Math.max(bottom, top + 1) };
}

/** Checks a box's numbers: whole millionths, inside the picture, with a size. */
export function boxProblem(box: Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>): string | null {
  const whole = [box.x, box.y, box.w, box.h].every((v) => Number.isSafeInteger(v));
  if (!whole) return 'its numbers are not whole millionths of the picture';
  if (box.x < 0 || box.y < 0) return 'it starts outside the picture';
  if (box.w <= 0 || box.h <= 0) return 'it has no size';
  if (box.x + box.w > SCALE) return 'it goes past the right edge of the picture';
  if (box.y + box.h > SCALE) return 'it goes past the bottom edge of the picture';
  return null;
}

/**
 * What an import would find in the copy, known without reading it again: a PNG of that size,
 * and nothing else (it holds no metadata, so no date, place or text). Its preview is made
 * after the copy is saved, in the background (copy-previews.ts), as an import makes it.
 */
export function redactedPictureFacts(p: RedactedPicture): EvidenceFacts {
  return {
    mime: 'image/png',
    image: { width: p.width, height: p.height, format: 'png' },
    thumbnail: null,
    exif: null,
    xmpLocation: null,
    email: null,
    text: null,
    sensitive: [],
    errors: [],
  };
}

type Sharp = typeof import('sharp').default;
/** sharp, once loaded (kept out of the CLI's start-up until a picture is redacted). */
let loaded: Sharp | undefined;

/** How a picture to redact is decoded: damage refused, no bomb (its header was checked). */
const DECODE = { limitInputPixels: MAX_REDACT_PIXELS, failOn: 'error' } as const;

/**
 * Whether the picture decodes to 8-bit colour (sRGB, with or without alpha), the pixels a
 * CoverMask is made for. Grey, 16-bit and CMYK pictures are covered in their pixels.
 */
function coverableInPipeline(meta: Metadata): boolean {
  return (
    meta.depth === 'uchar' && meta.space === 'srgb' && (meta.channels === 3 || meta.channels === 4)
  );
}

/**
 * A mask the size of the upright picture: every byte 0xFF but the colour bytes of the pixels
 * a box touches, which are 0. ANDed with the picture, it makes those pixels black and leaves
 * every other byte as it was (alpha included: a box's alpha is the picture's, so this is a
 * full cover only for an opaque picture, which is why a picture with alpha is checked).
 * Four bytes a pixel for a picture with alpha; one for a picture without (libvips applies a
 * one-band mask to every band), so a 48-megapixel photo's mask is 48 MB.
 */
class CoverMask {
  /** Kept for the next picture of the same size (most are one phone's screenshots). */
  private static spare: Buffer | null = null;
  private static dropSpare: NodeJS.Timeout | null = null;

  readonly bytes: Buffer;
  private readonly rows: { top: number; bottom: number }[] = [];

  constructor(
    boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
    private readonly width: number,
    height: number,
    private readonly channels: 1 | 4,
  ) {
    const size = width * height * channels;
    // A fresh mask is memory the kernel must map and fill: a few ms for a screenshot's.
    const spare = CoverMask.spare;
    CoverMask.spare = null;
    this.bytes = spare?.length === size ? spare : Buffer.alloc(size, 0xff);
    for (const b of boxes) {
      const { left, top, right, bottom } = boxPixels(b, width, height);
      this.rows.push({ top, bottom });
      for (let y = top; y < bottom; y++) {
        const row = y * width * channels;
        this.bytes.fill(
          channels === 1 ? 0 : KEEP_ALPHA,
          row + left * channels,
          row + right * channels,
        );
      }
    }
  }

  /** Once sharp is done with it: every row a box touched made 0xFF again, then kept. */
  release(): void {
    if (this.bytes.length > SPARE_MASK_MAX_BYTES) return;
    const rowBytes = this.width * this.channels;
    for (const { top, bottom } of this.rows)
      this.bytes.fill(0xff, top * rowBytes, bottom * rowBytes);
    CoverMask.spare = this.bytes;
    if (CoverMask.dropSpare) clearTimeout(CoverMask.dropSpare);
    CoverMask.dropSpare = setTimeout(() => {
      CoverMask.spare = null;
      CoverMask.dropSpare = null;
    }, SPARE_MASK_KEPT_MS);
    CoverMask.dropSpare.unref();
  }
}

/** A covered pixel's mask with alpha: the colour cleared, the alpha kept. */
const KEEP_ALPHA = Buffer.from([0, 0, 0, 0xff]);
/** A mask is kept for the next copy only up to this size (16 megapixels with alpha)… */
const SPARE_MASK_MAX_BYTES = 64 * 1024 * 1024;
/** …and only this long after the last copy. */
const SPARE_MASK_KEPT_MS = 30_000;

/**
 * The boxes covered in the decode pipeline, so that decoding and writing the PNG overlap on
 * sharp's threads: the decoded pixels ANDed with a CoverMask, a bitwise operation that changes
 * no other byte, whatever its alpha. (libvips' composite would draw the boxes too, but it
 * premultiplies by alpha and truncates, so a pixel that is not opaque could change, and it
 * costs a float pass over every pixel.) A box's alpha is left as it was, so the result is
 * used only if every pixel under the boxes is opaque (`alpha`, read beside it); null means
 * "cover it in its decoded pixels", which makes the boxes opaque.
 */
async function coverInPipeline(
  sharp: Sharp,
  bytes: Buffer,
  boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
  upright: { width: number; height: number },
  alpha: Promise<AlphaChannel | null> | null,
  meanwhile: () => void,
): Promise<Buffer | null> {
  const channels = alpha ? 4 : 1;
  const mask = new CoverMask(boxes, upright.width, upright.height, channels);
  const covered = sharp(bytes, DECODE)
    .rotate()
    .boolean(mask.bytes, 'and', { raw: { ...upright, channels } })
    .png({ compressionLevel: 6 })
    .toBuffer()
    .finally(() => mask.release());
  if (!alpha) return whileEncoding(covered, meanwhile);
  const [png, a] = await whileEncoding(Promise.all([covered, alpha]), meanwhile);
  return a !== null && opaqueUnder(boxes, upright, a) ? png : null;
}

/** A picture's alpha channel, as shown (EXIF orientation applied), over `area`: a byte a pixel. */
interface AlphaChannel {
  data: Buffer;
  area: Area;
}

interface Area {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest rectangle holding every pixel any box touches. */
function boxesArea(
  boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
  width: number,
  height: number,
): Area {
  const px = boxes.map((b) => boxPixels(b, width, height));
  const left = Math.min(...px.map((p) => p.left));
  const top = Math.min(...px.map((p) => p.top));
  const right = Math.max(...px.map((p) => p.right));
  const bottom = Math.max(...px.map((p) => p.bottom));
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * Reads the alpha channel under the boxes (a decode of its own, on sharp's threads, that
 * stops at the lowest box; only that area is handed back); null for a picture with none, or
 * one that cannot be decoded (the pixels' way then settles it). Never rejects.
 */
function readAlpha(sharp: Sharp, bytes: Buffer, area: Area): Promise<AlphaChannel | null> {
  return sharp(bytes, DECODE)
    .rotate()
    .extract(area)
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(
      ({ data, info }) =>
        info.channels === 1 && data.length === area.width * area.height ? { data, area } : null,
      () => null,
    );
}

const OPAQUE = Buffer.alloc(64 * 1024, 255);

/** Whether every pixel any box touches is opaque, compared a row of a box at a time. */
function opaqueUnder(
  boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
  upright: { width: number; height: number },
  { data, area }: AlphaChannel,
): boolean {
  for (const b of boxes) {
    const { left, top, right, bottom } = boxPixels(b, upright.width, upright.height);
    for (let y = top; y < bottom; y++) {
      const row = (y - area.top) * area.width - area.left;
      for (let at = row + left, end = row + right; at < end; at += OPAQUE.length) {
        const n = Math.min(OPAQUE.length, end - at);
        if (data.compare(OPAQUE, 0, n, at, at + n) !== 0) return false;
      }
    }
  }
  return true;
}

/** Runs `meanwhile` once `encoding` is under way; a failure of either is thrown once both end. */
async function whileEncoding<T>(encoding: Promise<T>, meanwhile: () => void): Promise<T> {
  try {
    meanwhile();
  } catch (e) {
    await encoding.catch(() => undefined);
    throw e;
  }
  return encoding;
}

const mp = (n: number): string => `${(n / 1_000_000).toFixed(1)} megapixels`;

/**
 * The redacted copy of `bytes` with `boxes` filled in black. Refuses, writing nothing, a
 * file that is not a still picture sharp can decode, one too large, and a bad box.
 */
export async function redactPicture(
  bytes: Buffer,
  boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
  /** Work for this thread while sharp's threads write the PNG (the vault's pending record). */
  meanwhile: () => void = () => undefined,
): Promise<RedactedPicture> {
  if (boxes.length === 0) {
    throw new DossierError(
      'USAGE',
      'Draw at least one box to cover before making a redacted copy.',
    );
  }
  for (const [i, b] of boxes.entries()) {
    const problem = boxProblem(b);
    if (problem) throw new DossierError('USAGE', `Box ${i + 1} cannot be used: ${problem}.`);
  }
  const sharp = loaded ?? (loaded = (await import('sharp')).default);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch {
    throw new DossierError('USAGE', 'This file is not a picture Dossier can redact.');
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new DossierError('USAGE', 'This picture does not say how large it is.');
  if (w * h > MAX_REDACT_PIXELS) {
    throw new DossierError(
      'USAGE',
      `The picture is ${w} × ${h} pixels (${mp(w * h)}); pictures over ${mp(MAX_REDACT_PIXELS)} are not redacted, to keep memory safe.`,
    );
  }
  if ((meta.pages ?? 1) > 1) {
    // Covering one frame would leave the others showing what was covered.
    throw new DossierError(
      'USAGE',
      `This picture has ${meta.pages} frames (an animation or a multi-page file); Dossier redacts still pictures only.`,
    );
  }
  const damaged = (e: unknown): DossierError =>
    new DossierError(
      'CORRUPT',
      `The picture is damaged and could not be decoded (${(e as Error).message.split('\n')[0]!.slice(0, 200)}); nothing was written.`,
    );
  // `meanwhile` runs once, beside the first encoding. Its failure (a full disk) is its own,
  // never "the picture is damaged".
  let ran = false;
  const theirs = { failed: false, error: undefined as unknown };
  const once = (): void => {
    if (ran) return;
    ran = true;
    try {
      meanwhile();
    } catch (e) {
      theirs.failed = true;
      theirs.error = e;
      throw e;
    }
  };
  if (coverableInPipeline(meta)) {
    const upright = { width: meta.autoOrient?.width ?? w, height: meta.autoOrient?.height ?? h };
    let png: Buffer | null;
    try {
      png = await coverInPipeline(
        sharp,
        bytes,
        boxes,
        upright,
        // Read beside the covering pipeline, on sharp's threads.
        meta.hasAlpha === true
          ? readAlpha(sharp, bytes, boxesArea(boxes, upright.width, upright.height))
          : null,
        once,
      );
    } catch {
      if (theirs.failed) throw theirs.error;
      // Decoded as the header did not say (or damaged): the pixels' way settles it.
      png = null;
    }
    if (png) return { png, ...upright, covered: 'in-pipeline' };
  }
  let data: Buffer;
  let info: { width: number; height: number; channels: number };
  try {
    ({ data, info } = await sharp(bytes, DECODE)
      .rotate()
      .raw()
      .toBuffer({ resolveWithObject: true }));
  } catch (e) {
    throw damaged(e);
  }
  const { width, height, channels } = info;
  // Grey (1), grey with alpha (2), colour (3), colour with alpha (4): the fill is black, and
  // opaque, so that nothing covered shows through transparency.
  const alphaAt = channels === 2 || channels === 4 ? channels - 1 : -1;
  for (const b of boxes) {
    const { left, top, right, bottom } = boxPixels(b, width, height);
    for (let y = top; y < bottom; y++) {
      const row = y * width * channels;
      data.fill(0, row + left * channels, row + right * channels);
      if (alphaAt >= 0) for (let x = left; x < right; x++) data[row + x * channels + alphaAt] = 255;
    }
  }
  const raw = { width, height, channels: channels as 1 | 2 | 3 | 4 };
  const png = await whileEncoding(
    sharp(data, { raw }).png({ compressionLevel: 6 }).toBuffer(),
    once,
  );
  return { png, width, height, covered: 'in-pixels' };
}
