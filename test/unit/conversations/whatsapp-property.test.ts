// Properties of the WhatsApp chat reader on any input (fast-check): it never throws except
// the clear DossierErrors it documents (NEEDS_CHOICE, limits), never loses a byte (every
// line is in exactly one message's span, in order, and the spans tile the file between line
// breaks), and stays linear in the input's size (so a hostile file cannot hang the import).
// The generated-chat property checks every field against what the fixture builder wrote.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversationMessage, ReadOptions } from '../../../main/core/conversations/types';
import { readWhatsAppChat } from '../../../main/core/conversations/whatsapp';
import { normalisePhrase } from '../../../main/core/conversations/whatsapp-locales';
import { isDossierError } from '../../../main/core/errors';
import {
  buildChat,
  type ChatStyle,
  type FixtureMessage,
} from '../../support/conversations/whatsapp';
import { expectLinear } from '../../support/linear';

// ignoreBOM: a U+FEFF inside a span is content and must stay in the decoded text.
const dec = new TextDecoder('utf-8', { ignoreBOM: true });

/** Spans within the file, in order, not overlapping, and tiling it between line breaks. */
function expectNothingLost(bytes: Uint8Array, messages: ConversationMessage[]): void {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let prevEnd = bom ? 3 : 0;
  let line = 1;
  messages.forEach((m, i) => {
    expect(m.index).toBe(i);
    expect(m.offset).toBeGreaterThanOrEqual(prevEnd);
    expect(m.length).toBeGreaterThanOrEqual(0);
    expect(m.offset + m.length).toBeLessThanOrEqual(bytes.length);
    const gap = dec.decode(bytes.subarray(prevEnd, m.offset));
    expect(i === 0 ? [''] : ['\n', '\r\n']).toContain(gap);
    if (i > 0) line++;
    expect(m.line).toBe(line);
    const span = bytes.subarray(m.offset, m.offset + m.length);
    line += span.filter((b) => b === 0x0a).length;
    expect(m.lineEnd).toBe(line);
    if (m.details.truncated !== true) expect(dec.decode(span).endsWith(m.text)).toBe(true);
    prevEnd = m.offset + m.length;
  });
  expect(['', '\n', '\r\n']).toContain(dec.decode(bytes.subarray(prevEnd)));
}

function isUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

function readOrChoice(bytes: Uint8Array, opts: ReadOptions): ConversationMessage[] | null {
  try {
    const read = readWhatsAppChat(bytes, opts);
    if (isUtf16(bytes)) {
      // Not read as messages at all: the whole file is one problem, and the original is kept.
      expect(read.messages).toEqual([]);
      expect(read.summary.problems.map((p) => p.message).join(' ')).toContain('UTF-16');
      return null;
    }
    return read.messages;
  } catch (e) {
    if (isDossierError(e, 'NEEDS_CHOICE')) return null;
    throw e;
  }
}

// Pieces real exports are made of, so random strings often form (broken) headers.
const FRAGMENTS = [
  '[',
  ']',
  '13/01/2024, ',
  '01/13/24, ',
  '2024-01-13 ',
  '31.12.23 ',
  '9:05',
  '21:05:09',
  ' PM',
  '\u202fAM',
  ' p. m.',
  ' - ',
  ': ',
  'Alice',
  '+44 7700 900123',
  '\u200e',
  '\u202a',
  '<attached: x.jpg>',
  ' (file attached)',
  '<Media omitted>',
  'This message was deleted',
  '<This message was edited>',
  'Missed voice call',
  ' added ',
  ' created group "',
  '"',
  '\n',
  '\r\n',
  '\r',
  '\ufeff',
  '\u0000',
  '\u001b[2J',
  '😀',
];
const chatLike = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((parts) => new TextEncoder().encode(parts.join('')));
const anyBytes = fc.uint8Array({ maxLength: 600 });

describe('WhatsApp reader properties', () => {
  it('reads a UTF-16 file (either byte order) as no messages and one problem, found by fast-check (seed 1529677179)', () => {
    for (const bytes of [Uint8Array.from([0xfe, 0xff]), Uint8Array.from([0xff, 0xfe, 0x31, 0])]) {
      const read = readWhatsAppChat(bytes, { defaultTimeZone: 'UTC' });
      expect(read.messages).toEqual([]);
      expect(read.summary.problems).toHaveLength(1);
      expect(read.summary.problems[0]?.message).toMatch(/UTF-16/);
    }
  });

  it('never throws (except NEEDS_CHOICE) and loses nothing, on chat-like text and on any bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(chatLike, anyBytes),
        fc.constantFrom<ReadOptions>(
          { defaultTimeZone: 'UTC' },
          { defaultTimeZone: 'UTC', dateOrder: 'dmy' },
          { defaultTimeZone: 'Europe/London', timeZone: 'America/New_York', dateOrder: 'mdy' },
        ),
        (bytes, opts) => {
          const messages = readOrChoice(bytes, opts);
          if (messages === null) {
            if (!isUtf16(bytes)) expect(opts.dateOrder).toBeUndefined();
            return;
          }
          expectNothingLost(bytes, messages);
        },
      ),
      { numRuns: 600 },
    );
  });

  const name = fc.stringMatching(/^[A-Za-zÀ-ÿ+]([A-Za-z À-ÿ'.\-0-9]{0,18}[A-Za-zÀ-ÿ0-9])?$/);
  // A continuation line must not itself start like a header (digits, '[', U+200E).
  const textLine = fc
    .string({ maxLength: 40 })
    .filter((s) => !/[\r\n]/.test(s) && !/^[\d[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(s));
  const style = fc.record<ChatStyle>({
    shape: fc.constantFrom('ios', 'android'),
    order: fc.constantFrom('dmy', 'mdy'),
    clock: fc.constantFrom(12, 24),
    year: fc.constantFrom(2, 4),
    dateSep: fc.constantFrom('/', '.', '-'),
    ampmSpace: fc.constantFrom(' ', '\u202f', '\u00a0'),
    ampm: fc.constantFrom('AM', 'am', 'a.m.', 'a. m.'),
    lineBreak: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
  });
  const message = fc.record<FixtureMessage>({
    at: fc.tuple(
      fc.integer({ min: 2009, max: 2035 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
    ),
    sender: name,
    text: fc.array(textLine, { minLength: 1, maxLength: 4 }).map((l) => l.join('\n')),
  });

  it('reads every generated chat back exactly: sender, text, time, offset, lines', () => {
    fc.assert(
      fc.property(style, fc.array(message, { minLength: 1, maxLength: 12 }), (s, msgs) => {
        const fixture = msgs.map((m) => ({
          ...m,
          at: [
            m.at[0],
            m.at[1],
            m.at[2],
            m.at[3],
            m.at[4],
            s.shape === 'android' ? 0 : m.at[5],
          ] as FixtureMessage['at'],
        }));
        const chat = buildChat(s, fixture);
        const { messages } = readWhatsAppChat(chat.bytes, {
          defaultTimeZone: 'UTC',
          dateOrder: s.order,
        });
        expectNothingLost(chat.bytes, messages);
        for (const [i, m] of messages.entries()) {
          expect(dec.decode(chat.bytes.subarray(m.offset, m.offset + m.length))).toBe(
            chat.expected[i]!.raw,
          );
        }
        expect(
          messages.map((m) => [m.sender, m.text, m.time, m.offset, m.length, m.line, m.lineEnd]),
        ).toEqual(
          chat.expected.map((e) => [
            e.sender,
            e.text,
            `${e.wall}+00:00`,
            e.offset,
            e.length,
            e.line,
            e.lineEnd,
          ]),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalisePhrase', () => {
  it('gives the same on its ASCII fast path as on the full path', () => {
    // A U+200E (removed by the full path) forces the full path on the same text.
    fc.assert(
      fc.property(fc.stringMatching(/^[ A-Za-z0-9,.!?;:()<>"'-]{0,30}$/), (s) => {
        expect(normalisePhrase(s)).toBe(normalisePhrase(`\u200e${s}`));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('WhatsApp reader stays linear on hostile input', () => {
  const opts: ReadOptions = { defaultTimeZone: 'Europe/London', dateOrder: 'dmy' };
  const enc = new TextEncoder();
  // A unit starting with '^' is one line: a header, then the rest of the unit repeated.
  const repeat = (unit: string, size: number): Uint8Array =>
    unit.startsWith('^')
      ? enc.encode(
          `13/01/2024, 10:00 - ${unit.slice(1).repeat(Math.max(1, Math.floor(size / unit.length)))}`,
        )
      : enc.encode(unit.repeat(Math.max(1, Math.floor(size / unit.length))));
  const cases: [string, string][] = [
    ['many short messages', '13/01/2024, 10:00 - Alice: hi\n'],
    ['one long message of continuation lines', 'and another line of text\n'],
    ['header fragments on one line', '[13/01/2024, 10:0'],
    ['colons with no header', ': : : : : : : :'],
    ['system-like lines', `13/01/2024, 10:00 - ${'a added b '.repeat(30)}\n`],
    ['unclassified lines', '13/01/2024, 10:00 - something odd\n'],
    ['attachment markers', '13/01/2024, 10:00 - A: <attached: <attached: <x'],
    ['times in a DST fold', '27/10/2024, 01:30 - A: x\n'],
    ['one long line with no sender', '^a added b '],
    ['one long line with a quoted subject', '^Bob changed the subject to "a: b'],
    ['one long message line', '^Alice: <attached: x (file attached) '],
  ];
  for (const [label, unit] of cases) {
    it(label, () => {
      expectLinear(`whatsapp: ${label}`, (size) => {
        const bytes = repeat(unit, size);
        return () => readWhatsAppChat(bytes, opts);
      });
    });
  }
});
