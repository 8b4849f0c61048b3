// Email exhibits in the court bundle: the six headers, the body as text (HTML converted,
// nothing loaded), attachments with the SHA-256 of their decoded bytes, the full headers for
// the appendix, and hostile messages read in linear time (issue 11, part 1).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailContent, MAX_RAW_HEADER_CHARS } from '../../../main/core/export/bundle/email-content';
import { expectLinearAsync } from '../../support/linear';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const THREAT = crlf([
  'Return-Path: <anon@example.net>',
  'Received: from mail.example.net (mail.example.net [192.0.2.7])',
  '\tby mx.example.org; Sat, 9 Mar 2024 23:12:01 +0000',
  'From: Anon <anon@example.net>',
  'To: me@example.org',
  'Subject: you know what you did',
  'Date: Sat, 9 Mar 2024 23:11:58 +0000',
  'Message-ID: <abc123@example.net>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'I will be waiting.',
  '',
]);

describe('emailContent', () => {
  it('gives the six headers in order, the text body and the unfolded header block', async () => {
    const c = await emailContent(THREAT);
    expect(c.headers).toEqual([
      { name: 'From', value: 'Anon <anon@example.net>' },
      { name: 'To', value: 'me@example.org' },
      { name: 'Cc', value: '' },
      { name: 'Date', value: 'Sat, 9 Mar 2024 23:11:58 +0000' },
      { name: 'Subject', value: 'you know what you did' },
      { name: 'Message-ID', value: '<abc123@example.net>' },
    ]);
    expect(c.body).toBe('I will be waiting.\n');
    expect(c.bodyFrom).toBe('text');
    expect(c.attachments).toEqual([]);
    expect(c.problems).toEqual([]);
    expect(c.rawHeaders.split('\n')).toEqual([
      'Return-Path: <anon@example.net>',
      'Received: from mail.example.net (mail.example.net [192.0.2.7]) by mx.example.org; Sat, 9 Mar 2024 23:12:01 +0000',
      'From: Anon <anon@example.net>',
      'To: me@example.org',
      'Subject: you know what you did',
      'Date: Sat, 9 Mar 2024 23:11:58 +0000',
      'Message-ID: <abc123@example.net>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
    ]);
  });

  it('shows the HTML version as a mail program does, as text, and hashes each attachment', async () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 250, 251, 252]);
    const note = Buffer.from('a note\n');
    const c = await emailContent(
      crlf([
        'From: =?utf-8?B?WsO2ZQ==?= <z@example.net>',
        'To: me@example.org',
        'Subject: =?utf-8?Q?photo_=E2=80=93_look?=',
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        '--outer',
        'Content-Type: multipart/alternative; boundary="alt"',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'plain version',
        '--alt',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><head><style>p{}</style></head><body><p>Look <b>outside</b>.</p>' +
          '<img src="https://tracker.example/p.gif"></body></html>',
        '--alt--',
        '--outer',
        'Content-Type: image/jpeg; name="car.jpg"',
        'Content-Disposition: attachment; filename="car.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        photo.toString('base64'),
        '--outer',
        'Content-Type: text/plain',
        'Content-Disposition: attachment; filename="note.txt"',
        '',
        note.toString('latin1').trimEnd(),
        '--outer--',
        '',
      ]),
    );
    expect(c.headers[0]!.value).toBe('Zöe <z@example.net>');
    expect(c.headers[4]!.value).toBe('photo – look');
    expect(c.bodyFrom).toBe('html');
    expect(c.body).toBe('Look outside.\n\n[picture on the internet, not loaded]');
    expect(c.attachments).toEqual([
      { name: 'car.jpg', mime: 'image/jpeg', size: photo.length, sha256: sha(photo) },
      { name: 'note.txt', mime: 'text/plain', size: 6, sha256: sha(Buffer.from('a note')) },
    ]);
  });

  it('lists and hashes the pictures shown inside the body, and says which one is where', async () => {
    const knife = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const house = Buffer.from([0xff, 0xd8, 0xff, 9, 8, 7]);
    const c = await emailContent(
      crlf([
        'From: x@example.net',
        'Content-Type: multipart/related; boundary="r"',
        '',
        '--r',
        'Content-Type: text/html',
        '',
        '<p>Look:</p><img src="cid:k1"><img src="cid:h2">',
        '--r',
        'Content-Type: image/png; name="knife.png"',
        'Content-ID: <k1>',
        'Content-Transfer-Encoding: base64',
        '',
        knife.toString('base64'),
        '--r',
        'Content-Type: image/jpeg',
        'Content-ID: <h2>',
        'Content-Transfer-Encoding: base64',
        '',
        house.toString('base64'),
        '--r--',
      ]),
    );
    expect(c.body).toBe(
      'Look:\n\n[picture in the email: knife.png] [picture in the email: picture 1]',
    );
    expect(c.attachments).toEqual([
      { name: 'knife.png (shown in the email)', mime: 'image/png', size: 7, sha256: sha(knife) },
      { name: 'picture 1 (shown in the email)', mime: 'image/jpeg', size: 6, sha256: sha(house) },
    ]);
  });

  it('decodes non-ASCII header bytes as UTF-8, else Latin-1, and shows hidden characters', async () => {
    const utf8 = await emailContent(crlf(['Subject: café', 'X-Mailer: naïve', '', 'x']));
    expect(utf8.rawHeaders).toBe('Subject: café\nX-Mailer: naïve');
    const latin1 = await emailContent(Buffer.from('Subject: caf\xe9\r\n\r\nx', 'latin1'));
    expect(latin1.rawHeaders).toBe('Subject: café');
    const hostile = await emailContent(
      crlf(['Subject: =?utf-8?Q?invoice=E2=80=AEgpj.exe=07?=', 'X-Bell: \u0007', '', 'x']),
    );
    expect(hostile.headers[4]!.value).toBe('invoice[U+202E]gpj.exe[U+0007]');
    expect(hostile.rawHeaders).toContain('X-Bell: [U+0007]');
  });

  it('caps enormous headers with a note, and says when only the start was read', async () => {
    const huge = crlf([`X-Junk: ${'j'.repeat(MAX_RAW_HEADER_CHARS)}`, 'Subject: hi', '', 'body']);
    const c = await emailContent(huge);
    expect(c.rawHeaders.length).toBeLessThan(MAX_RAW_HEADER_CHARS + 200);
    expect(c.rawHeaders).toMatch(/more characters of headers are not shown here/);
    expect(c.problems.join(' ')).toMatch(/headers of this email are very long/);
    expect(c.headers[4]!.value).toBe('hi');

    const start = await emailContent(THREAT, 40 * 1024 * 1024);
    expect(start.problems).toEqual([
      expect.stringMatching(/^This email is 40 MiB; only its first 0\.0 MiB were read/),
    ]);
  });

  it('reads what it can of something that is not an email, never throwing', async () => {
    const c = await emailContent(Buffer.from([0, 1, 2, 0xff, 0xfe]));
    expect(c.kind).toBe('email');
    expect(c.problems.join(' ')).toMatch(/does not start like an email/);
    expect((await emailContent(Buffer.alloc(0))).bodyFrom).toBe('none');
  });

  it('never throws on any bytes, and always gives the six headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const c = await emailContent(Buffer.concat([THREAT.subarray(0, 120), bytes]));
        expect(c.headers.map((h) => h.name)).toEqual([
          'From',
          'To',
          'Cc',
          'Date',
          'Subject',
          'Message-ID',
        ]);
        expect(c.attachments.every((a) => /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('takes linear time on hostile messages', async () => {
    const families: [string, (n: number) => string][] = [
      ['folded header', (n) => 'Subject: a' + '\r\n b'.repeat(n / 4) + '\r\n\r\nx'],
      ['many headers', (n) => 'X: y\r\n'.repeat(n / 6) + '\r\nx'],
      ['carriage returns', (n) => '\r'.repeat(n)],
      ['no blank line', (n) => 'a\r\n'.repeat(n / 3)],
      ['html body', (n) => 'Content-Type: text/html\r\n\r\n' + '<head><a href="x'.repeat(n / 16)],
    ];
    for (const [label, make] of families) {
      await expectLinearAsync(label, (n) => {
        const bytes = Buffer.from(make(n), 'latin1');
        return () => emailContent(bytes);
      });
    }
  });
});
