// The mailbox reader (main/core/conversations/mailbox.ts): each message of an mbox read as a
// conversation message, with its sender, time, text, ids, Gmail labels and attachments, and
// the ConversationReader ingest registers.
import { describe, expect, it } from 'vitest';
import {
  mailboxReader,
  readMailbox,
  type MailboxMessage,
  type MailboxOptions,
} from '../../../main/core/conversations/mailbox';
import { splitGmailLabels } from '../../../main/core/conversations/mailbox-message';
import type { ExportFile, ReadMessage } from '../../../main/core/conversations/types';
import {
  buildMbox,
  chunksOf,
  drain,
  emailBytes,
  generatedMbox,
  type FixtureEmail,
} from '../../support/conversations/mbox';

const enc = (s: string) => new TextEncoder().encode(s);

async function read(emails: Array<FixtureEmail | Uint8Array>, opts: MailboxOptions = {}) {
  const { bytes } = buildMbox(emails.map((e) => (e instanceof Uint8Array ? e : emailBytes(e))));
  return { bytes, ...(await drain(readMailbox(chunksOf(bytes, 333), opts))) };
}

function exportFile(name: string, bytes: Uint8Array): ExportFile {
  return {
    name,
    size: bytes.length,
    head: bytes.subarray(0, 64 * 1024),
    bytes: () => Promise.resolve(bytes),
    readRange: (start, end) => Promise.resolve(bytes.subarray(start, end)),
    chunks: async function* () {
      yield* chunksOf(bytes, 1000);
    },
  };
}

describe('readMailbox', () => {
  it('reads sender, time with the sender offset, text, ids and the span of each message', async () => {
    const { bytes, items, result } = await read(
      [
        {
          from: '"Concerned Parent" <Anon@Example.NET>',
          to: 'Person <person@example.org>',
          cc: 'Other <other@example.org>',
          subject: 'You again',
          date: 'Tue, 05 Mar 2024 21:14:00 -0500',
          messageId: '<first@example.net>',
          text: 'I know where you live.\nFrom the window I see you.',
        },
        {
          from: 'bare@EXAMPLE.net',
          subject: 'Re: You again',
          date: 'Wed, 06 Mar 2024 08:00:00 +0530',
          messageId: ' <second@example.net> (comment)',
          inReplyTo: '<first@example.net> <older@example.net>',
          text: 'Second.',
        },
      ],
      { name: 'Harassment.mbox' },
    );
    expect(items).toHaveLength(2);
    const [a, b] = items as [MailboxMessage, MailboxMessage];
    expect(a).toMatchObject({
      index: 0,
      kind: 'message',
      sender: 'Concerned Parent',
      senderId: 'anon@example.net',
      time: '2024-03-05T21:14:00-05:00',
      timeSource: 'email-date',
      // The body as the email gives it, its last line break included.
      text: 'You again\n\nI know where you live.\n>From the window I see you.\n',
      edited: false,
      externalId: '<first@example.net>',
      replyTo: null,
      attachments: [],
      line: 1,
    });
    expect(a.details).toMatchObject({
      subject: 'You again',
      to: 'Person <person@example.org>',
      cc: 'Other <other@example.org>',
      labels: [],
      threadId: null,
    });
    expect(b).toMatchObject({
      sender: 'bare@EXAMPLE.net',
      senderId: 'bare@example.net',
      time: '2024-03-06T08:00:00+05:30',
      externalId: '<second@example.net>',
      replyTo: '<first@example.net>',
    });
    // The span is the message's bytes in the file, from its From_ line.
    const span = Buffer.from(bytes.subarray(b.offset, b.offset + b.length)).toString();
    expect(span.startsWith('From ')).toBe(true);
    expect(span).toContain('Subject: Re: You again\n');
    expect(b.offset).toBe(a.offset + a.length);
    expect(b.offset + b.length).toBe(bytes.length);
    expect(b.line).toBe(a.lineEnd! + 1);
    expect(result).toMatchObject({
      format: 'mbox',
      reader: 'dossier-mbox 1',
      chatFile: null,
      title: 'Harassment',
      messageCount: 2,
      dateOrder: null,
      timeZone: null,
      problems: [],
    });
    expect(result.mbox).toMatchObject({ variant: 'mboxo', lineEnding: 'lf', bytes: bytes.length });
  });

  it('an HTML-only body is reduced to text', async () => {
    const raw = enc(
      'From: a@b.c\nSubject: Styled\nDate: Tue, 05 Mar 2024 21:14:00 +0000\n' +
        'Content-Type: text/html; charset=utf-8\n\n<p>Hello <b>you</b></p><script>x()</script><p>Bye</p>\n',
    );
    const { items } = await read([raw]);
    expect(items[0]!.text).toMatch(/^Styled\n\nHello you\n+Bye$/);
    expect(items[0]!.text).not.toContain('x()');
  });

  it('a missing or unreadable Date gives no time, with a problem, and the message keeps its place', async () => {
    const { items, result } = await read([
      { date: '', subject: 'undated' },
      { date: 'the day after tomorrow\u001b[2J\u202e', subject: 'bad date' },
      { subject: 'fine' },
    ]);
    expect(items.map((m) => [m.index, m.time, m.timeSource])).toEqual([
      [0, null, 'none'],
      [1, null, 'none'],
      [2, '2024-03-05T21:14:00Z', 'email-date'],
    ]);
    // Control characters in the header are shown in the problem, not obeyed.
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [items[0]!.line, expect.stringMatching(/no Date header/)],
      [
        items[1]!.line,
        expect.stringContaining(
          '("the day after tomorrow\\u{001b}[2J\\u{202e}") could not be read',
        ),
      ],
    ]);
  });

  it('Gmail labels and thread (Google Takeout), with quoted labels holding commas and quotes', async () => {
    const labels = ['Inbox', 'Threats, kept', 'Say "hi"', 'Back\\slash', 'Category Personal'];
    const { items } = await read([{ labels, threadId: '1780000000000000123' }]);
    expect(items[0]!.details).toMatchObject({ labels, threadId: '1780000000000000123' });
    // Folded, encoded and repeated labels, as Takeout may write them.
    const raw = enc(
      'X-Gmail-Labels: Inbox,=?UTF-8?Q?Caf=C3=A9?=,\n "Work, old",Inbox,,\nX-GM-THRID: 42\nFrom: a@b.c\n\nx\n',
    );
    const folded = await read([raw]);
    expect(folded.items[0]!.details).toMatchObject({
      labels: ['Inbox', 'Café', 'Work, old'],
      threadId: '42',
    });
  });

  it('splitGmailLabels: quotes, escapes, an unclosed quote and empty labels', () => {
    expect(splitGmailLabels('a,"b, c","d \\"e\\"",f')).toEqual(['a', 'b, c', 'd "e"', 'f']);
    expect(splitGmailLabels('')).toEqual([]);
    expect(splitGmailLabels(' , ,')).toEqual([]);
    expect(splitGmailLabels('a,"never closed, b')).toEqual(['a', 'never closed, b']);
    expect(splitGmailLabels('Ünïcode/Sub label,Opened')).toEqual(['Ünïcode/Sub label', 'Opened']);
  });

  it('attachments are listed; with withFiles their bytes come on the message, from the same read', async () => {
    const photo = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
    const pdf = enc('%PDF-1.4 fake');
    const emails = [
      {
        subject: 'pictures',
        attachments: [
          { name: 'photo.jpg', mime: 'image/jpeg', bytes: photo },
          { name: 'letter.pdf', mime: 'application/pdf', bytes: pdf },
        ],
      },
      { subject: 'none' },
    ];
    const listed = await read(emails);
    expect(listed.items[0]!.attachments).toEqual([
      { name: 'photo.jpg', omitted: false },
      { name: 'letter.pdf', omitted: false },
    ]);
    expect(listed.items.every((m) => (m as ReadMessage).files === undefined)).toBe(true);
    const withFiles = await read(emails, { withFiles: true });
    const files = (withFiles.items[0] as ReadMessage).files!;
    expect(
      files.map((f) => [
        f.name,
        f.mime,
        Buffer.from(f.bytes).equals(Buffer.from(f.name === 'photo.jpg' ? photo : pdf)),
      ]),
    ).toEqual([
      ['photo.jpg', 'image/jpeg', true],
      ['letter.pdf', 'application/pdf', true],
    ]);
    expect((withFiles.items[1] as ReadMessage).files).toEqual([]);
  });

  it('each message carries the SHA-256 of its span', async () => {
    const { bytes, items } = await read([{ subject: 'a' }, { subject: 'b' }]);
    const { createHash } = await import('node:crypto');
    for (const m of items) {
      const span = bytes.subarray(m.offset, m.offset + m.length);
      expect(m.sha256).toBe(createHash('sha256').update(span).digest('hex'));
    }
  });

  it('a message over the limit is still a message, with its span and a problem', async () => {
    const { items, result } = await read(
      [{ subject: 'big', text: 'z'.repeat(4000) }, { subject: 'small' }],
      { maxMessageBytes: 1024 },
    );
    expect(items.map((m) => [m.sender, m.time, m.text])).toEqual([
      ['', null, ''],
      ['Sender', '2024-03-05T21:14:00Z', 'small\n\nHello.\n'],
    ]);
    expect(items[0]!.length).toBeGreaterThan(4000);
    // Asked for files, a message that was not read has none (an empty list, not a gap).
    const withFiles = await read([{ subject: 'big', text: 'z'.repeat(4000) }], {
      maxMessageBytes: 1024,
      withFiles: true,
    });
    expect((withFiles.items[0] as ReadMessage).files).toEqual([]);
    expect(result.problems).toEqual([
      {
        line: 1,
        offset: 0,
        message: expect.stringMatching(/larger than 1 KiB, so it was not read/),
      },
    ]);
  });

  it('leading bytes and damaged emails are kept as messages, their problems on the conversation', async () => {
    const file = enc(
      'garbage that is not a mailbox\nFrom a\nContent-Type: multipart/mixed\n\nno boundary\n',
    );
    const { items, result } = await drain(readMailbox([file]));
    expect(items).toHaveLength(2);
    expect(result.messageCount).toBe(2);
    expect(result.problems.length).toBeGreaterThanOrEqual(2);
    expect(result.problems[0]).toMatchObject({ line: 1, offset: 0 });
    expect(result.problems.some((p) => p.line === 2 && p.offset === 30)).toBe(true);
  });

  it('many problems are counted past the listed ones', async () => {
    const { bytes } = generatedMbox(1005);
    const undated = Buffer.from(bytes)
      .toString('latin1')
      .replace(/\nDate: [^\n]*\n/g, '\n');
    const { result } = await drain(readMailbox([Buffer.from(undated, 'latin1')]));
    expect(result.problems).toHaveLength(1001);
    expect(result.problems.at(-1)!.message).toBe('5 more problems were found and not listed.');
  });
});

describe('mailboxReader (the ConversationReader ingest registers)', () => {
  const takeout = buildMbox([emailBytes({ labels: ['Inbox'] })]).bytes;
  const thunderbird = enc(
    'From - Tue Jan 16 10:11:12 2024\nX-Mozilla-Status: 0001\nSubject: a\n\nx\n',
  );

  it('detects mailboxes by their From_ line, and not single emails or text', () => {
    expect(mailboxReader.format).toBe('mbox');
    expect(
      mailboxReader.detect(takeout, 'All mail Including Spam and Trash.mbox', 'text/plain'),
    ).toBe(true);
    expect(mailboxReader.detect(thunderbird, 'Inbox', 'application/octet-stream')).toBe(true);
    expect(
      mailboxReader.detect(enc('\n\n' + Buffer.from(thunderbird).toString()), 'Sent', ''),
    ).toBe(true);
    // A single email saved with its From_ line stays an email.
    expect(mailboxReader.detect(takeout, 'message.eml', 'message/rfc822')).toBe(false);
    expect(
      mailboxReader.detect(enc('From the start I knew.\nIt was bad.\n'), 'notes', 'text/plain'),
    ).toBe(false);
    expect(
      mailboxReader.detect(enc('From: a@b.c\nSubject: x\n\nhi\n'), 'x', 'message/rfc822'),
    ).toBe(false);
    expect(mailboxReader.detect(enc(''), 'empty', '')).toBe(false);
    // Named as a mailbox, with a From_ line a little way in.
    expect(mailboxReader.detect(enc('junk\nFrom a b\nX: y\n'), 'old.mbox', '')).toBe(true);
    expect(mailboxReader.detect(enc('junk\nno separators\n'), 'old.mbox', '')).toBe(false);
  });

  it('opens an ExportFile, yields messages with their files, then gives the summary', async () => {
    const bytes = buildMbox([
      emailBytes({
        subject: 'one',
        attachments: [{ name: 'a.txt', mime: 'text/plain', bytes: enc('hi') }],
      }),
      emailBytes({ subject: 'two' }),
    ]).bytes;
    const opened = await mailboxReader.open(exportFile('Takeout.mbox', bytes), {
      defaultTimeZone: 'UTC',
    });
    expect(opened.media).toEqual([]);
    expect(() => opened.summary()).toThrow(/not been read to its end/);
    const messages: ReadMessage[] = [];
    for await (const m of opened.messages) messages.push(m);
    expect(
      messages.map((m) => [m.index, m.text.split('\n')[0], m.files?.map((f) => f.name)]),
    ).toEqual([
      [0, 'one', ['a.txt']],
      [1, 'two', []],
    ]);
    expect(opened.summary()).toMatchObject({ format: 'mbox', title: 'Takeout', messageCount: 2 });
  });
});
