// Instagram and Facebook message_N.json (main/core/conversations/meta-messages.ts): mojibake
// repaired, every message with sender, time, text and its exact bytes, files of one thread in
// order, unsent messages and calls; bad input a problem, never a throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  facebookReader,
  fixMojibake,
  instagramReader,
  metaFileNumber,
  readMetaFile,
  readMetaThread,
  type MetaPlatform,
} from '../../../main/core/conversations/meta-messages';
import { telegramReader } from '../../../main/core/conversations/telegram';
import type { ReadMessage } from '../../../main/core/conversations/types';
import {
  facebookThread,
  instagramThread,
  metaJson,
  mojibake,
  type MetaFileFixture,
  ZOE,
} from '../../support/conversations/meta';
import { exportFile, telegramSingleChat } from '../../support/conversations/telegram';
import { expectLinear } from '../../support/linear';

const enc = (s: string) => new TextEncoder().encode(s);
const slice = (bytes: Uint8Array, m: { offset: number; length: number }) =>
  new TextDecoder().decode(bytes.subarray(m.offset, m.offset + m.length));

describe('mojibake: UTF-8 read as Latin-1 is repaired, and nothing else is touched', () => {
  it('accented names and emoji come back', () => {
    for (const s of [
      'Zoë Ångström',
      'Je sais où tu habites 😡',
      'Schöne Grüße 👋',
      '❤',
      'Ça',
      '日本語',
    ]) {
      expect(fixMojibake(mojibake(s))).toBe(s);
    }
  });

  it('text that is already right stays as it is', () => {
    // A lone "é" (U+00E9) is Latin-1 but not UTF-8; anything above U+00FF was never mangled.
    for (const s of ['café', 'plain', '', 'Zoë 😡', 'Ã', '\u00c3\u0028', 'naïve ü']) {
      expect(fixMojibake(s)).toBe(s);
    }
  });

  it('any text survives mangling and repair; repair never changes text above U+00FF', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fixMojibake(mojibake(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = fixMojibake(s);
        if ([...s].some((c) => c.codePointAt(0)! > 0xff)) expect(out).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});

function expectFile(fx: MetaFileFixture, messages: ReadMessage[]) {
  const root = JSON.parse(fx.text) as { messages: unknown[] };
  // Oldest first: the file's rows reversed (it is newest first).
  const rows = [...fx.rows].reverse();
  const written = [...root.messages].reverse();
  expect(messages).toHaveLength(rows.length);
  messages.forEach((m, i) => {
    const e = rows[i]!.expected;
    expect(m).toMatchObject({
      kind: e.kind,
      sender: e.sender,
      senderId: e.sender,
      time: e.time,
      timeSource: 'export-instant',
      text: e.text,
      attachments: (e.attachments ?? []).map((name) => ({ name, omitted: false })),
      line: null,
    });
    expect(m.details).toMatchObject({ file: fx.name, ...e.details });
    // The offset and length cut out exactly that message's JSON object, as written.
    expect(JSON.parse(slice(fx.bytes, m))).toEqual(written[i]);
  });
}

describe('one message_N.json file', () => {
  for (const [label, make, platform] of [
    ['Instagram', instagramThread, 'instagram'],
    ['Facebook', facebookThread, 'facebook'],
  ] as const) {
    it(`${label}: every message, oldest first, with sender, time, text and exact bytes`, () => {
      for (const fx of make()) {
        // Asked as the other platform: the content decides.
        const other: MetaPlatform = platform === 'instagram' ? 'facebook' : 'instagram';
        const read = readMetaFile(fx.bytes, fx.name, other);
        expect(read.platform).toBe(platform);
        expect(read.platformProven).toBe(true);
        expectFile(fx, read.messages);
        expect(read.messages.map((m) => m.index)).toEqual(read.messages.map((_, i) => i));
        expect(read.summary).toMatchObject({
          format: platform,
          reader: `dossier-${platform} 1`,
          messageCount: fx.rows.length,
          problems: [],
        });
      }
    });
  }

  it('the title and participants are repaired too', () => {
    const read = readMetaFile(instagramThread()[0]!.bytes, 'message_1.json', 'instagram');
    expect(read.title).toBe(ZOE);
    expect(read.summary.title).toBe(ZOE);
    expect(read.participants).toEqual([ZOE, 'Sam Okafor']);
    expect(read.threadPath).toBe('inbox/zoe_1234567890');
  });

  it('when the content cannot tell the platform, the reader asked is used and it says so', () => {
    const text = metaJson({
      participants: [{ name: 'A' }],
      messages: [{ sender_name: 'A', timestamp_ms: 1000, content: 'hi' }],
      title: 'A',
    });
    for (const p of ['instagram', 'facebook'] as const) {
      const read = readMetaFile(enc(text), 'message_1.json', p);
      expect(read.summary.format).toBe(p);
      expect(read.platformProven).toBe(false);
      expect(read.summary.problems.map((x) => x.message)).toEqual([
        `Its content does not say whether it is from Instagram or Facebook; read as ${p === 'instagram' ? 'Instagram' : 'Facebook'}.`,
      ]);
    }
  });
});

describe('a thread in several files', () => {
  it('messages from all files, oldest first, each naming its file, with exact bytes', () => {
    const files = instagramThread();
    // Given out of order: the numbers in the names put them in order.
    const thread = readMetaThread([files[1]!, files[0]!], 'instagram');
    expect(thread.problems).toEqual([]);
    expect(thread.platform).toBe('instagram');
    expect(thread.title).toBe(ZOE);
    const expected = [...files[1]!.rows].reverse().concat([...files[0]!.rows].reverse());
    expect(thread.messages.map((m) => [m.index, m.sender, m.time, m.text, m.details.file])).toEqual(
      expected.map((r, i) => [
        i,
        r.expected.sender,
        r.expected.time,
        r.expected.text,
        i < 3 ? 'message_2.json' : 'message_1.json',
      ]),
    );
    for (const m of thread.messages) {
      const fx = files.find((f) => f.name === m.details.file)!;
      const text = slice(fx.bytes, m);
      expect(text.startsWith('{') && text.endsWith('}')).toBe(true);
      expect(fixMojibake((JSON.parse(text) as { sender_name: string }).sender_name)).toBe(m.sender);
    }
  });

  it('ties in time keep the export order reversed; undated messages stay by their neighbour', () => {
    const text = metaJson({
      participants: [],
      messages: [
        { sender_name: 'C', timestamp_ms: 5000, content: 'newest' },
        { sender_name: 'B', content: 'undated' },
        { sender_name: 'A', timestamp_ms: 1000, content: 'same-time later' },
        { sender_name: 'A', timestamp_ms: 1000, content: 'same-time earlier' },
        { sender_name: 'Z', timestamp_ms: 9000, content: 'out of order' },
      ],
    });
    const read = readMetaFile(enc(text), 'message_1.json', 'facebook');
    expect(read.messages.map((m) => m.text)).toEqual([
      'same-time earlier',
      'same-time later',
      'undated',
      'newest',
      'out of order',
    ]);
    expect(read.messages[2]!.timeSource).toBe('none');
  });

  it('files from different threads are read, with a problem', () => {
    const ig = instagramThread()[0]!;
    const fb = facebookThread()[0]!;
    const thread = readMetaThread([ig, { ...fb, name: 'message_2.json' }], 'instagram');
    expect(thread.problems.map((p) => p.message)).toEqual([
      'These files are from different threads ("inbox/zoe_1234567890", "inbox/alexmuller_abc123"); they are shown together as given.',
      'Some files look like Instagram and some like Facebook.',
    ]);
    expect(thread.messages).toHaveLength(ig.rows.length + fb.rows.length);
  });

  it('file numbers come from the names', () => {
    expect(metaFileNumber('message_12.json')).toBe(12);
    expect(metaFileNumber('inbox/x/message_2.json')).toBe(2);
    expect(metaFileNumber('message_x.json')).toBeNull();
  });
});

describe('odd input becomes problems, never a throw', () => {
  it('unknown shapes on a message', () => {
    const text = JSON.stringify({
      participants: 'nobody',
      messages: [
        7,
        { sender_name: 5, timestamp_ms: 'soon', content: ['x'], photos: {} },
        {
          sender_name: 'A',
          timestamp_ms: 2000,
          photos: [{}, { uri: 'p.jpg' }, { uri: '/etc/x' }],
          content: 'bad \ud800',
        },
      ],
    });
    const read = readMetaFile(enc(text), 'message_1.json', 'facebook');
    expect(read.messages.map((m) => [m.sender, m.text, m.attachments.map((a) => a.name)])).toEqual([
      // Oldest first: the undated message was written above (after, in time) A's.
      ['A', 'bad \ufffd', ['p.jpg', '/etc/x']],
      ['', '', []],
    ]);
    expect(read.summary.problems.map((p) => p.message)).toEqual([
      'Its content does not say whether it is from Instagram or Facebook; read as Facebook.',
      'A message here is not a JSON object; left out.',
      'A message: its sender_name is not text.',
      'A message: it has no readable timestamp_ms; it keeps its place in the order.',
      'A message: its content is not text.',
      'A message: its photos is not a list.',
      'A message from "A": one of its photos has no uri.',
      'A message from "A": its file path "/etc/x" points outside the export folder; it is not opened.',
      'A message from "A": its text has half a character (a lone surrogate), shown as U+FFFD.',
      'A \\u escape here is half of a character (a lone surrogate); kept as is.',
    ]);
  });

  it('a cut-off file keeps the whole messages before the cut', () => {
    const fx = facebookThread()[1]!;
    const cut = fx.bytes.subarray(0, fx.text.indexOf('"sender_name": "Sam'));
    const read = readMetaFile(cut, fx.name, 'facebook');
    expect(read.messages.map((m) => m.text)).toEqual(['Schöne Grüße 👋']);
    expect(read.summary.problems.at(-1)!.message).toMatch(
      /^The file is not whole JSON at line \d+/,
    );
  });

  const check = (bytes: Uint8Array) => {
    const read = readMetaFile(bytes, 'message_1.json', 'instagram');
    const spans = [...read.messages].sort((a, b) => a.offset - b.offset);
    let end = 0;
    for (const m of spans) {
      expect(m.offset).toBeGreaterThanOrEqual(end);
      expect(m.length).toBeGreaterThan(0);
      end = m.offset + m.length;
    }
    expect(end).toBeLessThanOrEqual(bytes.length);
    // Oldest first, among the messages with a time.
    const times = read.messages.filter((m) => m.time).map((m) => Date.parse(m.time!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  };

  it('random message-like objects', () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.constant(null));
    const msg = fc.record(
      {
        sender_name: fc.oneof(fc.string().map(mojibake), field),
        timestamp_ms: fc.oneof(fc.integer({ min: -1e16, max: 1e16 }), fc.double(), field),
        timestamp: field,
        content: fc.oneof(fc.string({ unit: 'binary' }), field),
        photos: fc.oneof(fc.array(fc.record({ uri: field })), field),
        is_unsent: field,
        call_duration: field,
        type: fc.oneof(fc.constantFrom('Call', 'Subscribe', 'Generic'), field),
        reactions: field,
        share: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(msg, { maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        (messages, participants) => {
          check(enc(JSON.stringify({ participants, messages })));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the fixtures with bytes cut, changed or inserted', () => {
    const fx = instagramThread()[0]!;
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.uint8Array({ maxLength: 6 }),
        (at, cut, insert) => {
          const i = at % (fx.bytes.length + 1);
          check(
            new Uint8Array([...fx.bytes.subarray(0, i), ...insert, ...fx.bytes.subarray(i + cut)]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the reader objects ingest calls', () => {
  const ig = instagramThread()[0]!;
  const fb = facebookThread()[0]!;

  it('each recognises its own platform from the first bytes, and only one claims a file', () => {
    expect(instagramReader.detect(ig.bytes, ig.name, 'application/json')).toBe(true);
    expect(facebookReader.detect(ig.bytes, ig.name, 'application/json')).toBe(false);
    expect(facebookReader.detect(fb.bytes, fb.name, 'application/json')).toBe(true);
    expect(instagramReader.detect(fb.bytes, fb.name, 'application/json')).toBe(false);
    const tg = telegramSingleChat().bytes;
    expect(instagramReader.detect(tg, 'result.json', 'application/json')).toBe(false);
    expect(facebookReader.detect(tg, 'result.json', 'application/json')).toBe(false);
    expect(telegramReader.detect(ig.bytes, ig.name, 'application/json')).toBe(false);
    expect(telegramReader.detect(fb.bytes, fb.name, 'application/json')).toBe(false);
  });

  it('opens a file: its messages oldest first, its summary', async () => {
    const opened = await facebookReader.open(exportFile(fb.name, fb.bytes), {
      defaultTimeZone: 'UTC',
    });
    expectFile(fb, [...(opened.messages as Iterable<ReadMessage>)]);
    expect(opened.summary()).toMatchObject({
      format: 'facebook',
      messageCount: 2,
      title: 'Alex Müller',
    });
    expect(opened.media).toEqual([]);
  });
});

describe('reading a large hostile file takes time linear in its size', () => {
  it('many undated, mangled messages with bad media', () => {
    const one = `{"sender_name":"${mojibake('Zoë')}","content":"${mojibake('où 😡')}","photos":[{},{"uri":"a"}],"reactions":[{"reaction":"x"}]},`;
    expectLinear('meta: undated messages', (size) => {
      const bytes = enc(
        JSON.stringify({ participants: [] }).slice(0, -1) +
          `,"messages":[${one.repeat(Math.ceil(size / one.length))}{}]}`,
      );
      return () => readMetaFile(bytes, 'message_1.json', 'instagram');
    });
  });
});

describe('any bytes at all', () => {
  it('no reader throws, and detection never throws, on random bytes', async () => {
    const readers = [instagramReader, facebookReader, telegramReader];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .string({ unit: fc.constantFrom(...'{}[],:"\\ u0123456789abcdeftrnl'.split('')) })
            .map(enc),
        ),
        async (bytes) => {
          for (const reader of readers) {
            reader.detect(bytes, 'message_1.json', 'application/json');
            const opened = await reader.open(exportFile('x.json', bytes), {
              defaultTimeZone: 'UTC',
            });
            const messages = [...(opened.messages as Iterable<ReadMessage>)];
            for (const m of messages) expect(m.offset + m.length).toBeLessThanOrEqual(bytes.length);
            expect(opened.summary().messageCount).toBe(messages.length);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
