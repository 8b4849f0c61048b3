// A JPEG without its metadata, its image data byte for byte (docs/redaction.md): the
// segments are walked, kept or dropped, and the compressed scans copied as they are, so the
// pixels decode exactly as before. Only what shapes the picture is kept.
import { DossierError } from '../errors';
import { orientationOnlyTiff, tiffOrientation } from './orientation';

export interface StrippedFile {
  bytes: Buffer;
  /** What was taken out, in words, for the custody log. */
  removed: string[];
  /** The orientation kept (EXIF's only tag left), or null when the picture had none to keep. */
  orientation: number | null;
}

const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
const ICC_ID = Buffer.from('ICC_PROFILE\0', 'latin1');
const JFIF_ID = Buffer.from('JFIF\0', 'latin1');

/** Chunks of a kind Dossier does not know, taken out, in words: a count, never a list. */
export function unknownChunks(n: number): string {
  return `${n} ${n === 1 ? 'chunk' : 'chunks'} of a kind Dossier does not know`;
}

function damaged(why: string): DossierError {
  return new DossierError('CORRUPT', `This JPEG is damaged (${why}); nothing was written.`);
}

const startsWith = (seg: Buffer, id: Buffer): boolean =>
  seg.length >= id.length && seg.subarray(0, id.length).equals(id);

/** What a dropped segment was, in words. */
function segmentWords(marker: number, payload: Buffer): string {
  if (marker === 0xe1 && startsWith(payload, EXIF_ID)) return 'EXIF (camera, time, GPS)';
  if (marker === 0xe1) return 'XMP';
  if (marker === 0xe2) return 'multi-picture or FlashPix data (APP2)';
  if (marker === 0xed) return 'Photoshop and IPTC data (APP13)';
  if (marker === 0xfe) return 'comment';
  if (marker === 0xe0) return 'JFIF extension (APP0)';
  return `APP${marker - 0xe0} data`;
}

export function stripJpeg(src: Buffer): StrippedFile {
  if (src.length < 4 || src[0] !== 0xff || src[1] !== 0xd8)
    throw damaged('it does not start as a JPEG does');
  const kept: Buffer[] = [];
  const removed = new Set<string>();
  let jfif: Buffer | null = null;
  let orientation: number | null = null;
  let pos = 2;
  for (;;) {
    if (pos >= src.length) throw damaged('it ends before the end of its image');
    if (src[pos] !== 0xff) throw damaged(`a segment is missing at byte ${pos}`);
    const start = pos;
    while (pos < src.length && src[pos] === 0xff) pos++;
    if (pos >= src.length) throw damaged('it ends inside a marker');
    const marker = src[pos++]!;
    if (marker === 0xd9) {
      kept.push(src.subarray(start, pos));
      if (pos < src.length) removed.add(`${src.length - pos} bytes after the end of the image`);
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      kept.push(src.subarray(start, pos));
      continue;
    }
    if (pos + 2 > src.length) throw damaged('it ends inside a segment');
    const length = src.readUInt16BE(pos);
    if (length < 2 || pos + length > src.length) throw damaged('a segment runs past the end');
    const segment = src.subarray(start, pos + length);
    const payload = src.subarray(pos + 2, pos + length);
    pos += length;
    if (marker === 0xda) {
      // A scan: its compressed data runs to the next marker that is not a stuffed 0xFF00
      // or a restart marker.
      kept.push(segment);
      const data = pos;
      while (pos < src.length) {
        if (src[pos] === 0xff && pos + 1 < src.length) {
          const next = src[pos + 1]!;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            pos += 2;
            continue;
          }
          break;
        }
        pos++;
      }
      kept.push(src.subarray(data, pos));
      continue;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keep =
      !isApp && marker !== 0xfe
        ? true // tables, frame headers, restart interval: the picture itself
        : (marker === 0xe0 && startsWith(payload, JFIF_ID)) ||
          (marker === 0xe2 && startsWith(payload, ICC_ID)) || // colours
          marker === 0xee; // Adobe: how the colours are encoded
    if (keep) {
      if (marker === 0xe0 && jfif === null && kept.length === 0) jfif = segment;
      else kept.push(segment);
      continue;
    }
    if (marker === 0xe1 && startsWith(payload, EXIF_ID) && orientation === null) {
      orientation = tiffOrientation(payload.subarray(EXIF_ID.length));
    }
    removed.add(segmentWords(marker, payload));
  }
  const head: Buffer[] = [src.subarray(0, 2)];
  if (jfif) head.push(jfif);
  const keptOrientation = orientation !== null && orientation !== 1 ? orientation : null;
  if (keptOrientation !== null) {
    const tiff = orientationOnlyTiff(keptOrientation);
    const app1 = Buffer.alloc(4 + EXIF_ID.length + tiff.length);
    app1.writeUInt16BE(0xffe1, 0);
    app1.writeUInt16BE(2 + EXIF_ID.length + tiff.length, 2);
    EXIF_ID.copy(app1, 4);
    tiff.copy(app1, 4 + EXIF_ID.length);
    head.push(app1);
  }
  return {
    bytes: Buffer.concat([...head, ...kept]),
    removed: [...removed],
    orientation: keptOrientation,
  };
}
