/**
 * The exhibit prefix (JD in JD/1): one rule for the wizard, the API and the command line.
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
