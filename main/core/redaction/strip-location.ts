// A copy of a picture without its location and device details (docs/redaction.md): JPEG,
// PNG and WebP lose their metadata with the image data copied byte for byte; any other
// picture is decoded and written as a new PNG, which carries nothing but its pixels.
import { DossierError } from '../errors';
import { stripJpeg, type StrippedFile } from './jpeg-metadata';
import { MAX_REDACT_PIXELS } from './picture-redaction';
import { stripPng } from './png-metadata';
import { stripWebp } from './webp-metadata';

export interface LocationFreeCopy extends StrippedFile {
  mime: string;
  /** The copy's file extension, with its dot. */
  extension: string;
  /** true: the image data is the original's, byte for byte; false: decoded and written anew. */
  lossless: boolean;
}

export async function copyWithoutLocation(bytes: Buffer, mime: string): Promise<LocationFreeCopy> {
  if (mime === 'image/jpeg')
    return { ...stripJpeg(bytes), mime, extension: '.jpg', lossless: true };
  if (mime === 'image/png') return { ...stripPng(bytes), mime, extension: '.png', lossless: true };
  if (mime === 'image/webp')
    return { ...stripWebp(bytes), mime, extension: '.webp', lossless: true };
  if (!mime.startsWith('image/')) {
    throw new DossierError(
      'USAGE',
      'Only a picture can be copied without its location; this item is not one.',
    );
  }
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
    if ((meta.pages ?? 1) > 1) {
      throw new DossierError(
        'USAGE',
        `This picture has ${meta.pages} frames; Dossier makes copies without location of still pictures only, and of JPEG, PNG and WebP files of any kind.`,
      );
    }
    const png = await sharp(bytes, { limitInputPixels: MAX_REDACT_PIXELS, failOn: 'error' })
      .rotate()
      .png({ compressionLevel: 6 })
      .toBuffer();
    return {
      bytes: png,
      removed: ['all metadata (the picture was decoded and written as a new PNG)'],
      orientation: null,
      mime: 'image/png',
      extension: '.png',
      lossless: false,
    };
  } catch (e) {
    if (e instanceof DossierError) throw e;
    throw new DossierError(
      'CORRUPT',
      `The picture could not be decoded (${(e as Error).message.split('\n')[0]!.slice(0, 200)}); nothing was written.`,
    );
  }
}
