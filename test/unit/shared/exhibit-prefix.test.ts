import { describe, expect, it } from 'vitest';
import { api } from '../../../shared/contract';
import { exhibitPrefixProblem } from '../../../shared/exhibit-prefix';

const args = (exhibitPrefix: string) => ({
  out: '/tmp/out',
  format: 'dir',
  selection: { all: true },
  exhibitPrefix,
});

describe('the exhibit prefix: letters and digits only, in the API as in the wizard', () => {
  it('the API refuses a dash, a space, a slash, a letter outside A-Z and a control character', () => {
    for (const bad of ['jd-1', 'J D', 'JD/', 'Zoë', 'JD\x1b', 'x'.repeat(21)]) {
      const result = api['export.create'].args.safeParse(args(bad));
      expect(result.success, bad).toBe(false);
      expect(exhibitPrefixProblem(bad), bad).toMatch(/exhibit prefix/);
    }
    const dash = api['export.create'].args.safeParse(args('jd-1'));
    expect(dash.error?.issues[0]?.message).toMatch(/letters and digits/);
  });

  it('accepts letters and digits up to 20, and no prefix at all (the default, EX)', () => {
    for (const good of ['JD', 'jd1', 'R2024', 'x'.repeat(20), '']) {
      expect(api['export.create'].args.safeParse(args(good)).success, good).toBe(true);
      expect(exhibitPrefixProblem(good)).toBeNull();
    }
  });
});
