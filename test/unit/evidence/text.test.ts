import { describe, expect, it } from 'vitest';
import { examineEvidence } from '../../../main/core/evidence';
import {
  emailAddress,
  emailDateIso,
  htmlWords,
  MAX_SEARCH_TEXT,
  readEmail,
  readText,
} from '../../../main/core/evidence/text';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the text of text files and emails, for search', () => {
  it('keeps the sender clock and offset of an email Date, exactly', async () => {
    expect(emailDateIso('Tue, 3 Mar 2026 21:14:00 +0100')).toBe('2026-03-03T21:14:00+01:00');
    expect(emailDateIso('Sat, 9 Mar 2024 23:11:58 +0000')).toBe('2024-03-09T23:11:58Z');
    expect(emailDateIso('Mon, 2 Feb 2026 08:05:09 -0530 (EST)')).toBe('2026-02-02T08:05:09-05:30');
    expect(emailDateIso('2 Feb 2026 08:05:09 GMT')).toBe('2026-02-02T08:05:09Z');
    expect(emailDateIso('the day after yesterday')).toBeNull();
  });

  it("keeps the sender's offset for the zone names of RFC 5322 §4.3", async () => {
    const at = (zone: string) => emailDateIso(`Tue, 3 Mar 2026 21:14:00 ${zone}`);
    expect(at('EST')).toBe('2026-03-03T21:14:00-05:00');
    expect(at('EDT')).toBe('2026-03-03T21:14:00-04:00');
    expect(at('CST')).toBe('2026-03-03T21:14:00-06:00');
    expect(at('CDT')).toBe('2026-03-03T21:14:00-05:00');
    expect(at('MST')).toBe('2026-03-03T21:14:00-07:00');
    expect(at('MDT')).toBe('2026-03-03T21:14:00-06:00');
    expect(at('PST')).toBe('2026-03-03T21:14:00-08:00');
    expect(at('pdt')).toBe('2026-03-03T21:14:00-07:00');
    expect(at('GMT')).toBe('2026-03-03T21:14:00Z');
    expect(at('UT')).toBe('2026-03-03T21:14:00Z');
    expect(at('EST (Eastern)')).toBe('2026-03-03T21:14:00-05:00');
    // Military letters had their signs reversed in RFC 822: they mean "UTC, zone unknown",
    // as "-0000" does, so the instant is given in UTC and no offset is invented.
    expect(at('A')).toBe('2026-03-03T21:14:00Z');
    expect(at('z')).toBe('2026-03-03T21:14:00Z');
    expect(at('-0000')).toBe('2026-03-03T21:14:00Z');
    // J is no zone, nor is an unknown name, nor nothing: the instant is not known.
    expect(at('J')).toBeNull();
    expect(at('CEST')).toBeNull();
    expect(emailDateIso('Tue, 3 Mar 2026 21:14:00')).toBeNull();
    // The instant is the same one Date reads.
    for (const zone of ['EST', 'PDT', '+0530', '-1000']) {
      expect(Date.parse(at(zone)!)).toBe(Date.parse(`Tue, 3 Mar 2026 21:14:00 ${zone}`));
    }
  });

  it("finds the sender's address in a From header, in lower case", async () => {
    expect(emailAddress('"Concerned Parent" <Anon@Example.NET>')).toBe('anon@example.net');
    expect(emailAddress('anon@example.net')).toBe('anon@example.net');
    expect(emailAddress('Anon (work) anon@example.net')).toBe('anon@example.net');
    expect(emailAddress('Undisclosed sender')).toBeNull();
  });

  it('reads the sender with an RFC 5322 address parser: a quoted name holding < or @ is a name', async () => {
    expect(emailAddress('"Bank <security@bank.example>" <x@evil.example>')).toBe('x@evil.example');
    expect(emailAddress('"Bank <security@bank.example>" <x@evil.example> (note)')).toBe(
      'x@evil.example',
    );
    expect(emailAddress('"security@bank.example" x@evil.example')).toBe('x@evil.example');
    expect(emailAddress('"a\\"<b@c.example>" <d@e.example>')).toBe('d@e.example');
    expect(emailAddress('<@a>')).toBeNull();
    // A long name cannot hide the address from the link to a person.
    expect(emailAddress(`"${'A'.repeat(20_000)}" <x@evil.example>`)).toBe('x@evil.example');
    expect(emailAddress('undisclosed-recipients:;')).toBeNull();
    // The address is read from the raw header: an encoded word that decodes to something
    // that looks like an address is only a name.
    const raw = 'From: =?utf-8?B?' + btoa('Bank <security@bank.example>') + '?= <x@evil.example>';
    const found = await readEmail(bytes(`${raw}\r\n\r\nhi`), true);
    expect(found.email?.from).toBe('Bank <security@bank.example> <x@evil.example>');
    expect(found.email?.fromAddress).toBe('x@evil.example');
  });

  it('reads an email: headers and body words, HTML without its markup, styles or scripts', async () => {
    const found = await readEmail(
      bytes(
        [
          'From: Anon <anon@example.net>',
          'To: office@example.org',
          'Subject: =?utf-8?Q?Your_children?=',
          'Date: Tue, 3 Mar 2026 21:14:00 +0100',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<html><head><style>.x{color:red}</style></head><body><p>They should be taken',
          'into <b>care</b>&nbsp;soon</p><script>track()</script><img src="https://t.example/p.gif"></body></html>',
        ].join('\r\n'),
      ),
      true,
    );
    expect(found.email).toMatchObject({
      from: 'Anon <anon@example.net>',
      subject: 'Your children',
      sentAt: '2026-03-03T21:14:00+01:00',
    });
    expect(found.text).toContain('Your children');
    expect(found.text).toContain('anon@example.net');
    expect(found.text).toContain('They should be taken into care soon');
    expect(found.text).not.toMatch(/color|track\(|t\.example|<\/?(p|b|html|body)>/);
    expect(found.problems).toEqual([]);
  });

  it('says when an email Date cannot be read, and when only the start was read', async () => {
    const found = await readEmail(bytes('From: a@b.c\r\nDate: someday\r\n\r\nhello'), false);
    expect(found.email?.sentAt).toBeNull();
    expect(found.problems.join(' ')).toMatch(/Date header \("someday"\) could not be read/);
    expect(found.problems.join(' ')).toMatch(/only its first part can be found by search/);
  });

  it('reads text as UTF-8, damaged bytes as U+FFFD, and caps what goes into the index', async () => {
    expect(readText(new Uint8Array([0x68, 0x69, 0xff]), true)).toEqual({
      text: 'hi\uFFFD',
      email: null,
      problems: [],
    });
    const long = readText(bytes('a'.repeat(MAX_SEARCH_TEXT + 10)), true);
    expect(long.text.length).toBe(MAX_SEARCH_TEXT);
    expect(long.problems).toHaveLength(1);
  });

  it('decodes numeric entities safely: a number that is no character becomes U+FFFD', async () => {
    expect(htmlWords('caf&#233; &#xE9;t&#XE9; &#0; &#55296; &#1114112; &#x110000;')).toBe(
      'café été \uFFFD \uFFFD \uFFFD \uFFFD',
    );
    expect(htmlWords(`a &#${'9'.repeat(400)}; b &#x${'f'.repeat(400)}; c`)).toBe(
      'a \uFFFD b \uFFFD c',
    );
    // Named entities once, not twice: "&amp;lt;" is the text "&lt;".
    expect(htmlWords('&amp;lt; &LT;b&gt;&NBSP;x &quot;q&quot; &apos;s &copy; &#; &#x; &#12')).toBe(
      `&lt; <b> x "q" 's &copy; &#; &#x; &#12`,
    );
  });

  it('keeps every fact of an email whose HTML has a huge numeric entity', async () => {
    const raw = bytes(
      [
        'From: Anon <anon@example.net>',
        'Subject: numbers',
        'Date: Tue, 3 Mar 2026 21:14:00 +0100',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>before &#${'1'.repeat(400)}; after</p>`,
      ].join('\r\n'),
    );
    const facts = await examineEvidence({
      head: raw.subarray(0, 64 * 1024),
      bytes: Buffer.from(raw),
      name: 'numbers.eml',
      size: raw.length,
      sniffed: { mime: 'message/rfc822', ext: 'eml' },
    });
    expect(facts.errors).toEqual([]);
    expect(facts.email).toMatchObject({
      fromAddress: 'anon@example.net',
      subject: 'numbers',
      sentAt: '2026-03-03T21:14:00+01:00',
    });
    expect(facts.text).toContain('before \uFFFD after');
  });

  it('reads no date from a Date header that is too long to be one', async () => {
    expect(emailDateIso(`Tue, 3 Mar 2026 21:14:00 +0100 ${' '.repeat(300)}`)).toBe(
      '2026-03-03T21:14:00+01:00',
    );
    expect(emailDateIso(`Tue, 3 Mar 2026 21:14:00 +0100 (${'x'.repeat(300)})`)).toBe(
      '2026-03-03T21:14:00+01:00',
    );
    expect(emailDateIso(`Tue, 3 Mar 2026 ${'x'.repeat(300)} 21:14:00 +0100`)).toBeNull();
  });
});
