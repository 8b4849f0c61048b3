// HTML email bodies as readable text for the court bundle: structure kept as line breaks,
// bullets and quote marks, links with their address, nothing hidden run or fetched, and
// linear time on hostile HTML (issue 11, part 1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, htmlToText } from '../../../shared/email-text';
import { expectLinear } from '../../support/linear';

describe('htmlToText', () => {
  it('turns paragraphs, line breaks and headings into lines, collapsing white space', () => {
    expect(
      htmlToText('<h1>Notice</h1><p>You   will\n regret\tthis.<br>Line two</p><div>after</div>'),
    ).toBe('Notice\n\nYou will regret this.\nLine two\n\nafter');
    // Runs of <br> give at most one blank line; no breaks at the start or end.
    expect(htmlToText('<br><br>a<br><br><br><br>b<br><br>')).toBe('a\n\nb');
  });

  it('gives lists bullets and numbers, indented when nested', () => {
    expect(
      htmlToText('<p>Do this:</p><ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>x'),
    ).toBe('Do this:\n\n• one\n• two\n  1. a\n  2. b\n\nx');
  });

  it('shows a link by its text and, when it differs, its address in brackets', () => {
    expect(
      htmlToText(
        '<a href="https://evil.example/you">my page</a>, <a href="mailto:a@b.example">a@b.example</a>, ' +
          '<a href="https://www.example.org/">example.org</a>, <a href="#top">top</a>, ' +
          '<a href="https://x.example/?a=1&amp;b=2"><img src="https://x.example/p.png"></a>',
      ),
    ).toBe(
      'my page [https://evil.example/you], a@b.example, example.org, top, ' +
        '[picture on the internet, not loaded] [https://x.example/?a=1&b=2]',
    );
  });

  it('drops script, style, title and head content and loads nothing', () => {
    const text = htmlToText(
      '<html><head><title>Secret title</title><meta charset="utf-8"><style>p{color:red}</style></head>' +
        '<body><script>fetch("https://t.example")</script><p>Visible</p>' +
        '<img src="https://t.example/pixel.gif"><img src="cid:part1"><img alt="a knife" src="x.png">' +
        '<!--[if mso]><p>Outlook only</p><![endif]--></body></html>',
    );
    expect(text).toBe(
      'Visible\n\n[picture on the internet, not loaded] [picture in the email] [picture: a knife]',
    );
  });

  it('names a picture from the email by its Content-ID when told its name', () => {
    const names = new Map([['k1@x', 'knife.png']]);
    expect(htmlToText('<img src="cid:k1@x"><img src="CID:other">', { pictureNames: names })).toBe(
      '[picture in the email: knife.png] [picture in the email]',
    );
  });

  it('decodes entities, numeric ones included, and leaves unknown ones as written', () => {
    expect(
      decodeHtmlEntities('&amp; &lt;b&gt; &#8212; &#x1F600; &#150; &#0; &bogus; &toString; &AMP;'),
    ).toBe('& <b> — 😀 – \uFFFD &bogus; &toString; &');
    expect(htmlToText('a&nbsp;&nbsp;b &lt;script&gt;')).toBe('a  b <script>');
    // Outlook's empty paragraphs hold a no-break space: no line of spaces.
    expect(htmlToText('<p>Dear Ms Doe,<o:p></o:p></p><p><o:p>&nbsp;</o:p></p><p>Regards</p>')).toBe(
      'Dear Ms Doe,\n\nRegards',
    );
  });

  it('marks quoted replies, keeps preformatted text, and separates table cells', () => {
    expect(
      htmlToText(
        '<p>No.</p><blockquote><p>On Monday you wrote:</p>hi</blockquote>' +
          '<pre>  keep\n   this</pre><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>',
      ),
    ).toBe('No.\n\n> On Monday you wrote:\n>\n> hi\n\n  keep\n   this\n\na b\nc');
    expect(htmlToText('<blockquote>a<blockquote>b<br><br>c</blockquote></blockquote>x >')).toBe(
      '> a\n>\n>> b\n>>\n>> c\n\nx >',
    );
  });

  it('reads broken HTML without losing text or throwing', () => {
    expect(htmlToText('a < b and c<d> e')).toBe('a < b and c e');
    expect(htmlToText('<div>unclosed <head> text')).toBe('unclosed text');
    expect(htmlToText('text <a href="never closed')).toBe('text');
    expect(htmlToText('before<script>never closed')).toBe('before');
    expect(htmlToText('<!-- never closed')).toBe('');
    expect(htmlToText('')).toBe('');
  });

  it('never throws, and never shows script or style text, on any mix of markup', () => {
    const piece = fc.constantFrom(
      '<p>',
      '</p>',
      '<br>',
      '<a href="u">',
      '</a>',
      '<ul>',
      '<li>',
      '</ul>',
      '<ol>',
      '</ol>',
      '<blockquote>',
      '</blockquote>',
      '<pre>',
      '</pre>',
      '<script>SCRIPTTEXT',
      '</script>',
      '<style>STYLETEXT',
      '</style>',
      '<!--',
      '-->',
      // A bare '<' before a name would start a tag that swallows a following '<script>' into
      // its name ('<word<script>' is one tag, as browsers read it), so it is followed by a space.
      '< ',
      '>',
      '&',
      '&#',
      '&amp;',
      '"',
      "'",
      ' ',
      '\n',
      'word',
      '<img alt="x">',
      '<td>',
      '<tr>',
      '<head>',
      '</head>',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = htmlToText(pieces.join(''));
        expect(typeof text).toBe('string');
        expect(text).not.toMatch(/SCRIPTTEXT|STYLETEXT/);
        expect(text).not.toMatch(/\n{3}/);
        expect(text).toBe(text.replace(/^\n+|\n+$/g, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a tag name up to a space, / or > as browsers do, so "<a<script>" is one tag', () => {
    expect(htmlToText('x<word<script>shown</script>')).toBe('xshown');
    expect(htmlToText('x<word><script>hidden</script>y')).toBe('xy');
  });

  it('takes linear time on hostile HTML', () => {
    const families: [string, (n: number) => string][] = [
      ['unclosed heads', (n) => '<head>x'.repeat(n / 7)],
      ['unclosed scripts', (n) => '<p>' + '<scrip'.repeat(n / 6) + '<script>'],
      ['near-miss closes', (n) => '<style>' + '</styl'.repeat(n / 6)],
      [
        'nested quotes and lists',
        (n) => '<blockquote><ul><li>'.repeat(n / 20) + 'x<br>'.repeat(n / 20),
      ],
      ['tags without ends', (n) => '<a b=c '.repeat(n / 7)],
      ['less-thans', (n) => '<'.repeat(n)],
      ['ampersands', (n) => '&#1'.repeat(n / 3)],
      ['long entity names', (n) => '&abcdefghijklmnop'.repeat(n / 17)],
      ['links', (n) => '<a href="x">y</a>'.repeat(n / 18)],
      ['comments', (n) => '<!--'.repeat(n / 4)],
      ['white space', (n) => ' \n\t'.repeat(n / 3) + 'x'],
    ];
    for (const [label, make] of families) {
      expectLinear(label, (n) => {
        const html = make(n);
        return () => htmlToText(html);
      });
    }
  });
});
