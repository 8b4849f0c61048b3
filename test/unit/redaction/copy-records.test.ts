// A box from the app (fractions, like a region mark) to the whole millionths a redaction
// stores: a box touching an edge stays whole, one past an edge is refused, never cut.
import { describe, expect, it } from 'vitest';
import { redactionBoxInMillionths } from '../../../main/core/redaction/copy-records';

const box = (x: number, y: number, w: number, h: number) => ({
  x,
  y,
  w,
  h,
  reason: 'address' as const,
});

describe('redactionBoxInMillionths', () => {
  it('rounds to millionths, keeps the reason, and gives "other" words or null', () => {
    expect(redactionBoxInMillionths(box(0.1, 0.05, 0.5, 0.1), 1)).toEqual({
      x: 100000,
      y: 50000,
      w: 500000,
      h: 100000,
      reason: 'address',
      otherReason: null,
    });
    expect(
      redactionBoxInMillionths({ ...box(0, 0, 1, 1), reason: 'other', otherReason: 'why' }, 1),
    ).toMatchObject({ x: 0, y: 0, w: 1000000, h: 1000000, otherReason: 'why' });
  });

  it('takes back only the millionth that rounding puts past an edge the fractions touch', () => {
    // 0.3333335 + 0.6666665 is 1, but each rounds up: 333334 + 666667.
    expect(redactionBoxInMillionths(box(0.3333335, 0.2500005, 0.6666665, 0.7499995), 1)).toEqual(
      expect.objectContaining({ x: 333334, w: 666666, y: 250001, h: 749999 }),
    );
  });

  it('refuses a box past an edge or too small to cover a millionth, by its number', () => {
    expect(() => redactionBoxInMillionths(box(0.9, 0, 0.2, 0.1), 3)).toThrow(
      'Box 3 goes past the edge of the picture.',
    );
    expect(() => redactionBoxInMillionths(box(0, 0.5, 0.1, 0.500002), 1)).toThrow(
      /Box 1 goes past the edge/,
    );
    expect(() => redactionBoxInMillionths(box(0.1, 0.1, 0.0000001, 0.1), 2)).toThrow(
      /Box 2 is too small to cover anything/,
    );
  });
});
