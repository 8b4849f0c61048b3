/**
 * A message's text cut into plain segments where the search words occur (case-insensitive,
 * as the search matched them), for <mark>: never markup built from evidence.
 */
export interface Segment {
  text: string;
  match: boolean;
}

/** The words of a search, as the API reads them: split at spaces, lower case, no quotes. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/u)
    .map((w) => w.replace(/^["'*]+|["'*]+$/gu, ''))
    .filter((w) => w !== '');
}

export function highlight(text: string, words: readonly string[]): Segment[] {
  if (words.length === 0 || text === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  // Lower-casing can change a string's length (İ → i̇): then offsets would not line up.
  if (lower.length !== text.length) return [{ text, match: false }];
  const marks = new Uint8Array(text.length);
  for (const w of words) {
    for (let at = lower.indexOf(w); at !== -1; at = lower.indexOf(w, at + w.length)) {
      marks.fill(1, at, at + w.length);
    }
  }
  const out: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      out.push({ text: text.slice(start, i), match: marks[start] === 1 });
      start = i;
    }
  }
  return out;
}
