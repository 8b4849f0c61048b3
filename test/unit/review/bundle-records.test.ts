// A bundle's records are untrusted input (anyone can sign a bundle with a key of their own):
// malformed, duplicated or out-of-range records are named or left out, never a crash, and what
// can be read still loads into the review workspace.
import { describe, expect, it } from 'vitest';
import type { BagSource } from '../../../main/core/bagit/verify';
import { readBundleRecords } from '../../../main/core/review/bundle-records';
import { problemsWithExhibits } from '../../../main/core/review/open-bundle';
import { ReviewWorkspace } from '../../../main/core/review/workspace';

function memorySource(files: Record<string, string | Buffer>): BagSource {
  const read = async function* (path: string): AsyncGenerator<Buffer> {
    const f = files[path];
    if (f === undefined) throw new Error(`${path} is not in the bag`);
    yield Buffer.isBuffer(f) ? f : Buffer.from(f);
  };
  return {
    list: async () => Object.keys(files),
    read,
    readAll: async (p) => {
      const parts: Buffer[] = [];
      for await (const c of read(p)) parts.push(c);
      return Buffer.concat(parts);
    },
    close: async () => {},
  };
}

const id = (n: number): string => `${'a'.repeat(24)}${String(n).padStart(2, '0')}`;
const sha = (n: number): string => String(n).repeat(64).slice(0, 64);
const exhibit = (n: number, extra: Record<string, unknown> = {}) => ({
  number: `JD${n}`,
  bagPath: `data/evidence/JD-00${n}_f${n}.txt`,
  itemId: id(n),
  originalName: `f${n}.txt`,
  name: `f${n}.txt`,
  sha256: sha(n),
  size: 5,
  mime: 'text/plain',
  ingestedAt: '2024-01-01T00:00:00.000Z',
  sourceTimes: { mtime: null, exif: null, email: null },
  tags: ['a'],
  notes: [{ body: 'n', createdAt: '2024-01-01T00:00:00.000Z' }],
  ...extra,
});

describe('bundle records for review', () => {
  it('leaves out incomplete and duplicated exhibits, bad regions and unknown kinds, and still loads', async () => {
    const items = [
      exhibit(1),
      exhibit(2, { sha256: sha(1) }), // the same content as JD1
      exhibit(3, { itemId: id(1) }), // the same item as JD1
      exhibit(4, { itemId: 'not an id' }),
      { number: 'JD5' },
      'not an object',
      exhibit(6, {
        mime: 'application/zip',
        conversation: {
          format: 'whatsapp',
          messageCount: -3,
          participants: [5, { sender: 7 }, { sender: 'Alex', messages: 'x' }],
        },
      }),
    ];
    const annotations = [
      {
        itemId: id(1),
        regions: [
          { number: 1, x: 0, y: 0, w: 500_000, h: 500_000, comment: 'ok' },
          { number: 2, x: 900_000, y: 0, w: 500_000, h: 10, comment: 'past the edge' },
          { number: 3, x: 0.5, y: 0, w: 1, h: 1, comment: 'a fraction' },
        ],
        incidents: ['nope'],
        people: ['p1'],
      },
    ];
    const source = memorySource({
      'bag-info.txt': 'Case-Name: X\nContact-Name: Not given\n',
      'tagmanifest-sha256.txt': 'x',
      'data/metadata/items.json': JSON.stringify(items),
      'data/metadata/annotations.json': JSON.stringify(annotations),
      'data/metadata/incidents.csv':
        'occurred_at,what_happened,incident_id\r\n2024-01-01,"said ""x""",i1\r\n',
      'data/metadata/people.csv':
        'name,role,emails,person_id,chat_ids\r\np,boss,a@b.c; a@b.c,p1,whatsapp:+44; bogus\r\n',
      'data/metadata/messages.json': JSON.stringify([
        {
          messageId: 'm1',
          itemId: id(6),
          index: 0,
          kind: 'weird',
          sender: 'Alex',
          text: 'hi',
          time: 'not a time',
        },
        { messageId: 'm2', itemId: id(6), index: 0, sender: 'Alex', text: 'same index' },
        { messageId: 'm3', itemId: id(6), index: -1, text: 'negative' },
        { messageId: 'm4', itemId: id(1), index: 0, text: 'not a conversation' },
      ]),
      'data/metadata/custody.jsonl':
        '{"seq":1,"action":"create"}\nnot json\n{"withheld":{"count":3}}\n',
      'data/metadata/recognised-text.json': '{"pictures": "no"}',
      'data/evidence/JD-001_f1.txt': 'hello',
    });
    const records = await readBundleRecords(source);
    expect(records.exhibits.map((e) => e.label)).toEqual(['JD1', 'JD6']);
    expect(records.problems.filter((p) => p.file === 'data/metadata/items.json')).toHaveLength(5);
    expect(records.problems.some((p) => p.file === 'data/metadata/recognised-text.json')).toBe(
      true,
    );
    expect(records.incidents[0]!.summary).toBe('said "x"');
    expect(records.custodyLeftOut).toBe(3);

    const ws = await ReviewWorkspace.load(source, records);
    try {
      expect(ws.list().map((i) => i.id)).toEqual([id(1), id(6)]);
      expect(ws.itemDetail('JD1').regions.map((r) => r.comment)).toEqual(['ok']);
      expect(ws.itemDetail('JD1').personIds).toEqual(['p1']);
      expect(ws.itemDetail('JD1').incidentIds).toEqual([]);
      const [person] = ws.cases.people();
      expect(person).toMatchObject({
        role: 'other',
        identifiers: [
          { kind: 'email', value: 'a@b.c' },
          { kind: 'whatsapp', value: '+44' },
        ],
      });
      const page = ws.items.query({ sort: 'name', order: 'asc', offset: 0, limit: 10 });
      const chat = page.rows.find((r) => r.id === id(6))!;
      expect(chat.kind).toBe('conversation');
      expect(chat.conversation).toMatchObject({ messages: 0, topSenders: ['Alex'] });
      expect(ws.conversationMessages('JD6', 0, 10).map((m) => [m.id, m.kind, m.time])).toEqual([
        ['m1', 'message', 'not a time'],
      ]);
      // The email's words are searchable, read from the file in the bundle.
      expect(ws.items.search('hello')).toEqual([id(1)]);
    } finally {
      ws.close();
    }
  });

  it('names the exhibits a problem is about, by its file or by the words of its message', () => {
    const exhibits = ['JD1', 'JD10', 'JD4', 'JD4.1'].map((label, i) => ({
      label,
      bagPath: `data/evidence/${i}`,
      itemId: id(i),
    }));
    const named = problemsWithExhibits(
      [
        { severity: 'error', file: 'data/evidence/1', message: 'changed' },
        {
          severity: 'error',
          file: 'data/metadata/items.json',
          message: 'Exhibit JD1: its size differs',
        },
        {
          severity: 'error',
          file: null,
          message: 'Message 2 of exhibit "JD4" (from "A") does not match',
        },
        { severity: 'error', file: null, message: 'Exhibit JD4.1: no ingest entry' },
        { severity: 'warning', file: 'bag-info.txt', message: 'nothing about exhibits' },
      ],
      exhibits,
    );
    expect(named.map((p) => p.exhibits)).toEqual([['JD10'], ['JD1'], ['JD4'], ['JD4.1'], []]);
  });
});
