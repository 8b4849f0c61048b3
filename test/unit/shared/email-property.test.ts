// No input makes the email reader throw or hang, and what it says is wrong is plain words
// (issue 12). Time linear in the size is shown by test/unit/evidence/email-linear.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEmailMessage } from '../../../shared/email';

const encode = (s: string) => new TextEncoder().encode(s);

/** Pieces of MIME: the reader must survive any order and nesting of them. */
const PIECES = [
  'From: "a<b@c" <x@y.z>\r\n',
  'To: a@b.c,\r\n d@e.f\r\n',
  'Subject: =?utf-8?B?w6k=?= =?x?Q?_?=\r\n',
  'Date: Tue, 3 Mar 2026 21:14:00 EST\r\n',
  'Content-Type: multipart/mixed; boundary=b\r\n',
  'Content-Type: multipart/alternative; boundary="c"\r\n',
  'Content-Type: multipart/related\r\n',
  'Content-Type: text/html; charset=x-unknown\r\n',
  'Content-Type: message/rfc822\r\n',
  'Content-Type: image/png\r\nContent-ID: <p1>\r\n',
  'Content-Transfer-Encoding: base64\r\n',
  'Content-Transfer-Encoding: quoted-printable\r\n',
  "Content-Disposition: attachment; filename*0*=utf-8''a%C3; filename*1*=%A9\r\n",
  '\r\n',
  '--b\r\n',
  '--b--\r\n',
  '--c\r\n',
  '--c--\r\n',
  'AAEC/w==\r\n',
  '*!?\r\n',
  '=C3=A9=\r\n',
  '<img src="cid:p1">\r\n',
  '\x00\x01\x7f',
  ' folded\r\n',
  'X-\u200eOdd: \u202e\r\n',
];

const email = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => encode(a.join(''))),
  fc
    .tuple(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }),
      fc.uint8Array({ maxLength: 200 }),
    )
    .map(([a, junk]) => {
      const head = encode(a.join(''));
      const out = new Uint8Array(head.length + junk.length);
      out.set(head);
      out.set(junk, head.length);
      return out;
    }),
);

/** A sentence: starts with a capital or a digit, ends with '.', holds no control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what must not appear
const PLAIN = /^[A-Z0-9][^\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e]*\.$/;

describe('the email reader on any input', () => {
  it('never throws, never hangs, and says what is wrong in plain words', async () => {
    await fc.assert(
      fc.asyncProperty(email, fc.boolean(), async (bytes, withBytes) => {
        const t0 = performance.now();
        const m = await readEmailMessage(bytes, {
          digest: (b) => String(b.length),
          listInlineImages: withBytes,
          withAttachmentBytes: withBytes,
        });
        // A few KB read in well under this even on a busy machine: a hang would not be.
        expect(performance.now() - t0).toBeLessThan(2000);
        for (const p of m.problems) expect(p).toMatch(PLAIN);
        expect(new Set(m.problems).size).toBe(m.problems.length);
        for (const a of m.attachments) {
          expect(a.name).not.toBe('');
          expect(a.digest).toBe(String(a.size));
          if (withBytes) expect(a.bytes?.length).toBe(a.size);
        }
        for (const h of m.headers) expect(typeof h.value).toBe('string');
      }),
      { numRuns: 1500 },
    );
  });
});
