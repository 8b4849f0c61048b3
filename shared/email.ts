/**
 * A small, forgiving reader for one email message (message/rfc822): its headers, its text
 * and HTML bodies, inline images by Content-ID, and a list of attachments. Pure (no DOM), so
 * it runs in unit tests. It never throws on damaged input: what could not be read is said in
 * `problems`. The message bytes are evidence; nothing here changes them.
 *
 * Emails are written by the people the user is defending against, so every step takes time
 * linear in the message size: no regex here can backtrack over what it already scanned,
 * strings are built from slices or in bounded chunks, header values are capped and the
 * nesting of parts is limited (test/unit/evidence/email-linear.test.ts).
 */

export interface EmailAttachment {
  name: string;
  mime: string;
  /** Decoded size in bytes. */
  size: number;
  /** The digest of the decoded bytes, when parseEmail was given `digest` (e.g. SHA-256 hex). */
  digest?: string;
  /** Set for a picture shown inside the HTML body, listed only with `listInlineImages`. */
  contentId?: string;
  /** The decoded bytes, only with `withAttachmentBytes` (ingest stores them as items). */
  bytes?: Uint8Array;
}

export interface ParseEmailOptions {
  /**
   * Called with each attachment's decoded bytes as a binary string (one char per byte); what
   * it returns is kept as the attachment's `digest`. The app leaves it out: no hashing cost.
   */
  digest?: (binary: string) => string;
  /**
   * Also list the pictures shown inside the HTML body (by Content-ID) among the attachments,
   * with their `contentId`: they are part of what the email says, so the court bundle hashes
   * them too. The app shows them in the body instead.
   */
  listInlineImages?: boolean;
  /** Keep each attachment's decoded bytes (`EmailAttachment.bytes`). */
  withAttachmentBytes?: boolean;
}

export interface ParsedEmail {
  from: string;
  to: string;
  cc: string;
  subject: string;
  /** The Date header as written (a time zone is part of it). */
  date: string;
  messageId: string;
  text: string | null;
  html: string | null;
  /** Content-ID (without < >) → data: URL, for images shown inside the HTML body. */
  inlineImages: Map<string, string>;
  attachments: EmailAttachment[];
  problems: string[];
}

interface Part {
  headers: Map<string, string[]>;
  /** The part's body as a binary string (one char per byte). */
  body: string;
}

/** Multiparts nested deeper than this are not read (a real email nests 3 or 4 deep). */
export const MAX_DEPTH = 12;
const MAX_PARTS = 500;
/**
 * A header value longer than this is cut to it for reading, with a note: RFC 5322 lines are
 * at most 998 characters, and even a long folded recipient list stays far below this.
 */
export const MAX_HEADER_CHARS = 64 * 1024;
/** Inline images bigger than this are listed as attachments instead of shown. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

/** One char per byte, so base64 and quoted-printable decode to the exact bytes. */
export function bytesToBinary(bytes: Uint8Array): string {
  return codesToString(bytes);
}

/** UTF-16 code units to a string, in small chunks: spreading big ones is slow, and capped. */
function codesToString(codes: Uint8Array | Uint16Array): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 0x2000) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + 0x2000) as unknown as number[]);
  }
  return out;
}

function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Bytes in a named charset; unknown names are read as UTF-8, damaged bytes become U+FFFD. */
export function decodeCharset(binary: string, charset: string | undefined): string {
  const bytes = binaryToBytes(binary);
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  try {
    return new TextDecoder(label === 'us-ascii' ? 'windows-1252' : label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Char code → 6-bit value, or -1 for characters base64 ignores (line breaks, junk, '='). */
const BASE64_VALUE = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < BASE64.length; i++) table[BASE64.charCodeAt(i)] = i;
  return table;
})();

export function decodeBase64(s: string): string {
  const out = new Uint8Array(Math.ceil((s.length * 3) / 4));
  let n = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 256 ? BASE64_VALUE[code]! : -1;
    if (v < 0) continue;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  return bytesToBinary(out.subarray(0, n));
}

/** "=XX" escapes decoded in one pass into a code buffer (a callback per escape is slow). */
export function decodeQuotedPrintable(s: string, header = false): string {
  // Soft line breaks go first, so "=" + break + "41" reads as it always did.
  const text = header ? s : s.replace(/=\r?\n/g, '');
  const out = new Uint16Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      const hi = hexDigit(text.charCodeAt(i + 1));
      const lo = hi < 0 ? -1 : hexDigit(text.charCodeAt(i + 2));
      if (lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = header && c === 0x5f ? 0x20 : c; // "_" is a space in an encoded word
  }
  return codesToString(out.subarray(0, n));
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** RFC 2047 encoded words ("=?utf-8?B?...?=") in a header, decoded to text. */
export function decodeHeaderValue(raw: string): string {
  // Whitespace between two encoded words is not part of the text.
  const joined = raw.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(
    /=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=/g,
    (_, charset: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B' ? decodeBase64(data) : decodeQuotedPrintable(data, true);
      return decodeCharset(bytes, charset.split('*')[0]);
    },
  );
}

function splitHead(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** Records a problem; the same problem seen again is counted, not repeated. */
type Note = (problem: string) => void;

/** "content-type" → "Content-Type", for a note; a name that is not a plain token is not shown. */
function headerLabel(name: string): string {
  if (!/^[a-z0-9-]{1,40}$/.test(name)) return 'A header';
  const title = name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, c: string) => dash + c.toUpperCase(),
  );
  return `The ${title} header`;
}

/** A header value cut to MAX_HEADER_CHARS, with a note when it was longer. */
function capHeader(name: string, value: string, note: Note): string {
  if (value.length <= MAX_HEADER_CHARS) return value;
  note(
    `${headerLabel(name)} of this email is ${Math.ceil(value.length / 1024)} KiB long; ` +
      `only its first ${MAX_HEADER_CHARS / 1024} KiB were read. The email itself is stored whole.`,
  );
  // Never half of a surrogate pair: the cut value is stored and shown.
  const last = value.charCodeAt(MAX_HEADER_CHARS - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_HEADER_CHARS - 1 : MAX_HEADER_CHARS);
}

function parseHeaders(head: string, note: Note): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  // Bytes outside ASCII in raw headers are most often UTF-8 (RFC 6532).
  const text = /[\u0080-\u00ff]/.test(head) ? decodeCharset(head, 'utf-8') : head;
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = capHeader(name, line.slice(colon + 1).trim(), note);
    const list = headers.get(name) ?? [];
    list.push(value);
    headers.set(name, list);
  }
  return headers;
}

function header(part: Part, name: string): string {
  return part.headers.get(name)?.[0] ?? '';
}

/** "text/html; charset=utf-8" → { type: 'text/html', params: { charset: 'utf-8' } }. */
export function parseContentType(value: string): { type: string; params: Map<string, string> } {
  const [first = '', ...rest] = splitParams(value);
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2)
      v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    // RFC 2231: filename*=utf-8''caf%C3%A9
    if (key.endsWith('*')) {
      const m = /^([^']*)'[^']*'(.*)$/.exec(v);
      const bytes = (m?.[2] ?? v).replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) =>
        String.fromCharCode(parseInt(h, 16)),
      );
      params.set(key.slice(0, -1), decodeCharset(bytes, m?.[1] || 'utf-8'));
    } else if (!params.has(key)) {
      params.set(key, v);
    }
  }
  return { type: first.trim().toLowerCase(), params };
}

/** Splits on ';' outside quoted strings (slices, not one concatenation per character). */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

function decodeTransfer(part: Part): string {
  const enc = header(part, 'content-transfer-encoding').trim().toLowerCase();
  if (enc === 'base64') return decodeBase64(part.body);
  if (enc === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** The parts between boundary lines; past MAX_PARTS the rest is not split (it is not read). */
function splitMultipart(body: string, boundary: string): string[] | null {
  const delimiter = `--${boundary}`;
  const closing = `${delimiter}--`;
  const parts: string[] = [];
  let current: string[] | null = null;
  // Lines as split(/\r?\n/) gives them, one at a time so that the scan can stop early.
  for (let start = 0; start <= body.length && parts.length <= MAX_PARTS;) {
    const newline = body.indexOf('\n', start);
    const end = newline < 0 ? body.length : newline;
    const line = body.slice(start, newline > start && body[end - 1] === '\r' ? end - 1 : end);
    start = end + 1;
    const trimmed = line.trimEnd();
    if (trimmed === closing) {
      if (current) parts.push(current.join('\r\n'));
      return parts;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
    } else if (current) current.push(line);
  }
  // No closing delimiter: the message was cut off; keep what arrived.
  if (current) parts.push(current.join('\r\n'));
  return parts.length ? parts : null;
}

function base64Of(binary: string): string {
  // btoa is in browsers and in Node 16+.
  return btoa(binary);
}

/** Reads one message from its bytes as a binary string (see bytesToBinary). */
export function parseEmail(raw: string, opts: ParseEmailOptions = {}): ParsedEmail {
  // Problems in the order first seen, each with how often (see `counted`).
  const seen = new Map<string, number>();
  const note: Note = (problem) => seen.set(problem, (seen.get(problem) ?? 0) + 1);
  const { head, body } = splitHead(raw);
  const top: Part = { headers: parseHeaders(head, note), body };
  const recipients = (name: string) =>
    decodeHeaderValue(capHeader(name, (top.headers.get(name) ?? []).join(', '), note));
  const result: ParsedEmail = {
    from: decodeHeaderValue(header(top, 'from')),
    to: recipients('to'),
    cc: recipients('cc'),
    subject: decodeHeaderValue(header(top, 'subject')),
    date: header(top, 'date'),
    messageId: header(top, 'message-id'),
    text: null,
    html: null,
    inlineImages: new Map(),
    attachments: [],
    problems: [],
  };
  if (top.headers.size === 0) {
    note('This file does not start like an email, so its headers could not be read.');
  }
  let count = 0;
  const walk = (part: Part, depth: number): void => {
    if (++count > MAX_PARTS) return;
    const ct = parseContentType(header(part, 'content-type') || 'text/plain; charset=us-ascii');
    const disposition = parseContentType(header(part, 'content-disposition'));
    const filename = disposition.params.get('filename') ?? ct.params.get('name') ?? '';
    if (ct.type.startsWith('multipart/')) {
      if (depth >= MAX_DEPTH) {
        note(
          `Parts of this email are nested more than ${MAX_DEPTH} levels deep; ` +
            'the parts below that were not read.',
        );
        return;
      }
      const boundary = ct.params.get('boundary');
      const pieces = boundary ? splitMultipart(part.body, boundary) : null;
      if (!pieces) {
        note('Part of this email is damaged and could not be read.');
        return;
      }
      for (const piece of pieces) {
        if (count > MAX_PARTS) break;
        const split = splitHead(piece);
        walk({ headers: parseHeaders(split.head, note), body: split.body }, depth + 1);
      }
      return;
    }
    if (ct.type === 'message/rfc822' && depth < MAX_DEPTH && !filename) {
      // A forwarded message: list it; its own body is not merged into this one.
      const forwarded = decodeTransfer(part);
      result.attachments.push({
        name: 'Forwarded message',
        mime: ct.type,
        size: forwarded.length,
        ...(opts.digest && { digest: opts.digest(forwarded) }),
        ...(opts.withAttachmentBytes && { bytes: binaryToBytes(forwarded) }),
      });
      return;
    }
    const attachment = disposition.type === 'attachment';
    const decoded = decodeTransfer(part);
    if (!attachment && ct.type === 'text/plain' && result.text === null) {
      result.text = decodeCharset(decoded, ct.params.get('charset'));
      return;
    }
    if (!attachment && ct.type === 'text/html' && result.html === null) {
      result.html = decodeCharset(decoded, ct.params.get('charset'));
      return;
    }
    const cid = header(part, 'content-id').trim().replace(/^<|>$/g, '');
    let shownInBody = false;
    if (
      cid &&
      /^image\/(png|jpeg|gif|webp|bmp|avif)$/.test(ct.type) &&
      decoded.length <= MAX_INLINE_IMAGE_BYTES
    ) {
      result.inlineImages.set(cid, `data:${ct.type};base64,${base64Of(decoded)}`);
      if (!attachment && !opts.listInlineImages) return;
      shownInBody = !attachment;
    }
    result.attachments.push({
      name: decodeHeaderValue(filename) || '(no name)',
      mime: ct.type || 'application/octet-stream',
      size: decoded.length,
      ...(opts.digest && { digest: opts.digest(decoded) }),
      ...(shownInBody && { contentId: cid }),
      ...(opts.withAttachmentBytes && { bytes: binaryToBytes(decoded) }),
    });
  };
  walk(top, 0);
  if (count > MAX_PARTS) note('This email has too many parts; only some are shown.');
  result.problems = [...seen].map(([problem, times]) => counted(problem, times));
  return result;
}

/** "Part … could not be read." seen 312 times → "Part … could not be read (seen 312 times)." */
function counted(problem: string, times: number): string {
  if (times === 1) return problem;
  const stem = problem.endsWith('.') ? problem.slice(0, -1) : problem;
  return `${stem} (seen ${times} times).`;
}

/**
 * The one entry point for reading an email's bytes (the mailbox reader, ingest, the bundle,
 * the viewer and the app). Asynchronous because the reader behind it is (docs/conversations.md).
 */
export async function readEmailMessage(
  bytes: Uint8Array,
  opts: ParseEmailOptions = {},
): Promise<ParsedEmail> {
  return parseEmail(bytesToBinary(bytes), opts);
}
