// The text an email or a text file is redacted in, the checks on covered passages, and the
// copy's bytes (issue 15): hostile emails and texts must neither hang the rendering nor let
// the copy carry anything of what was covered.
import { describe, expect, it } from 'vitest';
import { readEmailMessage } from '../../../shared/email';
import {
  emailRendering,
  redactText,
  spansProblem,
  textRendering,
  visibleText,
  type RedactionSpan,
} from '../../../shared/redaction-text';
import { redactedTextCopy, textForRedaction } from '../../../main/core/redaction/text-redaction';
import { expectLinear } from '../../support/linear';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const span = (start: number, end: number, reason = 'address', otherReason: string | null = null) =>
  ({ start, end, reason, otherReason }) as RedactionSpan;
const at = (text: string, part: string): [number, number] => {
  const i = text.indexOf(part);
  expect(i).toBeGreaterThanOrEqual(0);
  return [i, i + part.length];
};

const EMAIL = [
  'From: Alex <alex@example.com>',
  'To: Sam <sam@example.org>',
  'Subject: you know where',
  'Date: Fri, 01 Mar 2024 21:00:00 +0000',
  'X-Home-Address: HIDDEN-HEADER-MARKER',
  'Received: from mail.example.com',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'I saw you at 12 Elm Street.',
  'Your son goes to St Mary.',
  '--b1',
  'Content-Type: application/pdf; name="lease-at-12-Elm.pdf"',
  'Content-Disposition: attachment; filename="lease-at-12-Elm.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQKJUFUVEFDSE1FTlQtTUFSS0VS',
  '--b1--',
  '',
].join('\r\n');

describe('the rendering of an email', () => {
  it('is the shown headers, a blank line and the body, with line feeds only', async () => {
    const text = emailRendering(await readEmailMessage(enc(EMAIL)));
    expect(text).toBe(
      [
        'From: Alex <alex@example.com>',
        'To: Sam <sam@example.org>',
        'Subject: you know where',
        'Date: Fri, 01 Mar 2024 21:00:00 +0000',
        '',
        'I saw you at 12 Elm Street.',
        'Your son goes to St Mary.',
      ].join('\n'),
    );
    expect(text).not.toContain('\r');
    expect(text).not.toContain('HIDDEN-HEADER-MARKER');
    expect(text).not.toContain('lease');
  });

  it('is the HTML version as words when there is one (as a mail program shows it)', async () => {
    const html = [
      'From: a@example.com',
      'Subject: hi',
      'Content-Type: multipart/alternative; boundary="x"',
      '',
      '--x',
      'Content-Type: text/plain',
      '',
      'PLAIN-ONLY words',
      '--x',
      'Content-Type: text/html',
      '',
      '<html><head><style>p{}</style></head><body><p>Shown <b>words</b></p><div style="display:none">x</div></body></html>',
      '--x--',
      '',
    ].join('\r\n');
    const text = emailRendering(await readEmailMessage(enc(html)));
    expect(text).toBe('From: a@example.com\nSubject: hi\n\nShown words\n\nx');
  });

  it('writes a header value on one line: an encoded tab or control character is escaped', async () => {
    const text = emailRendering(
      await readEmailMessage(enc('Subject: =?utf-8?B?b25lCXR3bwd4?=\r\n\r\nbody\r\n')),
    );
    expect(text).toBe('Subject: one\\u{0009}two\\u{0007}x\n\nbody\n');
  });

  it('starts with the body when the email has none of the five headers', async () => {
    const text = emailRendering(await readEmailMessage(enc('X-Only: hidden\r\n\r\nbody\r\n')));
    expect(text).toBe('body\n');
  });

  it('reads an email with 100,000 headers in bounded time, showing only the five', async () => {
    const lines: string[] = ['From: a@example.com', 'Subject: many'];
    for (let i = 0; i < 100_000; i++) lines.push(`X-H${i}: HIDDEN-HEADER-MARKER`);
    const bytes = enc(`${lines.join('\r\n')}\r\n\r\nthe body\r\n`);
    const t0 = Date.now();
    const r = await textForRedaction(bytes, 'message/rfc822', 'email');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.text).not.toContain('HIDDEN-HEADER-MARKER');
    expect(r.text.startsWith('From: a@example.com\nSubject: many\n\n')).toBe(true);
  });

  it('renders a body of 50 MB whole, in time linear in its size', async () => {
    const line = 'abcdefghij klmnopqrstu vwxyz 0123456789 the quick brown fox\r\n';
    const body = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length));
    const bytes = enc(`From: a@example.com\r\nSubject: big\r\n\r\n${body}`);
    const r = await textForRedaction(bytes, 'message/rfc822', 'email');
    expect(r.text.length).toBe(
      'From: a@example.com\nSubject: big\n\n'.length + body.length - body.length / line.length,
    );
    expect(r.text).not.toContain('\r');
    expectLinear('visibleText', (n) => {
      const s = `${'x\r\n\u202e'.repeat(n / 4)}`;
      return () => visibleText(s);
    });
  }, 120_000);

  it('counts attachments and pictures in the body, which the copy leaves out', async () => {
    const r = await textForRedaction(enc(EMAIL), 'message/rfc822', 'email');
    expect(r.attachments).toBe(1);
  });
});

describe('the rendering of a text file', () => {
  it('ends lines with a line feed alone (as a text area counts them)', () => {
    expect(textRendering('one\r\ntwo\rthree\n')).toBe('one\ntwo\nthree\n');
  });

  it('counts a CRLF as one line end: a passage cannot end inside one, and no CR reaches the copy', async () => {
    const r = await textForRedaction(enc('name: Jo\r\nphone: 0123\r\n'), 'text/plain', 'text');
    expect(r.text).toBe('name: Jo\nphone: 0123\n');
    // "Jo" and its line end, as a selection to the start of the next line gives them.
    const [a] = at(r.text, 'Jo');
    expect(spansProblem(r.text, [span(a, a + 3)])).toBeNull();
    const copy = redactedTextCopy(r, [span(a, a + 3)], { name: 'n.txt', sha256: '00'.repeat(32) });
    expect(copy.includes(0x0d)).toBe(false);
    expect(copy.toString('utf8').endsWith('name: [REDACTED: Personal address]phone: 0123\n')).toBe(
      true,
    );
  });

  it('shows every hidden or direction-changing character as a visible escape', () => {
    const hostile =
      'pay \u202eTSIL\u202c to \u200bme\u2066x\u2069 \ufeff\u00ad \u{e0041}\u{e0042} \u{e0100} nul\u0000 \ud800 ok';
    const shown = textRendering(hostile);
    expect(shown).toBe(
      'pay \\u{202e}TSIL\\u{202c} to \\u{200b}me\\u{2066}x\\u{2069} \\u{feff}\\u{00ad} \\u{e0041}\\u{e0042} \\u{e0100} nul\\u{0000} \\u{d800} ok',
    );
    // Joiners and emoji variation selectors, which scripts and emoji need, are kept.
    expect(textRendering('❤️ 👨‍👩‍👧 می‌خواهم')).toBe('❤️ 👨‍👩‍👧 می‌خواهم');
  });
});

describe('covered passages', () => {
  const text = 'Call me 😀 at café\nor at 12 Elm Street';

  it('are refused outside the text, empty, overlapping, or with a bad reason', () => {
    const problems = [
      [span(-1, 3)],
      [span(3, text.length + 1)],
      [span(4, 4)],
      [span(5, 3)],
      [span(0.5, 3)],
      [span(0, 5), span(4, 8)],
      [span(0, 3, 'nonsense')],
      [span(0, 3, 'other')],
      [span(0, 3, 'other', '   ')],
      [span(0, 3, 'other', 'a\u0007b')],
      [span(0, 3, 'other', 'a\u202eb')],
      [span(0, 3, 'other', 'x'.repeat(501))],
      [span(0, 3, 'other', 'x] he said he would kill me [REDACTED: y')],
      [span(0, 3, 'address', 'words')],
      [],
    ].map((s) => spansProblem(text, s));
    for (const p of problems) expect(p).toMatch(/\w/);
    expect(problems[1]).toContain('past the end of the text');
    expect(problems[12]).toMatch(/square bracket/);
    expect(problems[5]).toBe(
      'Passages 1 and 2 overlap; each part of the text is covered once, for one reason.',
    );
  });

  it('are refused when they start or end inside a surrogate pair or before an accent', () => {
    const emoji = text.indexOf('😀');
    expect(spansProblem(text, [span(0, emoji + 1)])).toContain('ends inside a character');
    expect(spansProblem(text, [span(emoji + 1, emoji + 4)])).toContain('starts inside a character');
    expect(spansProblem(text, [span(emoji, emoji + 2)])).toBeNull();
    const decomposed = 'cafe\u0301 ok';
    expect(spansProblem(decomposed, [span(0, 4)])).toContain('ends inside a character');
    expect(spansProblem(decomposed, [span(0, 5)])).toBeNull();
  });

  it('are refused inside an emoji sequence, a flag or a Hangul syllable, whole ones allowed', () => {
    const family = '\u{1F469}\u200d\u{1F469}\u200d\u{1F467}'; // woman, woman, girl: one emoji
    const wave = '\u{1F44B}\u{1F3FD}'; // waving hand, medium skin tone
    const flags = '\u{1F1EC}\u{1F1E7}\u{1F1EB}\u{1F1F7}'; // GB then FR
    const jamo = '\u1112\u1161\u11ab'; // 한 in three jamo
    const t = `a ${family} b ${wave} c ${flags} d ${jamo} e`;
    const whole = (s: string): [number, number] => [t.indexOf(s), t.indexOf(s) + s.length];
    for (const part of [family, wave, flags, jamo]) {
      const [a, b] = whole(part);
      expect(spansProblem(t, [span(a, b)]), part).toBeNull();
      for (let cut = a + 1; cut < b; cut++) {
        // Between the two flags is a boundary; everywhere else inside these is not.
        if (part === flags && cut === a + 4) {
          expect(spansProblem(t, [span(a, cut)])).toBeNull();
          continue;
        }
        expect(spansProblem(t, [span(a, cut)]), `${part} ${cut - a}`).toContain(
          'ends inside a character',
        );
        expect(spansProblem(t, [span(cut, b)]), `${part} ${cut - a}`).toContain(
          'starts inside a character',
        );
      }
    }
  });

  it('are each replaced by the reason, whatever their order, the length not kept', () => {
    const [a, b] = at(text, '12 Elm Street');
    const [c, d] = at(text, 'café');
    const out = redactText(text, [span(a, b), span(c, d, 'other', ' my nickname ')]);
    expect(out).toBe(
      'Call me 😀 at [REDACTED: Other: my nickname]\nor at [REDACTED: Personal address]',
    );
    expect(spansProblem(text, [span(a, b), span(c, d, 'other', 'my nickname')])).toBeNull();
    // Passages that touch are allowed: each is covered for its own reason.
    expect(spansProblem(text, [span(0, 4), span(4, 7)])).toBeNull();
  });
});

describe('the copy', () => {
  it('is a heading, then the redacted rendering: nothing of the covered text, no hidden header', async () => {
    const r = await textForRedaction(enc(EMAIL), 'message/rfc822', 'email');
    const [a, b] = at(r.text, '12 Elm Street');
    const [c, d] = at(r.text, 'St Mary');
    const copy = redactedTextCopy(r, [span(c, d, 'children'), span(a, b)], {
      name: 'threat\u202egnp.eml',
      sha256: 'ab'.repeat(32),
    }).toString('utf8');
    expect(copy).toBe(
      [
        'REDACTED COPY, made with Dossier',
        'Of: threat\\u{202e}gnp.eml',
        `Original's SHA-256: ${'ab'.repeat(32)}`,
        '2 passages covered, each shown as [REDACTED: its reason].',
        "Not in this copy: the email's other headers, its formatting, and its 1 attachment (withheld).",
        '—'.repeat(40),
        'From: Alex <alex@example.com>',
        'To: Sam <sam@example.org>',
        'Subject: you know where',
        'Date: Fri, 01 Mar 2024 21:00:00 +0000',
        '',
        'I saw you at [REDACTED: Personal address].',
        'Your son goes to [REDACTED: Children’s details].',
        '',
      ].join('\n'),
    );
    for (const marker of ['Elm', 'Mary', 'HIDDEN-HEADER-MARKER', 'lease', 'ATTACHMENT']) {
      expect(copy).not.toContain(marker);
    }
  });

  it('carries no hidden character: a covered passage inside direction overrides stays covered', async () => {
    // What looks like "call 0123" on screen is stored as an override and the digits reversed.
    const original = 'note: call \u202e3210\u202c now \u200bSECRET\u200b end';
    const r = await textForRedaction(enc(original), 'text/plain', 'text');
    const [a, b] = at(r.text, '3210');
    const [c, d] = at(r.text, 'SECRET');
    const copy = redactedTextCopy(r, [span(a, b), span(c, d, 'irrelevant')], {
      name: 'n.txt',
      sha256: '00'.repeat(32),
    });
    const s = copy.toString('utf8');
    expect(s).not.toContain('3210');
    expect(s).not.toContain('SECRET');
    // No byte of any invisible or direction-changing character is in the file.
    expect(s).not.toMatch(/[\u200b\u202a-\u202e\u2066-\u2069\ufeff\u00ad]/);
    expect(
      s.endsWith(
        'note: call \\u{202e}[REDACTED: Personal address]\\u{202c} now \\u{200b}[REDACTED: Irrelevant and confidential]\\u{200b} end\n',
      ),
    ).toBe(true);
  });
});
