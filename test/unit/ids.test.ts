import { describe, expect, it } from 'vitest';
import { ID_PATTERN, newId } from '../../main/core/ids';

describe('newId', () => {
  it('gives distinct 26-character ids across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    // Every character of the alphabet turns up in every position but the last (2 bits).
    for (let i = 0; i < 25; i++) expect(new Set(ids.map((id) => id[i])).size).toBe(32);
  });
});
