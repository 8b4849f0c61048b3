import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeLines } from '../../../main/cli/terminal-text';

/** Anything a terminal could act on, or that hides itself: none may survive escaping. */
const ACTIVE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/u;

describe('terminalSafe', () => {
  it('leaves ordinary text alone', () => {
    for (const s of ['screenshot.png', 'Zoë’s café — 9 März', '日本語のファイル.jpg', 'a b\\c', ''])
      expect(terminalSafe(s)).toBe(s);
  });

  it('shows C0, DEL and C1 controls as visible escapes', () => {
    expect(terminalSafe('x\x1b[2K\r\x1b[1A\x1b[32mVerified\x1b[8m')).toBe(
      'x\\x1b[2K\\r\\x1b[1A\\x1b[32mVerified\\x1b[8m',
    );
    expect(terminalSafe('a\nb\tc\0d\x07e\x7f')).toBe('a\\nb\\tc\\x00d\\x07e\\x7f');
    expect(terminalSafe('\u009b31m\u0085\u009d0;t\u009c')).toBe('\\x9b31m\\x85\\x9d0;t\\x9c');
  });

  it('shows bidi controls, line separators and invisible format characters', () => {
    expect(terminalSafe('invoice\u202Etxt.exe')).toBe('invoice\\u202etxt.exe');
    const named = '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029';
    expect(terminalSafe(named)).toBe(
      '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029',
    );
    expect(terminalSafe('pay\u200bpal\u00ad\ufeff\u2060\u180e')).toBe(
      'pay\\u200bpal\\xad\\ufeff\\u2060\\u180e',
    );
    // Tag characters (invisible) and a lone surrogate.
    expect(terminalSafe('a\u{e0041}b\ud800c')).toBe('a\\u{e0041}b\\ud800c');
    // Hangul fillers render as nothing.
    expect(terminalSafe('\u3164x\u115f')).toBe('\\u3164x\\u115f');
  });

  it('keeps the zero-width joiner inside an emoji sequence, and shows it elsewhere', () => {
    const family = '👩\u200d👩\u200d👧';
    expect(terminalSafe(`photo ${family}.jpg`)).toBe(`photo ${family}.jpg`);
    expect(terminalSafe('pay\u200dpal')).toBe('pay\\u200dpal');
    expect(terminalSafe('👩\u200d')).toBe('👩\\u200d');
  });

  it('never lets an active character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const safe = terminalSafe(s);
        const rest = safe.replace(
          /\p{Extended_Pictographic}\u200d(?=\p{Extended_Pictographic})/gu,
          '',
        );
        expect(ACTIVE.test(rest)).toBe(false);
        expect(terminalSafe(safe)).toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('terminalSafeLines', () => {
  it('keeps line breaks and escapes everything else on each line', () => {
    expect(terminalSafeLines('one\ntwo\x1b[2J\r\nthree\u202e')).toBe(
      'one\ntwo\\x1b[2J\\r\nthree\\u202e',
    );
  });
});
