// Image size and a small JPEG preview of an untrusted image, made with sharp in one decode.
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { sniffMime } from './sniff';

export interface ImageFacts {
  width: number;
  height: number;
  format: string;
}
export interface Thumbnail {
  jpeg: Buffer;
  width: number;
  height: number;
}
export interface ImageResult {
  image: ImageFacts | null;
  thumbnail: Thumbnail | null;
  error: string | null;
}

/** Longest side of a preview. */
export const THUMBNAIL_MAX_PX = 512;
/** Preview JPEG quality: small files, and text in screenshots stays legible. */
export const THUMBNAIL_QUALITY = 80;
/**
 * Images declaring more pixels than this are not decoded: sharp's own default (0x3FFF², about
 * 268 MP, e.g. 16383 × 16383). Any phone or camera photo fits (a 200 MP sensor is 16320 × 12240);
 * a "decompression bomb" that declares, say, 100000 × 100000 in a few bytes is refused.
 */
export const MAX_INPUT_PIXELS = 0x3fff * 0x3fff;
/** A decode that takes longer than this is stopped, so no file can hang an ingest. */
export const DECODE_TIMEOUT_SECONDS = 60;

/** Image types we hand to sharp. Others (SVG, PDF…) never reach its loaders. */
const PREVIEWABLE = new Map<string, string>([
  ['image/jpeg', 'JPEG'],
  ['image/png', 'PNG'],
  ['image/apng', 'PNG'], // animated: the first frame is previewed
  ['image/webp', 'WebP'],
  ['image/gif', 'GIF'],
  ['image/tiff', 'TIFF'],
  ['image/avif', 'AVIF'],
  ['image/heic', 'HEIC'],
  ['image/heif', 'HEIF'],
]);

/** True for the sniffed types `readImage` will try to decode. */
export function isPreviewable(mime: string): boolean {
  return PREVIEWABLE.has(mime);
}

/** sharp's names for the decoders those types use; anything else is refused. */
const SHARP_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

const STORED = 'it was stored as is, but';

/** A picture made into its preview: upright already, fit inside 512×512, as a JPEG. */
function asPreview(image: Sharp): Sharp {
  return (
    image
      // Transparency would turn black in a JPEG. sharp skips this for opaque images.
      .flatten({ background: '#ffffff' })
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: THUMBNAIL_QUALITY })
  );
}

/**
 * Reads an image's size (after EXIF orientation) and makes a JPEG preview that fits inside
 * 512×512, turned upright, with every bit of metadata (GPS included) left out. `mime` is the
 * type already sniffed from these bytes; without it the bytes are sniffed here. Never throws.
 */
export async function readImage(bytes: Buffer, mime?: string): Promise<ImageResult> {
  const fail = (error: string, image: ImageFacts | null = null): ImageResult => ({
    image,
    thumbnail: null,
    error,
  });
  try {
    const type = mime ?? (await sniffMime(bytes, '')).mime;
    const kind = PREVIEWABLE.get(type);
    if (kind === undefined) {
      return fail(`This file is not a photo or screenshot format Dossier can preview (${type}).`);
    }

    // The header read and the decode run side by side on sharp's threads: the header costs
    // nothing extra, and the decode's own pixel limit refuses a bomb before any pixel is made.
    // The header read has no limit, so a refused image can still say what size it claims.
    const [header, decoded] = await Promise.allSettled([
      (async () => sharp(bytes, { limitInputPixels: false }).metadata())(),
      (async () =>
        asPreview(
          sharp(bytes, {
            limitInputPixels: MAX_INPUT_PIXELS,
            autoOrient: true,
            // 'warning' (sharp's default, and its advice for untrusted input) refuses any damage.
            failOn: 'warning',
          }).timeout({ seconds: DECODE_TIMEOUT_SECONDS }),
        ).toBuffer({ resolveWithObject: true }))(),
    ]);

    if (header.status === 'rejected') return fail(failure(kind, header.reason, null));
    const meta = header.value;
    const image = imageFacts(meta);
    if (!SHARP_FORMATS.has(meta.format)) {
      return fail(`This file is not a photo or screenshot format Dossier can preview (${type}).`);
    }
    if (image === null) {
      return fail(`This ${kind} has no readable image size: ${STORED} no preview could be made.`);
    }
    if (meta.width * meta.height > MAX_INPUT_PIXELS) {
      const mp = Math.round((meta.width * meta.height) / 1e6).toLocaleString('en');
      return fail(
        `This ${kind} says it is ${meta.width} × ${meta.height} pixels (${mp} megapixels), ` +
          `far more than any real photo or screenshot, so Dossier did not open it: ${STORED} ` +
          `no preview was made.`,
        image,
      );
    }
    if (decoded.status === 'rejected') return fail(failure(kind, decoded.reason, meta), image);
    const { data, info } = decoded.value;
    return {
      image,
      thumbnail: { jpeg: data, width: info.width, height: info.height },
      error: null,
    };
  } catch (e) {
    return fail(`Dossier could not read this image (${errorText(e)}); it was stored as is.`);
  }
}

function imageFacts(meta: Metadata): ImageFacts | null {
  // autoOrient holds the upright size (orientations 5–8 swap width and height).
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!(width > 0 && height > 0)) return null;
  return { width, height, format: meta.format };
}

/** Plain words for a failed header read (`meta` null) or decode. */
function failure(kind: string, e: unknown, meta: Metadata | null): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/timeout/i.test(msg)) {
    return `This ${kind} took too long to open, so Dossier stopped: ${STORED} no preview was made.`;
  }
  // Sharp's own libheif decodes AV1 only; iPhone HEIC photos are HEVC.
  if (meta?.compression === 'hevc') {
    return `This ${kind} photo uses HEVC compression (as iPhones do), which Dossier cannot preview: ${STORED} no preview was made.`;
  }
  // "unsupported image format" is sharp failing to recognise the bytes at all: damage.
  const noDecoder = /unsupported (feature|codec|compression)|no decoding plugin|not built|codec/i;
  if (meta !== null && noDecoder.test(msg)) {
    return `This kind of ${kind} cannot be previewed by Dossier: ${STORED} no preview was made.`;
  }
  return meta === null
    ? `This ${kind} is truncated or damaged: ${STORED} no preview or image size could be read.`
    : `This ${kind} is truncated or damaged: ${STORED} no preview could be made.`;
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? '').trim().slice(0, 160) || 'unknown problem';
}
