import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_HEADER_CHARS,
  MAX_PARTS,
  readEmailMessage,
  type ParseEmailOptions,
} from '../../../shared/email';

const encode = (s: string) => new TextEncoder().encode(s);
const parse = (raw: string | Uint8Array, opts?: ParseEmailOptions) =>
  readEmailMessage(typeof raw === 'string' ? encode(raw) : raw, opts);

describe('email parsing', () => {
  it('reads headers (folded, encoded words) and a plain body', async () => {
    const m = await parse(
      [
        'From: "Sam" <sam@example.org>',
        'To: me@example.org,',
        ' other@example.org',
        'Subject: =?utf-8?B?w4fDoCB2YQ==?= =?utf-8?Q?_encore?=',
        'Date: Tue, 3 Mar 2026 14:03:00 +0100',
        '',
        'Hello there.',
      ].join('\r\n'),
    );
    expect(m.from).toBe('"Sam" <sam@example.org>');
    expect(m.to).toBe('me@example.org, other@example.org');
    expect(m.subject).toBe('Çà va encore');
    expect(m.date).toBe('Tue, 3 Mar 2026 14:03:00 +0100');
    expect(m.text).toBe('Hello there.');
    expect(m.html).toBeNull();
    expect(m.problems).toEqual([]);
  });

  it('walks nested multiparts with quoted-printable and base64 bodies and inline images', async () => {
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
    const m = await parse(raw);
    expect(m.text).toBe('Plain café');
    expect(m.html).toBe('<p>Café <img src="cid:logo@x"></p><p>end</p>');
    expect(m.inlineImages.get('logo@x')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(m.attachments).toEqual([{ name: 'résumé.pdf', mime: 'application/pdf', size: 5 }]);
  });

  it('decodes a latin-1 body by its charset', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('Content-Type: text/plain; charset=iso-8859-1\r\n\r\n'),
      0x63,
      0x61,
      0x66,
      0xe9,
    ]);
    expect((await parse(bytes)).text).toBe('café');
  });

  it('keeps what arrived of a cut-off multipart and never throws on junk', async () => {
    const m = await parse(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhalf',
    );
    expect(m.text).toBe('half');
    await expect(parse(new Uint8Array([0, 0xff, 0x20, 0x67]))).resolves.toBeTruthy();
    expect((await parse('no headers here')).problems.length).toBe(1);
    const noBoundary = await parse('Content-Type: multipart/mixed\r\n\r\nbody');
    expect(noBoundary.problems[0]).toMatch(/damaged/);
  });

  it('reads content types with quoted parameters', async () => {
    const m = await parse(
      'Content-Type: Multipart/Mixed; boundary="a;b\\"c"; charset=UTF-8\r\n\r\n' +
        '--a;b"c\r\nContent-Type: text/plain\r\n\r\ninside\r\n--a;b"c--\r\n',
    );
    expect(m.text).toBe('inside');
    expect(m.problems).toEqual([]);
  });

  it('decodes raw UTF-8 bytes in headers once, and encoded words', async () => {
    expect((await parse('From: Zoë <z@x>\r\n\r\n')).from).toBe('Zoë <z@x>');
    const subject = 'Subject: =?iso-8859-1?Q?Zo=EB?= and =?x-unknown?B?WiE=?=\r\n\r\n';
    expect((await parse(subject)).subject).toBe('Zoë and Z!');
  });

  it('says a damaged part once, with a count, when a multipart repeats its own boundary', async () => {
    // Each part declares the boundary it is already inside, so none of them can be split.
    const same = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n';
    const raw =
      `From: a@b.c\r\n${same}` +
      `--b\r\n${same}`.repeat(312) +
      '--b\r\nContent-Type: text/plain\r\n\r\nstill read\r\n--b--\r\n';
    const m = await parse(raw);
    expect(m.text).toBe('still read');
    expect(m.problems).toEqual([
      'Part of this email is damaged and could not be read (seen 312 times).',
    ]);
  });

  it('reads multiparts nested up to the limit, and says plainly when they go deeper', async () => {
    const nested = (depth: number) => {
      const open: string[] = [];
      const close: string[] = [];
      for (let d = 1; d <= depth; d++) {
        open.push(`Content-Type: multipart/mixed; boundary=b${d}\r\n\r\n--b${d}\r\n`);
        close.unshift(`\r\n--b${d}--`);
      }
      return encode(`${open.join('')}Content-Type: text/plain\r\n\r\nbottom${close.join('')}`);
    };
    const deepest = await parse(nested(MAX_DEPTH));
    expect(deepest.text).toBe('bottom');
    expect(deepest.problems).toEqual([]);
    const tooDeep = await parse(nested(400));
    expect(tooDeep.text).toBeNull();
    expect(tooDeep.problems).toEqual([
      // postal-mime stops at its limit, so the headers are read alone (was: the parts above it).
      `Parts of this email are nested more than ${MAX_DEPTH} levels deep; only its headers were read. The email itself is stored whole.`,
    ]);
  });

  it('cuts a header longer than the cap for reading, and says so', async () => {
    const m = await parse(
      `From: a@b.c\r\nDate: ${'('.repeat(200 * 1024)}\r\nSubject: hi\r\n\r\nbody`,
    );
    expect(m.date).toBe('('.repeat(MAX_HEADER_CHARS));
    expect(m.subject).toBe('hi');
    expect(m.text).toBe('body');
    expect(m.problems).toEqual([
      'The Date header of this email is 200 KiB long; only its first 64 KiB were read. The email itself is stored whole.',
    ]);
    // Many short To headers add up: the list read is capped too, and named once.
    const many = await parse(`${'To: someone@example.org\r\n'.repeat(5000)}\r\nx`);
    expect(many.to.length).toBe(MAX_HEADER_CHARS);
    expect(many.problems).toEqual([
      'The To header of this email is 103 KiB long; only its first 64 KiB were read. The email itself is stored whole.',
    ]);
    // The cut never leaves half of a character that needs two UTF-16 units.
    const emoji = await parse(`Subject: a${'\u{1F600}'.repeat(40_000)}\r\n\r\nx`);
    expect(emoji.subject).toBe(`a${'\u{1F600}'.repeat((MAX_HEADER_CHARS - 2) / 2)}`);
    // A header whose name is not a plain token is not quoted in the note.
    // (A control character is not allowed in a header name at all, RFC 5322 2.2: postal-mime
    // reads such a line as the start of the body, so the example is now a legal odd name.)
    const odd = await parse(`X!~Evil: ${'a'.repeat(70_000)}\r\n\r\nx`);
    expect(odd.problems[0]).toMatch(/^A header of this email is 69 KiB long/);
    const control = await parse(`From: a@b.c\r\nX\u0007Evil: x\r\n\r\nbody`);
    expect(control.headers.map((h) => h.key)).toEqual(['From']);
  });

  it('decodes base64 exactly, skipping line breaks and junk', async () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    const b64 = btoa(String.fromCharCode(...bytes)).replace(/(.{76})/g, '$1\r\n');
    const m = await parse(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n' +
        'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        `${b64}\r\n--b--`,
    );
    expect(m.attachments).toEqual([
      { name: '(no name)', mime: 'application/octet-stream', size: 300 },
    ]);
  });

  it('gives each attachment the digest of its decoded bytes only when asked', async () => {
    const raw = encode(
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
    const seen: Uint8Array[] = [];
    const hex = (b: Uint8Array) => [...b].map((c) => c.toString(16).padStart(2, '0')).join('');
    const m = await parse(raw, { digest: (b) => (seen.push(b), hex(b)) });
    expect(m.attachments.map((a) => [a.name, a.digest])).toEqual([
      ['a.bin', '000102ff'],
      ['Forwarded message', hex(encode('Subject: fwd'))],
    ]);
    expect(seen).toHaveLength(2);
    expect((await parse(raw)).attachments.every((a) => !('digest' in a))).toBe(true);
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

  it('lists pictures shown in the body among the attachments only when asked', async () => {
    const raw = encode(
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
    const plain = await parse(raw);
    expect(plain.attachments).toEqual([]);
    expect(plain.inlineImages.get('p1')).toBe('data:image/png;base64,iVBORw==');
    const listed = await parse(raw, { listInlineImages: true });
    expect(listed.attachments).toEqual([
      { name: '(no name)', mime: 'image/png', size: 4, contentId: 'p1' },
    ]);
    expect(listed.inlineImages.get('p1')).toBe('data:image/png;base64,iVBORw==');
  });

  it('names an attachment whose RFC 2231 filename is continued over several parameters', async () => {
    const m = await parse(
      [
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: application/pdf',
        "Content-Disposition: attachment; filename*0*=utf-8''r%C3%A9sum;",
        ' filename*1*=%C3%A9%20of%20threats; filename*2=".pdf"',
        '',
        'JVBERi0=',
        '--b--',
      ].join('\r\n'),
    );
    expect(m.attachments.map((a) => a.name)).toEqual(['résumé of threats.pdf']);
  });

  it('keeps every header in order, duplicates and the Received chain included', async () => {
    const m = await parse(
      [
        'Received: from b.example by c.example; Tue, 3 Mar 2026 14:03:02 +0100',
        'Received: from a.example',
        '\tby b.example; Tue, 3 Mar 2026 14:03:01 +0100',
        'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=c.example',
        'DKIM-Signature: v=1; a=rsa-sha256; d=a.example; s=s1;',
        '  b=abc',
        'Authentication-Results: c.example; dkim=pass header.d=a.example',
        'From: a@a.example',
        'Subject: =?utf-8?Q?caf=C3=A9?=',
        '',
        'x',
      ].join('\r\n'),
    );
    expect(m.headers).toEqual([
      { key: 'Received', value: 'from b.example by c.example; Tue, 3 Mar 2026 14:03:02 +0100' },
      { key: 'Received', value: 'from a.example\tby b.example; Tue, 3 Mar 2026 14:03:01 +0100' },
      { key: 'ARC-Seal', value: 'i=1; a=rsa-sha256; cv=none; d=c.example' },
      { key: 'DKIM-Signature', value: 'v=1; a=rsa-sha256; d=a.example; s=s1;  b=abc' },
      { key: 'Authentication-Results', value: 'c.example; dkim=pass header.d=a.example' },
      { key: 'From', value: 'a@a.example' },
      // As written: the Headers view shows what the message holds.
      { key: 'Subject', value: '=?utf-8?Q?caf=C3=A9?=' },
    ]);
    expect(m.subject).toBe('café');
  });

  it('says what postal-mime reads silently: damaged base64, a missing boundary, a cut-off end', async () => {
    const part = (b64: string) =>
      `--b\r\nContent-Type: application/octet-stream; name=a.bin\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`;
    const mixed = (...parts: string[]) =>
      `From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts.join('')}--b--\r\n`;
    expect((await parse(mixed(part('AAEC/w==')))).problems).toEqual([]);
    expect((await parse(mixed(part('QUJD\r\nREVG')))).problems).toEqual([]);
    // Some mailers pad every line: each group of four is whole, so nothing is wrong.
    const perLine = await parse(mixed(part('QQ==\r\nQkM=\r\nREVG')));
    expect(perLine.problems).toEqual([]);
    expect(perLine.attachments[0]!.size).toBe(6);
    const damaged =
      /^Part of this email is damaged: its base64 encoding has characters missing or out of place/;
    // A character base64 never has, letters after the padding, a length not a multiple of 4.
    for (const bad of ['AAEC/w*=', 'AAEC/w=QUJD', 'QQ=A', 'AAEC/w']) {
      const m = await parse(mixed(part(bad)));
      expect(m.problems).toHaveLength(1);
      expect(m.problems[0]).toMatch(damaged);
      expect(m.attachments).toHaveLength(1); // what could be decoded is still listed
    }
    expect((await parse(mixed(part('A*==\r\n'), part('AA')))).problems[0]).toMatch(
      /^2 parts of this email are damaged/,
    );
    const noBoundary = await parse('Content-Type: multipart/mixed\r\n\r\nbody');
    expect(noBoundary.text).toBe('body');
    expect(noBoundary.problems).toEqual([
      'Part of this email is damaged: it says it has several parts but not how they are separated, so it is shown as plain text.',
    ]);
    const cut = await parse(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhalf',
    );
    expect(cut.problems).toEqual([
      'This email seems cut off: a part of it never ends, so something may be missing from the end. The email itself is stored whole.',
    ]);
  });

  it('reads a message past a limit for its headers, and says which limit', async () => {
    const wide =
      'From: a@b.c\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n' +
      '--b\r\n\r\nx\r\n'.repeat(MAX_PARTS + 5) +
      '--b--\r\n';
    const m = await parse(wide);
    expect(m.subject).toBe('many');
    expect(m.text).toBeNull();
    expect(m.problems).toEqual([
      `This email has more than ${MAX_PARTS} parts; only its headers were read. The email itself is stored whole.`,
    ]);
  });
});
