// Outlook .msg files are recognised by their contents and read into the same shape as an
// .eml (issue 12). The vector is msgreader's own (test/vectors/msgreader/README.md).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailFacts } from '../../../main/core/evidence/text';
import { sniffMime } from '../../../main/core/evidence/sniff';
import { emailContent } from '../../../main/core/export/bundle/email-content';
import { kindOf } from '../../../main/core/export/pdf/facts';
import { readOutlookMessage } from '../../../shared/outlook-msg';

const VECTOR = join(__dirname, '../../vectors/msgreader/attachmentFiles.msg');

describe('Outlook .msg', async () => {
  const bytes = new Uint8Array(await readFile(VECTOR));

  it('is sniffed from its Compound File streams, not from its name', async () => {
    expect(await sniffMime(bytes.subarray(0, 64 * 1024), 'letter.txt')).toEqual({
      mime: 'application/vnd.ms-outlook',
      ext: 'msg',
    });
    // A Compound File without the message streams (an old Word file, say) is not one.
    const other = bytes.slice(0, 4096);
    for (const name of ['__substg1.0_', '__properties_version1.0']) {
      const utf16 = Buffer.from(name, 'utf16le');
      for (let i = other.indexOf(utf16[0]!); i >= 0; i = other.indexOf(utf16[0]!, i + 1)) {
        if (Buffer.from(other.subarray(i, i + utf16.length)).equals(utf16)) other[i] = 0x58;
      }
    }
    expect((await sniffMime(other, 'x.msg')).mime).toBe('application/x-cfb');
  });

  it('reads its transport headers in order, its sender, date, body and attachments', async () => {
    const m = await readOutlookMessage(bytes, { withAttachmentBytes: true });
    expect(m.headers.map((h) => h.key)).toEqual([
      'Return-Path',
      'Received',
      'From',
      'To',
      'Subject',
      'Date',
      'Message-ID',
      'MIME-Version',
      'Content-Type',
      'X-Mailer',
      'Thread-Index',
      'Content-Language',
    ]);
    expect(m.headers[1]!.value).toBe(
      'from H270 (kubernetes.docker.internal [127.0.0.1])\tby H270 with ESMTPA\t; Wed, 1 Nov 2023 09:48:31 +0900',
    );
    expect(m.from).toBe('"hmailuser" <hmailuser@hmailserver.test>');
    expect(m.to).toBe('<hmailuser@hmailserver.test>');
    expect(m.subject).toBe('attachmentFiles');
    expect(m.date).toBe('Wed, 1 Nov 2023 09:48:31 +0900');
    expect(m.text).toBe('attachmentFiles\r\n\r\n');
    expect(m.attachments.map((a) => [a.name, a.mime, a.size, a.bytes?.length])).toEqual([
      ['jpg.jpg', 'image/jpeg', 726, 726],
      ['png.png', 'image/png', 134, 134],
      ['tif.tif', 'image/tiff', 664, 664],
    ]);
    // The PNG attachment is a PNG: its bytes were read, not its size alone.
    const png = m.attachments[1]!.bytes!;
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(m.problems).toEqual([]);
  });

  it('gives search, the sent time and the sender as an .eml does', async () => {
    const found = emailFacts(await readOutlookMessage(bytes, { withAttachmentBytes: true }), true);
    expect(found.email).toMatchObject({
      fromAddress: 'hmailuser@hmailserver.test',
      sentAt: '2023-11-01T09:48:31+09:00',
      subject: 'attachmentFiles',
    });
    expect(found.text).toContain('png.png');
  });

  it('is an email exhibit in the court bundle: its headers, body and hashed attachments', async () => {
    expect(kindOf('application/vnd.ms-outlook')).toBe('email');
    const c = await emailContent(bytes, bytes.length, 'msg');
    expect(c.headers.find((x) => x.name === 'From')?.value).toBe(
      '"hmailuser" <hmailuser@hmailserver.test>',
    );
    expect(c.bodyFrom).toBe('text');
    expect(c.rawHeaders).toMatch(/^Return-Path: hmailuser@hmailserver\.test\nReceived: from H270/);
    const png = (await readOutlookMessage(bytes, { withAttachmentBytes: true })).attachments[1]!;
    expect(c.attachments[1]).toEqual({
      name: 'png.png',
      mime: 'image/png',
      size: 134,
      sha256: createHash('sha256').update(png.bytes!).digest('hex'),
    });
  });

  it('refuses, quickly and in plain words, a file whose chains loop or whose sizes are huge', async () => {
    const buf = Buffer.from(bytes);
    const size = 1 << buf.readUInt16LE(0x1e);
    const fat = (buf.readUInt32LE(0x4c) + 1) * size;
    const dir = (buf.readUInt32LE(0x30) + 1) * size;
    const damaged: Record<string, (x: Buffer) => void> = {
      // Every sector chain points back at itself: msgreader alone never returns.
      'a looping sector chain': (x) => {
        for (let i = 0; i < size / 4; i++) x.writeUInt32LE(i, fat + i * 4);
      },
      'a looping directory chain': (x) => {
        const d = x.readUInt32LE(0x30);
        x.writeUInt32LE(d, fat + d * 4);
      },
      // The root's first child is its own left sibling: the directory tree loops.
      'a directory tree that loops': (x) => {
        const child = x.readUInt32LE(dir + 0x4c);
        x.writeUInt32LE(child, dir + child * 128 + 0x44);
      },
      // A stream that says it is 2 GiB long.
      'a huge stream': (x) => {
        let e = dir + 128;
        while (x[e + 0x42] !== 2) e += 128; // the first stream
        x.writeUInt32LE(0x7fffffff, e + 0x78);
      },
    };
    for (const [label, damage] of Object.entries(damaged)) {
      const x = Buffer.from(buf);
      damage(x);
      const t0 = performance.now();
      const m = await readOutlookMessage(new Uint8Array(x));
      expect(performance.now() - t0, label).toBeLessThan(1000);
      expect(m.problems, label).toEqual([
        'This Outlook message is damaged: its inner structure loops or points outside the file, so nothing in it could be read. The file itself is stored whole.',
      ]);
    }
  });

  it('a damaged field that is not text (a zero byte where its type was) is a problem, not an exception', async () => {
    // Found by the property test below: msgreader handed back a number for the headers.
    const damaged = bytes.slice();
    damaged[6432] = 0;
    const m = await readOutlookMessage(damaged);
    expect(m.problems.length).toBeGreaterThan(0);
    // eslint-disable-next-line no-control-regex -- no control character may appear
    for (const p of m.problems) expect(p).toMatch(/^[A-Z][^\u0000-\u001f]*\.$/);
  });

  it('never throws on damaged or hostile bytes, and says so in plain words', async () => {
    const notMsg = await readOutlookMessage(new TextEncoder().encode('From: a@b.c\r\n\r\nx'));
    expect(notMsg.problems).toHaveLength(1);
    expect(notMsg.problems[0]).toMatch(/^This (file|Outlook message)/);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.boolean(),
        async (at, junk, cut) => {
          const damaged = cut ? bytes.slice(0, at) : bytes.slice();
          if (!cut) damaged.set(junk.subarray(0, damaged.length - at), at);
          const m = await readOutlookMessage(damaged);
          // eslint-disable-next-line no-control-regex -- no control character may appear
          for (const p of m.problems) expect(p).toMatch(/^[A-Z][^\u0000-\u001f]*\.$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
