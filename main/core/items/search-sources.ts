import type { SearchSource } from '../../../shared/search-source';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/database';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from './snippets';

// item_search's searched columns (migrations 1 and 11) and the name each one has where a hit says
// where it matched (`dossier search`'s `source`). A new searched column adds one line here.
export const ITEM_SEARCH_SOURCES = {
  name: 'name',
  notes: 'note',
  text: 'text',
  /** Text read from a picture by machine (migration 11). */
  ocr: 'ocr',
} as const;

export type ItemSearchColumn = keyof typeof ITEM_SEARCH_SOURCES;
export type ItemSearchSource = (typeof ITEM_SEARCH_SOURCES)[ItemSearchColumn];

/** A searched column of item_search: its FTS5 column index and the source a hit in it has. */
export interface SearchColumn {
  index: number;
  column: string;
  source: SearchSource;
}

/**
 * The searched columns in table order, read from the table itself (so a column a migration
 * adds is found at its place). A column not named in `sources` is never a hit's source.
 * Every source here must be one the contract knows: the return type checks it.
 */
export function searchColumns(
  db: Db,
  sources: Readonly<Record<string, SearchSource>> = ITEM_SEARCH_SOURCES,
): SearchColumn[] {
  const names = db
    .prepare("SELECT name FROM pragma_table_info('item_search') ORDER BY cid")
    .pluck()
    .all() as string[];
  return names.flatMap((column, index) =>
    Object.hasOwn(sources, column) ? [{ index, column, source: sources[column]! }] : [],
  );
}

/**
 * FTS5 snippets of these item_search rows (by rowid) for a MATCH expression: the best
 * column's, as the library shows it, and the source it was cut from (snippetSource). One
 * pass over the matches: a MATCH per row would re-run the whole query each time.
 */
export function sourcedSnippets(
  prepare: (sql: string) => Statement,
  columns: readonly SearchColumn[],
  match: string,
  rowids: readonly number[],
): Map<number, { snippet: string; source: SearchSource | null }> {
  // Each searched column's own snippet too, cut the same way, to tell which one FTS5 chose.
  const cut = (col: number): string => `snippet(item_search, ${col}, ?, ?, '…', 12)`;
  const found = prepare(
    `SELECT rowid AS r, ${cut(-1)} AS s${columns.map((c, k) => `, ${cut(c.index)} AS c${k}`).join('')}
     FROM item_search WHERE item_search MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
  )
    .raw()
    .all(
      ...Array.from({ length: columns.length + 1 }, () => [SNIPPET_OPEN, SNIPPET_CLOSE]).flat(),
      match,
      JSON.stringify(rowids),
    ) as [number, string, ...string[]][];
  return new Map(
    found.map(([r, s, ...each]) => [
      r,
      { snippet: s, source: snippetSource(s, each, columns, SNIPPET_OPEN) },
    ]),
  );
}

/**
 * The column FTS5's snippet(item_search, -1, …) was cut from: FTS5 picks the column whose best
 * fragment scores highest (the most search words, then the most hits), the first in table
 * order on a tie, and cuts exactly the snippet it would cut from that column alone. So it is
 * the first column, in table order, whose own snippet is the same text; null when the
 * snippet marks no match (the item was found by a tag or a message instead).
 */
export function snippetSource(
  best: string,
  perColumn: readonly string[],
  columns: readonly SearchColumn[],
  open: string,
): SearchSource | null {
  if (!best.includes(open)) return null;
  const at = perColumn.findIndex((s) => s === best);
  return at < 0 ? null : columns[at]!.source;
}
