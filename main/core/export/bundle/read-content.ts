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
  opts: { pixels: boolean },
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
  if (kind === 'text') {
    return withStart(open, MAX_BUFFERED_TEXT_BYTES, (bytes, size) =>
      textContent(bytes, size <= bytes.length, mime === 'text/html' ? 'html' : 'plain'),
    );
  }
  return otherContent(mime);
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
    readExhibitContent(exhibit, () => blobs.open(blobIdOf(exhibit.itemId)), box, opts);
}
