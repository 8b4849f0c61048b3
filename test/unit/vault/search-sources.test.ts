import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { matchSource } from '../../../main/core/items/library';
import {
  ITEM_SEARCH_SOURCES,
  searchColumns,
  snippetSource,
  sourcedSnippets,
} from '../../../main/core/items/search-sources';
import { SNIPPET_CLOSE, SNIPPET_OPEN, snippetSegments } from '../../../main/core/items/snippets';

/**
 * item_search as migration 1 makes it, plus the recognised-text column another migration
 * adds (`ocr`), at the end; the sources are ITEM_SEARCH_SOURCES with the one line it adds.
 */
function table(withOcr: boolean) {
  const db = new Database(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE item_search USING fts5(item_id UNINDEXED, name, notes, text${withOcr ? ', ocr' : ''},
       tokenize = 'unicode61 remove_diacritics 2')`,
  );
  const sources = withOcr ? { ...ITEM_SEARCH_SOURCES, ocr: 'ocr' as const } : ITEM_SEARCH_SOURCES;
  const columns = searchColumns(db, sources);
  const rows: Record<string, number> = {};
  const add = (key: string, cols: Record<string, string>): void => {
    const r = db
      .prepare(
        `INSERT INTO item_search (item_id, name, notes, text${withOcr ? ', ocr' : ''})
         VALUES (?, ?, ?, ?${withOcr ? ', ?' : ''})`,
      )
      .run(
        key,
        cols.name ?? '',
        cols.notes ?? '',
        cols.text ?? '',
        ...(withOcr ? [cols.ocr ?? ''] : []),
      );
    rows[key] = Number(r.lastInsertRowid);
  };
  const source = (key: string, match: string) =>
    sourcedSnippets((sql) => db.prepare(sql), columns, match, [rows[key]!]).get(rows[key]!);
  return { db, columns, add, source };
}

describe('where a search hit matched', () => {
  it('reads the searched columns and their places from the table itself', () => {
    const { columns } = table(true);
    expect(columns).toEqual([
      { index: 1, column: 'name', source: 'name' },
      { index: 2, column: 'notes', source: 'note' },
      { index: 3, column: 'text', source: 'text' },
      { index: 4, column: 'ocr', source: 'ocr' },
    ]);
    // A column not named in the sources is never a hit's source.
    expect(table(false).columns.map((c) => c.source)).toEqual(['name', 'note', 'text']);
  });

  it('names the one column a word is in, recognised text included', () => {
    const t = table(true);
    t.add('n', { name: 'school run.png', text: 'nothing here' });
    t.add('o', { notes: 'parked by the school', text: 'other words' });
    t.add('x', { name: 'letter.txt', text: 'outside the school gates' });
    t.add('p', { name: 'IMG_0001.png', ocr: 'see you at school tomorrow' });
    expect(t.source('n', '"school"*')?.source).toBe('name');
    expect(t.source('o', '"school"*')?.source).toBe('note');
    expect(t.source('x', '"school"*')?.source).toBe('text');
    const pic = t.source('p', '"school"*')!;
    expect(pic.source).toBe('ocr');
    // The snippet is the recognised text's, with the word marked.
    expect(snippetSegments(pic.snippet)).toContainEqual({ text: 'school', match: true });
  });

  it('takes the column with the most search words, and the first in table order on a tie', () => {
    const t = table(true);
    t.add('tie', { name: 'school', notes: 'school', text: 'school', ocr: 'school' });
    t.add('more', { name: 'school photo', text: 'the school gates at the van' });
    t.add('ocrMore', { text: 'school', ocr: 'school gates van' });
    expect(t.source('tie', '"school"*')?.source).toBe('name');
    expect(t.source('more', '"school"* OR "van"*')?.source).toBe('text');
    expect(t.source('ocrMore', '"school"* OR "gates"*')?.source).toBe('ocr');
  });

  it('gives no column when the snippet marks no match', () => {
    const columns = table(false).columns;
    expect(
      snippetSource('plain start of text', ['plain start of text', '', ''], columns, SNIPPET_OPEN),
    ).toBe(null);
    const marked = `a ${SNIPPET_OPEN}word${SNIPPET_CLOSE}`;
    expect(snippetSource(marked, ['a', marked, marked], columns, SNIPPET_OPEN)).toBe('note');
  });

  it('falls back to a tag, then to a message, in that order', () => {
    expect(matchSource('text', true, true)).toBe('text');
    expect(matchSource(null, true, true)).toBe('tag');
    expect(matchSource(null, false, true)).toBe('message');
    expect(matchSource(null, false, false)).toBe(null);
  });
});
