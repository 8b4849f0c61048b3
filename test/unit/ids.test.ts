import { describe, expect, it } from 'vitest';
import { ID_PATTERN, idSequence, newId } from '../../main/core/ids';

describe('newId', () => {
  it('gives distinct 26-character ids across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    // Every character of the alphabet turns up in every position but the last (2 bits).
    for (let i = 0; i < 25; i++) expect(new Set(ids.map((id) => id[i])).size).toBe(32);
  });
});

describe('idSequence', () => {
  it('gives ids of the same form that share a random prefix and sort in the order given', () => {
    const next = idSequence();
    const ids = Array.from({ length: 40_000 }, next);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 16))).size).toBe(1);
    expect([...ids].sort()).toEqual(ids);
    // The count is base32 in the ids' own alphabet: 0, 1, … 31, then a carry.
    expect(ids[0]!.slice(16)).toBe('0000000000');
    expect(ids[31]!.slice(16)).toBe('000000000z');
    expect(ids[32]!.slice(16)).toBe('0000000010');
    // 39,999 = 1·32³ + 7·32² + 1·32 + 31.
    expect(ids[39_999]!.slice(16)).toBe('000000171z');
  });

  it('gives each sequence its own random prefix', () => {
    const prefixes = Array.from({ length: 2000 }, () => idSequence()().slice(0, 16));
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
