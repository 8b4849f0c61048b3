// What a text file or an email says, for search, and when an email was sent.
import { bytesToBinary, parseEmail } from '../../../shared/email';

/** At most this many characters of an item's text go into the search index. */
export const MAX_SEARCH_TEXT = 1_000_000;
/** Text files and emails up to these sizes are read whole; bigger ones from their start. */
export const MAX_BUFFERED_TEXT_BYTES = 16 * 1024 * 1024;
export const MAX_BUFFERED_EMAIL_BYTES = 32 * 1024 * 1024;

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

/** An email's headers and body text (HTML bodies reduced to their words). */
export function readEmail(bytes: Uint8Array, whole: boolean): TextFacts {
  const e = parseEmail(bytesToBinary(bytes));
  const problems = [...e.problems];
  const sentAt = e.date ? emailDateIso(e.date) : null;
  if (e.date && sentAt === null) {
    problems.push(
      `The email's Date header ("${e.date.slice(0, 80)}") could not be read, so it is sorted by its file time.`,
    );
  }
  const body = e.text ?? (e.html ? htmlWords(e.html) : '');
  const found = capped([e.subject, e.from, e.to, e.cc, body].filter(Boolean).join('\n'), whole);
  return {
    text: found.text,
    problems: [...problems, ...found.problems],
    email: {
      from: e.from,
      fromAddress: emailAddress(e.from),
      to: e.to,
      cc: e.cc,
      subject: e.subject,
      date: e.date,
      sentAt,
      messageId: e.messageId,
      attachments: e.attachments,
    },
  };
}

/** "Name <a@b.c>" or "a@b.c" → "a@b.c"; null when there is no address. */
export function emailAddress(from: string): string | null {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from) ?? /([^\s<>",;]+@[^\s<>",;]+)/.exec(from);
  return m ? m[1]!.toLowerCase() : null;
}

function capped(text: string, whole: boolean): { text: string; problems: string[] } {
  if (text.length <= MAX_SEARCH_TEXT && whole) return { text, problems: [] };
  return {
    text: text.slice(0, MAX_SEARCH_TEXT),
    problems: [
      'This file is long: only its first part can be found by search. The file itself is stored whole.',
    ],
  };
}

/** Words of an HTML body for the index: no markup, no style or script text. */
function htmlWords(html: string): string {
  return html
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n) % 0x110000))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * An RFC 5322 date ("Tue, 3 Mar 2026 21:14:00 +0100") as ISO 8601 with the same offset
 * ("2026-03-03T21:14:00+01:00"): the sender's clock is kept, and the instant is exact.
 */
export function emailDateIso(header: string): string | null {
  const ms = Date.parse(header.replace(/\([^)]*\)/g, ' ').trim());
  if (Number.isNaN(ms)) return null;
  const m = /([+-])(\d{2})(\d{2})\s*$/.exec(header.replace(/\([^)]*\)/g, '').trim());
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (Math.abs(offset) > 18 * 60) return null;
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
