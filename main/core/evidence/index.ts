// The one call ingest makes per file: type, image size, preview, EXIF, and what went wrong.
import { readExif } from './exif';
import type { ExifSummary } from './exif';
import { OUTLOOK_MSG, sniffMime } from './sniff';
import { readOutlookMessage } from '../../../shared/outlook-msg';
import type { Sniffed } from './sniff';
import {
  MAX_BUFFERED_EMAIL_BYTES,
  MAX_BUFFERED_TEXT_BYTES,
  emailFacts,
  readEmail,
  readText,
  type EmailFacts,
} from './text';
import { isPreviewable, readImage } from './thumbnail';
import type { ImageFacts, Thumbnail } from './thumbnail';
import { readXmpLocation } from './xmp-location';

export * from './exif';
export * from './sniff';
export * from './text';
export * from './thumbnail';
export * from './xmp-location';
export * from './item-metadata';

export interface EvidenceFacts {
  mime: string;
  image: ImageFacts | null;
  thumbnail: Thumbnail | null;
  exif: ExifSummary | null;
  /** Location fields of a picture's XMP (qualified name → value), when it has any. */
  xmpLocation: Record<string, string> | null;
  /** An email's headers, when the file is one. */
  email: EmailFacts | null;
  /** What a text file or an email says, for search; null for other files. */
  text: string | null;
  /** What the UI must warn about before sharing, e.g. 'gps'. */
  sensitive: string[];
  /** Plain-words problems with this file's metadata; empty when fine. */
  errors: string[];
}

export interface EvidenceInput {
  /** The file's first ≤ 64 KiB. */
  head: Uint8Array;
  /** The whole file, when `shouldBuffer` said so; else null. */
  bytes: Buffer | null;
  /** The original file name: never used to decide anything, never put in messages. */
  name: string;
  size: number;
  /** The caller's `sniffMime(head)` result, to avoid sniffing twice. */
  sniffed?: Sniffed;
}

/**
 * Images up to this size are read whole for a preview and image size; bigger ones are stored
 * without (sharp's pixel limit would refuse nearly all of them anyway).
 */
export const MAX_BUFFERED_IMAGE_BYTES = 256 * 1024 * 1024;

/** Whether the caller should read the whole file into memory and pass it as `bytes`. */
export function shouldBuffer(mime: string, size: number): boolean {
  const limit = mime.startsWith('image/')
    ? MAX_BUFFERED_IMAGE_BYTES
    : mime === 'message/rfc822' || mime === OUTLOOK_MSG
      ? MAX_BUFFERED_EMAIL_BYTES
      : mime === 'text/plain'
        ? MAX_BUFFERED_TEXT_BYTES
        : 0;
  return size > 0 && size <= limit;
}

/** Examines one file. Never throws: every problem ends up in `errors`. */
export async function examineEvidence(input: EvidenceInput): Promise<EvidenceFacts> {
  const facts: EvidenceFacts = {
    mime: input.sniffed?.mime ?? 'application/octet-stream',
    image: null,
    thumbnail: null,
    exif: null,
    xmpLocation: null,
    email: null,
    text: null,
    sensitive: [],
    errors: [],
  };
  try {
    facts.mime = (input.sniffed ?? (await sniffMime(input.head, input.name))).mime;
    if (facts.mime === 'message/rfc822' || facts.mime === 'text/plain') {
      // Read from the start alone when too big to hold: the search then has the first part.
      const bytes = input.bytes?.length === input.size ? input.bytes : input.head;
      const whole = bytes.length === input.size;
      const found =
        facts.mime === 'message/rfc822' ? await readEmail(bytes, whole) : readText(bytes, whole);
      facts.text = found.text;
      facts.email = found.email;
      facts.errors.push(...found.problems);
      return facts;
    }
    if (facts.mime === OUTLOOK_MSG) {
      // A Compound File cannot be read from its start alone: only a whole one is read.
      if (input.bytes?.length === input.size) {
        const read = await readOutlookMessage(input.bytes, { withAttachmentBytes: true });
        const found = emailFacts(read, true);
        facts.text = found.text;
        facts.email = found.email;
        facts.errors.push(...found.problems);
      } else {
        facts.errors.push(
          `This Outlook message is larger than ${MAX_BUFFERED_EMAIL_BYTES / 1024 / 1024} MiB, so Dossier stored it as is without reading it.`,
        );
      }
      return facts;
    }
    if (!facts.mime.startsWith('image/')) return facts;

    const whole = input.bytes !== null && input.bytes.length > 0 ? input.bytes : null;
    // Decode (sharp, on the thread pool) and EXIF parsing (JS) overlap.
    const [img, exif] = await Promise.all([
      whole && isPreviewable(facts.mime) ? readImage(whole, facts.mime) : null,
      readExif(whole ?? input.head),
    ]);

    if (img) {
      facts.image = img.image;
      facts.thumbnail = img.thumbnail;
      if (img.error) facts.errors.push(img.error);
    } else if (whole === null && input.size > MAX_BUFFERED_IMAGE_BYTES) {
      facts.errors.push(
        `This image is larger than ${MAX_BUFFERED_IMAGE_BYTES / 1024 / 1024} MiB, so Dossier ` +
          `stored it as is without making a preview or reading its size.`,
      );
    }

    facts.exif = exif.exif;
    if (exif.error) {
      // From a head alone, EXIF running past 64 KiB looks damaged when it is only cut off.
      facts.errors.push(
        whole === null && input.head.length < input.size
          ? "The photo's EXIF metadata could not be read: only the start of this large file " +
              'was examined, and the metadata may run past it.'
          : exif.error,
      );
    }
    // A place in XMP alone (an edited photo, a drone's) gives it away as much as EXIF GPS.
    facts.xmpLocation = readXmpLocation(whole ?? input.head);
    if (exif.exif?.gps || facts.xmpLocation) facts.sensitive.push('gps');
  } catch (e) {
    facts.errors.push(
      `Dossier could not read this file's details because of an unexpected problem (${
        e instanceof Error ? e.message.split('\n')[0] : String(e)
      }); the file itself was stored as is.`,
    );
  }
  return facts;
}
