// What the court bundle shows of one exhibit, read from its original in the blob store: only
// as much as is needed (an image up to 64 MiB, an email's first 32 MiB, a text file's first
// 16 MiB), and nothing at all for recordings and documents, which are named on the cover sheet.
import { kindOfMime } from '../../../../shared/item-kind';
import { MAX_BUFFERED_EMAIL_BYTES, MAX_BUFFERED_TEXT_BYTES } from '../../evidence/text';
import type { Exhibit } from '../model';
import { emailContent } from './email-content';
import type { ExhibitContent, ImageBox, OtherContent } from './exhibit-content';
import { imageContent, imageProblem, MAX_IMAGE_BYTES } from './image-content';
import { textContent } from './text-content';

/** An open original: its size and a way to read a range of it (as the blob store gives). */
export interface OriginalReader {
  readonly size: number;
  read(start: number, endExclusive: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Makes ExhibitContent for the bundle; `pixels: false` only counts pages (no image decoded). */
export type ExhibitContentFn = (
  exhibit: Exhibit,
  /** `box`, when given, replaces the reader's box for this exhibit (room for comments). */
  opts: { pixels: boolean; box?: ImageBox },
) => Promise<ExhibitContent>;

/**
 * Reads one exhibit's content. Damaged or hostile contents become OtherContent or `problems`
 * in plain words; an error opening or reading the vault's blob (a damaged vault, a full disk)
 * is thrown as it is, since the export must not go on without saying so.
 */
export async function readExhibitContent(
  exhibit: Exhibit,
  open: () => Promise<OriginalReader>,
  box: ImageBox,
  opts: { pixels: boolean },
): Promise<ExhibitContent> {
  const mime = exhibit.mime.trim().toLowerCase().split(';')[0]!.trim();
  const kind = kindOfMime(mime);
  if (kind === 'image') {
    // The geometry needs no bytes; a picture that will not be shown is never read.
    if (!opts.pixels || imageProblem(exhibit, box)) {
      return imageContent(Buffer.alloc(0), exhibit, box, opts);
    }
    return withStart(open, MAX_IMAGE_BYTES, (bytes) => imageContent(bytes, exhibit, box, opts));
  }
  if (mime === 'message/rfc822') {
    return withStart(open, MAX_BUFFERED_EMAIL_BYTES, (bytes, size) => emailContent(bytes, size));
  }
  if (mime === 'application/vnd.ms-outlook' && exhibit.size <= MAX_BUFFERED_EMAIL_BYTES) {
    // A Compound File is read whole or not at all.
    return withStart(open, MAX_BUFFERED_EMAIL_BYTES, (bytes, size) =>
      emailContent(bytes, size, 'msg'),
    );
  }
  if (kind === 'text') {
    return withStart(open, MAX_BUFFERED_TEXT_BYTES, (bytes, size) =>
      textContent(bytes, size <= bytes.length, mime === 'text/html' ? 'html' : 'plain'),
    );
  }
  if ((mime === 'application/octet-stream' || mime === 'audio/mpeg') && exhibit.size >= 2) {
    // The type sniffer calls UTF-16 text (Windows Notepad's "Unicode") binary, as it has NUL
    // bytes, or MP3 when its byte order mark FF FE looks like an MPEG frame start. One that
    // starts with a byte order mark and reads as text is shown as text.
    const reader = await open();
    try {
      const mark = await reader.read(0, 2);
      if (!isUtf16Text(mark)) return otherContent(mime);
      const bytes = await reader.read(0, Math.min(reader.size, MAX_BUFFERED_TEXT_BYTES));
      return isUtf16Text(bytes)
        ? textContent(bytes, reader.size <= bytes.length)
        : otherContent(mime);
    } finally {
      await reader.close();
    }
  }
  return otherContent(mime);
}

/** How much of a file is looked at to decide that it is UTF-16 text. */
const UTF16_SNIFF_BYTES = 64 * 1024;

/**
 * True when the bytes start with a UTF-16 byte order mark and their start decodes as UTF-16
 * (no unpaired surrogates) with almost no control characters: text, not a binary format.
 */
export function isUtf16Text(bytes: Uint8Array): boolean {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return false;
  // A head cut mid-character or mid-pair is not damage: stream the decode.
  const head = bytes.subarray(2, Math.min(bytes.length, UTF16_SNIFF_BYTES) & ~1);
  let text: string;
  try {
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(head, {
      stream: head.length < bytes.length - 2,
    });
  } catch {
    return false;
  }
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) controls++;
  }
  return controls <= text.length / 100;
}

/** Opens the original, reads at most `cap` bytes from its start, and always closes it. */
async function withStart<T>(
  open: () => Promise<OriginalReader>,
  cap: number,
  use: (bytes: Buffer, size: number) => T | Promise<T>,
): Promise<T> {
  const reader = await open();
  try {
    const bytes = await reader.read(0, Math.min(reader.size, cap));
    return await use(bytes, reader.size);
  } finally {
    await reader.close();
  }
}

const OFFICE: [string, string][] = [
  ['wordprocessingml', 'a Word document'],
  ['msword', 'a Word document'],
  ['spreadsheetml', 'a spreadsheet'],
  ['ms-excel', 'a spreadsheet'],
  ['opendocument.spreadsheet', 'a spreadsheet'],
  ['presentationml', 'a presentation'],
  ['ms-powerpoint', 'a presentation'],
  ['opendocument.presentation', 'a presentation'],
  ['opendocument.text', 'a text document (OpenDocument)'],
];

/** Why nothing more than the cover sheet is shown, in plain words, from the sniffed type. */
export function otherContent(mime: string): OtherContent {
  const other = (what: string, verb = 'open'): OtherContent => ({
    kind: 'other',
    reason: `${what}: ${verb} the original`,
  });
  switch (kindOfMime(mime)) {
    case 'audio':
      return other('a sound recording', 'play');
    case 'video':
      return other('a video', 'play');
    case 'email':
      return mime === 'application/vnd.ms-outlook'
        ? other('an Outlook message file (.msg), which Dossier cannot show as text')
        : other('a mailbox file, which may hold many emails');
    case 'document': {
      if (mime === 'application/pdf') return other('a PDF document');
      if (mime === 'application/rtf') return other('a rich-text document');
      if (mime === 'application/epub+zip') return other('an e-book');
      const office = OFFICE.find(([part]) => mime.includes(part));
      return other(office ? office[1] : 'an office document');
    }
    default:
      if (mime === 'application/zip') return other('a zip archive');
      return other('a file of a kind Dossier cannot show');
  }
}

/**
 * The `content` function the court bundle takes: each exhibit read from its blob.
 * `blobIdOf` gives the blob of an exhibit's item (export.ts has the item rows).
 */
export function exhibitContentReader(
  blobs: { open(blobId: string): Promise<OriginalReader> },
  blobIdOf: (itemId: string) => string,
  box: ImageBox,
): ExhibitContentFn {
  return (exhibit, opts) =>
    readExhibitContent(exhibit, () => blobs.open(blobIdOf(exhibit.itemId)), opts.box ?? box, {
      pixels: opts.pixels,
    });
}
