// Text file exhibits in the court bundle: decoded as their byte order mark says, line breaks
// made uniform, hidden characters shown, long files capped (issue 11, part 1).
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, textContent } from '../../../main/core/export/bundle/text-content';
import { expectLinear } from '../../support/linear';

const utf8 = (s: string) => new TextEncoder().encode(s);

function utf16(s: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + 2 * i + (bigEndian ? 1 : 0)] = c & 0xff;
    out[2 + 2 * i + (bigEndian ? 0 : 1)] = c >> 8;
  }
  return out;
}

describe('textContent', () => {
  it('reads UTF-8 and makes CRLF and lone CR line feeds', () => {
    expect(textContent(utf8('Met PC Jones\r\nRef: 4471/24\rCafé – “quotes”\n'))).toEqual({
      kind: 'text',
      text: 'Met PC Jones\nRef: 4471/24\nCafé – “quotes”\n',
      encoding: 'UTF-8',
      truncated: false,
    });
  });

  it('follows a byte order mark: UTF-8, UTF-16LE and UTF-16BE', () => {
    const bom8 = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('naïve')]);
    expect(textContent(bom8)).toMatchObject({ text: 'naïve', encoding: 'UTF-8 (byte order mark)' });
    expect(textContent(utf16('Łódź\r\nok', false))).toMatchObject({
      text: 'Łódź\nok',
      encoding: 'UTF-16LE (byte order mark)',
    });
    expect(textContent(utf16('Łódź 😀', true))).toMatchObject({
      text: 'Łódź 😀',
      encoding: 'UTF-16BE (byte order mark)',
    });
  });

  it('shows damaged bytes as U+FFFD and says so', () => {
    const c = textContent(new Uint8Array([0x61, 0xff, 0x62, 0xc3]));
    expect(c.text).toBe('a\uFFFDb\uFFFD');
    expect(c.encoding).toMatch(/^UTF-8, with bytes that are not valid UTF-8 shown as \uFFFD$/);
  });

  it('shows controls and invisible reordering characters visibly, keeping tabs and emoji', () => {
    const c = textContent(
      utf8('a\u0007b\u0000c\u001b[31m\td\u202Egnp.exe\u2066e\u200Bf\u0085\uFEFFg 👨‍👩‍👧'),
    );
    expect(c.text).toBe(
      'a[U+0007]b[U+0000]c[U+001B][31m\td[U+202E]gnp.exe[U+2066]e[U+200B]f[U+0085][U+FEFF]g 👨‍👩‍👧',
    );
    expect(textContent(utf8('one\u2028two\u2029three')).text).toBe('one\ntwo\nthree');
  });

  it('caps a long file, never cutting a character in half, and says it is truncated', () => {
    const long = 'x'.repeat(MAX_TEXT_CHARS - 1) + '😀' + 'tail';
    const c = textContent(utf8(long));
    expect(c.truncated).toBe(true);
    expect(c.text).toBe('x'.repeat(MAX_TEXT_CHARS - 1));
    const exact = textContent(utf8('y'.repeat(MAX_TEXT_CHARS)));
    expect(exact.truncated).toBe(false);
    expect(exact.text.length).toBe(MAX_TEXT_CHARS);
  });

  it('caps what is shown, labels included, so a file of controls cannot grow eightfold', () => {
    const c = textContent(utf8('\u0007'.repeat(MAX_TEXT_CHARS)));
    expect(c.truncated).toBe(true);
    expect(c.text.length).toBe(MAX_TEXT_CHARS);
    expect(c.text.endsWith('[U+0007]')).toBe(true); // never half a label
  });

  it('reads the start of a file that was not read whole without calling the cut damage', () => {
    const start = utf8('début é').subarray(0, 8); // ends inside "é"
    const c = textContent(start, false);
    expect(c).toMatchObject({ text: 'début ', encoding: 'UTF-8', truncated: true });
  });

  it('takes linear time on hostile text', () => {
    expectLinear('carriage returns', (n) => {
      const b = utf8('\r'.repeat(n));
      return () => textContent(b);
    });
    expectLinear('controls', (n) => {
      const b = utf8('\u0007\u202E'.repeat(n / 2));
      return () => textContent(b);
    });
    expectLinear('damaged bytes', (n) => {
      const b = new Uint8Array(n).fill(0xff);
      return () => textContent(b);
    });
  });
});

describe('textContent of a saved web page', () => {
  it('shows the text a browser would, not the markup, and says so', () => {
    const c = textContent(
      utf8(
        '<!DOCTYPE html><html><head><script>x()</script></head><body><p>Saved post</p><p>by @anon</p></body></html>',
      ),
      true,
      'html',
    );
    expect(c.text).toBe('Saved post\n\nby @anon');
    expect(c.encoding).toBe(
      'UTF-8; the web page is shown as text (its markup and scripts left out)',
    );
  });
});
