// What a text file or an email says, for search, and when an email was sent.
// Emails are hostile input: the MIME reading is postal-mime's (shared/email.ts), and every
// scanner here looks at each character a bounded number of times
// (test/unit/evidence/email-linear.test.ts).
import { addressParser } from 'postal-mime';
import { readEmailMessage, type ParsedEmail } from '../../../shared/email';

/** At most this many characters of an item's text go into the search index. */
export const MAX_SEARCH_TEXT = 1_000_000;
/** Text files and emails up to these sizes are read whole; bigger ones from their start. */
export const MAX_BUFFERED_TEXT_BYTES = 16 * 1024 * 1024;
export const MAX_BUFFERED_EMAIL_BYTES = 32 * 1024 * 1024;
/** A text attachment gives at most this many characters to the email's search text. */
export const MAX_ATTACHMENT_SEARCH_TEXT = 200_000;

export interface EmailFacts {
  from: string;
  /** The sender's address alone, lower case (links the email to the person who has it). */
  fromAddress: string | null;
  to: string;
  cc: string;
  subject: string;
  /** The Date header as written. */
  date: string;
  /** The Date header as ISO 8601 in the sender's own offset; null when it cannot be read. */
  sentAt: string | null;
  messageId: string;
  attachments: { name: string; mime: string; size: number }[];
}

export interface TextFacts {
  /** For the search index: never shown as the evidence itself. */
  text: string;
  email: EmailFacts | null;
  problems: string[];
}

/** The text of a text file (UTF-8; damaged bytes become U+FFFD). */
export function readText(bytes: Uint8Array, whole: boolean): TextFacts {
  const text = new TextDecoder('utf-8').decode(bytes);
  return { ...capped(text, whole), email: null };
}

/**
 * An email's headers, body text (HTML bodies reduced to their words) and attachments: their
 * names, and the text of text/* ones, so that a search finds the email they came in.
 */
export async function readEmail(bytes: Uint8Array, whole: boolean): Promise<TextFacts> {
  return emailFacts(await readEmailMessage(bytes, { withAttachmentBytes: true }), whole);
}

/** The search text and facts of an email already read (a single .eml or an Outlook .msg). */
export function emailFacts(e: ParsedEmail, whole: boolean): TextFacts {
  const problems = [...e.problems];
  const sentAt = e.date ? emailDateIso(e.date) : null;
  if (e.date && sentAt === null) {
    problems.push(
      `The email's Date header ("${e.date.slice(0, 80)}") could not be read, so it is sorted by its file time.`,
    );
  }
  const body = e.text ?? (e.html ? htmlWords(e.html) : '');
  const attached = e.attachments.flatMap((a) => [a.name, attachmentText(a.mime, a.bytes)]);
  const found = capped(
    [e.subject, e.from, e.to, e.cc, body, ...attached].filter(Boolean).join('\n'),
    whole,
  );
  const rawFrom = e.headers.find((h) => h.key.toLowerCase() === 'from')?.value ?? '';
  return {
    text: found.text,
    problems: [...problems, ...found.problems],
    email: {
      from: e.from,
      fromAddress: emailAddress(rawFrom),
      to: e.to,
      cc: e.cc,
      subject: e.subject,
      date: e.date,
      sentAt,
      messageId: e.messageId,
      attachments: e.attachments.map(({ name, mime, size }) => ({ name, mime, size })),
    },
  };
}

/** The words of a text/* attachment (HTML reduced to words), capped; '' for other types. */
function attachmentText(mime: string, bytes: Uint8Array | undefined): string {
  if (!bytes || !/^text\//i.test(mime)) return '';
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_ATTACHMENT_SEARCH_TEXT * 4));
  const words = /^text\/html/i.test(mime) ? htmlWords(text) : text;
  return words.slice(0, MAX_ATTACHMENT_SEARCH_TEXT);
}

/**
 * The sender's address from a raw From header (encoded words not decoded: a name can decode
 * to something that looks like an address, and only the raw header says which mailbox
 * sent it). Read by postal-mime's RFC 5322 address parser, so a quoted name holding "<" or
 * "@" is a name. Lower case; null when there is no address with a local part and a domain.
 */
export function emailAddress(from: string): string | null {
  if (from.length > MAX_FROM_CHARS) return null;
  for (const a of addressParser(from, { flatten: true })) {
    const address = (a.address ?? '').trim();
    const at = address.lastIndexOf('@');
    if (at > 0 && at < address.length - 1 && !/[\s<>]/.test(address)) return address.toLowerCase();
  }
  return null;
}

/**
 * A From header longer than this is not read for an address. Header values are already cut
 * at 64 KiB (shared/email.ts); this bounds direct callers. The parser is linear (tested).
 */
const MAX_FROM_CHARS = 1024 * 1024;

/** Said on a file whose text is cut for search (not on a conversation: its messages are searched). */
export const LONG_TEXT_PROBLEM =
  'This file is long: only its first part can be found by search. The file itself is stored whole.';

function capped(text: string, whole: boolean): { text: string; problems: string[] } {
  if (text.length <= MAX_SEARCH_TEXT && whole) return { text, problems: [] };
  return { text: text.slice(0, MAX_SEARCH_TEXT), problems: [LONG_TEXT_PROBLEM] };
}

/** Words of an HTML body for the index: no markup, no style or script text. */
export function htmlWords(html: string): string {
  return decodeEntities(withoutTags(withoutBlocks(html)))
    .replace(/\s+/g, ' ')
    .trim();
}

/** JavaScript's `\s`, one UTF-16 code unit. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether `s` has `word` (lower-case ASCII) at `at`, ignoring ASCII case. */
function hasWordAt(s: string, at: number, word: string): boolean {
  if (at + word.length > s.length) return false;
  for (let i = 0; i < word.length; i++) {
    let c = s.charCodeAt(at + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== word.charCodeAt(i)) return false;
  }
  return true;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f
  );
}

const BLOCKS = ['style', 'script', 'head'];

/**
 * `<style …>…</style>`, `<script>` and `<head>` blocks, each replaced by a space: what
 * /<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi did, without its quadratic search for a close
 * that never comes. Where the next close of each kind lies is remembered, so the text is
 * searched once per kind.
 */
function withoutBlocks(html: string): string {
  const next = new Map<string, { from: number; at: number; end: number } | null>();
  const closeAfter = (name: string, from: number): { at: number; end: number } | null => {
    const known = next.get(name);
    if (known === null) return null; // none after an earlier point, so none after this one
    if (known && known.from <= from && known.at >= from) return known;
    for (let j = html.indexOf('</', from); j >= 0; j = html.indexOf('</', j + 1)) {
      if (!hasWordAt(html, j + 2, name)) continue;
      let k = j + 2 + name.length;
      while (k < html.length && isSpace(html.charCodeAt(k))) k++;
      if (html[k] === '>') {
        const found = { from, at: j, end: k + 1 };
        next.set(name, found);
        return found;
      }
    }
    next.set(name, null);
    return null;
  };
  let out = '';
  let copied = 0;
  for (let i = html.indexOf('<'); i >= 0;) {
    const name = BLOCKS.find(
      (b) => hasWordAt(html, i + 1, b) && !isWordChar(html.charCodeAt(i + 1 + b.length)),
    );
    const close = name ? closeAfter(name, i + 1 + name.length) : null;
    if (close) {
      out += html.slice(copied, i) + ' ';
      copied = close.end;
      i = html.indexOf('<', copied);
    } else i = html.indexOf('<', i + 1);
  }
  return out + html.slice(copied);
}

/** Every `<…>` replaced by a space, as /<[^>]*>/g did; a `<` with no `>` after it stays. */
function withoutTags(html: string): string {
  let out = '';
  let copied = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', copied)) {
    const end = html.indexOf('>', i + 1);
    if (end < 0) break; // no later '<' can close either
    out += html.slice(copied, i) + ' ';
    copied = end + 1;
  }
  return out + html.slice(copied);
}

const NAMED_ENTITIES: [string, string][] = [
  ['nbsp;', ' '],
  ['amp;', '&'],
  ['lt;', '<'],
  ['gt;', '>'],
  ['quot;', '"'],
  ['apos;', "'"],
];

/**
 * The common named entities and numeric ones (`&#233;`, `&#xE9;`), in one pass. A number that
 * is no Unicode character (too large, zero, a surrogate) becomes U+FFFD; it never throws.
 */
function decodeEntities(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    let decoded: string | null = null;
    let end = i + 1;
    if (text[i + 1] === '#') {
      const hex = text[i + 2] === 'x' || text[i + 2] === 'X';
      const digits = i + (hex ? 3 : 2);
      let k = digits;
      let value = 0;
      for (; k < text.length; k++) {
        const d = digitValue(text.charCodeAt(k), hex);
        if (d < 0) break;
        // Past the largest code point the value only needs to stay "too large".
        if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + d;
      }
      if (k > digits && text[k] === ';') {
        decoded = codePoint(value);
        end = k + 1;
      }
    } else {
      const named = NAMED_ENTITIES.find(([name]) => hasWordAt(text, i + 1, name));
      if (named) {
        decoded = named[1];
        end = i + 1 + named[0].length;
      }
    }
    if (decoded === null) continue;
    out += text.slice(copied, i) + decoded;
    copied = end;
    i = end - 1;
  }
  return out + text.slice(copied);
}

function digitValue(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function codePoint(value: number): string {
  const valid = value > 0 && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff);
  return valid ? String.fromCodePoint(value) : '\uFFFD';
}

/** A Date header longer than this, comments left out, is not a date (a real one is ~31). */
const MAX_DATE_CHARS = 200;

/** RFC 5322 §4.3 obsolete zone names and their offsets in minutes. */
const NAMED_ZONES: Record<string, number> = {
  UT: 0,
  GMT: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/**
 * The zone at the end of a date: "+0100" or "EST" as minutes east of UTC, and what comes
 * before it. RFC 5322 §4.3: the military letters were defined with the wrong sign in RFC
 * 822, so they, and "-0000", mean "in UTC, the sender's own zone unknown" (0 here).
 */
function trailingZone(date: string): { rest: string; minutes: number } | null {
  const numeric = /(?<![0-9])([+-])(\d{2})(\d{2})$/.exec(date);
  if (numeric) {
    const minutes = (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3]));
    return { rest: date.slice(0, numeric.index), minutes };
  }
  // At most five letters, after a space or a digit ("21:14:00 EST", "21:14:00EST").
  const named = /(?<=[\s0-9])([A-Za-z]{1,5})$/.exec(date);
  if (!named) return null;
  const name = named[1]!.toUpperCase();
  const rest = date.slice(0, named.index);
  if (name in NAMED_ZONES) return { rest, minutes: NAMED_ZONES[name]! };
  // A single letter other than J is a military zone; any other name is no RFC 5322 zone.
  return /^[A-IK-Z]$/.test(name) ? { rest, minutes: 0 } : null;
}

/**
 * An RFC 5322 date ("Tue, 3 Mar 2026 21:14:00 +0100", or with an obsolete zone name such
 * as "EST") as ISO 8601 with the same offset ("2026-03-03T21:14:00+01:00"): the sender's
 * clock is kept, and the instant is exact. A zone that says nothing about the sender's
 * clock (a military letter, "-0000") gives the instant in UTC ("Z"). Without a zone the
 * instant is unknown, so null.
 */
export function emailDateIso(header: string): string | null {
  const bare = withoutComments(header, ' ').trim();
  if (bare.length > MAX_DATE_CHARS) return null;
  const zone = trailingZone(bare);
  if (!zone || Math.abs(zone.minutes) > 18 * 60) return null;
  // The sender's wall clock, read as if in UTC, is what the ISO string shows.
  const wall = Date.parse(`${zone.rest.trim()} +0000`);
  if (Number.isNaN(wall)) return null;
  const local = new Date(wall).toISOString();
  if (local.length !== 24) return null; // years outside 0000–9999
  if (zone.minutes === 0) return `${local.slice(0, 19)}Z`;
  const abs = Math.abs(zone.minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local.slice(0, 19)}${zone.minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * "(comments)" replaced, as /\([^)]*\)/g did: from each "(" to the next ")". Once no ")"
 * follows, nothing after it is a comment, so the scan stops instead of retrying each "(".
 */
function withoutComments(header: string, replacement: string): string {
  let out = '';
  let copied = 0;
  for (let i = header.indexOf('('); i >= 0; i = header.indexOf('(', copied)) {
    const end = header.indexOf(')', i + 1);
    if (end < 0) break;
    out += header.slice(copied, i) + replacement;
    copied = end + 1;
  }
  return out + header.slice(copied);
}
