// A PNG without its metadata, its image data byte for byte (docs/redaction.md): chunks that
// shape the picture are copied as they are, with their checksums; text, EXIF, times and any
// chunk Dossier does not know are dropped.
import { crc32 } from 'node:zlib';
import { DossierError } from '../errors';
import { unknownChunks, type StrippedFile } from './jpeg-metadata';
import { orientationOnlyTiff, tiffOrientation } from './orientation';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Chunks that say how the pixels look (PNG 3rd edition), and APNG's frames. */
const PICTURE_CHUNKS = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'sBIT',
  'bKGD',
  'pHYs',
  'cICP',
  'mDCV',
  'cLLI',
  'acTL',
  'fcTL',
  'fdAT',
]);

const WORDS: Record<string, string> = {
  tEXt: 'text',
  zTXt: 'compressed text',
  iTXt: 'international text (XMP is kept here)',
  eXIf: 'EXIF (camera, time, GPS)',
  tIME: 'last-modified time',
};

function damaged(why: string): DossierError {
  return new DossierError('CORRUPT', `This PNG is damaged (${why}); nothing was written.`);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function stripPng(src: Buffer): StrippedFile {
  if (src.length < 8 || !src.subarray(0, 8).equals(SIGNATURE))
    throw damaged('it does not start as a PNG does');
  const kept: Buffer[] = [SIGNATURE];
  const removed = new Set<string>();
  let orientation: number | null = null;
  let orientationAt = -1;
  let pos = 8;
  let ended = false;
  let unknown = 0;
  while (!ended) {
    if (pos + 12 > src.length) throw damaged('it ends before its last chunk');
    const length = src.readUInt32BE(pos);
    const type = src.toString('latin1', pos + 4, pos + 8);
    if (length > 0x7fffffff || pos + 12 + length > src.length)
      throw damaged(`its ${type} chunk runs past the end`);
    const whole = src.subarray(pos, pos + 12 + length);
    const data = src.subarray(pos + 8, pos + 8 + length);
    pos += 12 + length;
    if (PICTURE_CHUNKS.has(type)) {
      if (type === 'IDAT' && orientationAt < 0) orientationAt = kept.length;
      kept.push(whole);
      ended = type === 'IEND';
      continue;
    }
    if (type === 'eXIf' && orientation === null) orientation = tiffOrientation(data);
    // Counted, not named one by one: a hostile file can hold millions of made-up chunks.
    if (WORDS[type]) removed.add(WORDS[type]);
    else unknown++;
  }
  if (unknown) removed.add(unknownChunks(unknown));
  if (pos < src.length) removed.add(`${src.length - pos} bytes after the end of the image`);
  const keptOrientation = orientation !== null && orientation !== 1 ? orientation : null;
  // eXIf goes before the image data.
  if (keptOrientation !== null && orientationAt > 0) {
    kept.splice(orientationAt, 0, chunk('eXIf', orientationOnlyTiff(keptOrientation)));
  }
  return { bytes: Buffer.concat(kept), removed: [...removed], orientation: keptOrientation };
}
