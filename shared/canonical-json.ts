/**
 * Canonical JSON: the bytes that custody entries, key slots and the custody anchor are
 * hashed, MACed or signed over (docs/vault-format.md §8, "Canonical JSON"). Keys are sorted
 * by Unicode code point, there is no whitespace, strings are escaped as JSON.stringify does,
 * and numbers are whole (safe integers) only: fractions have no single written form (JavaScript
 * writes 1e-7 where Python writes 1e-07), so a verifier in any language gets these bytes from
 * Python's json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False).
 */
export function canonicalJson(value: unknown): string {
  return encode(value, true);
}

/**
 * The same, but accepting what custody entries written before schema version 9 may hold:
 * fractions (region marks) and unsafe integers in JavaScript's number form, and text with
 * unpaired surrogates (written as \udxxx). Only for re-deriving the hashes of entries as
 * they were written; for any value canonicalJson accepts, the two are the same bytes.
 */
export function canonicalJsonAsWritten(value: unknown): string {
  return encode(value, false);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text with every unpaired surrogate replaced by U+FFFD, as UTF-8 encoders (TextEncoder) do. */
export function wellFormedText(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD') : s;
}

/**
 * Every string in plain objects and arrays (keys too) made well-formed; anything else, bytes
 * included, is kept as it is. Text reaches the database and the custody log the same way.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return wellFormedText(value) as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [wellFormedText(k), wellFormed(v)]),
    ) as T;
  }
  return value;
}

function text(s: string, strict: boolean): string {
  if (strict && LONE_SURROGATE.test(s)) {
    throw new TypeError(
      'canonical JSON holds only well-formed Unicode text (this text has an unpaired surrogate)',
    );
  }
  return JSON.stringify(s);
}

/** Code point order (Python's sorted()); for keys without characters past U+FFFF, UTF-16 order too. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function encode(value: unknown, strict: boolean): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return text(value, strict);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    if (strict && !Number.isSafeInteger(value)) {
      throw new TypeError(
        `canonical JSON holds whole numbers up to 2^53 only (got ${value}): store a fraction as an integer, e.g. millionths`,
      );
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, strict)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodePoint(a, b));
    return `{${entries.map(([k, v]) => `${text(k, strict)}:${encode(v, strict)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
}
