// A strict JSON reader (RFC 8259, UTF-8 bytes in) that also says where values are: the byte
// offset and length of each container (and of each element of an array) down to a chosen
// depth, so a chat message read from result.json or message_1.json points at its exact bytes
// in the stored original (docs/conversations.md, "JSON with byte positions").
//
// Why not JSON.parse: it gives values but no positions. The values given here are the ones
// JSON.parse gives for the same text (tested on random JSON), with these rules:
// - a duplicate key keeps the LAST value, as JSON.parse, Python and jq do (so anyone checking
//   with those gets the same value); each duplicate is noted with its byte offset;
// - a \u escape that is a lone surrogate is kept as that code unit, as JSON.parse does, and
//   noted, so the reader can show it rather than lose it;
// - bytes that are not valid UTF-8 inside a string become U+FFFD, and are noted;
// - a leading UTF-8 byte order mark is skipped (offsets still count it).
// The reader looks at each byte a bounded number of times: strings are decoded segment by
// segment and joined once, never built by repeated concatenation.
import { DossierError } from '../errors';
import { CONVERSATION_LIMITS, type ConversationProblem } from './types';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Where a value's text is: bytes [offset, offset + length) of the input. */
export interface JsonSpan {
  offset: number;
  length: number;
}

/** Something odd but readable: the value is still given. */
export interface JsonNote {
  offset: number;
  message: string;
}

export type JsonFault = 'syntax' | 'depth' | 'size';

/** Why the text is not JSON Dossier can read, and where (byte offset, line and column). */
export class JsonError extends DossierError {
  constructor(
    readonly fault: JsonFault,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      fault === 'size' ? 'USAGE' : 'CORRUPT',
      fault === 'size'
        ? reason
        : `Not readable JSON at line ${line}, column ${column} (byte ${offset}): ${reason}`,
    );
  }
}

export interface JsonReadOptions {
  /** Refuse inputs longer than this (default CONVERSATION_LIMITS.maxChatFileBytes). */
  maxBytes?: number;
  /** Refuse nesting deeper than this many containers (default CONVERSATION_LIMITS.maxJsonDepth). */
  maxDepth?: number;
  /**
   * Containers at this depth or shallower get a span, and arrays shallower than it get the
   * spans of their elements (the root is depth 0). Default: every container, unless `itemsAt`
   * is given, then none.
   */
  spanDepth?: number;
  /**
   * Only the arrays along this path get the spans of their elements: object keys, '*' for any
   * key or element. ['messages'] is the root's messages list; ['*', 'list', '*', 'messages']
   * each chat's messages in chats.list (and the list itself). A reader asks for just what it
   * needs, so a hostile file of many small arrays costs no span bookkeeping.
   */
  itemsAt?: readonly string[];
  /**
   * On a syntax or depth fault, return what was read before it (in `value`, with the fault in
   * `error`) instead of throwing. Containers left open by the fault have no span.
   */
  partial?: boolean;
}

export interface JsonRead {
  /** The value; with `partial` and a fault, what was read before it (undefined if nothing). */
  value: JsonValue | undefined;
  /** The span of a container (object or array) read to its end, within `spanDepth`. */
  spanOf(container: object): JsonSpan | undefined;
  /** The spans of an array's elements, in order (arrays shallower than `spanDepth`). */
  itemSpans(array: readonly unknown[]): readonly JsonSpan[] | undefined;
  notes: JsonNote[];
  /** With `partial`: the fault that stopped reading, or null when the whole text was read. */
  error: JsonError | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

const EMPTY: JsonValue[] = [];

/** At most this many notes are kept (a hostile file could have millions); the count goes on. */
const MAX_NOTES = 1000;

interface Frame {
  container: JsonValue[] | JsonObject;
  isArray: boolean;
  start: number;
  /** The key the next member value goes under (objects). */
  key: string;
  keyOffset: number;
  /** Element spans as flat [offset, length, …] pairs (one allocation per array, not per element). */
  items: number[] | null;
  spanned: boolean;
  /** With itemsAt: how many of its segments lead here; -1 when off the path. */
  path: number;
}

/** The 1-based line and column (in characters) of a byte offset. */
export function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** A short, safe description of hostile text for a problem message: quoted, escaped, cut. */
export function quoteText(s: string, max = 60): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  // JSON.stringify escapes quotes and C0 controls; also escape C1, bidi and other invisibles.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function describeByte(bytes: Uint8Array, pos: number): string {
  if (pos >= bytes.length) return 'the end of the file';
  const b = bytes[pos]!;
  if (b >= 0x21 && b <= 0x7e) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function isWs(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** Reads `bytes` as one JSON text. Throws JsonError (a DossierError) with the fault's place. */
export function readJson(bytes: Uint8Array, opts: JsonReadOptions = {}): JsonRead {
  const maxBytes = opts.maxBytes ?? CONVERSATION_LIMITS.maxChatFileBytes;
  if (bytes.length > maxBytes) {
    throw new JsonError(
      'size',
      0,
      1,
      1,
      `This JSON file is ${bytes.length} bytes; Dossier reads JSON files up to ${maxBytes} bytes.`,
    );
  }
  const parser = new Parser(
    bytes,
    opts.maxDepth ?? CONVERSATION_LIMITS.maxJsonDepth,
    opts.spanDepth ?? (opts.itemsAt ? -1 : Infinity),
    opts.itemsAt ?? null,
  );
  let error: JsonError | null = null;
  try {
    parser.run();
  } catch (e) {
    if (!(opts.partial && e instanceof JsonError)) throw e;
    error = e;
  }
  const { spans, itemSpans } = parser;
  const made = new Map<object, JsonSpan[]>();
  return {
    value: parser.root,
    spanOf: (container) => spans.get(container),
    itemSpans: (array) => {
      let list = made.get(array);
      if (list) return list;
      const flat = itemSpans.get(array);
      if (!flat) return undefined;
      list = [];
      for (let i = 0; i + 1 < flat.length; i += 2)
        list.push({ offset: flat[i]!, length: flat[i + 1]! });
      made.set(array, list);
      return list;
    },
    notes: parser.notes,
    error,
  };
}

// A class, not closures: methods are made once, and the hot loops stay monomorphic.
class Parser {
  readonly spans = new Map<object, JsonSpan>();
  readonly itemSpans = new Map<object, number[]>();
  readonly notes: JsonNote[] = [];
  root: JsonValue | undefined = undefined;
  private pos = 0;
  private readonly len: number;
  /** Open containers: frames[0 … depth - 1], reused from one container to the next. */
  private readonly frames: Frame[] = [];
  private depth = 0;
  private invalidNoted = -1;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly spanDepth: number,
    private readonly itemsAt: readonly string[] | null,
  ) {
    this.len = bytes.length;
  }

  private note(offset: number, message: string): void {
    const notes = this.notes;
    if (notes.length < MAX_NOTES) notes.push({ offset, message });
    else if (notes.length === MAX_NOTES) {
      notes.push({ offset, message: `More than ${MAX_NOTES} notes; the rest are not listed.` });
    }
  }

  private fail(fault: JsonFault, at: number, reason: string): never {
    const { line, column } = lineAndColumn(this.bytes, at);
    throw new JsonError(fault, at, line, column, reason);
  }

  private skipWs(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    while (pos < this.len && isWs(bytes[pos])) pos++;
    this.pos = pos;
  }

  private decode(s: number, e: number, ascii: boolean, open: number): string {
    const bytes = this.bytes;
    if (ascii && e - s <= 64) {
      let out = '';
      for (let k = s; k < e; k++) out += String.fromCharCode(bytes[k]!);
      return out;
    }
    const view = bytes.subarray(s, e);
    try {
      return utf8.decode(view);
    } catch {
      if (this.invalidNoted !== open) {
        this.invalidNoted = open;
        this.note(open, 'A string here is not valid UTF-8; the bad bytes are shown as U+FFFD.');
      }
      return utf8Lenient.decode(view);
    }
  }

  /** The code unit of a \u escape at `at` (the backslash), or -1. */
  private hex4(at: number): number {
    const bytes = this.bytes;
    let code = 0;
    for (let k = 2; k < 6; k++) {
      const h = hexValue(bytes[at + k]);
      if (h < 0) return -1;
      code = code * 16 + h;
    }
    return code;
  }

  /** Reads the string whose opening quote is at `pos`; leaves `pos` after its closing quote. */
  private readString(): string {
    const bytes = this.bytes;
    const len = this.len;
    const open = this.pos;
    let i = open + 1;
    let segStart = i;
    let ascii = true;
    let pieces: string[] | null = null;
    for (;;) {
      if (i >= len) this.fail('syntax', open, 'a string that is never closed.');
      const b = bytes[i]!;
      if (b === QUOTE) break;
      if (b === BACKSLASH) {
        if (i > segStart) (pieces ??= []).push(this.decode(segStart, i, ascii, open));
        ascii = true;
        let ch: string;
        let step = 2;
        switch (bytes[i + 1]) {
          case 0x22:
            ch = '"';
            break;
          case 0x5c:
            ch = '\\';
            break;
          case 0x2f:
            ch = '/';
            break;
          case 0x62:
            ch = '\b';
            break;
          case 0x66:
            ch = '\f';
            break;
          case 0x6e:
            ch = '\n';
            break;
          case 0x72:
            ch = '\r';
            break;
          case 0x74:
            ch = '\t';
            break;
          case 0x75: {
            const code = this.hex4(i);
            if (code < 0) this.fail('syntax', i, 'a \\u escape needs four hexadecimal digits.');
            step = 6;
            ch = String.fromCharCode(code);
            let lone = code >= 0xdc00 && code <= 0xdfff;
            if (code >= 0xd800 && code <= 0xdbff) {
              // A pair written as two escapes is one character; anything else is lone.
              const low =
                bytes[i + 6] === BACKSLASH && bytes[i + 7] === 0x75 ? this.hex4(i + 6) : -1;
              if (low >= 0xdc00 && low <= 0xdfff) {
                ch += String.fromCharCode(low);
                step = 12;
              } else {
                lone = true;
              }
            }
            if (lone) {
              this.note(
                i,
                'A \\u escape here is half of a character (a lone surrogate); kept as is.',
              );
            }
            break;
          }
          default:
            return this.fail(
              'syntax',
              i,
              `${describeByte(bytes, i + 1)} cannot follow a backslash in a string.`,
            );
        }
        (pieces ??= []).push(ch);
        i += step;
        segStart = i;
        continue;
      }
      if (b < 0x20) {
        this.fail(
          'syntax',
          i,
          `a control character (${describeByte(bytes, i)}) inside a string must be escaped.`,
        );
      }
      if (b >= 0x80) ascii = false;
      i++;
    }
    this.pos = i + 1;
    if (pieces === null) return this.decode(segStart, i, ascii, open);
    if (i > segStart) pieces.push(this.decode(segStart, i, ascii, open));
    return pieces.length === 1 ? pieces[0]! : pieces.join('');
  }

  private digitsFrom(at: number): number {
    const bytes = this.bytes;
    let k = at;
    while (k < this.len && bytes[k]! >= 0x30 && bytes[k]! <= 0x39) k++;
    return k;
  }

  private readNumber(): number {
    const bytes = this.bytes;
    const start = this.pos;
    let i = start;
    if (bytes[i] === 0x2d) i++;
    if (bytes[i] === 0x30) i++;
    else if (bytes[i] !== undefined && bytes[i]! >= 0x31 && bytes[i]! <= 0x39)
      i = this.digitsFrom(i);
    else this.fail('syntax', i, `expected a digit, found ${describeByte(bytes, i)}.`);
    if (bytes[i] === 0x2e) {
      const k = this.digitsFrom(i + 1);
      if (k === i + 1) {
        this.fail('syntax', k, `expected a digit after '.', found ${describeByte(bytes, k)}.`);
      }
      i = k;
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      let k = i + 1;
      if (bytes[k] === 0x2b || bytes[k] === 0x2d) k++;
      const d = this.digitsFrom(k);
      if (d === k) {
        this.fail(
          'syntax',
          d,
          `expected a digit in the exponent, found ${describeByte(bytes, d)}.`,
        );
      }
      i = d;
    }
    this.pos = i;
    // Short numbers (nearly all) without a decoder call; Number() rounds as JSON.parse does.
    if (i - start <= 32) {
      let text = '';
      for (let k = start; k < i; k++) text += String.fromCharCode(bytes[k]!);
      return Number(text);
    }
    return Number(utf8Lenient.decode(bytes.subarray(start, i)));
  }

  private literal(word: string, value: JsonValue): JsonValue {
    const bytes = this.bytes;
    for (let k = 0; k < word.length; k++) {
      if (bytes[this.pos + k] !== word.charCodeAt(k)) {
        this.fail('syntax', this.pos, `expected a value, found ${describeByte(bytes, this.pos)}.`);
      }
    }
    this.pos += word.length;
    return value;
  }

  private member(top: Frame, value: JsonValue): void {
    const obj = top.container as JsonObject;
    const key = top.key;
    if (Object.hasOwn(obj, key)) {
      this.note(
        top.keyOffset,
        `The key ${quoteText(key)} appears twice in one object; the last value is used.`,
      );
    }
    if (key === '__proto__') {
      Object.defineProperty(obj, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      obj[key] = value;
    }
  }

  /** Reads `"key" :` at `pos` into the open object's frame. */
  private readKey(frame: Frame): void {
    if (this.bytes[this.pos] !== QUOTE) {
      this.fail(
        'syntax',
        this.pos,
        `expected a key in double quotes, found ${describeByte(this.bytes, this.pos)}.`,
      );
    }
    frame.keyOffset = this.pos;
    frame.key = this.readString();
    this.skipWs();
    if (this.bytes[this.pos] !== 0x3a) {
      this.fail(
        'syntax',
        this.pos,
        `expected ':' after a key, found ${describeByte(this.bytes, this.pos)}.`,
      );
    }
    this.pos++;
    this.skipWs();
  }

  run(): void {
    const bytes = this.bytes;
    const frames = this.frames;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.pos = 3;
    this.skipWs();
    if (this.pos >= this.len) this.fail('syntax', this.pos, 'the file holds no JSON value.');
    for (;;) {
      // A value starts at pos.
      const start = this.pos;
      const b = bytes[start];
      let closed = false;
      if (b === 0x7b || b === 0x5b) {
        const depth = this.depth;
        if (depth + 1 > this.maxDepth) {
          this.fail(
            'depth',
            start,
            `nested deeper than ${this.maxDepth} levels, which Dossier does not read.`,
          );
        }
        const isArray = b === 0x5b;
        const container: JsonValue[] | JsonObject = isArray ? [] : {};
        // Attached before its contents are read, so a partial read keeps what came before a fault.
        const top = depth > 0 ? frames[depth - 1]! : null;
        if (!top) this.root = container;
        else if (top.isArray) (top.container as JsonValue[]).push(container);
        else this.member(top, container);
        let path = -1;
        let wantItems = depth < this.spanDepth;
        const itemsAt = this.itemsAt;
        if (itemsAt) {
          if (!top) path = 0;
          else if (top.path >= 0 && top.path < itemsAt.length) {
            const segment = itemsAt[top.path];
            if (segment === '*' || (!top.isArray && top.key === segment)) path = top.path + 1;
          }
          wantItems ||= path >= 0;
        }
        const items = isArray && wantItems ? [] : null;
        if (items) this.itemSpans.set(container, items);
        let frame = frames[depth];
        if (!frame) {
          frame = {
            container,
            isArray,
            start,
            key: '',
            keyOffset: 0,
            items,
            spanned: false,
            path,
          };
          frames.push(frame);
        }
        frame.container = container;
        frame.isArray = isArray;
        frame.start = start;
        frame.key = '';
        frame.items = items;
        frame.spanned = depth <= this.spanDepth;
        frame.path = path;
        this.depth = depth + 1;
        this.pos++;
        this.skipWs();
        if (bytes[this.pos] === (isArray ? 0x5d : 0x7d)) {
          this.pos++;
          closed = true;
        } else {
          if (!isArray) this.readKey(frame);
          continue;
        }
      } else {
        let value: JsonValue;
        if (b === QUOTE) value = this.readString();
        else if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39))
          value = this.readNumber();
        else if (b === 0x74) value = this.literal('true', true);
        else if (b === 0x66) value = this.literal('false', false);
        else if (b === 0x6e) value = this.literal('null', null);
        else
          value = this.fail(
            'syntax',
            start,
            `expected a value, found ${describeByte(bytes, start)}.`,
          );
        const top = this.depth > 0 ? frames[this.depth - 1]! : null;
        if (!top) this.root = value;
        else {
          if (top.items) top.items.push(start, this.pos - start);
          if (top.isArray) (top.container as JsonValue[]).push(value);
          else this.member(top, value);
        }
      }
      // After a value: close containers, or move on to the next element or member.
      for (;;) {
        if (closed) {
          const done = frames[--this.depth]!;
          const length = this.pos - done.start;
          if (done.spanned) this.spans.set(done.container, { offset: done.start, length });
          if (this.depth > 0) frames[this.depth - 1]!.items?.push(done.start, length);
          // Let go of the container: the frame is reused, and must not keep it alive.
          done.container = EMPTY;
          done.items = null;
          closed = false;
        }
        this.skipWs();
        const top = this.depth > 0 ? frames[this.depth - 1]! : null;
        if (!top) {
          if (this.pos < this.len) {
            this.fail(
              'syntax',
              this.pos,
              `unexpected ${describeByte(bytes, this.pos)} after the value.`,
            );
          }
          return;
        }
        const c = bytes[this.pos];
        if (c === 0x2c) {
          this.pos++;
          this.skipWs();
          if (!top.isArray) this.readKey(top);
          break;
        }
        if (c === (top.isArray ? 0x5d : 0x7d)) {
          this.pos++;
          closed = true;
          continue;
        }
        this.fail(
          'syntax',
          this.pos,
          `expected ',' or '${top.isArray ? ']' : '}'}' ${top.isArray ? 'in a list' : 'after a member'}, found ${describeByte(bytes, this.pos)}.`,
        );
      }
    }
  }
}

/**
 * Text from a JSON value made safe to store and show: a lone surrogate (kept by the reader, as
 * JSON.parse keeps it) becomes U+FFFD, so it stays visible instead of vanishing when the text
 * is written as UTF-8. Says whether anything was replaced, so the reader can list a problem.
 */
export function wellFormedText(s: string): { text: string; replaced: boolean } {
  let replaced = false;
  const text = s.replace(LONE_SURROGATE, () => {
    replaced = true;
    return '\ufffd';
  });
  return { text, replaced };
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** 1-based line numbers of byte offsets asked in (mostly) increasing order, in one pass. */
export class LineCounter {
  private at = 0;
  private line = 1;
  constructor(private readonly bytes: Uint8Array) {}
  lineAt(offset: number): number {
    const end = Math.max(0, Math.min(offset, this.bytes.length));
    if (end < this.at) {
      this.at = 0;
      this.line = 1;
    }
    const bytes = this.bytes;
    let line = this.line;
    for (let i = this.at; i < end; i++) if (bytes[i] === 0x0a) line++;
    this.at = end;
    this.line = line;
    return line;
  }
}

/** At most this many problems are listed on one conversation; then how many more there were. */
export const MAX_PROBLEMS = 10_000;

/** A reader's problems, each with its byte offset and line in the file. */
export class ProblemList {
  readonly list: ConversationProblem[] = [];
  private readonly lines: LineCounter;
  private more = 0;
  constructor(bytes: Uint8Array) {
    this.lines = new LineCounter(bytes);
  }
  add(offset: number | null, message: string): void {
    if (this.list.length >= MAX_PROBLEMS) {
      this.more++;
      return;
    }
    this.list.push({ line: offset === null ? null : this.lines.lineAt(offset), offset, message });
  }
  /** In file order (problems about the whole file first), with the count of those left out. */
  finish(): void {
    this.list.sort((a, b) => (a.offset ?? -1) - (b.offset ?? -1));
    if (this.more > 0) {
      this.list.push({
        line: null,
        offset: null,
        message: `${this.more} more problems are not listed.`,
      });
      this.more = 0;
    }
  }
}

/**
 * A media path an export names ("photos/photo_1.jpg"), as a path relative to the export's
 * folder with '/' separators; null when it could reach outside it (absolute, a drive, '..'),
 * or holds control characters. The file is hostile input: ingest opens only paths this allows.
 */
export function exportRelativePath(name: string): string | null {
  if (name === '' || name.length > 4096) return null;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return null;
  }
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return null;
  const parts = name.split(/[/\\]/);
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return null;
  return parts.join('/');
}
