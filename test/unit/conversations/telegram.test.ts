// Telegram Desktop's result.json (main/core/conversations/telegram.ts): every message with its
// sender, time, text and exact bytes; service messages and calls readable; bad input a problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  looksLikeTelegram,
  readTelegram,
  telegramReader,
  TELEGRAM_READER,
} from '../../../main/core/conversations/telegram';
import type { ReadOptions } from '../../../main/core/conversations/types';
import { isDossierError } from '../../../main/core/errors';
import { expectLinear } from '../../support/linear';
import {
  ALEX,
  exportFile,
  telegramFullExport,
  telegramSingleChat,
} from '../../support/conversations/telegram';

const opts: ReadOptions = { defaultTimeZone: 'Europe/London' };
const enc = (s: string) => new TextEncoder().encode(s);
const slice = (bytes: Uint8Array, m: { offset: number; length: number }) =>
  new TextDecoder().decode(bytes.subarray(m.offset, m.offset + m.length));

describe('a single chat export', () => {
  const fx = telegramSingleChat();
  const { messages, summary } = readTelegram(fx.bytes, opts);

  it('reads every message: kind, sender, time, text, reply, edit, media', () => {
    expect(messages).toHaveLength(fx.expected.length);
    messages.forEach((m, i) => {
      const e = fx.expected[i]!;
      expect(m).toMatchObject({
        index: i,
        kind: e.kind,
        sender: e.sender,
        senderId: e.senderId,
        time: e.time,
        timeSource: e.timeSource,
        text: e.text,
        edited: e.edited ?? false,
        replyTo: e.replyTo ?? null,
        attachments: e.attachments ?? [],
        externalId: String(fx.messages[i]!.id),
        line: null,
      });
      if (e.details) expect(m.details).toMatchObject(e.details);
    });
  });

  it("each message's offset and length cut out exactly its own JSON object", () => {
    messages.forEach((m, i) => {
      const text = slice(fx.bytes, m);
      expect(text.startsWith('{') && text.endsWith('}')).toBe(true);
      expect(JSON.parse(text)).toEqual(fx.messages[i]);
    });
  });

  it('says what it read, with no problems', () => {
    expect(summary).toMatchObject({
      format: 'telegram',
      reader: TELEGRAM_READER,
      title: 'Alex Mercer',
      messageCount: fx.expected.length,
      chatFile: null,
      timeZone: null,
      problems: [],
    });
  });

  it('a time is the instant; with the exporting clock it keeps the offset shown', () => {
    // Each time, read as an instant, is date_unixtime.
    messages.forEach((m, i) => {
      expect(Date.parse(m.time!) / 1000).toBe(Number(fx.messages[i]!.date_unixtime));
    });
  });
});

describe('the full account export', () => {
  it('reads every chat, in order, each message marked with its chat', () => {
    const a = telegramSingleChat();
    const other = {
      name: 'Work group',
      type: 'private_supergroup',
      id: 5,
      messages: [
        {
          id: 1,
          type: 'message',
          date: '2024-01-01T10:00:00',
          date_unixtime: '1704103200',
          ...ALEX,
          text: 'hello all',
        },
      ],
    };
    const left = { name: 'Old group', type: 'private_group', id: 6, messages: [] };
    const fx = telegramFullExport(
      [{ name: 'Alex Mercer', type: 'personal_chat', id: 111, messages: a.messages }, other],
      [left],
    );
    const read = readTelegram(fx.bytes, opts);
    expect(read.summary.title).toBe('Telegram export: 3 chats');
    expect(read.summary.problems).toEqual([]);
    expect(read.chats.map((c) => [c.name, c.firstIndex, c.count, c.left])).toEqual([
      ['Alex Mercer', 0, a.messages.length, false],
      ['Work group', a.messages.length, 1, false],
      ['Old group', a.messages.length + 1, 0, true],
    ]);
    const last = read.messages.at(-1)!;
    expect(last).toMatchObject({
      text: 'hello all',
      sender: 'Alex Mercer',
      time: '2024-01-01T10:00:00+00:00',
    });
    expect(last.details.chat).toEqual({
      name: 'Work group',
      type: 'private_supergroup',
      id: '5',
      left: false,
    });
    read.messages.forEach((m, i) => {
      const src = i < a.messages.length ? a.messages[i] : other.messages[0];
      expect(JSON.parse(slice(fx.bytes, m))).toEqual(src);
    });
  });
});

describe('older exports and odd input', () => {
  const chat = (messages: unknown[]) =>
    enc(JSON.stringify({ name: 'X', type: 'personal_chat', id: 1, messages }, null, 1));

  it('without date_unixtime, the wall clock is placed in the zone given, or this computer’s, and said so', () => {
    const bytes = chat([
      { id: 1, type: 'message', date: '2019-07-01T12:00:00', ...ALEX, text: 'hi' },
    ]);
    const assumed = readTelegram(bytes, { defaultTimeZone: 'America/New_York' });
    expect(assumed.messages[0]).toMatchObject({
      time: '2019-07-01T12:00:00-04:00',
      timeSource: 'export-local-assumed',
    });
    expect(assumed.summary).toMatchObject({
      timeZone: 'America/New_York',
      timeZoneSource: 'computer',
    });
    const given = readTelegram(bytes, { defaultTimeZone: 'UTC', timeZone: 'Europe/Paris' });
    expect(given.messages[0]).toMatchObject({
      time: '2019-07-01T12:00:00+02:00',
      timeSource: 'export-local-confirmed',
    });
    expect(given.summary).toMatchObject({ timeZone: 'Europe/Paris', timeZoneSource: 'given' });
    expect(() => readTelegram(bytes, { defaultTimeZone: 'UTC', timeZone: 'Mars/Olympus' })).toThrow(
      /not a time zone/,
    );
  });

  it('without date_unixtime, a wall clock in a clock change follows the WhatsApp rule, and says so', () => {
    const bytes = chat([
      { id: 1, type: 'message', date: '2024-03-31T01:30:00', ...ALEX, text: 'in the gap' },
      { id: 2, type: 'message', date: '2024-10-27T01:30:00', ...ALEX, text: 'twice' },
    ]);
    const read = readTelegram(bytes, { defaultTimeZone: 'UTC', timeZone: 'Europe/London' });
    expect(read.messages.map((m) => m.time)).toEqual([
      '2024-03-31T02:30:00+01:00',
      '2024-10-27T01:30:00+01:00',
    ]);
    const words = read.summary.problems.map((p) => p.message).join('\n');
    expect(words).toContain('did not exist in Europe/London');
    expect(words).toContain('happened twice in Europe/London');
  });

  it('a date that disagrees with date_unixtime keeps the instant, with a problem', () => {
    const bytes = chat([
      {
        id: 7,
        type: 'message',
        date: '2024-01-01T10:00:30',
        date_unixtime: '1704103200',
        ...ALEX,
        text: 'x',
      },
    ]);
    const r = readTelegram(bytes, opts);
    expect(r.messages[0]!.time).toBe('2024-01-01T10:00:00Z');
    expect(r.summary.problems).toEqual([
      {
        line: 6,
        offset: r.messages[0]!.offset,
        message: expect.stringContaining(
          'Message "7": its date "2024-01-01T10:00:30" and date_unixtime 1704103200 do not agree',
        ),
      },
    ]);
  });

  it('unknown shapes become problems on that message; the rest is read', () => {
    const bytes = chat([
      42,
      {
        id: 2,
        type: 'message',
        date_unixtime: '1704103200',
        from: 7,
        from_id: 'user9',
        text: { bad: 1 },
      },
      {
        id: 3,
        type: 'poll_result',
        date_unixtime: '1704103200',
        text: ['a', 5, { type: 'bold', text: 'b' }],
      },
      { id: 4, type: 'service', date_unixtime: '1704103200', action: 'summon_dragon', actor: 'Z' },
      { id: 5, type: 'message', date_unixtime: '1704103200', from: 'Y', text: 'bad \\ud800 half' },
      { id: 6, type: 'message', ...ALEX, text: 'no date' },
    ]);
    const r = readTelegram(bytes, opts);
    expect(r.messages.map((m) => [m.externalId, m.kind, m.sender, m.text, m.time])).toEqual([
      ['2', 'message', 'user9', '', '2024-01-01T10:00:00Z'],
      ['3', 'message', '', 'ab', '2024-01-01T10:00:00Z'],
      ['4', 'system', 'Z', 'Z: summon dragon', '2024-01-01T10:00:00Z'],
      ['5', 'message', 'Y', 'bad \\ud800 half', '2024-01-01T10:00:00Z'],
      ['6', 'message', 'Alex Mercer', 'no date', null],
    ]);
    expect(r.messages[4]!.timeSource).toBe('none');
    const said = r.summary.problems.map((p) => p.message);
    expect(said).toEqual([
      'A message here is not a JSON object; left out.',
      'Message "2": its sender (from) is not text.',
      'Message "2": its text is neither text nor a list of text parts.',
      'Message "3": its type "poll_result" is not known; read as a message.',
      'Message "3": 1 part(s) of its text could not be read and are left out.',
      'Message "4": its service action is not one Dossier knows; shown by its name.',
      'Message "6": it has no readable date; it keeps its place in the order.',
    ]);
  });

  it('a media path that points outside the export folder is a problem', () => {
    const r = readTelegram(
      chat([
        {
          id: 9,
          type: 'message',
          date_unixtime: '1',
          ...ALEX,
          photo: '../../secret.jpg',
          text: '',
        },
      ]),
      opts,
    );
    expect(r.messages[0]!.attachments).toEqual([{ name: '../../secret.jpg', omitted: false }]);
    expect(r.summary.problems.map((p) => p.message)).toEqual([
      'Message "9": its file path "../../secret.jpg" points outside the export folder; it is not opened.',
    ]);
  });

  it('past 10,000 problems, the rest are counted, not listed', () => {
    const r = readTelegram(chat(Array.from({ length: 10_005 }, () => 0)), opts);
    expect(r.summary.problems).toHaveLength(10_001);
    expect(r.summary.problems.at(-1)).toEqual({
      line: null,
      offset: null,
      message: '5 more problems are not listed.',
    });
  });

  it('a lone surrogate in text is shown as U+FFFD, with a problem', () => {
    const bytes = enc(
      '{"name":"X","type":"personal_chat","messages":[{"id":1,"type":"message","date_unixtime":"1","from":"A","text":"a\\ud800b"}]}',
    );
    const r = readTelegram(bytes, opts);
    expect(r.messages[0]!.text).toBe('a\ufffdb');
    expect(r.summary.problems.map((p) => p.message)).toEqual([
      'Message "1": its text has half a character (a lone surrogate), shown as U+FFFD.',
      'A \\u escape here is half of a character (a lone surrogate); kept as is.',
    ]);
  });

  it('a cut-off export keeps every whole message before the cut, and says where it broke', () => {
    const fx = telegramSingleChat();
    const cut = fx.bytes.subarray(0, fx.messages.length > 3 ? fx.text.indexOf('"id": 104') : 0);
    const r = readTelegram(cut, opts);
    expect(r.messages.map((m) => m.externalId)).toEqual(['101', '102', '103']);
    expect(r.summary.problems).toHaveLength(1);
    expect(r.summary.problems[0]!.message).toMatch(
      /^The file is not whole JSON at line \d+, column \d+ \(byte \d+\): .* Messages before that point are read\.$/,
    );
  });

  it('not an export at all: a problem, no messages, no throw', () => {
    for (const text of ['', 'null', '[1,2]', '{"name": "x"}', 'garbage', '{"messages": 5}']) {
      const r = readTelegram(enc(text), opts);
      expect(r.messages).toEqual([]);
      expect(r.summary.problems.length).toBeGreaterThan(0);
    }
  });

  it('nesting past the limit is a located problem, not a crash', () => {
    const deep = enc(
      `{"name":"X","type":"personal_chat","messages":[{"id":1,"type":"message","date_unixtime":"1","from":"A","text":"ok"},{"x":${'['.repeat(100)}`,
    );
    const r = readTelegram(deep, opts);
    expect(r.messages).toHaveLength(1);
    expect(r.summary.problems[0]!.message).toMatch(/nested deeper than 64 levels/);
  });
});

describe('no input makes the reader throw, hang, or give spans outside the file or out of order', () => {
  const fx = telegramSingleChat();
  const check = (bytes: Uint8Array) => {
    const r = readTelegram(bytes, opts);
    let end = 0;
    for (const m of r.messages) {
      expect(m.offset).toBeGreaterThanOrEqual(end);
      expect(m.length).toBeGreaterThan(0);
      end = m.offset + m.length;
      expect(end).toBeLessThanOrEqual(bytes.length);
    }
    expect(r.summary.messageCount).toBe(r.messages.length);
  };

  it('random messages in a chat', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }), (values) => {
        check(enc(JSON.stringify({ name: 'X', type: 'personal_chat', id: 1, messages: values })));
      }),
      { numRuns: 500 },
    );
  });

  it('random message-like objects', () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.constant(null));
    const msg = fc.record(
      {
        id: field,
        type: fc.oneof(fc.constantFrom('message', 'service'), field),
        date: fc.oneof(
          fc.constant('2024-02-30T25:00:00'),
          fc.constant('2024-01-01T00:00:00'),
          field,
        ),
        date_unixtime: fc.oneof(
          fc.constant('99999999999'),
          fc.constant('-1'),
          fc.integer().map(String),
          field,
        ),
        from: field,
        from_id: field,
        actor: field,
        action: fc.oneof(
          fc.constantFrom('phone_call', 'group_call', 'invite_members', 'set_messages_ttl'),
          field,
        ),
        duration_seconds: field,
        members: field,
        text: fc.oneof(
          fc.array(
            fc.oneof(fc.string(), fc.record({ type: fc.string(), text: field, href: field })),
          ),
          field,
        ),
        text_entities: field,
        photo: field,
        file: field,
        edited_unixtime: field,
        reply_to_message_id: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(msg, { maxLength: 6 }), (values) => {
        check(enc(JSON.stringify({ name: 'X', type: 'personal_chat', messages: values }, null, 1)));
      }),
      { numRuns: 500 },
    );
  });

  it('the fixture with bytes cut, changed or inserted', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.uint8Array({ maxLength: 6 }),
        (at, cut, insert) => {
          const i = at % (fx.bytes.length + 1);
          const bytes = new Uint8Array([
            ...fx.bytes.subarray(0, i),
            ...insert,
            ...fx.bytes.subarray(i + cut),
          ]);
          check(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the reader object ingest calls', () => {
  it('recognises result.json, single chat or full, and nothing else', () => {
    const single = telegramSingleChat().bytes;
    const full = telegramFullExport([]).bytes;
    expect(
      telegramReader.detect(single.subarray(0, 65536), 'result.json', 'application/json'),
    ).toBe(true);
    expect(telegramReader.detect(full, 'result.json', 'application/json')).toBe(true);
    const meta = enc(
      '{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", "timestamp_ms": 1}], "title": "A", "thread_path": "inbox/a"}',
    );
    expect(looksLikeTelegram(meta, 'message_1.json')).toBe(false);
    expect(looksLikeTelegram(enc('{"type": "personal_chat"}'), 'a.json')).toBe(false);
    expect(looksLikeTelegram(enc('[1]'), 'result.json')).toBe(false);
  });

  it('opens an export file and gives its messages and summary', async () => {
    const fx = telegramSingleChat();
    const opened = await telegramReader.open(exportFile('result.json', fx.bytes), opts);
    const got = [...(opened.messages as Iterable<{ text: string }>)].map((m) => m.text);
    expect(got).toEqual(fx.expected.map((e) => e.text));
    expect(opened.summary().messageCount).toBe(fx.expected.length);
    expect(opened.media).toEqual([]);
  });

  it('refuses a file past the size limit with a clear error', async () => {
    const file = { ...exportFile('result.json', enc('{}')), size: 2 ** 40 };
    await expect(telegramReader.open(file, opts)).rejects.toSatisfy(
      (e) =>
        isDossierError(e, 'USAGE') && /reads result\.json files up to/.test((e as Error).message),
    );
  });
});

describe('reading a large hostile export takes time linear in its size', () => {
  it('many messages, each with problems', () => {
    const one =
      '{"id":"x","type":"odd","date":"2024-01-01T10:00:30","date_unixtime":"1704103200","from":5,"text":[1,{"type":"link"}],"action":"summon"},';
    expectLinear('telegram: problems on every message', (size) => {
      const bytes = enc(
        `{"name":"X","type":"personal_chat","messages":[${one.repeat(Math.ceil(size / one.length))}{}]}`,
      );
      return () => readTelegram(bytes, opts);
    });
  });
});
