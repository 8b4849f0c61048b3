/**
 * The HTTP `Range` header (RFC 9110 §14), for one representation of a known size.
 *
 * Only a single byte range is honoured. A header this server does not take (another unit,
 * bad syntax, a range whose last position is before its first, or several ranges) is
 * ignored, which the RFC allows (§14.2: "A server MAY ignore the Range header field"), so
 * the whole representation is sent with 200. Media elements send one range at a time.
 */
export type RangeRequest =
  /** No usable Range header: send everything (200). */
  | { kind: 'full' }
  /** Send bytes [start, end], both inclusive (206). */
  | { kind: 'partial'; start: number; end: number }
  /** A well-formed range that does not overlap the representation (416). */
  | { kind: 'unsatisfiable' };

// range-unit is case-insensitive (§14.1); OWS may surround list elements (§5.6.1).
const SPECIFIER = /^bytes=(.*)$/i;
const INT_RANGE = /^(\d+)-(\d*)$/;
const SUFFIX_RANGE = /^-(\d+)$/;

/** Compares two non-negative decimal strings exactly, whatever their length. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `digits` as a number no bigger than `cap` (so huge values never lose meaning). */
function capped(digits: string, cap: number): number {
  return compareDigits(digits, String(cap)) >= 0 ? cap : Number(digits);
}

/**
 * Reads `header` (the raw Range value, or null) against a representation of `size` bytes.
 * A zero-length representation has no byte to send, so any range on it is unsatisfiable.
 */
export function parseRange(header: string | null, size: number): RangeRequest {
  if (header === null) return { kind: 'full' };
  const m = SPECIFIER.exec(header.trim());
  if (!m) return { kind: 'full' };
  const specs = (m[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''); // empty list elements are allowed and ignored (§5.6.1)
  if (specs.length !== 1) return { kind: 'full' };
  const spec = specs[0] ?? '';

  const suffix = SUFFIX_RANGE.exec(spec);
  if (suffix) {
    const n = capped(suffix[1] ?? '0', size);
    // A suffix of length 0 is unsatisfiable (§14.1.1); so is any range on an empty body.
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: size - n, end: size - 1 };
  }

  const int = INT_RANGE.exec(spec);
  if (!int) return { kind: 'full' };
  const first = int[1] ?? '0';
  const last = int[2] ?? '';
  // "A range-spec is invalid if the last-pos value is present and less than the first-pos."
  if (last !== '' && compareDigits(last, first) < 0) return { kind: 'full' };
  if (compareDigits(first, String(size)) >= 0) return { kind: 'unsatisfiable' };
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(capped(last, size), size - 1);
  return { kind: 'partial', start, end };
}
