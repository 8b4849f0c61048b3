// WhatsApp "Export chat" (docs/conversations.md, "WhatsApp"): the chat text, read line by
// line into messages that keep their exact byte span and lines in the file. Line shapes and
// test vectors were learned from whatsapp-chat-parser (Pustur, MIT); the code is our own,
// because that parser drops line provenance and guesses the day/month order silently.

import { Buffer, isUtf8 } from 'node:buffer';
import { DossierError } from '../errors';
import { isZip, openArchive, shownName } from './archive';
import type { Archive, ArchiveEntry } from './archive';
import type { RangeSource } from './byte-range-reader';
import type {
  ConversationMessage,
  ConversationProblem,
  ConversationReader,
  ConversationSummary,
  DateOrder,
  MediaFile,
  MessageAttachment,
  MessageKind,
  ReadOptions,
} from './types';
import { CONVERSATION_LIMITS } from './types';
import {
  isCallPhrase,
  isSystemPhrase,
  LOCALES,
  MAX_SYSTEM_CHARS,
  normalisePhrase,
  withoutBidiMarks,
} from './whatsapp-locales';
import {
  checkTimeZone,
  isoWithOffset,
  offsetText,
  placeWallClock,
  utcMs,
  ZoneOffsets,
} from './whatsapp-time';

export const WHATSAPP_READER = 'dossier-whatsapp 1';

// ---------------------------------------------------------------------------------------------
// Line shapes
//
//   iOS       [31/12/2023, 21:05:09] Name: text        (U+200E before attachment/system text)
//   Android   31/12/2023, 21:05 - Name: text
//   variants  . or - between date parts, 2- or 4-digit years, year first (2023/12/31),
//             12-hour clocks (9:05 PM, 9:05 p. m., with U+202F or U+00A0 before it),
//             "." between hours and minutes, a word between date and time ("klo").
// A header is recognised only at the start of a line and only when followed by "] ", " - "
// or ": ", so a continuation line that merely starts with a date stays in its message.
// Every repeat is bounded: matching is linear in the line's length.
const BIDI_LEAD = '^[\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]{0,3}';
const DATE_TIME =
  '(\\d{1,4})([./-]) ?(\\d{1,4})\\2 ?(\\d{1,4})\\.?' +
  ',?[ \\u00a0](?:([^\\d\\s,\\]\\[]{1,5})[ \\u00a0])?' +
  '(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2}))?' +
  '(?:[ \\u00a0\\u202f]?([aApP])\\.?[ \\u00a0\\u202f]?[mM]\\.?)?';
const HEADER_IOS = new RegExp(`${BIDI_LEAD}\\[${DATE_TIME}\\] ?`);
const HEADER_ANDROID = new RegExp(`${BIDI_LEAD}${DATE_TIME}(?: [-–] |: )`);
// The header is short: this many bytes of a line are enough to recognise it.
const HEADER_PROBE_BYTES = 80;

interface RawDate {
  /** The header as matched; `written(d)` gives the date and time as shown. */
  header: string;
  a: number;
  b: number;
  c: number;
  /** Digits in the first and last part (a 4-digit first part is a year). */
  aDigits: number;
  cDigits: number;
  hour: number;
  minute: number;
  second: number;
  ampm: 'a' | 'p' | null;
  /** A word before the time that is neither "at" nor a half of the day, as written. */
  unknownWord: string | null;
}

interface RawMessage {
  line: number;
  lineEnd: number;
  start: number;
  /** End of the last line, before its line break. */
  end: number;
  /** Byte where the text after the header starts. */
  bodyStart: number;
  /** End of the first line's content, in bytes. */
  firstEnd: number;
  date: RawDate | null;
}

const LF = 0x0a;
/** A sender's name longer than this is not a name: the line is read as a system line. */
const MAX_SENDER_BYTES = 1024;
const CR = 0x0d;

function firstByteCanStartHeader(b: number | undefined): boolean {
  // '[', a digit, or the lead byte of U+200E… (0xE2).
  return b === 0x5b || (b !== undefined && b >= 0x30 && b <= 0x39) || b === 0xe2;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Splits the chat text into raw messages: a header line and the lines that continue it.
 * Lines before the first header become one message with no date (reported by the caller).
 */
function scan(bytes: Uint8Array): RawMessage[] {
  const buf = asBuffer(bytes);
  const out: RawMessage[] = [];
  const len = bytes.length;
  let pos = hasBom(bytes) ? 3 : 0;
  let lineNo = 1;
  let current: RawMessage | null = null;
  while (pos < len) {
    const nl = bytes.indexOf(LF, pos);
    const lineEnd = nl === -1 ? len : nl;
    // A CR is part of the line break only before a LF; a last line's CR is content.
    const contentEnd =
      nl !== -1 && lineEnd > pos && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    let header: RegExpExecArray | null = null;
    if (firstByteCanStartHeader(bytes[pos])) {
      const probe = buf.toString('utf8', pos, Math.min(contentEnd, pos + HEADER_PROBE_BYTES));
      header = HEADER_IOS.exec(probe) ?? HEADER_ANDROID.exec(probe);
    }
    if (header !== null) {
      if (out.length >= CONVERSATION_LIMITS.maxMessages) {
        throw new DossierError(
          'USAGE',
          `This chat has more than ${CONVERSATION_LIMITS.maxMessages.toLocaleString('en-GB')} messages, more than Dossier reads as one conversation. The export is kept as a file.`,
        );
      }
      const bodyStart = pos + Buffer.byteLength(header[0]);
      current = {
        line: lineNo,
        lineEnd: lineNo,
        start: pos,
        end: contentEnd,
        bodyStart,
        firstEnd: contentEnd,
        date: rawDate(header),
      };
      out.push(current);
    } else if (current === null) {
      current = {
        line: lineNo,
        lineEnd: lineNo,
        start: pos,
        end: contentEnd,
        bodyStart: pos,
        firstEnd: contentEnd,
        date: null,
      };
      out.push(current);
    } else {
      current.lineEnd = lineNo;
      current.end = contentEnd;
    }
    if (nl === -1) break;
    pos = nl + 1;
    lineNo++;
  }
  return out;
}

/** The date and time as the export shows them, for problems and the date-order dialog. */
function written(d: RawDate): string {
  return withoutBidiMarks(d.header)
    .replace(/[\s\u00a0\u202f]*(?:\]|[-–]|:)?\s*$/, '')
    .replace(/^\[/, '');
}

// Words some locales write between the date and the time: "at", or the half of the day.
const AT_WORDS = new Set(['klo', 'kl', 'kl.', 'um', 'à', 'om', 'alle', 'às', 'o', 'at']);
const AM_WORDS = new Set(['오전', '上午', '午前']);
const PM_WORDS = new Set(['오후', '下午', '午後']);

function rawDate(m: RegExpExecArray): RawDate {
  const g = (i: number): string => m[i] ?? '';
  const word = g(5).toLowerCase();
  const ampm = g(9).toLowerCase() || (AM_WORDS.has(word) ? 'a' : PM_WORDS.has(word) ? 'p' : '');
  return {
    header: m[0],
    a: Number(g(1)),
    b: Number(g(3)),
    c: Number(g(4)),
    aDigits: g(1).length,
    cDigits: g(4).length,
    hour: Number(g(6)),
    minute: Number(g(7)),
    second: m[8] === undefined ? 0 : Number(m[8]),
    ampm: ampm === 'a' || ampm === 'p' ? ampm : null,
    unknownWord:
      word !== '' && !AM_WORDS.has(word) && !PM_WORDS.has(word) && !AT_WORDS.has(word)
        ? g(5)
        : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Day/month order

export interface DateOrderExample {
  line: number;
  /** The date and time as the export writes them. */
  written: string;
  /** The same date read day first and month first (ISO 8601 dates). */
  dmy: string;
  mdy: string;
}

export interface DateOrderCheck {
  /** The order the data proves, or null. */
  proven: DateOrder | null;
  /** True when the person must choose: no order is proven and some dates read both ways. */
  needed: boolean;
  /** Up to three dates that read differently in the two orders. */
  examples: DateOrderExample[];
  /** A line whose date can only be day first, and one that can only be month first. */
  dayFirstLine: number | null;
  monthFirstLine: number | null;
}

function isYearFirst(d: RawDate): boolean {
  return d.aDigits >= 3;
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fullYear(n: number, digits: number): number {
  // Two-digit years are 20yy: WhatsApp did not exist before 2009.
  return digits <= 2 ? 2000 + n : n;
}

function checkRaw(raw: RawMessage[]): DateOrderCheck {
  let dayFirstLine: number | null = null;
  let monthFirstLine: number | null = null;
  const examples: DateOrderExample[] = [];
  let ambiguous = false;
  for (const r of raw) {
    const d = r.date;
    if (d === null || isYearFirst(d)) continue;
    if (d.a > 12 && d.a <= 31 && d.b <= 12 && dayFirstLine === null) dayFirstLine = r.line;
    if (d.b > 12 && d.b <= 31 && d.a <= 12 && monthFirstLine === null) monthFirstLine = r.line;
    if (d.a !== d.b && d.a >= 1 && d.a <= 12 && d.b >= 1 && d.b <= 12) {
      ambiguous = true;
      if (examples.length < 3) {
        const y = fullYear(d.c, d.cDigits);
        examples.push({
          line: r.line,
          written: written(d),
          dmy: isoDate(y, d.b, d.a),
          mdy: isoDate(y, d.a, d.b),
        });
      }
    }
  }
  const proven =
    dayFirstLine !== null && monthFirstLine === null
      ? 'dmy'
      : monthFirstLine !== null && dayFirstLine === null
        ? 'mdy'
        : null;
  const contradiction = dayFirstLine !== null && monthFirstLine !== null;
  return {
    proven,
    needed: proven === null && (ambiguous || contradiction),
    examples,
    dayFirstLine,
    monthFirstLine,
  };
}

/** Whether the chat text's day/month order is proven, and examples for the person to choose. */
export function checkWhatsAppDateOrder(chatBytes: Uint8Array): DateOrderCheck {
  return checkRaw(scan(chatBytes));
}

function needsChoiceError(check: DateOrderCheck): DossierError {
  if (check.dayFirstLine !== null && check.monthFirstLine !== null) {
    return new DossierError(
      'NEEDS_CHOICE',
      `The dates in this WhatsApp export contradict each other: line ${check.dayFirstLine} can only be day first and line ${check.monthFirstLine} can only be month first. Check the export, then give --date-order dmy (day first) or --date-order mdy (month first); dates that do not fit are reported.`,
    );
  }
  const ex = check.examples[0];
  const shown = ex
    ? ` For example "${ex.written}" on line ${ex.line} could be ${ex.dmy} (day first) or ${ex.mdy} (month first).`
    : '';
  return new DossierError(
    'NEEDS_CHOICE',
    `This WhatsApp export does not say whether its dates are day first or month first, and no date in it settles it.${shown} Give --date-order dmy (day first) or --date-order mdy (month first).`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface WhatsAppChat {
  summary: ConversationSummary;
  messages: ConversationMessage[];
}

/** A snippet of hostile text for a problem: control and bidi characters shown as escapes. */
function snippet(s: string): string {
  const cut = s.length > 60 ? `${s.slice(0, 60)}…` : s;
  // eslint-disable-next-line no-control-regex
  return `"${cut.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

const ATTACHED_IOS = /<\s*([^<>:]{1,40}?)\s*:\s*([^<>]{1,255}?)\s*>/u;
const ATTACHED_IOS_OLD = /^(\S[^<>]{0,254}?)\s*<\s*([^<>]{1,40})\s*>$/u;
const FILE_ATTACHED = /^(\S.{0,254}?) \(([^()]{1,40})\)$/u;

interface Classified {
  kind: MessageKind;
  attachments: MessageAttachment[];
  edited: boolean;
}

/** What a message's text says about itself: deleted, a call, media, edited. */
function classifyBody(firstLine: string, wholeText: string, ledByMark: boolean): Classified {
  const attachments: MessageAttachment[] = [];
  let kind: MessageKind = 'message';
  let edited = false;
  // Every marker holds '<' or '(' or is a short phrase: most messages need no more than this.
  const hasAngle = wholeText.includes('<');
  const short = wholeText.length <= 120;
  if (!hasAngle && !short && !firstLine.includes('(')) return { kind, attachments, edited };
  const first = withoutBidiMarks(firstLine).trim();
  const norm = first.length <= 120 ? normalisePhrase(first) : '';
  let core = short ? normalisePhrase(wholeText) : '';
  if (hasAngle) {
    const tail = normalisePhrase(wholeText.length > 300 ? wholeText.slice(-300) : wholeText);
    const marker = LOCALES.edited.find((e) => tail.endsWith(e));
    if (marker !== undefined) {
      edited = true;
      if (short) core = normalisePhrase(tail.slice(0, tail.length - marker.length));
    }
  }
  if (short && LOCALES.deleted.has(core)) kind = 'deleted';
  else if (ledByMark && isCallPhrase(norm)) kind = 'call';
  if (LOCALES.mediaOmitted.has(norm) || LOCALES.iosOmitted.has(norm)) {
    attachments.push({ name: '', omitted: true });
    return { kind, attachments, edited };
  }
  if (first.includes('<')) {
    const ios = ATTACHED_IOS.exec(first);
    if (ios && LOCALES.attachedLabels.includes(normalisePhrase(ios[1] ?? ''))) {
      attachments.push({ name: (ios[2] ?? '').trim(), omitted: false });
      return { kind, attachments, edited };
    }
    const old = ATTACHED_IOS_OLD.exec(first);
    if (old && LOCALES.attachedLabels.includes(normalisePhrase(old[2] ?? ''))) {
      attachments.push({ name: (old[1] ?? '').trim(), omitted: false });
      return { kind, attachments, edited };
    }
  }
  if (first.endsWith(')')) {
    const fa = FILE_ATTACHED.exec(first);
    if (fa && LOCALES.fileAttached.includes(normalisePhrase(fa[2] ?? ''))) {
      attachments.push({ name: (fa[1] ?? '').trim(), omitted: false });
    }
  }
  return { kind, attachments, edited };
}

function titleFromName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? name;
  const stem = base.replace(/(\.txt|\.zip)+$/i, '');
  // Some phones and mail apps write the name with underscores for spaces.
  const norm = normalisePhrase(stem.replace(/_/g, ' '));
  if (LOCALES.chatFilePrefixes.some((p) => norm.startsWith(p) && norm.length > p.length)) {
    return cleanTitle(stem);
  }
  return null;
}

// Control and text-direction characters: a title must not reorder or hide what is shown.
// eslint-disable-next-line no-control-regex
const TITLE_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function cleanTitle(s: string): string {
  return s.replace(TITLE_UNSAFE, '').trim();
}

function titleFromSenders(senders: string[]): string | null {
  if (senders.length === 0) return null;
  const shown = senders.slice(0, 3).map(cleanTitle).join(', ');
  return `WhatsApp chat: ${shown}${senders.length > 3 ? ` and ${senders.length - 3} more` : ''}`;
}

interface Resolved {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The date's parts in the order, or why they do not make a date. */
function resolve(d: RawDate, order: DateOrder): Resolved | string {
  let y: number;
  let mo: number;
  let day: number;
  if (isYearFirst(d)) {
    y = d.a;
    mo = d.b;
    day = d.c;
  } else {
    y = fullYear(d.c, d.cDigits);
    mo = order === 'dmy' ? d.b : d.a;
    day = order === 'dmy' ? d.a : d.b;
  }
  if (y < 2000 || y > 2199) return `the year ${y} is not one WhatsApp could have written`;
  if (mo < 1 || mo > 12) return `there is no month ${mo}`;
  const max = mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 31);
  if (day < 1 || day > max) return `there is no day ${day} in month ${mo} of ${y}`;
  let h = d.hour;
  if (d.ampm !== null) {
    if (h < 1 || h > 12) return `${h} is not an hour on a 12-hour clock`;
    h = (h % 12) + (d.ampm === 'p' ? 12 : 0);
  } else if (h > 23) return `there is no hour ${h}`;
  if (d.minute > 59) return `there is no minute ${d.minute}`;
  if (d.second > 59) return `there is no second ${d.second}`;
  return { y, mo, d: day, h, mi: d.minute, s: d.second };
}

/**
 * Reads a WhatsApp chat text file. Every line is in exactly one message's span; nothing is
 * dropped. Throws NEEDS_CHOICE when the day/month order is neither proven nor given, USAGE
 * for an unknown time zone or a file past the limits.
 */
export function readWhatsAppChat(
  bytes: Uint8Array,
  opts: ReadOptions,
  name?: string,
): WhatsAppChat {
  if (bytes.length > CONVERSATION_LIMITS.maxChatFileBytes) {
    throw new DossierError(
      'USAGE',
      `This chat text is ${bytes.length.toLocaleString('en-GB')} bytes, more than the ${CONVERSATION_LIMITS.maxChatFileBytes.toLocaleString('en-GB')} Dossier reads as one conversation. The export is kept as a file.`,
    );
  }
  const zoneName =
    opts.timeZone !== undefined
      ? checkTimeZone(opts.timeZone, 'The time zone')
      : checkTimeZone(opts.defaultTimeZone, "This computer's time zone");
  const timeSource =
    opts.timeZone !== undefined ? 'export-local-confirmed' : 'export-local-assumed';
  if (opts.dateOrder !== undefined && opts.dateOrder !== 'dmy' && opts.dateOrder !== 'mdy') {
    throw new DossierError(
      'USAGE',
      `The date order must be dmy (day first) or mdy (month first), not ${JSON.stringify(String(opts.dateOrder)).slice(0, 40)}.`,
    );
  }
  const problems: ConversationProblem[] = [];
  const buf = asBuffer(bytes);

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    problems.push({
      line: null,
      offset: 0,
      message:
        'The chat text is in UTF-16, which WhatsApp does not write; it was not read as messages.',
    });
    return { summary: summary(name, [], null, null, zoneName, opts, problems), messages: [] };
  }
  const raw = scan(bytes);
  const check = checkRaw(raw);
  let order: DateOrder | null;
  let orderSource: 'proven' | 'given' | null;
  if (opts.dateOrder !== undefined) {
    order = opts.dateOrder;
    orderSource = 'given';
    const against = order === 'dmy' ? check.monthFirstLine : check.dayFirstLine;
    if (against !== null) {
      problems.push({
        line: against,
        offset: null,
        message: `The date on line ${against} cannot be ${order === 'dmy' ? 'day' : 'month'} first, as was chosen; dates that do not fit are reported and have no time.`,
      });
    }
  } else if (check.proven !== null) {
    order = check.proven;
    orderSource = 'proven';
  } else if (check.needed) {
    throw needsChoiceError(check);
  } else {
    // No date reads two ways (none at all, or all year first, or all with day = month):
    // either order gives the same dates, and the summary says no order was needed.
    order = null;
    orderSource = null;
  }
  const readOrder: DateOrder = order ?? 'dmy';

  if (!isUtf8(bytes)) {
    let reported = 0;
    for (const r of raw) {
      if (!isUtf8(bytes.subarray(r.start, r.end))) {
        if (reported++ < 100) {
          problems.push({
            line: r.line,
            offset: r.start,
            message: `Lines ${r.line}–${r.lineEnd} are not valid UTF-8; the text shows U+FFFD where bytes could not be read (the bytes themselves are kept).`,
          });
        }
      }
    }
  }

  const unknownWords = new Set<string>();
  for (const r of raw) {
    const w = r.date?.unknownWord;
    if (w === undefined || w === null || unknownWords.has(w)) continue;
    unknownWords.add(w);
    problems.push({
      line: r.line,
      offset: r.start,
      message: `The word ${snippet(w)} before the time on line ${r.line} is not one Dossier knows; such times are read as a 24-hour clock and may be 12 hours out.`,
    });
  }

  const zone = new ZoneOffsets(zoneName);
  const messages: ConversationMessage[] = [];
  const senders = new Map<string, true>();
  let previousEpoch = -Infinity;
  for (const r of raw) {
    const details: Record<string, unknown> = {};
    // The sender's colon, found in the bytes (':' and ' ' never occur inside a UTF-8
    // sequence), so the text's byte position is exact even around undecodable bytes.
    const colon = r.date === null ? -1 : senderColon(bytes, r.bodyStart, r.firstEnd);
    const textStart = colon < 0 ? r.bodyStart : colon + (bytes[colon + 1] === 0x20 ? 2 : 1);
    let text = buf.toString('utf8', textStart, r.end);
    if (text.length > CONVERSATION_LIMITS.maxMessageChars) {
      text = text.slice(0, CONVERSATION_LIMITS.maxMessageChars);
      details.truncated = true;
      problems.push({
        line: r.line,
        offset: r.start,
        message: `The message on line ${r.line} is longer than ${CONVERSATION_LIMITS.maxMessageChars.toLocaleString('en-GB')} characters; its text is cut there (its bytes are all kept).`,
      });
    }

    // Time
    let time: string | null = null;
    let source: ConversationMessage['timeSource'] = 'none';
    if (r.date !== null) {
      const res = resolve(r.date, readOrder);
      if (typeof res === 'string') {
        problems.push({
          line: r.line,
          offset: r.start,
          message: `The date "${written(r.date)}" on line ${r.line} cannot be read: ${res}. The message keeps its place but has no time.`,
        });
      } else {
        const wall = utcMs(res.y, res.mo, res.d, res.h, res.mi, res.s);
        const p = placeWallClock(zone, wall);
        let chosen = { epochMs: p.epochMs, offsetMs: p.offsetMs };
        if (p.transition === 'fold' && p.alternative !== null) {
          const second = previousEpoch > p.epochMs;
          if (second) chosen = p.alternative;
          problems.push({
            line: r.line,
            offset: r.start,
            message: `The time "${written(r.date)}" on line ${r.line} happened twice in ${zoneName} (the clocks went back). The ${second ? `second (${offsetText(p.alternative.offsetMs)}) was used, because the message before it is later than the first` : `first (${offsetText(p.offsetMs)}) was used`}.`,
          });
        } else if (p.transition === 'gap') {
          problems.push({
            line: r.line,
            offset: r.start,
            message: `The time "${written(r.date)}" on line ${r.line} did not exist in ${zoneName} (the clocks went forward). It was read with the offset before the change, as calendars do: ${isoWithOffset(p.epochMs, p.offsetMs)}.`,
          });
        }
        previousEpoch = chosen.epochMs;
        time = isoWithOffset(chosen.epochMs, chosen.offsetMs);
        source = timeSource;
      }
    }

    // Sender, kind, attachments
    let kind: MessageKind = 'system';
    let sender = '';
    let senderId: string | null = null;
    let edited = false;
    let attachments: MessageAttachment[] = [];
    if (r.date === null) {
      problems.push({
        line: r.line,
        offset: r.start,
        message: `Lines ${r.line}–${r.lineEnd} come before the first message and have no date; kept as a system message.`,
      });
    } else if (
      colon > 0 &&
      r.line === r.lineEnd &&
      /["'“”„«»‘’]/.test(buf.toString('utf8', r.bodyStart, colon)) &&
      isSystemPhrase(normalisePhrase(buf.toString('utf8', r.bodyStart, r.firstEnd)))
    ) {
      // A system line whose quoted subject holds ": " (Bob changed the subject to "a: b").
      kind = 'system';
      text = buf.toString('utf8', r.bodyStart, r.firstEnd);
    } else if (colon > 0) {
      sender = cleanSender(buf.toString('utf8', r.bodyStart, colon));
      const bodyFirst = buf.toString('utf8', textStart, r.firstEnd);
      const ledByMark = /^[\u200e\u200f]/.test(bodyFirst);
      const c = classifyBody(bodyFirst, text, ledByMark);
      kind = c.kind;
      edited = c.edited;
      attachments = c.attachments;
      if (
        kind === 'message' &&
        ledByMark &&
        bodyFirst.length <= 1200 &&
        isSystemPhrase(normalisePhrase(bodyFirst))
      ) {
        // iOS writes group events under the group's name, after U+200E.
        kind = 'system';
        details.shownAs = sender;
        sender = '';
      }
      if (sender !== '') {
        senderId = sender;
        senders.set(sender, true);
      }
    } else {
      // Enough of the line to classify it: events are short (MAX_SYSTEM_CHARS).
      const norm = normalisePhrase(
        buf.toString('utf8', r.bodyStart, Math.min(r.firstEnd, r.bodyStart + 4 * MAX_SYSTEM_CHARS)),
      );
      if (isSystemPhrase(norm)) kind = 'system';
      else if (isCallPhrase(norm)) kind = 'call';
      else {
        problems.push({
          line: r.line,
          offset: r.start,
          message: `Line ${r.line} has no sender and is not a system message Dossier knows (${snippet(buf.toString('utf8', r.bodyStart, r.firstEnd))}); kept as a system message.`,
        });
      }
    }
    messages.push({
      index: messages.length,
      kind,
      sender,
      senderId,
      time,
      timeSource: source,
      text,
      edited,
      offset: r.start,
      length: r.end - r.start,
      line: r.line,
      lineEnd: r.lineEnd,
      attachments,
      externalId: null,
      replyTo: null,
      details,
    });
  }
  if (raw.length === 0) {
    problems.push({ line: null, offset: null, message: 'The chat text holds no messages.' });
  }
  capProblems(problems);
  return {
    summary: summary(
      name,
      [...senders.keys()],
      order,
      orderSource,
      zoneName,
      opts,
      problems,
      messages.length,
    ),
    messages,
  };
}

const MAX_PROBLEMS = 1000;

/** A hostile file can have a problem on every line: the first ones are listed, then a count. */
function capProblems(problems: ConversationProblem[]): void {
  if (problems.length <= MAX_PROBLEMS) return;
  const more = problems.length - (MAX_PROBLEMS - 1);
  problems.splice(MAX_PROBLEMS - 1, problems.length, {
    line: null,
    offset: null,
    message: `${more.toLocaleString('en-GB')} more problems were found and are not listed; each is like those above.`,
  });
}

/** The byte of the ':' after "Name" on a message's first line, or -1. Names are short. */
function senderColon(bytes: Uint8Array, start: number, end: number): number {
  const limit = Math.min(end, start + MAX_SENDER_BYTES + 2);
  for (let i = start + 1; i < limit; i++) {
    if (bytes[i] !== 0x3a) continue;
    if (bytes[i + 1] === 0x20 && i + 1 < end) return i;
    if (i === end - 1) return i;
  }
  return -1;
}

function cleanSender(s: string): string {
  return withoutBidiMarks(s).trim();
}

function summary(
  name: string | undefined,
  senders: string[],
  order: DateOrder | null,
  orderSource: 'proven' | 'given' | null,
  zone: string,
  opts: ReadOptions,
  problems: ConversationProblem[],
  count = 0,
): ConversationSummary {
  return {
    format: 'whatsapp',
    reader: WHATSAPP_READER,
    chatFile: null,
    title: titleFromName(name) ?? titleFromSenders(senders) ?? 'WhatsApp chat',
    messageCount: count,
    dateOrder: order,
    dateOrderSource: orderSource,
    timeZone: zone,
    timeZoneSource: opts.timeZone !== undefined ? 'given' : 'computer',
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Exports: a zip with the chat text and media, or the chat text alone

/** The chat text's entry in a zip: `_chat.txt` (iOS) or "WhatsApp Chat with X.txt" and its
 *  translations (Android); else the only `.txt` at the top. Null when there is none. */
export function findChatEntry(archive: Archive): ArchiveEntry | { ambiguous: string[] } | null {
  const readable = archive.entries.filter((e) => e.refused === null);
  // At the top of the zip; else inside one top folder (a person who unzipped and re-zipped).
  const top = readable.filter((e) => !/[/\\]/.test(e.name));
  const folders = new Set(readable.map((e) => /^([^/\\]+)[/\\][^/\\]+$/.exec(e.name)?.[1] ?? ''));
  folders.delete('');
  const folder = [...folders][0];
  for (const level of [
    top,
    folders.size === 1 && folder !== undefined ? inFolder(readable, folder) : [],
  ]) {
    const txt = level.filter((e) => /\.txt$/i.test(e.name));
    const ios = txt.filter((e) => baseName(e.name) === '_chat.txt');
    const android = txt.filter((e) => {
      const norm = normalisePhrase(baseName(e.name).replace(/_/g, ' '));
      return LOCALES.chatFilePrefixes.some((p) => norm.startsWith(p));
    });
    const pick = ios.length > 0 ? ios : android.length > 0 ? android : txt;
    if (pick.length === 1) return pick[0] ?? null;
    if (pick.length > 1) return { ambiguous: pick.map((e) => e.name) };
  }
  return null;
}

function baseName(name: string): string {
  return name.split(/[/\\]/).pop() ?? name;
}

function inFolder(entries: ArchiveEntry[], folder: string): ArchiveEntry[] {
  return entries.filter((e) => e.name.startsWith(`${folder}/`) || e.name.startsWith(`${folder}\\`));
}

export interface WhatsAppExport extends WhatsAppChat {
  /** Every readable file in the zip besides the chat text (empty for a .txt export). */
  media: MediaFile[];
  /** The bytes the messages' offsets count into (the chat text), or null when none was read. */
  chatBytes: Uint8Array | null;
}

const CHAT_FILE_NAMES =
  '_chat.txt, "WhatsApp Chat with …​.txt" or its translation, or a single .txt file';

/**
 * Reads a WhatsApp export: a zip (iOS or Android, with or without media) or the chat text.
 * A zip that cannot be read, or holds no chat text, gives no messages and says why in the
 * summary's problems (the original is stored regardless). Throws NEEDS_CHOICE and the
 * limit errors of readWhatsAppChat.
 */
export async function readWhatsAppExport(
  bytes: Uint8Array | RangeSource,
  name: string,
  opts: ReadOptions,
): Promise<WhatsAppExport> {
  if (bytes instanceof Uint8Array && !isZip(bytes)) {
    const chat = readWhatsAppChat(bytes, opts, name);
    const named = chat.messages.filter((m) => m.attachments.some((a) => !a.omitted)).length;
    if (named > 0) {
      chat.summary.problems.push({
        line: null,
        offset: null,
        message: `${named} message${named === 1 ? ' names an attached file' : 's name attached files'}, but this export is the chat text alone: the files are not in it.`,
      });
    }
    return { ...chat, media: [], chatBytes: bytes };
  }
  const label = 'The zip';
  let archive: Archive;
  try {
    archive = await openArchive(bytes, label);
  } catch (e) {
    if (e instanceof DossierError && e.code === 'CORRUPT') {
      return emptyExport(name, opts, e.message);
    }
    throw e;
  }
  const found = findChatEntry(archive);
  if (found === null || 'ambiguous' in found) {
    const why =
      found === null
        ? `No chat text was found in the zip (looked for ${CHAT_FILE_NAMES}); it holds ${archive.entries.length} file${archive.entries.length === 1 ? '' : 's'}.`
        : `The zip holds more than one chat text (${found.ambiguous.map(shownName).join(', ')}), so which one is the conversation is ambiguous.`;
    const out = emptyExport(name, opts, why);
    out.summary.problems.unshift(...archive.problems);
    out.media = mediaFiles(archive, null);
    return out;
  }
  let chatBytes: Uint8Array;
  let checksumMatches: boolean;
  try {
    ({ bytes: chatBytes, checksumMatches } = await archive.readChecked(
      found,
      CONVERSATION_LIMITS.maxChatFileBytes,
    ));
  } catch (e) {
    if (e instanceof DossierError && (e.code === 'CORRUPT' || e.code === 'USAGE')) {
      const out = emptyExport(name, opts, e.message);
      out.summary.problems.unshift(...archive.problems);
      out.media = mediaFiles(archive, found);
      return out;
    }
    throw e;
  }
  const chat = readWhatsAppChat(chatBytes, opts, name);
  chat.summary.chatFile = found.name;
  chat.summary.problems.unshift(...archive.problems);
  if (!checksumMatches) {
    // Read anyway: the zip is the evidence and is stored as it is; the person must know.
    chat.summary.problems.unshift({
      line: null,
      offset: null,
      message: `The chat text ${shownName(found.name)} does not match the checksum the zip records: it was damaged or changed after the export was made. Its messages are read as they are.`,
    });
  }
  const refusedNames = new Set(
    archive.entries.filter((e) => e.refused !== null).map((e) => e.name),
  );
  // Messages name files beside the chat text: in its folder when the zip has one.
  const dir = found.name.slice(0, found.name.length - baseName(found.name).length);
  for (const m of chat.messages) {
    for (const a of m.attachments) {
      if (a.omitted) continue;
      if (dir !== '' && archive.find(dir + a.name) !== undefined) a.name = dir + a.name;
      if (archive.find(a.name) !== undefined || refusedNames.has(a.name)) continue;
      chat.summary.problems.push({
        line: m.line,
        offset: m.offset,
        message: `The message on line ${m.line} names the file ${shownName(a.name)}, which is not in the zip.`,
      });
    }
  }
  capProblems(chat.summary.problems);
  return { ...chat, media: mediaFiles(archive, found), chatBytes };
}

function mediaFiles(archive: Archive, chat: ArchiveEntry | null): MediaFile[] {
  return archive.entries
    .filter((e) => e.refused === null && e !== chat)
    .map((e) => ({ name: e.name, size: e.size, read: () => archive.read(e) }));
}

function emptyExport(name: string, opts: ReadOptions, why: string): WhatsAppExport {
  const zone =
    opts.timeZone !== undefined
      ? checkTimeZone(opts.timeZone, 'The time zone')
      : checkTimeZone(opts.defaultTimeZone, "This computer's time zone");
  return {
    summary: summary(name, [], null, null, zone, opts, [
      { line: null, offset: null, message: why },
    ]),
    messages: [],
    media: [],
    chatBytes: null,
  };
}

/**
 * The date-order question for the app's dialog: whether the person must choose, with
 * examples from the export (zip or chat text). Null when there is no chat text to ask about.
 */
export async function whatsAppDateOrderCheck(
  source: Uint8Array | { path: string } | RangeSource,
): Promise<DateOrderCheck | null> {
  // A zip is read in place from its file or blob (its media can be gigabytes); text as bytes.
  if (source instanceof Uint8Array && !isZip(source)) return checkWhatsAppDateOrder(source);
  let archive: Archive;
  try {
    archive = await openArchive(source, 'The zip');
  } catch {
    return null;
  }
  try {
    const found = findChatEntry(archive);
    if (found === null || 'ambiguous' in found) return null;
    const { bytes: chat } = await archive.readChecked(found, CONVERSATION_LIMITS.maxChatFileBytes);
    return checkWhatsAppDateOrder(chat);
  } catch {
    return null;
  } finally {
    archive.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The reader ingest calls (types.ts, ConversationReader)

const HEAD_LINE = /^(?:\ufeff)?[\u200e\u200f]{0,3}\[?\d{1,4}[./-] ?\d{1,4}[./-] ?\d{1,4}/;

/** Names of the zip entries whose local headers lie within the head (data, never paths). */
function localHeaderNames(head: Uint8Array): string[] {
  const buf = asBuffer(head);
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= buf.length && names.length < 64) {
    if (buf.readUInt32LE(at) !== 0x04034b50) break;
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const compressed = buf.readUInt32LE(at + 18);
    const flags = buf.readUInt16LE(at + 6);
    names.push(buf.toString('utf8', at + 30, Math.min(buf.length, at + 30 + nameLength)));
    // With a data descriptor (flag 8) the size is not in the header: stop there.
    if ((flags & 8) !== 0) break;
    at += 30 + nameLength + extraLength + compressed;
  }
  return names;
}

export const whatsappReader: ConversationReader = {
  format: 'whatsapp',
  detect(head: Uint8Array, name: string): boolean {
    const lower = normalisePhrase(name.split(/[\\/]/).pop() ?? name);
    if (isZip(head)) {
      // The export's own name, or a chat text among the entries whose headers are in the head.
      return (
        titleFromName(name) !== null ||
        localHeaderNames(head).some((n) => n === '_chat.txt' || titleFromName(n) !== null)
      );
    }
    if (!/\.txt$/i.test(lower)) return false;
    const text = Buffer.from(head.subarray(0, 256)).toString('utf8');
    const line = text.replace(/^\ufeff/, '');
    return HEAD_LINE.test(text) && (HEADER_IOS.test(line) || HEADER_ANDROID.test(line));
  },
  async open(file, opts) {
    // A zip is read in place, whatever its size (its media can be gigabytes); a .txt whole.
    const source = isZip(file.head)
      ? { size: file.size, readRange: (s: number, e: number) => file.readRange(s, e) }
      : await file.bytes();
    const read = await readWhatsAppExport(source, file.name, opts);
    read.summary.messageCount = read.messages.length;
    return {
      chatFile: read.summary.chatFile,
      messages: read.messages,
      summary: () => read.summary,
      media: read.media,
    };
  },
};
