/**
 * What the court bundle (data/report/bundle.pdf) shows of one exhibit after its cover sheet,
 * read from the original file: the picture in page-sized slices, an email as text, a text
 * file's text, or nothing (other files are named by path and hash on the cover sheet).
 * Made by the readers in this folder, drawn by the PDF sections; plain data between them.
 */
export type ExhibitContent = ImageContent | EmailContent | TextContent | OtherContent;

/** The area on a page that an image slice may fill, in PDF points (1/72 inch). */
export interface ImageBox {
  width: number;
  height: number;
}

export interface ImageContent {
  kind: 'image';
  /** The picture's size in pixels, upright (after its EXIF orientation). */
  width: number;
  height: number;
  /** One per page, top to bottom; consecutive slices overlap so no line is cut unseen. */
  slices: ImageSlice[];
}

export interface ImageSlice {
  /** The rows of the upright picture this slice shows: [top, top + rows). */
  top: number;
  rows: number;
  /** The size it is drawn at on the page, in points: never more than the ImageBox. */
  drawWidth: number;
  drawHeight: number;
  /**
   * The slice as PNG or JPEG bytes, at most 300 dpi at its drawn size and never more pixels
   * than the original has (never upscaled). Null when only counting pages, and also in the
   * rare case that a picture the import could decode fails to decode now: the page is kept
   * (so the page count made first still holds) and should say the picture could not be drawn.
   */
  image: Buffer | null;
  /**
   * The region marks that fall on this slice, clipped to it: the box in fractions (0..1) of
   * the slice's drawn width and height. `clipped` when part of the mark is on another slice.
   */
  regions: { number: number; x: number; y: number; w: number; h: number; clipped: boolean }[];
}

export interface EmailContent {
  kind: 'email';
  /** From, To, Cc, Date, Subject, Message-ID: always these six, in this order ('' when absent). */
  headers: { name: 'From' | 'To' | 'Cc' | 'Date' | 'Subject' | 'Message-ID'; value: string }[];
  /** The body as plain text (an HTML body converted, nothing remote loaded); '' when none. */
  body: string;
  bodyFrom: 'text' | 'html' | 'none';
  /** In the order they appear in the message, with the SHA-256 of their decoded bytes. */
  attachments: { name: string; mime: string; size: number; sha256: string }[];
  /** The whole header block as received (unfolded, decoded to text), for the appendix. */
  rawHeaders: string;
  /** What could not be read, in plain words. */
  problems: string[];
}

export interface TextContent {
  kind: 'text';
  text: string;
  /** How the bytes were read, e.g. "UTF-8", "UTF-16LE (byte order mark)". */
  encoding: string;
  /** True when only the start is shown (the whole file is in the bundle). */
  truncated: boolean;
}

export interface OtherContent {
  kind: 'other';
  /** Why nothing more is shown, in plain words, e.g. "a sound recording". */
  reason: string;
}
