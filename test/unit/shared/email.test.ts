import { describe, expect, it } from 'vitest';
import {
  bytesToBinary,
  decodeHeaderValue,
  MAX_DEPTH,
  MAX_HEADER_CHARS,
  parseContentType,
  parseEmail,
  readEmailMessage,
} from '../../../shared/email';

const binary = (s: string) => bytesToBinary(new TextEncoder().encode(s));

describe('email parsing', () => {
  it('reads headers (folded, encoded words) and a plain body', () => {
    const m = parseEmail(
      binary(
        [
          'From: "Sam" <sam@example.org>',
          'To: me@example.org,',
          ' other@example.org',
          'Subject: =?utf-8?B?w4fDoCB2YQ==?= =?utf-8?Q?_encore?=',
          'Date: Tue, 3 Mar 2026 14:03:00 +0100',
          '',
          'Hello there.',
        ].join('\r\n'),
      ),
    );
    expect(m.from).toBe('"Sam" <sam@example.org>');
    expect(m.to).toBe('me@example.org, other@example.org');
    expect(m.subject).toBe('Çà va encore');
    expect(m.date).toBe('Tue, 3 Mar 2026 14:03:00 +0100');
    expect(m.text).toBe('Hello there.');
    expect(m.html).toBeNull();
    expect(m.problems).toEqual([]);
  });

  it('walks nested multiparts with quoted-printable and base64 bodies and inline images', () => {
    const html = '<p>Caf=C3=A9 <img src=3D"cid:logo@x"></p>=\r\n<p>end</p>';
    const raw = [
      'From: a@b.c',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/related; boundary=inner',
      '',
      '--inner',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      btoa('Plain caf\u00c3\u00a9'),
      '--alt',
      'Content-Type: text/html; charset="utf-8"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      html,
      '--alt--',
      '--inner',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgo=',
      '--inner--',
      '--outer',
      'Content-Type: application/pdf; name="report.pdf"',
      "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
      '--outer--',
    ].join('\r\n');
    const m = parseEmail(binary(raw));
    expect(m.text).toBe('Plain café');
    expect(m.html).toBe('<p>Café <img src="cid:logo@x"></p><p>end</p>');
    expect(m.inlineImages.get('logo@x')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(m.attachments).toEqual([{ name: 'résumé.pdf', mime: 'application/pdf', size: 5 }]);
  });

  it('decodes a latin-1 body by its charset', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('Content-Type: text/plain; charset=iso-8859-1\r\n\r\n'),
      0x63,
      0x61,
      0x66,
      0xe9,
    ]);
    expect(parseEmail(bytesToBinary(bytes)).text).toBe('café');
  });

  it('keeps what arrived of a cut-off multipart and never throws on junk', () => {
    const m = parseEmail(
      binary(
        'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhalf',
      ),
    );
    expect(m.text).toBe('half');
    expect(() => parseEmail('\u0000\u00ff garbage')).not.toThrow();
    expect(parseEmail('no headers here').problems.length).toBe(1);
    const noBoundary = parseEmail(binary('Content-Type: multipart/mixed\r\n\r\nbody'));
    expect(noBoundary.problems[0]).toMatch(/damaged/);
  });

  it('parses content types with quoted parameters', () => {
    const ct = parseContentType('Multipart/Mixed; boundary="a;b\\"c"; charset=UTF-8');
    expect(ct.type).toBe('multipart/mixed');
    expect(ct.params.get('boundary')).toBe('a;b"c');
    expect(ct.params.get('charset')).toBe('UTF-8');
  });

  it('decodes raw UTF-8 bytes in headers once, and encoded words', () => {
    expect(parseEmail(binary('From: Zoë <z@x>\r\n\r\n')).from).toBe('Zoë <z@x>');
    expect(decodeHeaderValue('=?iso-8859-1?Q?Zo=EB?= and =?x-unknown?B?WiE=?=')).toBe('Zoë and Z!');
  });

  it('says a damaged part once, with a count, when a multipart repeats its own boundary', () => {
    // Each part declares the boundary it is already inside, so none of them can be split.
    const same = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n';
    const raw =
      `From: a@b.c\r\n${same}` +
      `--b\r\n${same}`.repeat(312) +
      '--b\r\nContent-Type: text/plain\r\n\r\nstill read\r\n--b--\r\n';
    const m = parseEmail(binary(raw));
    expect(m.text).toBe('still read');
    expect(m.problems).toEqual([
      'Part of this email is damaged and could not be read (seen 312 times).',
    ]);
  });

  it('reads multiparts nested up to the limit, and says plainly when they go deeper', () => {
    const nested = (depth: number) => {
      const open: string[] = [];
      const close: string[] = [];
      for (let d = 1; d <= depth; d++) {
        open.push(`Content-Type: multipart/mixed; boundary=b${d}\r\n\r\n--b${d}\r\n`);
        close.unshift(`\r\n--b${d}--`);
      }
      return binary(`${open.join('')}Content-Type: text/plain\r\n\r\nbottom${close.join('')}`);
    };
    const deepest = parseEmail(nested(MAX_DEPTH));
    expect(deepest.text).toBe('bottom');
    expect(deepest.problems).toEqual([]);
    const tooDeep = parseEmail(nested(400));
    expect(tooDeep.text).toBeNull();
    expect(tooDeep.problems).toEqual([
      `Parts of this email are nested more than ${MAX_DEPTH} levels deep; the parts below that were not read.`,
    ]);
  });

  it('cuts a header longer than the cap for reading, and says so', () => {
    const m = parseEmail(
      binary(`From: a@b.c\r\nDate: ${'('.repeat(200 * 1024)}\r\nSubject: hi\r\n\r\nbody`),
    );
    expect(m.date).toBe('('.repeat(MAX_HEADER_CHARS));
    expect(m.subject).toBe('hi');
    expect(m.text).toBe('body');
    expect(m.problems).toEqual([
      'The Date header of this email is 200 KiB long; only its first 64 KiB were read. The email itself is stored whole.',
    ]);
    // Many short To headers add up: the list read is capped too, and named once.
    const many = parseEmail(binary(`${'To: someone@example.org\r\n'.repeat(5000)}\r\nx`));
    expect(many.to.length).toBe(MAX_HEADER_CHARS);
    expect(many.problems).toEqual([
      'The To header of this email is 103 KiB long; only its first 64 KiB were read. The email itself is stored whole.',
    ]);
    // The cut never leaves half of a character that needs two UTF-16 units.
    const emoji = parseEmail(binary(`Subject: a${'\u{1F600}'.repeat(40_000)}\r\n\r\nx`));
    expect(emoji.subject).toBe(`a${'\u{1F600}'.repeat((MAX_HEADER_CHARS - 2) / 2)}`);
    // A header whose name is not a plain token is not quoted in the note.
    const odd = parseEmail(binary(`X\u0007Evil: ${'a'.repeat(70_000)}\r\n\r\nx`));
    expect(odd.problems[0]).toMatch(/^A header of this email is 69 KiB long/);
  });

  it('decodes base64 exactly, skipping line breaks and junk', () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    const b64 = btoa(bytesToBinary(bytes)).replace(/(.{76})/g, '$1\r\n');
    const m = parseEmail(
      binary(
        'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n' +
          'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
          `${b64}\r\n--b--`,
      ),
    );
    expect(m.attachments).toEqual([
      { name: '(no name)', mime: 'application/octet-stream', size: 300 },
    ]);
  });

  it('gives each attachment the digest of its decoded bytes only when asked', () => {
    const raw = binary(
      [
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        'Content-Type: application/octet-stream; name="a.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        'AAEC/w==',
        '--b',
        'Content-Type: message/rfc822',
        '',
        'Subject: fwd',
        '--b--',
      ].join('\r\n'),
    );
    const seen: string[] = [];
    const hex = (b: string) =>
      [...b].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    const m = parseEmail(raw, { digest: (b) => (seen.push(b), hex(b)) });
    expect(m.attachments.map((a) => [a.name, a.digest])).toEqual([
      ['a.bin', '000102ff'],
      ['Forwarded message', hex('Subject: fwd')],
    ]);
    expect(seen).toHaveLength(2);
    expect(parseEmail(raw).attachments.every((a) => !('digest' in a))).toBe(true);
  });

  it("keeps each attachment's decoded bytes only when asked, for ingest to store", async () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--b',
      'Content-Type: application/octet-stream; name="a.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC/w==',
      '--b--',
    ].join('\r\n');
    const bytes = new TextEncoder().encode(raw);
    const m = await readEmailMessage(bytes, { withAttachmentBytes: true });
    expect(m.attachments.map((a) => [a.name, [...(a.bytes ?? [])]])).toEqual([
      ['a.bin', [0, 1, 2, 255]],
    ]);
    expect((await readEmailMessage(bytes)).attachments.every((a) => !('bytes' in a))).toBe(true);
  });

  it('lists pictures shown in the body among the attachments only when asked', () => {
    const raw = binary(
      [
        'Content-Type: multipart/related; boundary=b',
        '',
        '--b',
        'Content-Type: text/html',
        '',
        '<img src="cid:p1">',
        '--b',
        'Content-Type: image/png',
        'Content-ID: <p1>',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw==',
        '--b--',
      ].join('\r\n'),
    );
    const plain = parseEmail(raw);
    expect(plain.attachments).toEqual([]);
    expect(plain.inlineImages.get('p1')).toBe('data:image/png;base64,iVBORw==');
    const listed = parseEmail(raw, { listInlineImages: true });
    expect(listed.attachments).toEqual([
      { name: '(no name)', mime: 'image/png', size: 4, contentId: 'p1' },
    ]);
    expect(listed.inlineImages.get('p1')).toBe('data:image/png;base64,iVBORw==');
  });
});
