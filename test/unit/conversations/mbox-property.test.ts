// No input makes the mbox splitter or the mailbox reader throw, hang or lose bytes (issue 12):
// on any bytes, cut into any chunks, the spans of the messages and any leading bytes cover
// the file exactly, in order, without overlap, each with its right hash and lines, and the
// same whatever the chunking. Time is linear: each hostile family of input is read at N and
// 8N bytes (linear is about 8x, quadratic about 64x), as in test/unit/evidence/email-linear.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMailbox } from '../../../main/core/conversations/mailbox';
import {
  MBOX_VARIANTS,
  splitMbox,
  type MboxMessage,
  type SplitOptions,
} from '../../../main/core/conversations/mbox';
import { chunksOf, drain } from '../../support/conversations/mbox';
import { expectLinearAsync } from '../../support/linear';

const TOKENS = [
  'From ',
  'From a@b Mon Jan  1 00:00:00 2024\n',
  'From - Tue Jan 16 10:11:12 2024\r\n',
  '>From ',
  '>>From ',
  'From',
  '\n',
  '\r\n',
  '\r',
  '\n\n',
  'Subject: x\n',
  'Content-Length: 0\n',
  'Content-Length: 5\n',
  'Content-Length: 12\r\n',
  'CONTENT-LENGTH:  3 \n',
  'Content-Length: x\n',
  'Content-Length: 99999999999999999\n',
  'X-Gmail-Labels: a,"b, c",\n',
  ' folded\n',
  'Content-Type: multipart/mixed; boundary=b\n',
  '--b\n',
  'hello',
  ' ',
  '\u00e9',
  '\u0000',
];

const anyMailbox = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...TOKENS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
    { maxLength: 80 },
  )
  .map((parts) => new TextEncoder().encode(parts.join('')));

const anyChunks = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 });
const anyOptions: fc.Arbitrary<SplitOptions> = fc.record(
  {
    variant: fc.constantFrom(...MBOX_VARIANTS),
    maxMessageBytes: fc.integer({ min: 64, max: 400 }),
    detectBytes: fc.integer({ min: 0, max: 300 }),
    maxMessages: fc.integer({ min: 1, max: 6 }),
  },
  { requiredKeys: [] },
);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const linesBefore = (file: Uint8Array, at: number) =>
  Buffer.from(file.subarray(0, at)).toString('latin1').split('\n').length;

const facts = (m: MboxMessage) => ({
  ...m,
  raw: m.raw === null ? null : Buffer.from(m.raw).toString('hex'),
});

describe('the splitter on any input', () => {
  it('never throws, and its spans cover the file exactly, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(anyMailbox, anyChunks, anyOptions, async (file, sizes, opts) => {
        const { items, result } = await drain(splitMbox(chunksOf(file, sizes), opts));
        let at = 0;
        if (result.leading) {
          expect(result.leading.offset).toBe(0);
          at = result.leading.length;
        }
        for (const [i, m] of items.entries()) {
          expect(m.index).toBe(i);
          expect(m.offset).toBe(at);
          expect(m.length).toBeGreaterThan(0);
          at += m.length;
          const span = file.subarray(m.offset, m.offset + m.length);
          expect(m.sha256).toBe(sha(span));
          expect(m.line).toBe(linesBefore(file, m.offset));
          expect(m.lineEnd).toBe(linesBefore(file, m.offset + m.length - 1));
          // Each message but a leading one starts at a From_ line.
          if (m.fromLine !== null)
            expect(Buffer.from(span.subarray(0, 5)).toString()).toBe('From ');
          if (m.raw !== null) {
            expect(m.raw.length).toBeLessThanOrEqual(m.length);
            // Outside mboxrd, raw is the span's bytes, cut at both ends only.
            if (result.variant !== 'mboxrd')
              expect(Buffer.from(span).includes(Buffer.from(m.raw))).toBe(true);
          } else {
            expect(m.problems.length).toBeGreaterThan(0);
          }
          // Each message but the first starts right after a line break.
          if (m.offset > 0) expect(file[m.offset - 1]).toBe(0x0a);
        }
        if (result.rest) {
          expect(result.rest.offset).toBe(at);
          expect(items).toHaveLength(opts.maxMessages!);
          at += result.rest.length;
        }
        expect(at).toBe(file.length);
        expect(result.bytes).toBe(file.length);
        expect(result.messageCount).toBe(items.length);
        // The chunking changes nothing.
        const whole = await drain(splitMbox([file], opts));
        expect(items.map(facts)).toEqual(whole.items.map(facts));
        expect(result).toEqual(whole.result);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the mailbox reader on any input', () => {
  it('never throws, and yields one message per span', async () => {
    await fc.assert(
      fc.asyncProperty(anyMailbox, anyChunks, async (file, sizes) => {
        const split = await drain(splitMbox([file]));
        const { items, result } = await drain(
          readMailbox(chunksOf(file, sizes), { withFiles: true }),
        );
        expect(items.map((m) => [m.index, m.offset, m.length, m.sha256])).toEqual(
          split.items.map((m) => [m.index, m.offset, m.length, m.sha256]),
        );
        expect(result.messageCount).toBe(items.length);
        for (const m of items) {
          expect(typeof m.text).toBe('string');
          expect(Array.isArray(m.details.labels ?? [])).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

const fill = (unit: string, size: number) =>
  Buffer.from(unit.repeat(Math.max(1, Math.ceil(size / unit.length))), 'latin1');

/** Hostile shapes for the splitter: tiny messages, endless lines, Content-Lengths that miss. */
const SPLIT_FAMILIES: Array<[string, SplitOptions]> = [
  ['From \n', {}],
  ['From a\n\n', {}],
  ['\n', {}],
  ['x', {}],
  ['x', { maxMessageBytes: 4096 }],
  ['From x\nSubject: y', { maxMessageBytes: 4096 }],
  ['>>>>>>>>>>>>>>>>From \n', { variant: 'mboxrd' }],
  ['>From >From ', { variant: 'mboxrd' }],
  ['From a\nContent-Length: 99999\n\n', {}],
  ['From a\nContent-Length: 10\n\nxx', {}],
  ['Content-Length: 1\n', {}],
  ['From a\nContent-Length: 3\n\nab\n', { variant: 'mboxcl2' }],
  ['\r\nFrom \r\n', {}],
  ['From', {}],
  ['\nFrom', {}],
];

describe('reading a hostile mailbox takes time linear in its size', () => {
  it('the splitter', async () => {
    for (const [unit, opts] of SPLIT_FAMILIES) {
      await expectLinearAsync(
        `split ${JSON.stringify(unit)} ${JSON.stringify(opts)}`,
        (size) => {
          const file = fill(unit, size);
          // Small chunks: a search that starts over at each chunk would show as quadratic.
          return () => drain(splitMbox(chunksOf(file, 1024), opts));
        },
        { startN: 64 * 1024, maxN: 512 * 1024 },
      );
    }
  }, 120_000);

  it('the splitter, on random short patterns', async () => {
    const alphabet = [...'From >:\n\r-Cntegh0123456789'];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 10 }),
        async (unit) => {
          await expectLinearAsync(
            `split ${JSON.stringify(unit)}`,
            (size) => {
              const file = fill(unit, size);
              return () => drain(splitMbox(chunksOf(file, 65536)));
            },
            { startN: 64 * 1024, maxN: 512 * 1024 },
          );
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  }, 120_000);

  it('the mailbox reader: many messages, Gmail labels, folded headers, message ids', async () => {
    const families: Array<[string, (f: Buffer) => Buffer]> = [
      ['From \n', (f) => f],
      [
        '"a,',
        (f) => Buffer.concat([Buffer.from('From x\nX-Gmail-Labels: '), f, Buffer.from('\n\nx\n')]),
      ],
      [
        '\\"',
        (f) => Buffer.concat([Buffer.from('From x\nX-Gmail-Labels: "'), f, Buffer.from('\n\nx\n')]),
      ],
      [
        '=?',
        (f) => Buffer.concat([Buffer.from('From x\nX-Gmail-Labels: '), f, Buffer.from('\n\nx\n')]),
      ],
      [
        ',',
        (f) => Buffer.concat([Buffer.from('From x\nX-Gmail-Labels: '), f, Buffer.from('\n\nx\n')]),
      ],
      [
        ' a\n',
        (f) => Buffer.concat([Buffer.from('From x\nX-Gmail-Labels: a\n'), f, Buffer.from('\nx\n')]),
      ],
      [
        '<',
        (f) => Buffer.concat([Buffer.from('From x\nIn-Reply-To: '), f, Buffer.from('\n\nx\n')]),
      ],
      ['a: b\n', (f) => Buffer.concat([Buffer.from('From x\n'), f, Buffer.from('\nx\n')])],
    ];
    for (const [unit, wrap] of families) {
      // 8N is 64 KiB: the size a header value is read up to.
      await expectLinearAsync(
        `mailbox ${JSON.stringify(unit)}`,
        (size) => {
          const file = wrap(fill(unit, size));
          return () => drain(readMailbox([file]));
        },
        { startN: 8 * 1024, maxN: 64 * 1024 },
      );
    }
  }, 120_000);
});
