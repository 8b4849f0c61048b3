import { describe, expect, it } from 'vitest';
import {
  matchingWordIndexes,
  searchTokens,
  searchWords,
  wordMatches,
} from '../../../shared/search-words';

const words = (...ts: string[]) => ts.map((t) => ({ t }));

describe('search words (shared by the library search and the picture highlight)', () => {
  it('splits a search as FTS5 reads it and folds case and diacritics', () => {
    expect(searchWords('  "school" OR  NEAR(x) ')).toEqual(['school', 'OR', 'NEAR', 'x']);
    expect(searchTokens('Café-CRÈME, naïve')).toEqual(['cafe', 'creme', 'naive']);
    expect(wordMatches('ecole', 'École')).toBe(true);
    expect(wordMatches('sch', 'the School')).toBe(true);
    expect(wordMatches('hool', 'school')).toBe(false);
  });

  it('finds every word read in a picture that a search matches, as a prefix, folded', () => {
    const read = words('Near', 'your', 'SCHOOL,', 'école', 'schoolyard', 'pre-school');
    expect(matchingWordIndexes('school', read)).toEqual([2, 4, 5]);
    expect(matchingWordIndexes('ECOLE', read)).toEqual([3]);
    expect(matchingWordIndexes('your school', read)).toEqual([1, 2, 4, 5]);
    expect(matchingWordIndexes('nothing', read)).toEqual([]);
    expect(matchingWordIndexes('', read)).toEqual([]);
    expect(matchingWordIndexes('  !! ', read)).toEqual([]);
  });

  it('matches a search word of several tokens across the words read apart, in order only', () => {
    const read = words('call', "O'", 'Brien', 'on', '07700', '900123', 'Brien', 'O');
    // One search word ("_" joins), its tokens in a row: not the lone "O" at the end.
    expect(matchingWordIndexes('o_brien', read)).toEqual([1, 2]);
    // "brien" then a word starting "o", in that order: never "O' Brien" read backwards.
    expect(matchingWordIndexes('brien_o', read)).toEqual([2, 3, 6, 7]);
    // Two search words, each on its own, as the library search takes them.
    expect(matchingWordIndexes("o'brien", read)).toEqual([1, 2, 3, 6, 7]);
    expect(matchingWordIndexes('07700-900', read)).toEqual([4, 5]);
  });

  it('never treats search syntax or a hostile query as a pattern', () => {
    const read = words('a*b', '(x)', 'plain');
    expect(matchingWordIndexes('.*', read)).toEqual([]);
    expect(matchingWordIndexes('a*', read)).toEqual([0]);
    const long = 'x'.repeat(100_000);
    expect(matchingWordIndexes(long, words(long.slice(0, 10)))).toEqual([]);
  });
});
