import { shortSize } from '../../../../shared/size-text';
import { parseTime, type ParsedTime } from '../../../../shared/recorded-time';
// Plain-text helpers for the PDF report: untrusted strings made safe to print, and times
// always shown with their zone (or saying plainly that none was recorded).

/** Whether the report's typeface can draw a code point. */
export type Supports = (codePoint: number) => boolean;

/**
 * Characters that are invisible, reorder text or break lines: printed as [U+XXXX] so a
 * hostile file name ("invoice\u202Egpj.exe") cannot disguise itself or upset the layout.
 */
const DISGUISING: [number, number][] = [
  [0x0000, 0x001f], // C0 controls
  [0x007f, 0x009f], // DEL, C1 controls
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x061c, 0x061c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian selectors
  [0x200b, 0x200f], // zero-width space/joiners, LRM, RLM
  [0x2028, 0x202e], // line/paragraph separators, bidi embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidi isolates
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // byte order mark
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff9, 0xfffb], // interlinear annotation
  [0xe0000, 0xe007f], // tags
];

function disguising(cp: number): boolean {
  return DISGUISING.some(([lo, hi]) => cp >= lo && cp <= hi);
}

export interface CleanOptions {
  /** Keep line breaks (notes, descriptions); otherwise they are shown as [U+000A]. */
  multiline?: boolean;
  /** Longest text shown, in code points; the rest is summarised. */
  max?: number;
}

export function codePointLabel(cp: number): string {
  return `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Untrusted text as something the typeface can print exactly, with nothing hidden. */
export function cleanText(raw: string, supports: Supports, opts: CleanOptions = {}): string {
  let s = raw.normalize('NFC');
  if (opts.multiline) s = s.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
  const max = opts.max ?? 2000;
  let out = '';
  let n = 0;
  let total = 0;
  for (const ch of s) {
    total++;
    if (n >= max) continue;
    n++;
    const cp = ch.codePointAt(0)!;
    if (opts.multiline && ch === '\n') out += '\n';
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += codePointLabel(cp); // lone surrogate
    else if (disguising(cp)) out += codePointLabel(cp);
    else if (ch === ' ' || supports(cp)) out += ch;
    else out += codePointLabel(cp);
  }
  if (total > max) out += ` … [${plural(total - max, 'more character')}]`;
  return out;
}

/** Code points of Windows-1252 (WinAnsi), all that PDF's built-in fonts can show. */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((c) => c.codePointAt(0)!));
export const winAnsi: Supports = (cp) =>
  (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);

export function plural(n: number, word: string): string {
  return `${groupDigits(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** 1234567 -> "1,234,567", without depending on the ICU data a build ships. */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function sizeText(bytes: number): string {
  const exact = plural(bytes, 'byte');
  return bytes < 1000 ? exact : `${exact} (${shortSize(bytes)})`;
}

// ---- Times ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number): string => String(n).padStart(2, '0');

/** "Tue 5 Mar 2024" for the calendar date of `ms` read in UTC. */
export { parseTime, type ParsedTime };

export function dateText(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Tue 5 Mar 2024, 14:02:11" for the wall clock of `ms` read in UTC. */
export function wallText(ms: number, seconds = true): string {
  const d = new Date(ms);
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
  return `${dateText(ms)}, ${clock}`;
}

export function zoneText(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const a = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

/**
 * A moment in UTC, plus the local clock at the given offset (e.g. the importer's computer);
 * with an offset given, it is always stated, even when it is zero.
 */
export function instantText(
  raw: string,
  localOffsetMinutes: number | undefined,
  supports: Supports,
): string {
  const t = parseTime(raw);
  if (!t || (t.kind !== 'utc' && t.kind !== 'offset')) return recordedText(raw, 'plain', supports);
  const utc = `${wallText(t.ms, t.hasSeconds)} UTC`;
  if (localOffsetMinutes === 0) return `${utc} (local time was UTC)`;
  const off = localOffsetMinutes ?? (t.kind === 'offset' ? t.offsetMinutes : 0);
  if (off === 0) return utc;
  return `${utc} (local time ${wallText(t.ms + off * 60_000, t.hasSeconds)}, ${zoneText(off)})`;
}

/** A time as recorded: in its own zone if it has one, or said to be without one. */
export function recordedText(raw: string, source: 'camera' | 'plain', supports: Supports): string {
  const t = parseTime(raw);
  if (!t)
    return `${cleanText(raw, supports, { max: 80 })} (as recorded; not a date the report can read)`;
  switch (t.kind) {
    case 'date':
      return `${dateText(t.ms)} (date only, no time given)`;
    case 'floating':
      return source === 'camera'
        ? `${wallText(t.ms, t.hasSeconds)} camera-local time (no time zone recorded)`
        : `${wallText(t.ms, t.hasSeconds)} local time (no time zone recorded)`;
    case 'utc':
      return `${wallText(t.ms, t.hasSeconds)} UTC`;
    case 'offset':
      if (t.offsetMinutes === 0) return `${wallText(t.ms, t.hasSeconds)} UTC`;
      return `${wallText(t.ms + t.offsetMinutes * 60_000, t.hasSeconds)} ${zoneText(t.offsetMinutes)} (${wallText(t.ms, t.hasSeconds)} UTC)`;
  }
}

/** Compact UTC time for tables: "2024-03-05 14:02:11Z". */
export function compactUtc(raw: string, supports: Supports): string {
  const t = parseTime(raw);
  if (!t) return cleanText(raw, supports, { max: 40 });
  const d = new Date(t.ms).toISOString();
  const base = `${d.slice(0, 10)} ${d.slice(11, 19)}`;
  return t.kind === 'utc' || t.kind === 'offset' ? `${base}Z` : `${base} (no zone)`;
}
