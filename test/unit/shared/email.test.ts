import { describe, expect, it } from 'vitest';
import {
  bytesToBinary,
  decodeHeaderValue,
  parseContentType,
  parseEmail,
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
});
