/**
 * File names inside an export bundle. The original name (kept in items.json) may be
 * anything a sender chose; the name in the bag must be safe on every system the bundle
 * is opened on and must not mislead the reader (docs/bundle-format.md, "Exhibit numbers and
 * file names").
 */
import { sameNameKeys } from '../bagit/paths';

/** Bytes of UTF-8 allowed for a whole name, prefix and extension included. */
export const MAX_NAME_BYTES = 200;
const MAX_EXTENSION_CHARS = 16;
const FALLBACK = 'file';

/**
 * Replaced by "_": path separators, characters Windows forbids, and "%" (manifests
 * would have to percent-encode it, and `sha256sum -c` would then not find the file).
 */
const REPLACED = /[/\\<>:"|?*%]/g;
/**
 * Removed: control characters (C0, DEL, C1), and format characters, among them every
 * bidi override, embedding, isolate and mark (U+202A–202E, U+2066–2069, U+200E/F,
 * U+061C), which can make "gpj.exe" read as "exe.jpg". The zero-width joiners stay:
 * emoji sequences and Persian or Indic words need them.
 */
const REMOVED = /(?![\u200c\u200d])[\p{Cc}\p{Cf}]/gu;
/** Line and paragraph separators and other unusual spaces become a plain space. */
const SPACES = /[\p{Zl}\p{Zp}\p{Zs}]/gu;
/** Halves of a broken UTF-16 pair cannot be written as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/gu;
/** Windows refuses these as a name, with any extension, in any case. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function clean(s: string): string {
  return s
    .normalize('NFC')
    .replace(LONE_SURROGATE, '_')
    .replace(REMOVED, '')
    .replace(SPACES, ' ')
    .replace(REPLACED, '_')
    .normalize('NFC');
}

/** The longest prefix of `s`, cut between whole characters (graphemes), within `bytes`. */
function truncateUtf8(s: string, bytes: number): string {
  if (utf8Length(s) <= bytes) return s;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)) {
    if (utf8Length(out + segment) > bytes) break;
    out += segment;
  }
  return out;
}

function trimEnds(s: string): string {
  return s.replace(/^[ .]+/, '').replace(/[ .]+$/, '');
}

/** Splits "name.ext" when the extension looks like one; else the extension is "". */
function splitExtension(name: string): { stem: string; ext: string } {
  const m = /^(.+?)(\.[\p{L}\p{N}]{1,16})$/u.exec(name);
  if (m === null || m[2] === undefined || m[1] === undefined) return { stem: name, ext: '' };
  return m[2].length - 1 <= MAX_EXTENSION_CHARS
    ? { stem: m[1], ext: m[2] }
    : { stem: name, ext: '' };
}

function isReserved(name: string): boolean {
  const base = name.split('.')[0] ?? '';
  return RESERVED.test(base.trimEnd());
}

/** Makes names safe, and unique after NFC and case folding, inside one folder of the bag. */
export class SafeNamer {
  private readonly taken = new Set<string>();

  name(prefix: string, original: string): string {
    const safePrefix = truncateUtf8(clean(prefix).replace(/^[ .]+/, ''), MAX_NAME_BYTES / 2);
    // Only the last part of a path-like name: "C:\\Users\\x\\a.png" is "a.png".
    const base = String(original)
      .split(/[/\\]/)
      .filter((p) => p !== '')
      .at(-1);
    const cleaned = trimEnds(clean(base ?? ''));
    const { stem, ext } = splitExtension(cleaned === '' ? FALLBACK : cleaned);
    for (let n = 1; ; n++) {
      const candidate = this.compose(safePrefix, stem, ext, n === 1 ? '' : ` (${n})`);
      const keys = sameNameKeys(candidate);
      if (keys.some((k) => this.taken.has(k))) continue;
      for (const k of keys) this.taken.add(k);
      return candidate;
    }
  }

  private compose(prefix: string, stem: string, ext: string, suffix: string): string {
    const room = MAX_NAME_BYTES - utf8Length(prefix) - utf8Length(ext) - utf8Length(suffix) - 1;
    let s = trimEnds(truncateUtf8(stem, Math.max(room, 0)));
    if (s === '' && prefix === '') s = FALLBACK;
    let name = `${prefix}${s}${suffix}${ext}`.normalize('NFC').replace(/[ .]+$/, '');
    if (isReserved(name)) {
      // "CON.txt" -> "CON_.txt": the part before the first dot is what Windows checks.
      const dot = name.indexOf('.');
      name = dot < 0 ? `${name}_` : `${name.slice(0, dot)}_${name.slice(dot)}`;
    }
    // Extreme inputs (a prefix near the limit): the byte rule comes first.
    if (utf8Length(name) > MAX_NAME_BYTES) {
      name = trimEnds(truncateUtf8(name, MAX_NAME_BYTES)).normalize('NFC');
    }
    return name === '' ? FALLBACK : name;
  }
}

/**
 * "JD/1" → "JD-001": an exhibit number as part of a file name. The number is zero-padded to
 * `width` digits so that a file listing sorts as the numbers do (JD-002 before JD-010).
 */
export function exhibitFileStem(exhibitNumber: string, width = 1): string {
  const padded = exhibitNumber.replace(/\d+$/, (n) => n.padStart(width, '0'));
  const stem = clean(padded)
    .replace(/[_\s]+/g, '-')
    .replace(/[^\p{L}\p{N}.-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return stem === '' ? 'EX' : stem;
}

/** How many digits the exhibit numbers of a bundle of `count` exhibits are padded to (3 or more). */
export function exhibitNumberWidth(count: number): number {
  return Math.max(3, String(count).length);
}
