// A stored picture made ready for the engine: its size checked from the header before any
// decoding (a decompression bomb is refused), then decoded once to one grey PNG.
import type { Metadata } from 'sharp';

/** An image file larger than this is not read for text (bytes of the stored file). */
export const MAX_OCR_BYTES = 64 * 1024 * 1024;
/** Nor a picture with more pixels than this (a 1170 × 2532 phone screenshot is 3 MP). */
export const MAX_OCR_PIXELS = 40_000_000;
/** Nor one wider or taller than this (Tesseract's own limit is 32767). */
export const MAX_OCR_SIDE = 32_767;

/** A picture that will not be read, with the reason in plain words. */
export class UnreadablePicture extends Error {
  override readonly name = 'UnreadablePicture';
}

export interface PreparedPicture {
  /** Grey, lossless PNG of the picture as shown (EXIF orientation applied). */
  png: Buffer;
  width: number;
  height: number;
}

const mp = (n: number): string => `${(n / 1_000_000).toFixed(1)} megapixels`;

/**
 * Checks the header, then decodes. Throws UnreadablePicture for what will not be read:
 * too big a file, too many pixels (by the header, before decoding), a damaged file.
 */
export async function preparePicture(bytes: Buffer): Promise<PreparedPicture> {
  if (bytes.length > MAX_OCR_BYTES) {
    throw new UnreadablePicture(
      `The image file is ${(bytes.length / 1024 / 1024).toFixed(0)} MiB; pictures over ${MAX_OCR_BYTES / 1024 / 1024} MiB are not read for text.`,
    );
  }
  const { default: sharp } = await import('sharp');
  let meta: Metadata;
  try {
    // Reads the header only: nothing is decoded yet.
    meta = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch (e) {
    throw new UnreadablePicture(`The image could not be opened (${firstLine(e)}).`);
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new UnreadablePicture('The image does not say how large it is.');
  if (w > MAX_OCR_SIDE || h > MAX_OCR_SIDE || w * h > MAX_OCR_PIXELS) {
    throw new UnreadablePicture(
      `The picture is ${w} × ${h} pixels (${mp(w * h)}); pictures over ${mp(MAX_OCR_PIXELS)} or ${MAX_OCR_SIDE} pixels a side are not read for text, to keep memory safe.`,
    );
  }
  try {
    // limitInputPixels repeats the header's limit inside the decoder, which trusts no header.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_OCR_PIXELS, failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .greyscale()
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (e) {
    throw new UnreadablePicture(`The image is damaged and could not be decoded (${firstLine(e)}).`);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}
