/**
 * Reads one email message (message/rfc822): its headers in order, its text and HTML bodies,
 * inline images by Content-ID, and a list of attachments. The MIME reading is postal-mime's
 * (an independent, widely used parser); this module is the small adapter around it that the
 * vault, the bundle, the viewer page and the app share. Pure (no DOM, no Node), so it runs in
 * all of them. It never throws on damaged input: what could not be read is said in
 * `problems`, in plain words. The message bytes are evidence; nothing here changes them.
 *
 * Emails are written by the people the user is defending against, so the reading is bounded:
 * nesting (MAX_DEPTH), parts, header bytes, and each header value (MAX_HEADER_CHARS), and it
 * takes time linear in the message size (test/unit/evidence/email-linear.test.ts).
 */
import PostalMime, { decodeWords } from 'postal-mime';
import type { Email, Header } from 'postal-mime';

export interface EmailAttachment {
  name: string;
  mime: string;
  /** Decoded size in bytes. */
  size: number;
  /** The digest of the decoded bytes, when read with `digest` (e.g. SHA-256 hex). */
  digest?: string;
  /** Set for a picture shown inside the HTML body, listed only with `listInlineImages`. */
  contentId?: string;
  /** The decoded bytes, only with `withAttachmentBytes` (ingest stores them as items). */
  bytes?: Uint8Array;
}

export interface ParseEmailOptions {
  /**
   * Called with each attachment's decoded bytes; what it returns is kept as the attachment's
   * `digest`. The app leaves it out: no hashing cost.
   */
  digest?: (bytes: Uint8Array) => string;
  /**
   * Also list the pictures shown inside the HTML body (by Content-ID) among the attachments,
   * with their `contentId`: they are part of what the email says, so the court bundle hashes
   * them too. The app shows them in the body instead.
   */
  listInlineImages?: boolean;
  /** Keep each attachment's decoded bytes (`EmailAttachment.bytes`). */
  withAttachmentBytes?: boolean;
}

/** One header line as the message has it: the name as written, the value unfolded. */
export interface EmailHeader {
  key: string;
  value: string;
}

export interface ParsedEmail {
  from: string;
  to: string;
  cc: string;
  subject: string;
  /** The Date header as written (a time zone is part of it). */
  date: string;
  messageId: string;
  /**
   * Every header of the message in order, duplicates included: the Received chain,
   * DKIM-Signature, Authentication-Results and ARC-* are how a mail's path is checked.
   * Values are as written (encoded words not decoded), each capped at MAX_HEADER_CHARS.
   */
  headers: EmailHeader[];
  /** The text/plain body as the message gives it; null when it has none. */
  text: string | null;
  /** The text/html body as the message gives it; null when it has none. */
  html: string | null;
  /** Content-ID (without < >) → data: URL, for images shown inside the HTML body. */
  inlineImages: Map<string, string>;
  attachments: EmailAttachment[];
  problems: string[];
}

/** Multiparts nested deeper than this are not read (a real email nests 3 or 4 deep). */
export const MAX_DEPTH = 12;
/** More parts than this and only the headers are read (a real email has a few dozen). */
export const MAX_PARTS = 2000;
/**
 * All header lines of a message together, in bytes, past which only its first header block
 * is read. A real header block is under 20 KB; postal-mime counts each line as at least 64.
 */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;
/**
 * A header value longer than this is cut to it for reading, with a note: RFC 5322 lines are
 * at most 998 characters, and even a long folded recipient list stays far below this.
 */
export const MAX_HEADER_CHARS = 64 * 1024;
/** Inline images bigger than this are listed as attachments instead of shown. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

const KEPT = 'The email itself is stored whole.';

/** Bytes in a named charset; unknown names are read as UTF-8, damaged bytes become U+FFFD. */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  try {
    return new TextDecoder(label === 'us-ascii' ? 'windows-1252' : label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Records a problem; the same problem seen again is counted, not repeated. */
type Note = (problem: string) => void;

function problemList(): { note: Note; list(): string[] } {
  // Problems in the order first seen, each with how often (see `counted`).
  const seen = new Map<string, number>();
  return {
    note: (problem) => seen.set(problem, (seen.get(problem) ?? 0) + 1),
    list: () => [...seen].map(([problem, times]) => counted(problem, times)),
  };
}

/** "Part … could not be read." seen 312 times → "Part … could not be read (seen 312 times)." */
function counted(problem: string, times: number): string {
  if (times === 1) return problem;
  const stem = problem.endsWith('.') ? problem.slice(0, -1) : problem;
  return `${stem} (seen ${times} times).`;
}

/** "content-type" → "The Content-Type header"; a name that is not a plain token is not shown. */
function headerLabel(name: string): string {
  if (!/^[A-Za-z0-9-]{1,40}$/.test(name)) return 'A header';
  const title = name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
  return `The ${title} header`;
}

/** A header value cut to MAX_HEADER_CHARS, with a note when it was longer. */
function capHeader(name: string, value: string, note: Note): string {
  if (value.length <= MAX_HEADER_CHARS) return value;
  note(
    `${headerLabel(name)} of this email is ${Math.ceil(value.length / 1024)} KiB long; ` +
      `only its first ${MAX_HEADER_CHARS / 1024} KiB were read. ${KEPT}`,
  );
  // Never half of a surrogate pair: the cut value is stored and shown.
  const last = value.charCodeAt(MAX_HEADER_CHARS - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_HEADER_CHARS - 1 : MAX_HEADER_CHARS);
}

/** Encoded words decoded; postal-mime's decoder never throws on what it can read, but guard. */
function decoded(value: string): string {
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------------------
// What postal-mime reads silently but a person should be told. postal-mime exposes no hooks,
// so a subclass watches the lines it is fed. These are postal-mime's internal members
// (version pinned in package-lock.json); test/unit/shared/email.test.ts fails if they change.

interface MimeNodeInternals {
  state: 'header' | 'body' | 'finished';
  contentType: { value: string; multipart: string | false };
  contentTransferEncoding: { encoding: string };
  childNodes: MimeNodeInternals[];
  /** Takes one line; true when it ended the headers and must be read again. */
  feed(line: Uint8Array, lineBreak: Uint8Array): boolean;
}
interface ParserInternals {
  currentNode: MimeNodeInternals;
  root: MimeNodeInternals;
  boundaries: { value: Uint8Array; node: MimeNodeInternals }[];
  textTypes: Set<'plain' | 'html'>;
}
type ProcessLine = (line: Uint8Array, lineBreak: Uint8Array, isFinal: boolean) => Promise<void>;

/** Per base64 part: whether a line held what base64 never has, and its letters mod 4. */
interface Base64Watch {
  damaged: boolean;
  letters: number;
  padded: boolean;
}

/** Which byte values base64 text may hold: its 64 letters, '=', and white space. */
const BASE64_BYTE = (() => {
  const ok = new Uint8Array(256);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
    ok[c.charCodeAt(0)] = 1;
  ok[0x3d] = 2; // '='
  for (const c of [0x20, 0x09, 0x0d, 0x0a]) ok[c] = 3;
  return ok;
})();

const POSTAL_PROCESS_LINE = (PostalMime.prototype as unknown as { processLine: ProcessLine })
  .processLine;

class WatchingParser extends PostalMime {
  readonly base64 = new Map<MimeNodeInternals, Base64Watch>();
  /** Whether the message's last byte is a line feed. */
  endsInBreak = true;
  /** Multipart parts still open when the message ended (it was cut off). */
  unclosed = 0;
  /** Multiparts that declared the boundary of a part they are inside: none of their parts can be read. */
  reused = 0;

  private get inner(): ParserInternals {
    return this as unknown as ParserInternals;
  }

  processLine(line: Uint8Array, lineBreak: Uint8Array, isFinal: boolean): Promise<void> | void {
    const node = this.inner.currentNode;
    // Most lines are a part's body and cannot be a boundary (one starts with "--"): all
    // postal-mime does with them is feed them to the part, synchronously. Done here, without
    // a promise per line: attachments are most of a mailbox's lines.
    if (!isFinal && node.state === 'body' && !(line[0] === 0x2d && line[1] === 0x2d)) {
      if (!node.contentType.multipart && node.contentTransferEncoding.encoding === 'base64')
        this.watchBase64(node, line);
      node.feed(line, lineBreak);
      return;
    }
    return this.watchedLine(node, line, lineBreak, isFinal);
  }

  /** Any other line (headers, a boundary, the last one), watched around postal-mime's reading. */
  private async watchedLine(
    node: MimeNodeInternals,
    line: Uint8Array,
    lineBreak: Uint8Array,
    isFinal: boolean,
  ): Promise<void> {
    const watching =
      node.state === 'body' &&
      !node.contentType.multipart &&
      node.contentTransferEncoding.encoding === 'base64';
    const open = isFinal ? this.inner.boundaries.slice() : null;
    const declared = this.inner.boundaries.length;
    await POSTAL_PROCESS_LINE.call(this, line, lineBreak, isFinal);
    // The same part after the line: it was body, not a boundary.
    if (watching && this.inner.currentNode === node) this.watchBase64(node, line);
    const now = this.inner.boundaries;
    if (now.length > declared) {
      const added = now[now.length - 1]!.value;
      if (now.slice(0, -1).some((b) => sameBytes(b.value, added))) this.reused++;
    }
    if (open && open.length) {
      // postal-mime matches the outermost boundary first; its end closes all inside it.
      const closed = open.findIndex((b) => isTerminator(line, b.value));
      this.unclosed = closed < 0 ? open.length : closed;
    }
  }

  private watchBase64(node: MimeNodeInternals, line: Uint8Array): void {
    let w = this.base64.get(node);
    if (!w) this.base64.set(node, (w = { damaged: false, letters: 0, padded: false }));
    // Once damaged, a part stays damaged: the rest of it need not be looked at. Locals, not
    // fields, in the loop: attachments are most of a mailbox's bytes.
    if (w.damaged) return;
    let letters = w.letters;
    let padded = w.padded;
    for (let i = 0; i < line.length; i++) {
      const kind = BASE64_BYTE[line[i]!]!;
      if (kind === 1) {
        // After padding, data goes on only where a new group of four starts (some mailers
        // pad every line); a letter inside a padded group is out of place.
        if (padded) {
          if (letters % 4 !== 0) {
            w.damaged = true;
            return;
          }
          padded = false;
        }
        letters++;
      } else if (kind === 2) {
        padded = true;
        letters++;
      } else if (kind === 0) {
        w.damaged = true;
        return;
      }
    }
    w.letters = letters;
    w.padded = padded;
  }

  bodyTypes(): Set<'plain' | 'html'> {
    return this.inner.textTypes;
  }

  /** Multiparts whose boundary was missing: postal-mime reads them as plain text. */
  boundaryless(): number {
    let n = 0;
    const stack = [this.inner.root];
    while (stack.length) {
      const node = stack.pop()!;
      if (!node.contentType.multipart && /^\s*multipart\//i.test(node.contentType.value)) n++;
      stack.push(...node.childNodes);
    }
    return n;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `line` is `--boundary--`, maybe with trailing white space. */
function isTerminator(line: Uint8Array, boundary: Uint8Array): boolean {
  const n = boundary.length;
  if (line.length < n + 4 || line[0] !== 0x2d || line[1] !== 0x2d) return false;
  for (let j = 0; j < n; j++) if (line[j + 2] !== boundary[j]) return false;
  if (line[n + 2] !== 0x2d || line[n + 3] !== 0x2d) return false;
  for (let j = n + 4; j < line.length; j++) if (line[j] !== 0x20 && line[j] !== 0x09) return false;
  return true;
}

const LIMIT_PROBLEMS: Record<string, string> = {
  EMAXNESTINGDEPTH: `Parts of this email are nested more than ${MAX_DEPTH} levels deep; only its headers were read. ${KEPT}`,
  EMAXPARTCOUNT: `This email has more than ${MAX_PARTS} parts; only its headers were read. ${KEPT}`,
  EMAXHEADERSIZE: `The headers of this email are larger than ${MAX_HEADER_BYTES / 1024 / 1024} MiB; only the start of them was read. ${KEPT}`,
  EMAXFORWARDEDADDRESSES: `This email forwards too many addresses; only its headers were read. ${KEPT}`,
};

function options(): ConstructorParameters<typeof PostalMime>[0] {
  return {
    // A forwarded message stays one attachment, its bytes exact, not merged into the body.
    forceRfc822Attachments: true,
    maxRfc822NestingDepth: 0,
    maxNestingDepth: MAX_DEPTH,
    maxPartCount: MAX_PARTS,
    maxHeadersSize: MAX_HEADER_BYTES,
    attachmentEncoding: 'arraybuffer',
  };
}

/** The message's first header block alone, cut to a line end within the header budget. */
function headBlock(bytes: Uint8Array): Uint8Array {
  const cap = Math.min(bytes.length, MAX_HEADER_BYTES / 4);
  let end = cap;
  for (let i = 0; i + 1 < cap; i++) {
    if (
      bytes[i] === 0x0a &&
      (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a))
    ) {
      end = i + 1;
      break;
    }
  }
  if (end === cap && cap < bytes.length) end = bytes.lastIndexOf(0x0a, cap - 1) + 1;
  const head = new Uint8Array(end + 2);
  head.set(bytes.subarray(0, end));
  head.set([0x0d, 0x0a], end);
  return head;
}

function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** A ParsedEmail with nothing read yet (the .msg reader fills one too). */
export function emptyEmail(): ParsedEmail {
  return {
    from: '',
    to: '',
    cc: '',
    subject: '',
    date: '',
    messageId: '',
    headers: [],
    text: null,
    html: null,
    inlineImages: new Map(),
    attachments: [],
    problems: [],
  };
}

export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000) as unknown as number[]);
  }
  // btoa is in browsers and in Node 16+.
  return btoa(binary);
}

function contentBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** The headers, capped, and the six a person looks for. */
function readHeaders(list: Header[], result: ParsedEmail, note: Note): void {
  result.headers = list.map((h) => ({
    key: h.originalKey,
    value: capHeader(h.key, h.value, note),
  }));
  const first = (key: string) => result.headers.find((_, i) => list[i]!.key === key)?.value ?? '';
  const all = (key: string) =>
    capHeader(
      key,
      result.headers
        .filter((_, i) => list[i]!.key === key)
        .map((h) => h.value)
        .join(', '),
      note,
    );
  result.from = decoded(first('from'));
  result.to = decoded(all('to'));
  result.cc = decoded(all('cc'));
  result.subject = decoded(first('subject'));
  result.date = first('date').trim();
  result.messageId = first('message-id').trim();
}

/**
 * postal-mime ends a message's last line with a line break when the file has none; the text
 * is given as the file has it.
 */
function withoutAddedBreak(text: string, fileEndsInBreak: boolean): string {
  return !fileEndsInBreak && text.endsWith('\n') ? text.slice(0, -1) : text;
}

function readBody(
  email: Email,
  parser: WatchingParser,
  opts: ParseEmailOptions,
  result: ParsedEmail,
  note: Note,
): void {
  const types = parser.bodyTypes();
  // postal-mime makes a text body from an HTML one and back; only what the message has.
  result.text = types.has('plain') ? withoutAddedBreak(email.text ?? '', parser.endsInBreak) : null;
  result.html = types.has('html') ? (email.html ?? '') : null;
  for (const a of email.attachments) {
    const bytes = contentBytes(a.content);
    const mime = a.mimeType || 'application/octet-stream';
    const attachment = a.disposition === 'attachment';
    const cid = (a.contentId ?? '').trim().replace(/^<|>$/g, '');
    let shownInBody = false;
    if (
      cid &&
      /^image\/(png|jpeg|gif|webp|bmp|avif)$/.test(mime) &&
      bytes.length <= MAX_INLINE_IMAGE_BYTES
    ) {
      result.inlineImages.set(cid, `data:${mime};base64,${base64Of(bytes)}`);
      if (!attachment && !opts.listInlineImages) continue;
      shownInBody = !attachment;
    }
    const forwarded = mime === 'message/rfc822' && !a.filename;
    result.attachments.push({
      name: a.filename || (forwarded ? 'Forwarded message' : '(no name)'),
      mime,
      size: bytes.length,
      ...(opts.digest && { digest: opts.digest(bytes) }),
      ...(shownInBody && { contentId: cid }),
      ...(opts.withAttachmentBytes && { bytes }),
    });
  }
  let damaged = 0;
  for (const w of parser.base64.values()) if (w.damaged || w.letters % 4 !== 0) damaged++;
  if (damaged) {
    note(
      damaged === 1
        ? `Part of this email is damaged: its base64 encoding has characters missing or out of place, so what was decoded from it may be incomplete. ${KEPT}`
        : `${damaged} parts of this email are damaged: their base64 encoding has characters missing or out of place, so what was decoded from them may be incomplete. ${KEPT}`,
    );
  }
  const boundaryless = parser.boundaryless();
  for (let i = 0; i < boundaryless; i++) {
    note(
      'Part of this email is damaged: it says it has several parts but not how they are separated, so it is shown as plain text.',
    );
  }
  for (let i = 0; i < parser.reused; i++) {
    note('Part of this email is damaged and could not be read.');
  }
  if (parser.unclosed) {
    note(
      `This email seems cut off: a part of it never ends, so something may be missing from the end. ${KEPT}`,
    );
  }
}

/**
 * The one entry point for reading an email's bytes (the mailbox reader, ingest, the bundle,
 * the viewer and the app). Never throws: a message past a limit is read for its headers only,
 * and anything else wrong is in `problems`.
 */
export async function readEmailMessage(
  bytes: Uint8Array,
  opts: ParseEmailOptions = {},
): Promise<ParsedEmail> {
  const result = emptyEmail();
  const problems = problemList();
  const note = problems.note;
  try {
    const parser = new WatchingParser(options());
    parser.endsInBreak = bytes.length === 0 || bytes[bytes.length - 1] === 0x0a;
    const email = await parser.parse(bytes);
    readHeaders(email.headers, result, note);
    readBody(email, parser, opts, result, note);
  } catch (e) {
    const code = errorCode(e);
    note(
      LIMIT_PROBLEMS[code] ??
        `This email could not be read past its headers (${code || 'unexpected error'}). ${KEPT}`,
    );
    const fresh = emptyEmail();
    try {
      const email = await new PostalMime(options()).parse(headBlock(bytes));
      readHeaders(email.headers, fresh, note);
    } catch {
      // Not even the first header block could be read: it is said above.
    }
    Object.assign(result, fresh);
  }
  if (result.headers.length === 0) {
    note('This file does not start like an email, so its headers could not be read.');
  }
  result.problems = problems.list();
  return result;
}
