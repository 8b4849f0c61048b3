/**
 * shared/html-to-text.ts: an HTML email body read as text, with nothing loaded or run, and
 * in time linear in its length whatever the sender wrote.
 */
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../shared/html-to-text';

const text = (html: string): string => htmlToText(html).text;

describe('htmlToText', () => {
  it('keeps the words, paragraphs, line breaks and list items', () => {
    expect(text('<p>Answer   your\nphone.</p><p>Now.</p>')).toBe('Answer your phone.\n\nNow.');
    expect(text('one<br>two<br/>three')).toBe('one\ntwo\nthree');
    expect(text('<ul><li>a</li><li>b</li></ul>')).toBe('• a\n• b');
    expect(text('<table><tr><td>x</td><td>y</td></tr></table>')).toBe('x\ty');
    expect(text('<pre>keep\n    this</pre>')).toBe('keep\n    this');
    expect(text('<p>\n   indented in the source</p>')).toBe('indented in the source');
  });

  it('drops scripts, styles, comments, the title and what is never shown', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head>' +
      '<body><!-- <p>hidden</p> --><p>shown</p><template><p>no</p></template><noscript>no</noscript></body></html>';
    expect(text(html)).toBe('shown');
    // Case and attributes do not matter; an unclosed script swallows the rest, as in HTML.
    expect(text('<SCRIPT type="x">a</ScRiPt>b')).toBe('b');
    expect(text('a<script>never closed')).toBe('a');
  });

  it('shows where images and links were, with the real address of a link', () => {
    expect(text('<img src="http://tracker/p.gif">')).toBe('[image]');
    expect(text('<img alt="logo" src="x">')).toBe('[image: logo]');
    expect(text('<a href="http://evil.example/x">your bank</a>')).toBe(
      'your bank <http://evil.example/x>',
    );
    expect(text('<a href="https://a.example">https://a.example</a>')).toBe('https://a.example');
    expect(text('<a href="mailto:a@b.c">a@b.c</a>')).toBe('a@b.c');
    // Script addresses are never shown as if they were links.
    expect(text('<a href="javascript:alert(1)">click</a>')).toBe('click');
  });

  it('decodes character references, and leaves what is not one', () => {
    expect(decodeEntities('&lt;b&gt; &amp; &quot;x&quot; &#39; &#x41; &nbsp;')).toBe(
      '<b> & "x" \' A \u00a0',
    );
    expect(decodeEntities('AT&T &unknown; &#xD800; &#0; &')).toBe('AT&T &unknown; \ufffd \ufffd &');
    expect(text('a &lt;script&gt; b')).toBe('a <script> b');
    expect(text('1 < 2 and 3 > 2')).toBe('1 < 2 and 3 > 2');
  });

  it('quoted ">" inside attributes does not end the tag', () => {
    expect(text('<a title="a>b" href="http://x.example">t</a>')).toBe('t <http://x.example>');
  });

  it('caps the text and says so', () => {
    const r = htmlToText('x'.repeat(100) + '<p>more</p>', 10);
    expect(r.text).toBe('x'.repeat(10));
    expect(r.truncated).toBe(true);
    expect(htmlToText('<p>short</p>').truncated).toBe(false);
  });

  it('takes time linear in the input, for inputs built to be slow', () => {
    const n = 400_000;
    const hostile = [
      '<a'.repeat(n),
      '<a href="'.repeat(n / 4),
      '<script>'.repeat(n / 4),
      '&'.repeat(n) + '#',
      '&#'.repeat(n),
      ' '.repeat(n) + 'x',
      '\n' + ' \t'.repeat(n) + 'x\n',
      '<a href="http://x">'.repeat(n / 8) + 'x',
      '<!--'.repeat(n / 2),
      '<p>'.repeat(n / 2),
    ];
    for (const h of hostile) {
      const started = performance.now();
      htmlToText(h);
      expect(performance.now() - started, h.slice(0, 20)).toBeLessThan(1500);
    }
  });
});
