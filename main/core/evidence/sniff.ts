// MIME type from a file's first bytes. The name is never trusted: a harasser's file can be
// called anything, and the type decides which parsers see it.
import { fileTypeFromBuffer } from 'file-type';

export interface Sniffed {
  mime: string;
  ext: string | null;
}

/** How much of a file's start callers pass in as `head`. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

const OCTET: Sniffed = { mime: 'application/octet-stream', ext: null };

/** Header names that only e-mail has; `Date:` or `Subject:` alone could open a plain note. */
const MAIL_ONLY_FIELDS = new Set([
  'from',
  'received',
  'return-path',
  'mime-version',
  'message-id',
  'delivered-to',
  'dkim-signature',
  'arc-seal',
  'authentication-results',
  'x-received',
]);

// RFC 5322 field name: printable ASCII except ':'.
const FIELD_LINE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;

/**
 * Sniffs `head` (the first ≤ 64 KiB of a file). `_originalName` is accepted so callers can pass
 * what they have, and deliberately ignored. Never throws.
 */
export async function sniffMime(head: Uint8Array, _originalName: string): Promise<Sniffed> {
  try {
    const bytes = head.length > SNIFF_HEAD_BYTES ? head.subarray(0, SNIFF_HEAD_BYTES) : head;
    if (bytes.length === 0) return { mime: 'application/x-empty', ext: null };
    const found = await detectMagic(bytes);
    if (found) return found;
    const cut = bytes.length >= SNIFF_HEAD_BYTES;
    const text = decodeUtf8(bytes, cut);
    if (text === null) return OCTET;
    return classifyText(text, cut);
  } catch {
    return OCTET;
  }
}

async function detectMagic(bytes: Uint8Array): Promise<Sniffed | null> {
  try {
    const ft = await fileTypeFromBuffer(bytes);
    if (ft?.mime === 'application/x-cfb' && isOutlookMessage(bytes)) {
      return { mime: OUTLOOK_MSG, ext: 'msg' };
    }
    return ft ? { mime: ft.mime, ext: ft.ext } : null;
  } catch {
    // A detector choking on a malformed container is not fatal: fall back to the text checks.
    return null;
  }
}

export const OUTLOOK_MSG = 'application/vnd.ms-outlook';

/** Stream names every Outlook message has, as its Compound File directory spells them. */
const MSG_STREAMS = ['__properties_version1.0', '__substg1.0_'].map((name) => {
  const out = new Uint8Array(name.length * 2);
  for (let i = 0; i < name.length; i++) out[i * 2] = name.charCodeAt(i); // UTF-16LE
  return out;
});

/**
 * A Compound File (the container of old Office files too) is an Outlook message when its
 * directory names the MAPI property streams. The directory of a message of any size starts
 * in the first sectors, so the head holds it.
 */
function isOutlookMessage(bytes: Uint8Array): boolean {
  return MSG_STREAMS.every((name) => indexOfBytes(bytes, name) >= 0);
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  for (
    let i = hay.indexOf(needle[0]!);
    i >= 0 && i + needle.length <= hay.length;
    i = hay.indexOf(needle[0]!, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Strict UTF-8 decode; null when the bytes are not UTF-8 text or contain NUL. When `cut` is
 * true the head may end mid-character, so an incomplete final sequence is allowed.
 */
function decodeUtf8(bytes: Uint8Array, cut: boolean): string | null {
  if (bytes.includes(0)) return null;
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const text = decoder.decode(bytes, { stream: true });
    return cut ? text : text + decoder.decode();
  } catch {
    return null;
  }
}

function classifyText(text: string, cut: boolean): Sniffed {
  const start = text.trimStart().slice(0, 64).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) {
    return { mime: 'text/html', ext: 'html' };
  }
  if (looksLikeEmail(text, cut)) return { mime: 'message/rfc822', ext: 'eml' };
  return { mime: 'text/plain', ext: 'txt' };
}

/**
 * True when the text opens with a block of RFC 5322 header lines (folded lines allowed) that
 * ends at a blank line or at the end of the head, with at least one e-mail-only field.
 */
function looksLikeEmail(text: string, cut: boolean): boolean {
  const lines = text.split(/\r?\n/);
  // A head cut at 64 KiB may end mid-line; judge only whole lines.
  if (cut && lines.length > 1) lines.pop();
  let fields = 0;
  let mailOnly = false;
  for (const [i, line] of lines.entries()) {
    if (line === '') return i > 0 && fields >= 2 && mailOnly;
    if (i > 0 && (line.startsWith(' ') || line.startsWith('\t'))) continue;
    const m = FIELD_LINE.exec(line);
    if (!m) return false;
    fields++;
    if (MAIL_ONLY_FIELDS.has((m[1] ?? '').toLowerCase())) mailOnly = true;
  }
  // No blank line: the head ended inside the header block (or the mail has no body).
  return fields >= 2 && mailOnly;
}
