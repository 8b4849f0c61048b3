// A text file exhibit as text for the court bundle: decoded as its byte order mark says (else
// UTF-8), line breaks made uniform, and every invisible or controlling character shown as a
// visible [U+XXXX] so nothing can hide or reorder what the file says.
import { htmlToText } from '../../../../shared/email-text';
import type { TextContent } from './exhibit-content';

/** At most this many characters are shown (about 600 pages); the whole file is in the bundle. */
export const MAX_TEXT_CHARS = 2_000_000;

/**
 * Characters shown as [U+XXXX] rather than drawn: controls other than tab and line feed, and
 * the invisible ones that hide or reorder text (bidi overrides and isolates, zero-width
 * spaces, byte order marks inside the text, interlinear annotations). Joiners and variation
 * selectors stay: scripts and emoji need them.
 */
function shownAsCode(c: number): boolean {
  return (
    (c < 0x20 && c !== 0x09 && c !== 0x0a) ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

export function codeLabel(c: number): string {
  return `[U+${c.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/**
 * The text of a text file. `complete` is false when `bytes` is only the file's start (a file
 * bigger than the loader reads): the result is then marked truncated, and a character cut in
 * half at the end is not reported as damage. A saved web page (`html`) is shown as the text a
 * browser would show, as an HTML email is (shared/email-text.ts), not as its markup.
 */
export function textContent(
  bytes: Uint8Array,
  complete = true,
  format: 'plain' | 'html' = 'plain',
): TextContent {
  const { label, offset } = byteOrderMark(bytes);
  const body = bytes.subarray(offset);
  let text: string;
  let encoding: string;
  if (label === 'utf-8' && offset === 0) {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body, {
        stream: !complete,
      });
      encoding = 'UTF-8';
    } catch {
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body, { stream: !complete });
      encoding = 'UTF-8, with bytes that are not valid UTF-8 shown as \uFFFD';
    }
  } else {
    text = new TextDecoder(label, { ignoreBOM: true }).decode(body, { stream: !complete });
    encoding = `${label === 'utf-16le' ? 'UTF-16LE' : label === 'utf-16be' ? 'UTF-16BE' : 'UTF-8'} (byte order mark)`;
  }
  if (format === 'html') {
    text = htmlToText(text);
    encoding += '; the web page is shown as text (its markup and scripts left out)';
  }
  const shown = visibleText(text, MAX_TEXT_CHARS);
  return { kind: 'text', text: shown.text, encoding, truncated: shown.cut || !complete };
}

function byteOrderMark(b: Uint8Array): {
  label: 'utf-8' | 'utf-16le' | 'utf-16be';
  offset: number;
} {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { label: 'utf-8', offset: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { label: 'utf-16le', offset: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { label: 'utf-16be', offset: 2 };
  return { label: 'utf-8', offset: 0 };
}

/**
 * CRLF and lone CR (and U+2028/U+2029) as LF, hidden characters as [U+XXXX], and at most `max`
 * characters of result (labels included, so a file of controls cannot grow eightfold), never
 * ending in half a character. One pass, built from slices: linear on any input.
 */
export function visibleText(
  text: string,
  max: number,
): { text: string; cut: boolean; /** Source characters shown. */ read: number } {
  const parts: string[] = [];
  /** Characters of result in `parts`. */
  let written = 0;
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let replacement: string | null = null;
    let width = 1; // source characters replaced
    if (c === 0x0d) {
      replacement = '\n';
      if (text.charCodeAt(i + 1) === 0x0a) width = 2;
    } else if (c === 0x2028 || c === 0x2029) replacement = '\n';
    else if (shownAsCode(c)) replacement = codeLabel(c);
    // A surrogate pair is one character: both halves or neither.
    const step = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : width;
    const grows = replacement === null ? step : replacement.length;
    if (written + (i - copied) + grows > max) break;
    if (replacement !== null) {
      parts.push(text.slice(copied, i), replacement);
      written += i - copied + replacement.length;
      copied = i + width;
    }
    i += step;
  }
  parts.push(text.slice(copied, i));
  return { text: parts.join(''), cut: i < text.length, read: i };
}
