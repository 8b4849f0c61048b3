/**
 * A small, forgiving reader for one email message (message/rfc822): its headers, its text
 * and HTML bodies, inline images by Content-ID, and a list of attachments. Pure (no DOM), so
 * it runs in unit tests. It never throws on damaged input: what could not be read is said in
 * `problems`. The message bytes are evidence; nothing here changes them.
 */

export interface EmailAttachment {
  name: string;
  mime: string;
  /** Decoded size in bytes. */
  size: number;
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

const MAX_DEPTH = 12;
const MAX_PARTS = 500;
/** Inline images bigger than this are listed as attachments instead of shown. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

/** One char per byte, so base64 and quoted-printable decode to the exact bytes. */
export function bytesToBinary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
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

export function decodeBase64(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const c of clean) {
    buffer = (buffer << 6) | table.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

export function decodeQuotedPrintable(s: string, header = false): string {
  const text = header ? s.replace(/_/g, ' ') : s.replace(/=\r?\n/g, '');
  return text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
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

function parseHeaders(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  // Bytes outside ASCII in raw headers are most often UTF-8 (RFC 6532).
  const text = /[\u0080-\u00ff]/.test(head) ? decodeCharset(head, 'utf-8') : head;
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
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

/** Splits on ';' outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

function decodeTransfer(part: Part): string {
  const enc = header(part, 'content-transfer-encoding').trim().toLowerCase();
  if (enc === 'base64') return decodeBase64(part.body);
  if (enc === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

function splitMultipart(body: string, boundary: string): string[] | null {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
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
export function parseEmail(raw: string): ParsedEmail {
  const { head, body } = splitHead(raw);
  const top: Part = { headers: parseHeaders(head), body };
  const result: ParsedEmail = {
    from: decodeHeaderValue(header(top, 'from')),
    to: decodeHeaderValue((top.headers.get('to') ?? []).join(', ')),
    cc: decodeHeaderValue((top.headers.get('cc') ?? []).join(', ')),
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
    result.problems.push(
      'This file does not start like an email, so its headers could not be read.',
    );
  }
  let count = 0;
  const walk = (part: Part, depth: number): void => {
    if (++count > MAX_PARTS) return;
    const ct = parseContentType(header(part, 'content-type') || 'text/plain; charset=us-ascii');
    const disposition = parseContentType(header(part, 'content-disposition'));
    const filename = disposition.params.get('filename') ?? ct.params.get('name') ?? '';
    if (ct.type.startsWith('multipart/')) {
      const boundary = ct.params.get('boundary');
      const pieces = boundary ? splitMultipart(part.body, boundary) : null;
      if (!pieces || depth >= MAX_DEPTH) {
        result.problems.push('Part of this email is damaged and could not be read.');
        return;
      }
      for (const piece of pieces) {
        const split = splitHead(piece);
        walk({ headers: parseHeaders(split.head), body: split.body }, depth + 1);
      }
      return;
    }
    if (ct.type === 'message/rfc822' && depth < MAX_DEPTH && !filename) {
      // A forwarded message: list it; its own body is not merged into this one.
      result.attachments.push({
        name: 'Forwarded message',
        mime: ct.type,
        size: decodeTransfer(part).length,
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
    if (
      cid &&
      /^image\/(png|jpeg|gif|webp|bmp|avif)$/.test(ct.type) &&
      decoded.length <= MAX_INLINE_IMAGE_BYTES
    ) {
      result.inlineImages.set(cid, `data:${ct.type};base64,${base64Of(decoded)}`);
      if (!attachment) return;
    }
    result.attachments.push({
      name: decodeHeaderValue(filename) || '(no name)',
      mime: ct.type || 'application/octet-stream',
      size: decoded.length,
    });
  };
  walk(top, 0);
  if (count > MAX_PARTS)
    result.problems.push('This email has too many parts; only some are shown.');
  return result;
}
