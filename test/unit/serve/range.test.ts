import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../main/core/serve/range';

describe('parseRange (RFC 9110 §14)', () => {
  it('reads the three forms of a single byte range', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=100-', 1000)).toEqual({ kind: 'partial', start: 100, end: 999 });
    expect(parseRange('bytes=-1', 1000)).toEqual({ kind: 'partial', start: 999, end: 999 });
    expect(parseRange('bytes=0-0', 1)).toEqual({ kind: 'partial', start: 0, end: 0 });
  });

  it('clamps the last position and long suffixes to the size, exactly for huge numbers', () => {
    expect(parseRange('bytes=10-5000', 1000)).toEqual({ kind: 'partial', start: 10, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange(`bytes=0-${'9'.repeat(400)}`, 1000)).toEqual({
      kind: 'partial',
      start: 0,
      end: 999,
    });
    expect(parseRange(`bytes=-${'9'.repeat(400)}`, 10)).toEqual({
      kind: 'partial',
      start: 0,
      end: 9,
    });
    expect(parseRange('bytes=007-0010', 1000)).toEqual({ kind: 'partial', start: 7, end: 10 });
  });

  it('is case-insensitive in the unit and allows spaces and empty elements in the list', () => {
    expect(parseRange('BYTES=1-2', 10)).toEqual({ kind: 'partial', start: 1, end: 2 });
    expect(parseRange(' bytes= 1-2 , ', 10)).toEqual({ kind: 'partial', start: 1, end: 2 });
    expect(parseRange('bytes=,1-2', 10)).toEqual({ kind: 'partial', start: 1, end: 2 });
  });

  it('finds a start at or past the end, a zero suffix, and any range on an empty file unsatisfiable', () => {
    for (const [h, size] of [
      ['bytes=1000-', 1000],
      ['bytes=1000-2000', 1000],
      [`bytes=${'9'.repeat(30)}-`, 1000],
      ['bytes=-0', 1000],
      ['bytes=0-', 0],
      ['bytes=0-10', 0],
      ['bytes=-5', 0],
    ] as const) {
      expect(parseRange(h, size), `${h} of ${size}`).toEqual({ kind: 'unsatisfiable' });
    }
  });

  it('ignores what it does not take: no header, other units, bad syntax, several ranges', () => {
    for (const h of [
      null,
      '',
      'bytes',
      'bytes=',
      'bytes=,',
      'bytes=a-b',
      'bytes=5-2',
      `bytes=${'9'.repeat(30)}-${'9'.repeat(29)}`,
      'bytes=-',
      'bytes=1--2',
      'bytes=+1-2',
      'bytes=1.5-2',
      'bytes=0x10-20',
      'bytes = 1-2',
      'items=1-2',
      'bytes=0-1,5-6',
      'bytes=0-1,0-1',
      'bytes=0-1;q=1',
      'bytes=١-٢', // non-ASCII digits
    ]) {
      expect(parseRange(h, 1000), String(h)).toEqual({ kind: 'full' });
    }
  });

  it('never throws, and any partial range lies inside the file (property)', () => {
    const header = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom('bytes=', 'Bytes=', 'bytes=-', ''),
          fc.stringMatching(/^[0-9, -]{0,20}$/),
        )
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(header, fc.nat(10_000_000), (h, size) => {
        const r = parseRange(h, size);
        if (r.kind === 'partial') {
          expect(Number.isSafeInteger(r.start)).toBe(true);
          expect(Number.isSafeInteger(r.end)).toBe(true);
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeGreaterThanOrEqual(r.start);
          expect(r.end).toBeLessThan(size);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
