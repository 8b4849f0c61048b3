/**
 * The exhibit prefix (JD in JD1 or JD/1): one rule for the wizard, the API and the command line.
 * Letters A-Z and digits only, because it is part of every exhibit's file name and is cited
 * in court as written; a dash or a space would be silently dropped or read as a separator.
 */
export const EXHIBIT_PREFIX_MAX = 20;
export const EXHIBIT_PREFIX_PATTERN = /^[A-Za-z0-9]*$/;
export const EXHIBIT_PREFIX_RULE =
  'can only have letters and digits (A to Z, 0 to 9), with no spaces, dashes or other symbols';

/** Why a prefix cannot be used, or null (an empty prefix means the default, EX). */
export function exhibitPrefixProblem(prefix: string): string | null {
  if (!EXHIBIT_PREFIX_PATTERN.test(prefix)) return `The exhibit prefix ${EXHIBIT_PREFIX_RULE}.`;
  if (prefix.length > EXHIBIT_PREFIX_MAX)
    return `The exhibit prefix can have at most ${EXHIBIT_PREFIX_MAX} characters.`;
  return null;
}

/**
 * How exhibits are labelled: "JD1" (initials and a number, as courts in England and Wales
 * expect) or "JD/1". Files in the bundle are named JD-001_… either way.
 */
export const EXHIBIT_STYLES = ['JD1', 'JD/1'] as const;
export type ExhibitStyle = (typeof EXHIBIT_STYLES)[number];
export const DEFAULT_EXHIBIT_STYLE: ExhibitStyle = 'JD1';

/** The label of exhibit `n` (from 1). */
export function exhibitLabel(prefix: string, n: number, style: ExhibitStyle): string {
  return style === 'JD1' ? `${prefix}${n}` : `${prefix}/${n}`;
}

/** Why this prefix cannot be used with this style, or null. */
export function exhibitStyleProblem(prefix: string, style: ExhibitStyle): string | null {
  if (style === 'JD1' && /[0-9]$/.test(prefix)) {
    return `The exhibit prefix "${prefix}" ends in a digit, so its labels would run into their numbers (${prefix}12 could be exhibit 12 or 2). Use a prefix that ends in a letter, or the style ${prefix}/1.`;
  }
  return null;
}
