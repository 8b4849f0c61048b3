// The mbox splitter (main/core/conversations/mbox.ts): every variant, line ending and damage
// the brief names, each message found with its exact span, hash, lines and raw bytes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  splitMbox,
  unquoteMboxrd,
  type MboxMessage,
  type SplitOptions,
} from '../../../main/core/conversations/mbox';
import {
  buildMbox,
  chunksOf,
  drain,
  emailBytes,
  generatedMbox,
  generatedMboxChunks,
  mboxoQuote,
} from '../../support/conversations/mbox';

const enc = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('latin1'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function split(bytes: Uint8Array, opts: SplitOptions = {}, chunk: number | number[] = 4096) {
  return drain(splitMbox(chunksOf(bytes, chunk), opts));
}

/** Each message's span is the file's bytes at its offset, with that hash and those lines. */
function expectSpansExact(bytes: Uint8Array, messages: MboxMessage[]) {
  const text = Buffer.from(bytes);
  for (const m of messages) {
    const span = bytes.subarray(m.offset, m.offset + m.length);
    expect(m.sha256).toBe(sha(span));
    const before = text.subarray(0, m.offset).toString('latin1').split('\n').length;
    expect(m.line).toBe(before);
    const last = m.length > 0 ? m.offset + m.length - 1 : m.offset;
    expect(m.lineEnd).toBe(text.subarray(0, last).toString('latin1').split('\n').length);
  }
}

const bodyWithFromLines = (extra: Partial<Parameters<typeof emailBytes>[0]> = {}) =>
  emailBytes({
    subject: 'Quoting',
    text: 'Line one\nFrom the start I said so\n>From quoted already\n>>From twice\nend',
    ...extra,
  });

describe('mbox variants', () => {
  it('mboxo: ">From " lines are kept as written and the variant says so', async () => {
    const messages = [bodyWithFromLines(), emailBytes({ subject: 'Second' })];
    // Without a ">>From " line nothing marks the file as mboxrd.
    const plain = [emailBytes({ text: 'From here\nok' }), emailBytes({ subject: 'Second' })];
    const { bytes, spans } = buildMbox(plain, { variant: 'mboxo' });
    const { items, result } = await split(bytes);
    expect(result.variant).toBe('mboxo');
    expect(result.variantSource).toBe('default');
    expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(spans);
    expect(str(items[0]!.raw)).toBe(str(mboxoQuote(plain[0]!)));
    expect(str(items[0]!.raw)).toContain('\n>From here\n');
    expectSpansExact(bytes, items);

    // Given as mboxo, a file with ">>From " lines is still not unquoted.
    const quoted = buildMbox(messages, { variant: 'mboxo' });
    const given = await split(quoted.bytes, { variant: 'mboxo' });
    expect(given.result.variantSource).toBe('given');
    expect(str(given.items[0]!.raw)).toBe(str(mboxoQuote(messages[0]!)));
  });

  it('mboxrd: detected from ">>From " lines, and every message comes back unquoted', async () => {
    const messages = [bodyWithFromLines(), emailBytes({ text: '>From a reply\nFrom me' })];
    const { bytes, spans } = buildMbox(messages, { variant: 'mboxrd' });
    const { items, result } = await split(bytes);
    expect(result.variant).toBe('mboxrd');
    expect(result.variantSource).toBe('detected');
    expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(spans);
    expect(items.map((m) => str(m.raw))).toEqual(messages.map(str));
    expectSpansExact(bytes, items);
  });

  it('mboxrd given: unquoted even when the window shows no evidence', async () => {
    const messages = [emailBytes({ text: 'From me' })];
    const { bytes } = buildMbox(messages, { variant: 'mboxrd' });
    const detected = await split(bytes);
    expect(detected.result.variant).toBe('mboxo');
    expect(str(detected.items[0]!.raw)).toContain('\n>From me');
    const given = await split(bytes, { variant: 'mboxrd' });
    expect(str(given.items[0]!.raw)).toBe(str(messages[0]!));
  });

  it('unquoteMboxrd removes exactly one ">" from each /^>+From / line, and nothing else', () => {
    const cases: Array<[string, string]> = [
      [
        '>From a\n>>From b\nx>From c\n> From d\n>>>From e',
        'From a\n>From b\nx>From c\n> From d\n>>From e',
      ],
      ['no quoting', 'no quoting'],
      ['a\r\n>From b\r\n', 'a\r\nFrom b\r\n'],
    ];
    for (const [input, expected] of cases) expect(str(unquoteMboxrd(enc(input)))).toBe(expected);
  });

  it('mboxcl2: Content-Length keeps unquoted "From " lines inside their message', async () => {
    const messages = [bodyWithFromLines(), emailBytes({ text: 'From the top\n\nFrom again' })];
    const { bytes, spans } = buildMbox(messages, { variant: 'mboxcl2' });
    const { items, result } = await split(bytes);
    expect(result.variant).toBe('mboxcl2');
    expect(result.variantSource).toBe('detected');
    expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(spans);
    expect(items.map((m) => m.problems)).toEqual([[], []]);
    // The raw message carries the Content-Length header the mailbox added, nothing else changed.
    const raw = str(items[1]!.raw)!;
    expect(raw.replace(/Content-Length: \d+\n/, '')).toBe(str(messages[1]!));
    expectSpansExact(bytes, items);
  });

  it('mboxcl: Content-Length with quoted ">From " lines is named mboxcl', async () => {
    const messages = [emailBytes({ text: 'From the top' }), emailBytes({ subject: 'b' })];
    const { bytes, spans } = buildMbox(messages, { variant: 'mboxcl' });
    const { items, result } = await split(bytes);
    expect(result.variant).toBe('mboxcl');
    expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(spans);
    expect(str(items[0]!.raw)).toContain('\n>From the top');
  });

  it('a Content-Length that does not end at a From line is not used, with a problem', async () => {
    const file = enc(
      'From a@b Mon Jan  1 00:00:00 2024\nSubject: one\nContent-Length: 3\n\nFrom inside\n\n' +
        'From c@d Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n',
    );
    const { items, result } = await split(file, {}, 5);
    expect(items.map((m) => m.fromLine)).toEqual([
      'a@b Mon Jan  1 00:00:00 2024',
      'inside',
      'c@d Mon Jan  1 00:00:00 2024',
    ]);
    expect(items[0]!.problems[0]!.message).toMatch(
      /Content-Length \(3\) does not end at a "From " line/,
    );
    expect(result.variant).toBe('mboxo');
    expectSpansExact(file, items);
  });

  it('a Content-Length that ends at the end of the file is used', async () => {
    for (const tail of ['', '\n', '\r\n']) {
      const file = enc(`From a\nContent-Length: 11\n\nFrom inside${tail}`);
      const { items, result } = await split(file, {}, 3);
      expect(items).toHaveLength(1);
      expect(items[0]!.problems).toEqual([]);
      expect(result.variant).toBe('mboxcl2');
      expect(str(items[0]!.raw)).toBe(`Content-Length: 11\n\nFrom inside${tail}`);
    }
  });

  it('a Content-Length past the end of the file, too big, or not a number is not used', async () => {
    const tail = '\n\nFrom x\nSubject: b\n\nok\n';
    const past = await split(enc(`From a\nContent-Length: 900\n\nshort${tail}`));
    expect(past.items).toHaveLength(2);
    expect(past.items[0]!.problems[0]!.message).toMatch(/does not end at a "From " line/);
    const huge = await split(enc(`From a\nContent-Length: 999999999999\n\nshort${tail}`), {
      maxMessageBytes: 1024,
    });
    expect(huge.items).toHaveLength(2);
    expect(huge.items[0]!.problems[0]!.message).toMatch(/larger than 1 KiB, so it was not used/);
    const bad = await split(enc(`From a\nContent-Length: 12x\n\nshort${tail}`));
    expect(bad.items).toHaveLength(2);
    expect(bad.items[0]!.problems[0]!.message).toMatch(/not a number/);
  });

  it('Content-Length is ignored when the variant is given as mboxo or mboxrd', async () => {
    const { bytes } = buildMbox([emailBytes({ text: 'From the top' })], { variant: 'mboxcl2' });
    const { items } = await split(bytes, { variant: 'mboxo' });
    expect(items).toHaveLength(2);
    expect(items.every((m) => m.problems.length === 0)).toBe(true);
  });
});

describe('line endings and the shapes real mailboxes come in', () => {
  it('CRLF files: From_ lines, separators and messages in CRLF', async () => {
    const messages = [
      emailBytes({ crlf: true, text: 'From a line\r\nsecond' }),
      emailBytes({ crlf: true, subject: 'two' }),
    ];
    for (const variant of ['mboxrd', 'mboxcl2'] as const) {
      const { bytes, spans } = buildMbox(messages, { variant, crlf: true });
      const { items, result } = await split(bytes, {}, 3);
      expect(result.lineEnding).toBe('crlf');
      expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(spans);
      expect(items.map((m) => m.fromLine!.endsWith('\r'))).toEqual([false, false]);
      if (variant === 'mboxrd') {
        // mboxrd detection needs a ">>From " line; given, the messages come back exact.
        const given = await split(bytes, { variant: 'mboxrd' });
        expect(given.items.map((m) => str(m.raw))).toEqual(messages.map(str));
      } else {
        expect(items.map((m) => str(m.raw)!.replace(/Content-Length: \d+\r\n/, ''))).toEqual(
          messages.map(str),
        );
      }
      expectSpansExact(bytes, items);
    }
  });

  it('Google Takeout: the From_ line and Gmail headers are kept in the raw message', async () => {
    const messages = [emailBytes({ labels: ['Inbox', 'Threats, kept'], threadId: '178' })];
    const { bytes } = buildMbox(messages);
    const { items } = await split(bytes);
    expect(items[0]!.fromLine).toMatch(/^\d+@xxx Tue Mar 05 21:14:00 \+0000 2024$/);
    expect(str(items[0]!.raw)).toContain('X-Gmail-Labels: Inbox,"Threats, kept"\n');
  });

  it('Thunderbird: "From - " separators and no blank line before them', async () => {
    const file = enc(
      'From - Tue Jan 16 10:11:12 2024\nX-Mozilla-Status: 0001\nSubject: a\n\nbody a\n' +
        'From - Wed Jan 17 10:11:12 2024\nX-Mozilla-Status: 0001\nSubject: b\n\nbody b\n',
    );
    const { items } = await split(file, {}, 7);
    expect(items.map((m) => m.fromLine)).toEqual([
      '- Tue Jan 16 10:11:12 2024',
      '- Wed Jan 17 10:11:12 2024',
    ]);
    expect(items.map((m) => str(m.raw))).toEqual([
      'X-Mozilla-Status: 0001\nSubject: a\n\nbody a\n',
      'X-Mozilla-Status: 0001\nSubject: b\n\nbody b\n',
    ]);
    expectSpansExact(file, items);
  });

  it('bytes before the first From_ line are message 0, with a problem', async () => {
    const file = enc('Subject: stray\n\ntext\nFrom a\nSubject: x\n\nbody\n');
    const { items, result } = await split(file);
    expect(items.map((m) => m.fromLine)).toEqual([null, 'a']);
    expect(str(items[0]!.raw)).toBe('Subject: stray\n\ntext\n');
    expect(items[0]!.problems[0]!.message).toMatch(/does not start with a "From " line/);
    expect(result.leading).toBeNull();
    expectSpansExact(file, items);
  });

  it('blank bytes before the first From_ line are reported, not a message', async () => {
    const file = enc('\r\n\n  \nFrom a\nSubject: x\n\nbody\n');
    const { items, result } = await split(file, {}, 2);
    expect(items.map((m) => [m.index, m.offset, m.line])).toEqual([[0, 6, 4]]);
    expect(result.leading).toEqual({ offset: 0, length: 6 });
    expect(result.problems[0]!.message).toMatch(/starts with 6 blank bytes/);
  });

  it('a file with no From_ line at all is one message; an empty file none', async () => {
    const eml = emailBytes({ subject: 'alone' });
    const one = await split(eml);
    expect(one.items).toHaveLength(1);
    expect(str(one.items[0]!.raw)).toBe(str(eml));
    const none = await split(new Uint8Array(0));
    expect(none.items).toEqual([]);
    expect(none.result.problems.map((p) => p.message)).toEqual(['The mailbox is empty.']);
  });

  it('the last message may end without a line break, or be only a From_ line', async () => {
    const file = enc('From a\nSubject: x\n\nno newline at end\nFrom b');
    const { items } = await split(file, {}, 1);
    expect(items.map((m) => [m.fromLine, str(m.raw)])).toEqual([
      ['a', 'Subject: x\n\nno newline at end\n'],
      ['b', ''],
    ]);
    expectSpansExact(file, items);
  });

  it('a From_ line straight after another, or inside the headers, starts a message', async () => {
    const file = enc('From a\nFrom b\nSubject: x\nFrom c\n\nbody\n');
    const { items } = await split(file, {}, 3);
    expect(items.map((m) => m.fromLine)).toEqual(['a', 'b', 'c']);
    expectSpansExact(file, items);
  });
});

describe('streaming', () => {
  it('the same messages whatever the chunk sizes (separators split across chunks)', async () => {
    const { bytes } = generatedMbox(40, { bodyBytes: 300, attachmentBytes: 500, attachEvery: 7 });
    const whole = await split(bytes, {}, bytes.length);
    expect(whole.items).toHaveLength(40);
    for (const sizes of [1, 2, 3, 5, 6, 7, [1, 9, 2, 64], 4096]) {
      const { items, result } = await split(bytes, {}, sizes);
      expect(
        items.map((m) => [m.offset, m.length, m.sha256, m.line, m.lineEnd, str(m.raw)]),
      ).toEqual(
        whole.items.map((m) => [m.offset, m.length, m.sha256, m.line, m.lineEnd, str(m.raw)]),
      );
      expect(result).toEqual(whole.result);
    }
  });

  it('detection looks past the first chunk, and messages wait for it', async () => {
    // The ">>From " line that proves mboxrd is in the 30th message, well past the first chunk.
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      messages.push(emailBytes({ subject: `m${i}`, text: i === 30 ? '>From me' : 'From x' }));
    }
    const { bytes } = buildMbox(messages, { variant: 'mboxrd' });
    const { items, result } = await split(bytes, {}, 64);
    expect(result.variant).toBe('mboxrd');
    expect(items.map((m) => str(m.raw))).toEqual(messages.map(str));
    // Past the detection window, the variant already decided is kept.
    const late = await split(bytes, { detectBytes: 256 }, 64);
    expect(late.result.variant).toBe('mboxo');
  });

  it('a message over the limit keeps its span and hash, and is not read', async () => {
    const big = 'x'.repeat(5000);
    const file = enc(`From a\nSubject: big\n\n${big}\n\nFrom b\nSubject: small\n\nok\n`);
    const { items } = await split(file, { maxMessageBytes: 1024 }, 100);
    expect(items.map((m) => m.fromLine)).toEqual(['a', 'b']);
    expect(items[0]!.raw).toBeNull();
    expect(items[0]!.problems[0]!.message).toMatch(/larger than 1 KiB, so it was not read/);
    expect(str(items[1]!.raw)).toBe('Subject: small\n\nok\n');
    expectSpansExact(file, items);
  });

  it('a huge line in the From_ line or the headers is hashed and dropped, not buffered', async () => {
    const long = 'y'.repeat(10_000);
    for (const file of [
      enc(`From ${long}\nSubject: a\n\nx\nFrom b\n\nok\n`),
      enc(`From a\nSubject: ${long}\nFrom b\n\nok\n`),
      enc(`From a\nSubject: x\n${long}From b\nFrom c\n\nok\n`),
    ]) {
      const whole = await split(file, { maxMessageBytes: 512 }, 97);
      expect(whole.items.at(-1)!.fromLine).toMatch(/^[bc]$/);
      expect(whole.items[0]!.raw).toBeNull();
      expectSpansExact(file, whole.items);
    }
  });

  it('past maxMessages the rest of the file is recorded, not read, and said', async () => {
    const { bytes, spans } = generatedMbox(5);
    const { items, result } = await split(bytes, { maxMessages: 3 }, 50);
    expect(items).toHaveLength(3);
    expect(result.rest).toEqual({
      offset: spans[3]!.offset,
      length: bytes.length - spans[3]!.offset,
    });
    expect(result.problems.at(-1)!.message).toMatch(
      /more than 3 messages; only the first 3 were read/,
    );
    // Exactly as many messages as allowed: nothing is left over.
    const exact = await split(bytes, { maxMessages: 5 });
    expect(exact.items).toHaveLength(5);
    expect(exact.result.rest).toBeNull();
    expect(exact.result.problems).toEqual([]);
  });

  it('memory stays bounded: 200 MiB of ordinary messages, read and let go', async () => {
    // One MiB of whole messages, handed over 200 times: the file grows, the memory must not.
    const block = Buffer.from(generatedMbox(300, { bodyBytes: 3000 }).bytes);
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* chunks() {
      for (let i = 0; i < 200; i++) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
        yield block;
      }
    }
    let count = 0;
    let last: MboxMessage | null = null;
    for await (const m of splitMbox(chunks())) {
      count++;
      last = m;
    }
    expect(count).toBe(300 * 200);
    expect(last!.offset + last!.length).toBe(200 * block.length);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);

  it('memory stays bounded: a 256 MiB message read with a 1 MiB limit', async () => {
    const chunk = Buffer.alloc(26 * 40_330, 'line of text that goes on\n');
    const head = enc('From a\nSubject: huge\n\n');
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* chunks() {
      yield head;
      for (let i = 0; i < 256; i++) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
        yield chunk; // the same bytes each time: only the splitter can hold more memory
      }
      yield enc('From b\nSubject: after\n\nok\n');
    }
    const { items } = await drain(splitMbox(chunks(), { maxMessageBytes: 1024 * 1024 }));
    expect(items.map((m) => m.fromLine)).toEqual(['a', 'b']);
    expect(items[0]!.length).toBe(head.length + 256 * chunk.length);
    // 3 header lines, then 40,330 whole lines per chunk; the span ends with a line break.
    expect(items[0]!.lineEnd).toBe(3 + 256 * 40_330);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);
});

describe('the fixture builders (test/support/conversations/mbox.ts)', () => {
  it('a streamed generated mailbox is the same bytes as one built in memory', async () => {
    const opts = { bodyBytes: 400, attachmentBytes: 300, attachEvery: 4, labels: true };
    const built = generatedMbox(30, opts);
    const parts: Uint8Array[] = [];
    for await (const c of generatedMboxChunks(30, { ...opts, chunkBytes: 1000 })) parts.push(c);
    expect(parts.length).toBeGreaterThan(1);
    expect(Buffer.concat(parts).equals(Buffer.from(built.bytes))).toBe(true);
    const { items } = await split(built.bytes);
    expect(items.map((m) => ({ offset: m.offset, length: m.length }))).toEqual(built.spans);
  });
});
