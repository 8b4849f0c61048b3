/**
 * A name a person gives an item (renaming it). It is shown in lists, titles, terminals and
 * exports, so it must read as what it is: no control or bidi characters (which can hide an
 * extension or rewrite a line), no path separators, not "." or "..", and at most 255 bytes
 * of UTF-8 (what file systems allow). Returns what is wrong in plain words, or null.
 */
/* eslint-disable no-control-regex -- refusing control characters is the point */
// The zero-width joiner and non-joiner (U+200C, U+200D) stay: emoji sequences and Persian or
// Indic words need them.
const UNSHOWABLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff]/u;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const MAX_ITEM_NAME_BYTES = 255;

export function itemNameProblem(name: string): string | null {
  const t = name.trim();
  if (t === '') return 'is empty: give the item a name';
  if (t === '.' || t === '..') return 'cannot be "." or ".."';
  if (/[/\\]/.test(t)) return 'cannot contain / or \\ (a name is not a path)';
  if (UNSHOWABLE.test(t) || LONE_SURROGATE.test(t))
    return 'cannot contain line breaks, invisible control characters or direction overrides';
  if (new TextEncoder().encode(t).length > MAX_ITEM_NAME_BYTES)
    return `is too long: at most ${MAX_ITEM_NAME_BYTES} bytes (fewer characters in scripts that take more bytes each)`;
  return null;
}

/** The name as it is stored: trimmed, in Unicode's composed form (NFC). */
export function itemNameText(name: string): string {
  return name.trim().normalize('NFC');
}
