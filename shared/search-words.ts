/**
 * How a search is split into words and matched, the way the library's full-text search
 * (SQLite FTS5, tokenizer unicode61 with remove_diacritics 2) does it: case and diacritics
 * folded, each word a prefix. One module, so the core (tags, snippets) and the app (the
 * words highlighted on a picture) find what the search found.
 */

/** The words of a search, as the library search reads them (at most 32). */
export function searchWords(query: string): string[] {
  return (query.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 32);
}

/**
 * Text split into tokens the way item_search's tokenizer (unicode61, remove_diacritics 2)
 * splits and folds it, for matching search words against things outside the FTS table.
 */
export function searchTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter(Boolean);
}

/** Whether a search word matches this text as FTS5 would match `"word"*` in it. */
export function wordMatches(word: string, text: string): boolean {
  return tokensMatch(searchTokens(word), searchTokens(text));
}

/** Where `want` starts in `have` (the tokens in a row, the last as a prefix), each start. */
function matchStarts(want: readonly string[], have: readonly string[]): number[] {
  const starts: number[] = [];
  if (want.length === 0) return starts;
  const last = want.length - 1;
  for (let i = 0; i + last < have.length; i++) {
    if (want.every((w, j) => (j === last ? have[i + j]!.startsWith(w) : have[i + j] === w))) {
      starts.push(i);
    }
  }
  return starts;
}

/** wordMatches on tokens already made: the word's tokens in a row, the last as a prefix. */
export function tokensMatch(want: readonly string[], have: readonly string[]): boolean {
  return matchStarts(want, have).length > 0;
}

/**
 * The indexes of the words read in a picture that a search matches, in reading order: every
 * word a search word matches, as the library search matched the picture's text. A search word
 * that is several tokens ("o'brien", "07700-900") may span words read apart ("O'", "Brien").
 */
export function matchingWordIndexes(query: string, words: readonly { t: string }[]): number[] {
  const tokens: string[] = [];
  const owner: number[] = [];
  words.forEach((w, i) => {
    for (const t of searchTokens(w.t)) {
      tokens.push(t);
      owner.push(i);
    }
  });
  const hit = new Set<number>();
  for (const word of new Set(searchWords(query))) {
    const want = searchTokens(word);
    for (const start of matchStarts(want, tokens)) {
      for (let j = start; j < start + want.length; j++) hit.add(owner[j]!);
    }
  }
  return [...hit].sort((a, b) => a - b);
}
