// Search snippets as plain-text segments, for the library and for a conversation's search.
import { randomBytes } from 'node:crypto';

/** A piece of a snippet; `match` marks the words the search found. */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/*
 * Markers given to FTS5's snippet(): random per process, so no text in the vault can contain
 * them and forge a highlight. Segments are cut at them; nothing is ever parsed as markup.
 */
const MARK = randomBytes(9).toString('base64url');
export const SNIPPET_OPEN = `\u0001${MARK}[`;
export const SNIPPET_CLOSE = `]${MARK}\u0001`;

/** Splits FTS5 snippet output at the markers into plain-text segments. */
export function snippetSegments(s: string): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  const push = (text: string, match: boolean): void => {
    if (text) out.push({ text, match });
  };
  const parts = s.split(SNIPPET_OPEN);
  push(parts[0]!, false);
  for (const part of parts.slice(1)) {
    const end = part.indexOf(SNIPPET_CLOSE);
    if (end < 0) {
      push(part, false);
      continue;
    }
    push(part.slice(0, end), true);
    push(part.slice(end + SNIPPET_CLOSE.length), false);
  }
  return out;
}
