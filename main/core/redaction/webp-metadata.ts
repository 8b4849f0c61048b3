// A WebP without its metadata, its image data byte for byte (docs/redaction.md): the RIFF
// chunks of the picture are copied, EXIF and XMP dropped, and the header's flags and size
// made to match.
import { DossierError } from '../errors';
import { unknownChunks, type StrippedFile } from './jpeg-metadata';

const PICTURE_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;

function damaged(why: string): DossierError {
  return new DossierError('CORRUPT', `This WebP is damaged (${why}); nothing was written.`);
}

export function stripWebp(src: Buffer): StrippedFile {
  if (
    src.length < 12 ||
    src.toString('latin1', 0, 4) !== 'RIFF' ||
    src.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    throw damaged('it does not start as a WebP does');
  }
  const end = Math.min(src.length, 8 + src.readUInt32LE(4));
  const kept: Buffer[] = [];
  const removed = new Set<string>();
  let pos = 12;
  let unknown = 0;
  while (pos < end) {
    if (pos + 8 > end) throw damaged('it ends inside a chunk header');
    const type = src.toString('latin1', pos, pos + 4);
    const size = src.readUInt32LE(pos + 4);
    const next = pos + 8 + size + (size & 1);
    if (pos + 8 + size > end) throw damaged(`its ${type} chunk runs past the end`);
    const whole = Buffer.from(src.subarray(pos, Math.min(next, end)));
    pos = next;
    if (!PICTURE_CHUNKS.has(type)) {
      if (type === 'EXIF') removed.add('EXIF (camera, time, GPS)');
      else if (type === 'XMP ') removed.add('XMP');
      else unknown++; // counted: a hostile file can hold millions of made-up chunks
      continue;
    }
    if (type === 'VP8X' && size >= 1) whole[8] = whole[8]! & ~(EXIF_FLAG | XMP_FLAG);
    kept.push(whole);
  }
  if (unknown) removed.add(unknownChunks(unknown));
  if (src.length > end) removed.add(`${src.length - end} bytes after the end of the image`);
  const body = Buffer.concat(kept);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return { bytes: Buffer.concat([head, body]), removed: [...removed], orientation: null };
}
