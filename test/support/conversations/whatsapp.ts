// Builds WhatsApp chat exports for tests, in the shapes the apps write (docs/conversations.md,
// "WhatsApp"), and records where each message must be: its byte span, lines, sender, text.

import yazl from 'yazl';

export interface ChatStyle {
  shape: 'ios' | 'android';
  order: 'dmy' | 'mdy';
  clock: 12 | 24;
  /** Digits of the year. */
  year: 2 | 4;
  dateSep: '/' | '.' | '-';
  /** What comes before AM/PM: a space, U+202F or U+00A0. */
  ampmSpace: string;
  /** How AM/PM is written: 'AM' gives AM/PM, 'a.m.' gives a.m./p.m. */
  ampm: 'AM' | 'am' | 'a.m.' | 'a. m.';
  lineBreak: '\n' | '\r\n';
  bom: boolean;
}

export const IOS_UK: ChatStyle = {
  shape: 'ios',
  order: 'dmy',
  clock: 24,
  year: 4,
  dateSep: '/',
  ampmSpace: ' ',
  ampm: 'AM',
  lineBreak: '\n',
  bom: false,
};

export const ANDROID_US: ChatStyle = {
  shape: 'android',
  order: 'mdy',
  clock: 12,
  year: 2,
  dateSep: '/',
  ampmSpace: '\u202f',
  ampm: 'AM',
  lineBreak: '\n',
  bom: false,
};

export interface FixtureMessage {
  /** Wall clock as shown: [year, month, day, hour (0-23), minute, second]. */
  at: [number, number, number, number, number, number];
  /** Omitted for a system line. */
  sender?: string;
  /** May hold line breaks ('\n'; written with the style's line break). */
  text: string;
}

export interface ExpectedMessage {
  /** The message exactly as written in the file: header, sender, text (no final line break). */
  raw: string;
  sender: string;
  text: string;
  offset: number;
  length: number;
  line: number;
  lineEnd: number;
  /** The wall clock as shown, "YYYY-MM-DDTHH:MM:SS". */
  wall: string;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

export function header(style: ChatStyle, at: FixtureMessage['at']): string {
  const [y, mo, d, h, mi, s] = at;
  const yy = style.year === 2 ? two(y % 100) : String(y);
  const first = style.order === 'dmy' ? d : mo;
  const second = style.order === 'dmy' ? mo : d;
  // Android writes 1/2/24 without leading zeros in US English; iOS pads.
  const pad = style.shape === 'ios' ? two : String;
  const date = `${pad(first)}${style.dateSep}${pad(second)}${style.dateSep}${yy}`;
  let time: string;
  if (style.clock === 24) {
    time = style.shape === 'ios' ? `${two(h)}:${two(mi)}:${two(s)}` : `${two(h)}:${two(mi)}`;
  } else {
    const h12 = h % 12 === 0 ? 12 : h % 12;
    const pm = h >= 12;
    const mark =
      style.ampm === 'AM'
        ? pm
          ? 'PM'
          : 'AM'
        : style.ampm === 'am'
          ? pm
            ? 'pm'
            : 'am'
          : style.ampm === 'a.m.'
            ? pm
              ? 'p.m.'
              : 'a.m.'
            : pm
              ? 'p. m.'
              : 'a. m.';
    const hm = style.shape === 'ios' ? `${h12}:${two(mi)}:${two(s)}` : `${h12}:${two(mi)}`;
    time = `${hm}${style.ampmSpace}${mark}`;
  }
  return style.shape === 'ios' ? `[${date}, ${time}] ` : `${date}, ${time} - `;
}

/** The chat text and where every message must be found in it. */
export function buildChat(
  style: ChatStyle,
  messages: FixtureMessage[],
): { bytes: Uint8Array; text: string; expected: ExpectedMessage[] } {
  const enc = new TextEncoder();
  let out = style.bom ? '\ufeff' : '';
  let bytes = style.bom ? 3 : 0;
  let line = 1;
  const expected: ExpectedMessage[] = [];
  messages.forEach((m) => {
    const body = m.text.split('\n').join(style.lineBreak);
    const whole = `${header(style, m.at)}${m.sender === undefined ? '' : `${m.sender}: `}${body}`;
    const length = enc.encode(whole).length;
    const lines = m.text.split('\n').length;
    const [y, mo, d, h, mi, s] = m.at;
    expected.push({
      raw: whole,
      sender: m.sender ?? '',
      text: body,
      offset: bytes,
      length,
      line,
      lineEnd: line + lines - 1,
      wall: `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`,
    });
    out += whole + style.lineBreak;
    bytes += length + enc.encode(style.lineBreak).length;
    line += lines;
  });
  return { bytes: enc.encode(out), text: out, expected };
}

/** A zip made of named entries, as the apps' "Export chat" writes it. */
export function zipOf(
  entries: { name: string; data: Uint8Array | string; store?: boolean }[],
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    zip.addBuffer(data, e.name, { compress: e.store !== true, mtime: new Date(2024, 0, 1) });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.outputStream.on('error', reject);
  });
}

/** Replaces every occurrence of one entry name in a zip's headers (same length). */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from, 'utf8');
  const b = Buffer.from(to, 'utf8');
  if (a.length !== b.length) throw new Error('renameInZip: names must have the same length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  let n = 0;
  while (at !== -1) {
    b.copy(out, at);
    n++;
    at = out.indexOf(a, at + a.length);
  }
  if (n === 0) throw new Error(`renameInZip: ${from} not found`);
  return out;
}

/** Offsets of every central-directory record (PK\1\2) and local header (PK\3\4). */
export function zipHeaders(zip: Buffer): { central: number[]; local: number[] } {
  const central: number[] = [];
  const local: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (zip[i] !== 0x50 || zip[i + 1] !== 0x4b) continue;
    if (zip[i + 2] === 1 && zip[i + 3] === 2) central.push(i);
    if (zip[i + 2] === 3 && zip[i + 3] === 4) local.push(i);
  }
  return { central, local };
}
