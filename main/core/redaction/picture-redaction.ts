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

/** How a picture to redact is decoded: damage refused, no bomb (its header was checked). */
const DECODE = { limitInputPixels: MAX_REDACT_PIXELS, failOn: 'error' } as const;

/**
 * Whether the picture decodes to the pixels libvips composites in (8-bit sRGB, with or without
 * alpha), so that covering its boxes in the decode pipeline changes nothing else. Grey and
 * 16-bit pictures would be converted by the composite: they are covered in their pixels.
 */
function coverableInPipeline(meta: Metadata): boolean {
  return (
    meta.depth === 'uchar' && meta.space === 'srgb' && (meta.channels === 3 || meta.channels === 4)
  );
}

/**
 * The boxes composited as opaque black rectangles in the decode pipeline, so that decoding and
 * writing the PNG overlap on sharp's threads. The same pixels as covering the decoded picture,
 * and the same PNG, for an opaque picture only: libvips' composite premultiplies by alpha, so a
 * pixel that is not opaque may change. So a picture with alpha has its alpha read (in
 * parallel; a decode of its own, far cheaper than libvips' stats) and the result is used only
 * if every pixel is opaque; null means "not opaque: cover it in its decoded pixels".
 */
async function coverInPipeline(
  sharp: typeof import('sharp').default,
  bytes: Buffer,
  boxes: readonly Pick<RedactionBox, 'x' | 'y' | 'w' | 'h'>[],
  upright: { width: number; height: number },
  hasAlpha: boolean,
  meanwhile: () => void,
): Promise<Buffer | null> {
  const rects = boxes.map((b) => {
    const { left, top, right, bottom } = boxPixels(b, upright.width, upright.height);
    const black = { r: 0, g: 0, b: 0, alpha: 1 };
    return {
      input: {
        create: {
          width: right - left,
          height: bottom - top,
          channels: 4 as const,
          background: black,
        },
      },
      left,
      top,
    };
  });
  const covered = sharp(bytes, DECODE).rotate().composite(rects);
  // The composite gives a picture without alpha one; it is opaque, and taken off again.
  if (!hasAlpha)
    return whileEncoding(covered.removeAlpha().png({ compressionLevel: 6 }).toBuffer(), meanwhile);
  const [png, opaque] = await whileEncoding(
    Promise.all([
      covered.png({ compressionLevel: 6 }).toBuffer(),
      sharp(bytes, DECODE).extractChannel(3).raw().toBuffer().then(allOpaque),
    ]),
    meanwhile,
  );
  return opaque ? png : null;
}

const OPAQUE = Buffer.alloc(64 * 1024, 255);

/** Whether every byte of an alpha channel is 255, compared a block at a time (no copy of it). */
function allOpaque(alpha: Buffer): boolean {
  for (let at = 0; at < alpha.length; at += OPAQUE.length) {
    const n = Math.min(OPAQUE.length, alpha.length - at);
    if (alpha.compare(OPAQUE, 0, n, at, at + n) !== 0) return false;
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
  const { default: sharp } = await import('sharp');
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
      png = await coverInPipeline(sharp, bytes, boxes, upright, meta.hasAlpha === true, once);
    } catch (e) {
      throw theirs.failed ? theirs.error : damaged(e);
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
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  for (const b of boxes) {
    const { left, top, right, bottom } = boxPixels(b, width, height);
    for (let y = top; y < bottom; y++) {
      const row = y * width * channels;
      data.fill(0, row + left * channels, row + right * channels);
      if (alpha >= 0) for (let x = left; x < right; x++) data[row + x * channels + alpha] = 255;
    }
  }
  const raw = { width, height, channels: channels as 1 | 2 | 3 | 4 };
  const png = await whileEncoding(
    sharp(data, { raw }).png({ compressionLevel: 6 }).toBuffer(),
    once,
  );
  return { png, width, height, covered: 'in-pixels' };
}
