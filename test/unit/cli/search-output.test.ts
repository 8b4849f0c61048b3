import { describe, expect, it } from 'vitest';
import { searchHitJson, searchHitParts } from '../../../main/cli/format';
import { markedLine, terminalIo } from '../../../main/cli/output';
import type { LibraryRow } from '../../../main/core/items/library';

const row = (patch: Partial<LibraryRow>): LibraryRow => ({
  id: '01hx0000000000000000000000',
  sha256: 'ab'.repeat(32),
  size: 10,
  name: 'letter.txt',
  mime: 'text/plain',
  ingestedAt: '2024-03-01T10:00:00.000Z',
  sourceTime: null,
  tags: [],
  blob: 'blobs/01/x.age',
  kind: 'text',
  hasThumbnail: false,
  warnings: 0,
  hasLocation: false,
  snippet: [
    { text: 'outside the\n', match: false },
    { text: 'school', match: true },
    { text: '\tgates\n', match: false },
  ],
  source: 'text',
  ...patch,
});

describe('dossier search output', () => {
  it('marks matches in bold only when styled, after escaping, so no text can style itself', () => {
    const parts = [
      { text: 'a \u001b[31m', match: false },
      { text: 'red\u001b[0m', match: true },
    ];
    expect(markedLine(parts, false)).toBe('a \\x1b[31mred\\x1b[0m');
    expect(markedLine(parts, true)).toBe('a \\x1b[31m\u001b[1mred\\x1b[0m\u001b[22m');
    // terminalIo styles only for a terminal, and never with --json.
    const out: string[] = [];
    const raw = {
      out: (t: string) => out.push(t),
      err: () => {},
      data: async () => {},
      terminal: true,
    };
    terminalIo(raw, false).marked!(parts);
    terminalIo({ ...raw, terminal: false }, false).marked!(parts);
    terminalIo(raw, true).marked!(parts);
    expect(out).toEqual([
      'a \\x1b[31m\u001b[1mred\\x1b[0m\u001b[22m',
      'a \\x1b[31mred\\x1b[0m',
      'a \\x1b[31mred\\x1b[0m',
    ]);
  });

  it('puts a hit on one line: id, name, where, the snippet with its breaks as spaces', () => {
    const line = markedLine(searchHitParts(row({ name: 'two\nlines.txt' })), false);
    expect(line).toBe(
      '01hx0000000000000000000000  two\\nlines.txt  text: outside the school gates',
    );
    const tag = row({
      snippet: [
        { text: 'tag: ', match: false },
        { text: 'threat', match: true },
      ],
      source: 'tag',
    });
    expect(markedLine(searchHitParts(tag), false)).toBe(
      '01hx0000000000000000000000  letter.txt  tag: threat',
    );
  });

  it('says which message found a conversation, and gives its snippet', () => {
    const hit = row({
      kind: 'conversation',
      snippet: [],
      source: 'message',
      message: {
        id: '01hx0000000000000000000001',
        index: 1234,
        snippet: [{ text: 'by the bridge', match: false }],
      },
    });
    expect(markedLine(searchHitParts(hit), false)).toBe(
      '01hx0000000000000000000000  letter.txt  message #1234: by the bridge',
    );
    expect(searchHitJson(hit)).toEqual({
      id: '01hx0000000000000000000000',
      name: 'letter.txt',
      kind: 'conversation',
      snippet: 'by the bridge',
      source: 'message',
    });
  });

  it('gives JSON the snippet as plain text, exact, the matches unmarked', () => {
    expect(searchHitJson(row({}))).toEqual({
      id: '01hx0000000000000000000000',
      name: 'letter.txt',
      kind: 'text',
      snippet: 'outside the\nschool\tgates\n',
      source: 'text',
    });
  });
});
