import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareExhibitLabels } from '../../../shared/label-order';
import { incidentsCsv, messagesJson } from '../../../main/core/export/metadata-files';
import type { Exhibit, TranscriptMessage } from '../../../main/core/export/model';
import { messageReference, timeSourceWords } from '../../../main/core/export/transcript-text';
import {
  hashSpans,
  MESSAGE_CHECK_LIMITS,
  parseMessageSpans,
  type MessageSpan,
} from '../../../main/core/export/verify-messages';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

function message(over: Partial<TranscriptMessage> = {}): TranscriptMessage {
  return {
    id: 'm1',
    exhibit: 'JD4',
    itemId: 'item4',
    index: 119,
    kind: 'message',
    sender: 'Alex',
    senderId: '+447700900123',
    time: '2024-03-14T21:14:05+00:00',
    timeSource: 'export-local-confirmed',
    text: 'I know where you live',
    offset: 10234,
    length: 181,
    sha256: 'a'.repeat(64),
    line: 120,
    lineEnd: 122,
    chatFile: '_chat.txt',
    incidentIds: ['inc1'],
    tags: ['threat'],
    notes: [],
    selected: false,
    ...over,
  };
}

const span = (offset: number, length: number, data: Buffer, n = 0): MessageSpan => ({
  n,
  exhibit: 'JD1',
  file: 'data/evidence/JD-001_chat.txt',
  chatFile: null,
  offset,
  length,
  sha256: sha(data.subarray(offset, offset + length)),
  index: n,
  sender: 'Alex',
});

describe('transcript references', () => {
  it('say the exhibit, the chat file, the lines, the byte span and the hash', () => {
    expect(messageReference(message())).toBe(
      `JD4, _chat.txt line 120–122, bytes 10234+181, SHA-256 ${'a'.repeat(64)}`,
    );
    expect(messageReference(message({ chatFile: null, lineEnd: 120 }))).toBe(
      `JD4 line 120, bytes 10234+181, SHA-256 ${'a'.repeat(64)}`,
    );
    expect(messageReference(message({ chatFile: null, line: null, lineEnd: null }))).toBe(
      `JD4, bytes 10234+181, SHA-256 ${'a'.repeat(64)}`,
    );
  });

  it('say where a time came from in words', () => {
    expect(timeSourceWords('export-local-confirmed', 'Europe/London')).toBe(
      'as shown in the export, in the zone the person confirmed (Europe/London)',
    );
    expect(timeSourceWords('export-local-assumed', 'Asia/Tokyo')).toContain('assumed');
    expect(timeSourceWords('export-instant', null)).toBe('the exact instant the export gave');
    expect(timeSourceWords('email-date', null)).toContain('Date header');
    expect(timeSourceWords('none', null)).toContain('no time');
  });
});

describe('messages.json and incidents.csv', () => {
  const exhibit = { itemId: 'item4', bagPath: 'data/evidence/JD-004_chat.zip' } as Exhibit;

  it('messages.json gives each message’s file, span, hash and annotations', () => {
    const list = JSON.parse(messagesJson({ exhibits: [exhibit], messages: [message()] })) as Record<
      string,
      unknown
    >[];
    expect(list).toEqual([
      expect.objectContaining({
        exhibit: 'JD4',
        file: 'data/evidence/JD-004_chat.zip',
        chatFile: '_chat.txt',
        offset: 10234,
        length: 181,
        sha256: 'a'.repeat(64),
        line: 120,
        lineEnd: 122,
        index: 119,
        messageId: 'm1',
        sender: 'Alex',
        incidents: ['inc1'],
        tags: ['threat'],
        selected: false,
      }),
    ]);
    expect(messagesJson({ exhibits: [], messages: [] })).toBe('[]\n');
  });

  it('incidents.csv names an incident’s messages in a last column', () => {
    const csv = incidentsCsv({
      people: [],
      messages: [message(), message({ id: 'm2', index: 3 })],
      incidents: [
        {
          id: 'inc1',
          occurredAt: '2024-03-14T21:14:05Z',
          occurredUntil: null,
          place: 'WhatsApp',
          summary: 'Threat',
          impact: '',
          witnesses: '',
          policeRef: '',
          platformRef: '',
          exhibitNumbers: ['JD4'],
          personIds: [],
          messageIds: ['m1', 'm2', 'not-exported'],
        },
      ],
    });
    const [head, row] = csv.trim().split('\r\n');
    expect(head!.split(',').at(-1)).toBe('messages');
    expect(row).toMatch(/,JD4 message 120; JD4 message 4$/);
  });
});

describe('span checks (dossier verify)', () => {
  const data = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(50));

  it('hash every span of a stream read once, whatever its chunks, spans overlapping', async () => {
    const spans = [
      span(0, 10, data, 0),
      span(5, 700, data, 1),
      span(37, 0, data, 2),
      span(1790, 10, data, 3),
    ];
    for (const size of [1, 7, 64, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      const got = await hashSpans(chunks, spans);
      for (const s of spans) expect(got.get(s), `chunk ${size}, span ${s.n}`).toBe(s.sha256);
    }
  });

  it('a span past the end of the file has no hash; a changed byte gives another', async () => {
    const past = { ...span(1795, 5, data), length: 10 };
    const changed = Buffer.from(data);
    changed[6] = 0x21;
    const s = span(5, 10, data);
    const got = await hashSpans([changed], [past, s]);
    expect(got.get(past)).toBeNull();
    expect(got.get(s)).not.toBe(s.sha256);
  });

  it('records that are not complete are reported, not checked', () => {
    const good = {
      exhibit: 'JD1',
      file: 'data/evidence/a.txt',
      chatFile: null,
      offset: 0,
      length: 1,
      sha256: 'b'.repeat(64),
      index: 0,
    };
    const { spans, problems } = parseMessageSpans(
      Buffer.from(
        JSON.stringify([
          good,
          { ...good, file: '../../etc/passwd' },
          { ...good, file: 'data/metadata/items.json' },
          { ...good, offset: -1 },
          { ...good, sha256: 'xyz' },
          { ...good, length: 1.5 },
          null,
        ]),
      ),
    );
    expect(spans).toHaveLength(1);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toContain('Entry 2 of data/metadata/messages.json');
    expect(parseMessageSpans(Buffer.from('{')).problems[0]).toContain('not valid JSON');
    expect(MESSAGE_CHECK_LIMITS.records).toBeGreaterThan(10_000);
  });
});

describe('sub-exhibit labels', () => {
  it('sort under their parent: JD4, JD4.1, JD4.2, JD4.10, JD5, JD40', () => {
    const labels = ['JD40', 'JD4.10', 'JD5', 'JD4.2', 'JD4', 'JD4.1'];
    expect([...labels].sort(compareExhibitLabels)).toEqual([
      'JD4',
      'JD4.1',
      'JD4.2',
      'JD4.10',
      'JD5',
      'JD40',
    ]);
    expect(['JD/4.10', 'JD/5', 'JD/4.2', 'JD/4'].sort(compareExhibitLabels)).toEqual([
      'JD/4',
      'JD/4.2',
      'JD/4.10',
      'JD/5',
    ]);
  });
});
