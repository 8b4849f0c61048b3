// Splits an mbox file into its messages, streaming, keeping each message's exact bytes
// (docs/conversations.md, "mbox"). Pure: chunks in, spans out. It never throws on hostile
// input, looks at each byte a bounded number of times (at most twice: once more after a
// Content-Length that did not land), and holds at most one message (up to maxMessageBytes)
// plus the detection window in memory, whatever the mailbox's size.
import { createHash, type Hash } from 'node:crypto';
import { CONVERSATION_LIMITS, type ConversationProblem } from './types';

/**
 * mboxo: "From " lines in bodies were quoted as ">From " (not reversible: kept as written).
 * mboxrd: every /^>*From / line got one more ">" (reversed: one ">" removed).
 * mboxcl: Content-Length headers, quoting as mboxo (kept as written).
 * mboxcl2: Content-Length headers, no quoting.
 */
export const MBOX_VARIANTS = ['mboxo', 'mboxrd', 'mboxcl', 'mboxcl2'] as const;
export type MboxVariant = (typeof MBOX_VARIANTS)[number];

export const MBOX_LIMITS = {
  /** A message is buffered (and read) up to this size; past it only its span and hash are kept. */
  maxMessageBytes: 64 * 1024 * 1024,
  /** The variant is detected from the messages that start in the file's first bytes. */
  detectBytes: 1024 * 1024,
  /** The From_ line as recorded (it is data, shown escaped); longer ones are cut. */
  maxFromLineChars: 1000,
} as const;

export interface SplitOptions {
  /** The variant, when the person or the caller knows it; detected otherwise. */
  variant?: MboxVariant;
  maxMessageBytes?: number;
  detectBytes?: number;
  /** Messages read at most; the bytes after them are `rest` (CONVERSATION_LIMITS.maxMessages). */
  maxMessages?: number;
}

/** One message of the mailbox and its exact place in the file. */
export interface MboxMessage {
  /** From 0, in file order (a leading non-mbox message, if any, is 0). */
  index: number;
  /**
   * The span: from the first byte of the message's "From " line through the byte before the
   * next message's "From " line (or the end of the file). It includes the From_ line and the
   * empty line that separates it from the next message.
   */
  offset: number;
  length: number;
  /** 1-based lines of the span's first and last bytes. */
  line: number;
  lineEnd: number;
  /** The From_ line without "From " and its line break (latin-1, cut); null for leading bytes. */
  fromLine: string | null;
  /**
   * The message itself: the span without its From_ line and without the one empty line (LF or
   * CRLF) that ends the span, if it ends with one; mboxrd quoting undone when the variant is
   * mboxrd. Null when the message is over maxMessageBytes (it is not read).
   */
  raw: Uint8Array | null;
  /** SHA-256 (hex) of the span's bytes exactly as in the file. */
  sha256: string;
  /** What was wrong with this message (its place in `line`/`offset`). */
  problems: ConversationProblem[];
}

export interface MboxSplitSummary {
  variant: MboxVariant;
  /** given: the caller said so; detected: from evidence in the file; default: no evidence. */
  variantSource: 'given' | 'detected' | 'default';
  /** Plain words: why this variant. */
  variantReason: string;
  /** The line ending of the From_ lines: 'lf', 'crlf', 'mixed', or null without any. */
  lineEnding: 'lf' | 'crlf' | 'mixed' | null;
  bytes: number;
  messageCount: number;
  /** Blank bytes before the first From_ line, which are not a message (see docs). */
  leading: { offset: number; length: number } | null;
  /** The bytes after the last message read, when there were more than maxMessages. */
  rest: { offset: number; length: number } | null;
  problems: ConversationProblem[];
}

const SEP = Buffer.from('\nFrom ', 'latin1');
const NL = 0x0a;
const CR = 0x0d;
const MIB = 1024 * 1024;

/** Bytes not yet handed out, with room to grow; `base` is the file offset of data[start]. */
class ByteQueue {
  data: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  base = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** The file offset just past the last byte read. */
  get fileEnd(): number {
    return this.base + this.length;
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.data.length) {
      const live = this.length;
      // Compacting copies `live` bytes; doing it only when at least as many were freed keeps
      // the copying linear overall. Otherwise the buffer doubles.
      if (this.start >= live && live + chunk.length <= this.data.length) {
        this.data.copy(this.data, 0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(
          Math.max(2 * this.data.length, live + chunk.length, 64 * 1024),
        );
        this.data.copy(grown, 0, this.start, this.end);
        this.data = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.data.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Drops `n` bytes from the front (they have been handed out or hashed). */
  drop(n: number): void {
    this.start += n;
    this.base += n;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  /** The live bytes (and the handed-out ones before them), for searching: never past `end`. */
  view(): Buffer {
    return this.data.subarray(0, this.end);
  }

  /** data index of file offset `at`. */
  idx(at: number): number {
    return this.start + (at - this.base);
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  const b = buf.subarray(from, to);
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** Whether buf[i..] starts with "From " (i + 5 must be within the buffer). */
function isFrom(buf: Uint8Array, i: number): boolean {
  return (
    buf[i] === 0x46 &&
    buf[i + 1] === 0x72 &&
    buf[i + 2] === 0x6f &&
    buf[i + 3] === 0x6d &&
    buf[i + 4] === 0x20
  );
}

const CONTENT_LENGTH = 'content-length:';

/** The value of a "Content-Length: N" header line, or null (not that header, or unreadable). */
function contentLength(buf: Uint8Array, from: number, to: number): number | 'bad' | null {
  if (to - from < CONTENT_LENGTH.length) return null;
  for (let k = 0; k < CONTENT_LENGTH.length; k++) {
    const c = buf[from + k]! | 0x20; // ASCII lower case; ':' and '-' are unchanged by | 0x20
    if (c !== CONTENT_LENGTH.charCodeAt(k)) return null;
  }
  let i = from + CONTENT_LENGTH.length;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let end = to;
  while (end > i && (buf[end - 1] === 0x20 || buf[end - 1] === 0x09 || buf[end - 1] === CR)) end--;
  if (end === i || end - i > 15) return 'bad';
  let n = 0;
  for (let k = i; k < end; k++) {
    const d = buf[k]! - 0x30;
    if (d < 0 || d > 9) return 'bad';
    n = n * 10 + d;
  }
  return n;
}

/** The span without its From_ line and its separating empty line (see MboxMessage.raw). */
function messageBytes(span: Uint8Array, fromLineLength: number): Uint8Array {
  let end = span.length;
  if (end >= 2 && span[end - 1] === NL && span[end - 2] === NL) end -= 1;
  else if (
    end >= 4 &&
    span[end - 1] === NL &&
    span[end - 2] === CR &&
    span[end - 3] === NL &&
    span[end - 4] === CR
  ) {
    end -= 2;
  }
  return span.subarray(Math.min(fromLineLength, end), end);
}

const QUOTED_FROM = Buffer.from('>From ', 'latin1');

/** Line starts of /^>+From / lines: [position of the first '>', number of '>']. */
function* quotedFromLines(buf: Buffer): Generator<[number, number]> {
  for (let i = buf.indexOf(QUOTED_FROM); i >= 0; i = buf.indexOf(QUOTED_FROM, i + 1)) {
    // Walk back over the run of '>' before this one: each run ends at one match, so the walks
    // together are at most the buffer's length.
    let s = i;
    while (s > 0 && buf[s - 1] === 0x3e) s--;
    if (s === 0 || buf[s - 1] === NL) yield [s, i - s + 1];
  }
}

/** mboxrd: one '>' removed from every /^>+From / line. */
export function unquoteMboxrd(raw: Uint8Array): Uint8Array {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const parts: Uint8Array[] = [];
  let copied = 0;
  for (const [s] of quotedFromLines(buf)) {
    parts.push(buf.subarray(copied, s));
    copied = s + 1;
  }
  if (parts.length === 0) return raw;
  parts.push(buf.subarray(copied));
  return Buffer.concat(parts);
}

/** The From_ line's text: without "From " and its line break, decoded as UTF-8, cut. */
function fromLineText(line: Uint8Array, maxChars: number): string {
  let end = line.length;
  if (end > 0 && line[end - 1] === NL) end--;
  if (end > 0 && line[end - 1] === CR) end--;
  const start = Math.min(5, end);
  const cut = Math.min(end, start + maxChars);
  const text = Buffer.from(line.buffer, line.byteOffset + start, cut - start).toString('utf8');
  return cut < end ? `${text}…` : text;
}

function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== NL && c !== CR) return false;
  }
  return true;
}

/** A size in plain words: "64 MiB", "1.5 MiB", "900 bytes". */
function size(n: number): string {
  if (n < 1024 * 1024) return n < 1024 ? `${n} bytes` : `${Math.round(n / 1024)} KiB`;
  return `${Number((n / MIB).toFixed(1))} MiB`;
}

/** A message being read: where it starts, what part of it has been looked at. */
interface Current {
  index: number;
  offset: number;
  line: number;
  /** Bytes before the first From_ line (no From_ line of its own). */
  leading: boolean;
  phase: 'fromline' | 'headers' | 'body';
  /** headers: file offset of the line being looked at; body: where the next search starts. */
  pos: number;
  /** File offset from which to look for the end of the current line (long lines). */
  searchFrom: number;
  fromLineLength: number;
  fromLineEnding: 'lf' | 'crlf' | null;
  bodyStart: number;
  contentLength: number | null;
  /** File offset where the Content-Length says the body ends, while that is being checked. */
  clEnd: number | null;
  clHonoured: boolean;
  /** Past maxMessageBytes: bytes are hashed and dropped as they come. */
  overflow: { hash: Hash; newlines: number; lastByte: number; fromLine: string | null } | null;
  problems: ConversationProblem[];
}

interface Evidence {
  clHonoured: number;
  quotedOnce: number;
  quotedMore: number;
  /** Unquoted "From " lines inside bodies whose Content-Length was honoured. */
  bareInClBody: number;
}

type Decision = Pick<MboxSplitSummary, 'variant' | 'variantSource' | 'variantReason'>;

/** The variant the detection window's evidence points to (docs/conversations.md). */
export function decideVariant(e: Evidence): Decision {
  if (e.clHonoured > 0) {
    if (e.bareInClBody === 0 && e.quotedOnce + e.quotedMore > 0) {
      return {
        variant: 'mboxcl',
        variantSource: 'detected',
        variantReason:
          'Messages carry Content-Length headers that end at the next "From " line, and "From " lines inside them are quoted (">From ").',
      };
    }
    return {
      variant: 'mboxcl2',
      variantSource: 'detected',
      variantReason: 'Messages carry Content-Length headers that end at the next "From " line.',
    };
  }
  if (e.quotedMore > 0) {
    return {
      variant: 'mboxrd',
      variantSource: 'detected',
      variantReason: 'Lines starting ">>From " are present, which only mboxrd quoting writes.',
    };
  }
  return {
    variant: 'mboxo',
    variantSource: 'default',
    variantReason:
      'Nothing in the file marks another variant, so ">From " lines are kept as written.',
  };
}

/**
 * The messages of an mbox file, in order, as its chunks arrive (chunks must not be changed
 * after they are handed over). Returns the summary (variant, problems) when done. An error
 * from `chunks` itself (the file could not be read) is thrown on: it is not the mailbox's.
 */
export async function* splitMbox(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: SplitOptions = {},
): AsyncGenerator<MboxMessage, MboxSplitSummary, undefined> {
  const limit = Math.max(64, opts.maxMessageBytes ?? MBOX_LIMITS.maxMessageBytes);
  const detectBytes = opts.detectBytes ?? MBOX_LIMITS.detectBytes;
  const q = new ByteQueue();
  const problems: ConversationProblem[] = [];
  const evidence: Evidence = { clHonoured: 0, quotedOnce: 0, quotedMore: 0, bareInClBody: 0 };
  let decided: Decision | null = opts.variant
    ? {
        variant: opts.variant,
        variantSource: 'given',
        variantReason: 'Given by the person or program that added the mailbox, not detected.',
      }
    : null;
  // Content-Length headers are honoured in the mboxcl variants, and tentatively while detecting.
  const clOn = () =>
    decided ? decided.variant === 'mboxcl' || decided.variant === 'mboxcl2' : true;
  const endings = { lf: 0, crlf: 0 };
  let leading: MboxSplitSummary['leading'] = null;
  const maxMessages = Math.max(1, opts.maxMessages ?? CONVERSATION_LIMITS.maxMessages);
  /** Where reading stopped after maxMessages messages (the rest is only counted). */
  let stoppedAt: number | null = null;
  let eof = false;
  let started = false;
  let nextIndex = 0;
  let nextLine = 1;
  let cur: Current | null = null;
  /** Finished messages whose raw waits for the variant (only while detecting). */
  const held: Array<{ m: MboxMessage; fromLineLength: number; span: Buffer | null }> = [];
  const out: MboxMessage[] = [];

  const open = (offset: number, isLeading: boolean): Current | null => {
    if (nextIndex >= maxMessages) {
      stoppedAt = offset;
      return null;
    }
    return start(offset, isLeading);
  };

  const start = (offset: number, isLeading: boolean): Current => ({
    index: nextIndex,
    offset,
    line: nextLine,
    leading: isLeading,
    phase: isLeading ? 'headers' : 'fromline',
    pos: offset,
    searchFrom: offset,
    fromLineLength: 0,
    fromLineEnding: null,
    bodyStart: -1,
    contentLength: null,
    clEnd: null,
    clHonoured: false,
    overflow: null,
    problems: [],
  });

  const problemAt = (c: Current, message: string) =>
    c.problems.push({ line: c.line, offset: c.offset, message });

  const rawOf = (span: Buffer, fromLineLength: number): Uint8Array => {
    const raw = messageBytes(span, fromLineLength);
    return decided?.variant === 'mboxrd' ? unquoteMboxrd(raw) : raw;
  };

  /** Detection evidence from a finished message in the window. */
  const gather = (span: Buffer, c: Current) => {
    for (const [, quotes] of quotedFromLines(span.subarray(c.fromLineLength))) {
      if (quotes === 1) evidence.quotedOnce++;
      else evidence.quotedMore++;
    }
    if (c.clHonoured) {
      evidence.clHonoured++;
      const body = span.subarray(c.bodyStart - 1 - c.offset);
      // The span stops before the next From_ line, so every one found is inside the body.
      for (let i = body.indexOf(SEP); i >= 0; i = body.indexOf(SEP, i + 1)) {
        evidence.bareInClBody++;
      }
    }
  };

  // A From_ line is recorded up to this many characters: fewer than a message over the limit
  // has buffered, so it reads the same whether or not the message overflowed.
  const fromLineChars = Math.min(MBOX_LIMITS.maxFromLineChars, limit - 8);

  /**
   * Ends the current message at file offset `end` (exclusive); the queue then starts there.
   * Everything recorded depends only on the file's bytes, never on how they were chunked.
   */
  const finish = (c: Current, end: number): void => {
    const from = q.start;
    const to = q.idx(end);
    const length = end - c.offset;
    const over = c.overflow !== null || length > limit;
    let sha256: string;
    let newlines: number;
    let endsWithNl: boolean;
    let span: Buffer | null = null;
    if (c.overflow) {
      const tail = q.data.subarray(from, to);
      sha256 = c.overflow.hash.update(tail).digest('hex');
      newlines = c.overflow.newlines + countNewlines(q.data, from, to);
      endsWithNl = (tail.length > 0 ? tail[tail.length - 1] : c.overflow.lastByte) === NL;
    } else {
      span = Buffer.from(q.data.subarray(from, to)); // a copy: the queue's memory is reused
      sha256 = createHash('sha256').update(span).digest('hex');
      newlines = countNewlines(span, 0, span.length);
      endsWithNl = span.length > 0 && span[span.length - 1] === NL;
    }
    q.drop(to - from);
    nextLine = c.line + newlines;
    nextIndex = c.index + 1;
    if (c.leading && span && !over && isBlank(span)) {
      nextIndex = c.index;
      if (length > 0) {
        leading = { offset: c.offset, length };
        problems.push({
          line: 1,
          offset: 0,
          message: `The mailbox starts with ${length} blank byte${length === 1 ? '' : 's'} before its first "From " line; they are not a message.`,
        });
      }
      return;
    }
    // A message over the limit is not read: what its headers said (Content-Length) is moot,
    // and how much of them was looked at depends on the chunks.
    if (over) c.problems = [];
    if (c.leading) {
      problemAt(
        c,
        'The mailbox does not start with a "From " line; the bytes before the first one are kept as message 0.',
      );
    } else if (c.fromLineEnding) {
      endings[c.fromLineEnding]++;
    }
    if (over) {
      problemAt(
        c,
        `This message is larger than ${size(limit)}, so it was not read; its place in the mailbox and its SHA-256 are recorded.`,
      );
    }
    const m: MboxMessage = {
      index: c.index,
      offset: c.offset,
      length,
      line: c.line,
      lineEnd: Math.max(c.line, c.line + newlines - (endsWithNl ? 1 : 0)),
      fromLine: c.leading
        ? null
        : span
          ? fromLineText(span.subarray(0, c.fromLineLength), fromLineChars)
          : (c.overflow?.fromLine ?? null),
      raw: null,
      sha256,
      problems: c.problems,
    };
    const keep = span !== null && !over ? span : null;
    if (decided) {
      if (keep) m.raw = rawOf(keep, c.fromLineLength);
      out.push(m);
      return;
    }
    if (keep) gather(keep, c);
    held.push({ m, fromLineLength: c.fromLineLength, span: keep });
    // The variant is decided after the first message that ends past the detection window.
    if (end >= detectBytes) {
      decided = decideVariant(evidence);
      flushHeld();
    }
  };

  /**
   * Called once the message is known to be over the limit: the bytes before `upTo` (all its
   * own) are hashed and dropped, and the search for its end goes on from `upTo`.
   */
  const spill = (c: Current, upTo: number) => {
    if (!c.overflow) {
      const head = q.data.subarray(q.start, q.end);
      const nl = head.indexOf(NL);
      c.overflow = {
        hash: createHash('sha256'),
        newlines: 0,
        lastByte: -1,
        fromLine: c.leading
          ? null
          : fromLineText(head.subarray(0, nl < 0 ? head.length : nl + 1), fromLineChars),
      };
      c.phase = 'body';
      c.clEnd = null;
    }
    c.pos = Math.max(upTo, q.base);
    const to = q.idx(c.pos);
    if (to > q.start) {
      c.overflow.hash.update(q.data.subarray(q.start, to));
      c.overflow.newlines += countNewlines(q.data, q.start, to);
      c.overflow.lastByte = q.data[to - 1]!;
      q.drop(to - q.start);
    }
  };

  /** Reads as far as the bytes allow; `eof` says no more will come. */
  const pump = (): void => {
    if (!started) {
      if (q.length < 5 && !eof) return;
      started = true;
      cur = open(0, !(q.length >= 5 && isFrom(q.data, q.start)));
    }
    for (;;) {
      const c = cur;
      if (!c) {
        if (stoppedAt !== null) q.drop(q.length);
        return;
      }
      const end = q.fileEnd;
      const view = q.view();
      if (c.phase === 'fromline') {
        const nl = view.indexOf(NL, q.idx(c.searchFrom));
        if (nl < 0) {
          c.searchFrom = end;
          if (eof) {
            c.fromLineLength = end - c.offset;
            finish(c, end);
            cur = null;
          } else if (end - c.offset > limit) {
            spill(c, end); // no line break yet, so no separator starts before `end`
          }
          return;
        }
        const at = q.base + (nl - q.start);
        c.fromLineLength = at + 1 - c.offset;
        c.fromLineEnding = nl > q.start && q.data[nl - 1] === CR ? 'crlf' : 'lf';
        c.phase = 'headers';
        c.pos = c.searchFrom = at + 1;
        continue;
      }
      if (c.phase === 'headers') {
        let lineStart = c.pos;
        let next: 'more' | 'body' | 'split' | 'eof' = 'more';
        for (;;) {
          const s = q.idx(lineStart);
          // A line that starts "From " ends the message, however long it turns out to be.
          if (lineStart > c.offset && end - lineStart >= 5 && isFrom(q.data, s)) {
            next = 'split';
            break;
          }
          const nl = view.indexOf(NL, q.idx(Math.max(lineStart, c.searchFrom)));
          if (nl < 0) {
            c.searchFrom = end;
            if (eof) next = 'eof';
            break;
          }
          const at = q.base + (nl - q.start);
          if (nl === s || (nl === s + 1 && q.data[s] === CR)) {
            c.bodyStart = at + 1;
            next = 'body';
            break;
          }
          const cl = contentLength(q.data, s, nl);
          if (cl === 'bad') {
            problemAt(
              c,
              'This message has a Content-Length header that is not a number; it was not used.',
            );
          } else if (cl !== null) {
            c.contentLength = cl;
          }
          lineStart = c.searchFrom = at + 1;
        }
        c.pos = lineStart;
        if (next === 'split') {
          finish(c, lineStart);
          cur = open(lineStart, false);
          continue;
        }
        if (next === 'eof') {
          finish(c, end);
          cur = null;
          return;
        }
        if (next === 'more') {
          // The message reaches at least to the end of what is here, unless the line being
          // read is too short yet to say it is not a From_ line.
          const known = end - lineStart >= 5 ? end : lineStart;
          if (known - c.offset > limit) spill(c, Math.max(c.offset, lineStart - 1));
          return;
        }
        c.phase = 'body';
        c.pos = c.bodyStart - 1;
        if (c.contentLength !== null && clOn()) {
          const clEnd = c.bodyStart + c.contentLength;
          if (clEnd - c.offset > limit) {
            problemAt(
              c,
              `This message's Content-Length (${c.contentLength}) is larger than ${size(limit)}, so it was not used; the message ends at the next "From " line.`,
            );
          } else {
            c.clEnd = clEnd;
          }
        }
        continue;
      }
      // body
      if (c.clEnd !== null) {
        const clEnd = c.clEnd;
        if (end < clEnd + 7 && !eof) return; // wait for the bytes the check looks at
        const i = q.idx(clEnd);
        const fromAt = (k: number) => clEnd + k + 5 <= end && isFrom(q.data, i + k);
        let landed: number | null = null;
        if (clEnd === end) landed = end;
        else if (clEnd < end) {
          if (fromAt(0) && q.data[i - 1] === NL) landed = clEnd;
          else if (q.data[i] === NL && (clEnd + 1 === end || fromAt(1))) landed = clEnd + 1;
          else if (
            q.data[i] === CR &&
            clEnd + 2 <= end &&
            q.data[i + 1] === NL &&
            (clEnd + 2 === end || fromAt(2))
          ) {
            landed = clEnd + 2;
          }
        }
        c.clEnd = null;
        if (landed !== null) {
          c.clHonoured = true;
          finish(c, landed);
          if (landed === end && eof) {
            cur = null;
            return;
          }
          cur = open(landed, false);
          continue;
        }
        problemAt(
          c,
          `This message's Content-Length (${c.contentLength}) does not end at a "From " line or the end of the file, so it was not used; the message ends at the next "From " line.`,
        );
        continue; // searched again from the body's start
      }
      const found = view.indexOf(SEP, q.idx(c.pos));
      if (found >= 0) {
        const at = q.base + (found - q.start) + 1;
        finish(c, at);
        cur = open(at, false);
        continue;
      }
      if (eof) {
        finish(c, end);
        cur = null;
        return;
      }
      // A separator can still start at c.pos, so the message reaches at least to c.pos + 1.
      c.pos = Math.max(c.pos, end - (SEP.length - 1));
      if (c.overflow || c.pos + 1 - c.offset > limit) spill(c, c.pos);
      return;
    }
  };

  const flushHeld = () => {
    for (const h of held.splice(0)) {
      if (h.span) h.m.raw = rawOf(h.span, h.fromLineLength);
      out.push(h.m);
    }
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    q.append(chunk);
    pump();
    if (out.length) yield* out.splice(0);
  }
  eof = true;
  pump();
  if (!decided) decided = decideVariant(evidence);
  flushHeld();
  if (out.length) yield* out.splice(0);
  const total = q.fileEnd;
  if (total === 0) problems.push({ line: null, offset: null, message: 'The mailbox is empty.' });
  const stop = stoppedAt as number | null;
  const rest = stop !== null && total > stop ? { offset: stop, length: total - stop } : null;
  if (rest) {
    problems.push({
      line: nextLine,
      offset: rest.offset,
      message: `The mailbox has more than ${maxMessages.toLocaleString('en')} messages; only the first ${maxMessages.toLocaleString('en')} were read. The ${rest.length.toLocaleString('en')} bytes after them are kept in the stored mailbox.`,
    });
  }
  return {
    ...decided,
    lineEnding:
      endings.lf && endings.crlf ? 'mixed' : endings.crlf ? 'crlf' : endings.lf ? 'lf' : null,
    bytes: total,
    messageCount: nextIndex,
    leading,
    rest,
    problems,
  };
}
