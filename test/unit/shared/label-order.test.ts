import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareExhibitLabels } from '../../../shared/label-order';

describe('compareExhibitLabels', () => {
  it('sorts labels as numbers: JD2 before JD10', () => {
    expect(['JD10', 'JD2', 'JD1', 'JD11'].sort(compareExhibitLabels)).toEqual([
      'JD1',
      'JD2',
      'JD10',
      'JD11',
    ]);
    expect(['JD/10', 'JD/9', 'JD/100'].sort(compareExhibitLabels)).toEqual([
      'JD/9',
      'JD/10',
      'JD/100',
    ]);
    expect(['AB2', 'AA10'].sort(compareExhibitLabels)).toEqual(['AA10', 'AB2']);
  });

  it('orders by number for any prefix and any size of number', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{1,4}\/?$/),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (prefix, a, b) => {
          const c = compareExhibitLabels(`${prefix}${a}`, `${prefix}${b}`);
          expect(Math.sign(c)).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });

  it('is a total order: antisymmetric, and 0 only for equal labels', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ab = compareExhibitLabels(a, b);
        expect(Math.sign(ab) + Math.sign(compareExhibitLabels(b, a))).toBe(0);
        if (ab === 0) expect(a).toBe(b);
      }),
    );
  });
});
