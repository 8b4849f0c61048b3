import { describe, expect, it } from 'vitest';
import {
  bundleProblemLine,
  conversationText,
  itemDetailText,
  messageLine,
  printNotices,
} from '../../../main/cli/format';
import type { MessageView } from '../../../main/core/conversations/repository';
import type { ItemDetail } from '../../../main/core';

describe('human output', () => {
  it('printNotices writes each notice on its own line, escaped', () => {
    const lines: string[] = [];
    printNotices(['2 files were moved to quarantine/.', 'Moved x\x1b[2K\nVerified.age'], (t) =>
      lines.push(t),
    );
    expect(lines).toEqual(['2 files were moved to quarantine/.', 'Moved x\\x1b[2K\\nVerified.age']);
  });

  it('a bundle problem cannot start a line of its own', () => {
    const line = bundleProblemLine({
      severity: 'error',
      file: 'data/x\r\nVerified: all files match',
      message: 'not in the manifest\u202e',
    });
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe('PROBLEM  data/x\\r\\nVerified: all files match: not in the manifest\\u202e');
  });

  it('a note keeps its lines, indented under the label, each escaped', () => {
    const item = {
      id: '0123456789abcdefghjkmnpqrs',
      name: 'a.txt',
      sha256: '0'.repeat(64),
      size: 1,
      mime: 'text/plain',
      ingestedAt: '2026-03-02T21:14:00.000Z',
      ingestedOffsetMinutes: 0,
      sourceTimes: { mtime: null, exif: null, email: null },
      sourcePath: null,
      blob: 'blobs/x.age',
      thumbnail: null,
      tags: [],
      sensitive: [],
      notes: [{ id: 'n', body: 'one\ntwo\x1b[8m', createdAt: '', updatedAt: '' }],
      metadataErrors: ['Date header ("\x1b[31m") could not be read'],
      sources: [],
      width: null,
      height: null,
    } as unknown as ItemDetail;
    const text = itemDetailText(item);
    expect(text).toContain('Note        one\n            two\\x1b[8m');
    expect(text).toContain('Problem     Date header ("\\x1b[31m") could not be read');
  });
});

describe('conversationText', () => {
  const base = {
    itemId: '0123456789abcdefghjkmnpqrs',
    format: 'mbox' as const,
    reader: 'dossier-mbox 1',
    chatFile: null,
    title: 'Inbox\u001b[2J',
    messageCount: 3000,
    firstTime: '2024-01-01T00:00:00.000Z',
    lastTime: '2024-06-01T00:00:00.000Z',
    dateOrder: null,
    timeZone: null,
    timeSource: 'email-date' as const,
    readAt: '2024-06-02T00:00:00.000Z',
  };

  it('shows the busiest 20 senders and counts the rest; escapes what the export wrote', () => {
    const participants = Array.from({ length: 30 }, (_, i) => ({
      sender: `sender${i}@example.com`,
      senderId: `sender${i}@example.com`,
      messages: i,
      personId: null,
    }));
    const problems = Array.from({ length: 25 }, (_, i) => ({
      line: i,
      offset: null,
      message: `bad \u202eline ${i}`,
    }));
    const text = conversationText({ ...base, participants, problems });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('Conversation Inbox\\x1b[2J (mbox, read by dossier-mbox 1)');
    expect(text).toContain('Sender      sender29@example.com: 29 message(s)');
    expect(text).not.toContain('sender9@example.com');
    expect(text).toContain('and 10 more senders (see --json)');
    expect(text).toContain('and 5 more problems (see --json)');
    expect(text).toContain("Times       from each email's Date header, in the sender's offset");
  });

  it('a message names each file: stored as an item, left out by the app, or missing', () => {
    const m: MessageView = {
      id: 'm',
      conversationId: 'c',
      index: 3,
      kind: 'message',
      sender: 'Mark\u202e',
      senderId: 'Mark',
      personId: null,
      time: '2024-02-03T22:01:00+00:00',
      timeSource: 'export-local-confirmed',
      text: 'look\nhere\x1b[2J',
      textLength: 15,
      edited: true,
      offset: 0,
      length: 10,
      sha256: '0'.repeat(64),
      line: 4,
      lineEnd: 5,
      attachments: [
        { name: 'IMG-1.jpg', omitted: false, itemId: 'item1' },
        { name: '', omitted: true, itemId: null },
        { name: 'gone.jpg', omitted: false, itemId: null },
      ],
      externalId: null,
      replyTo: null,
      details: {},
      tags: [],
      noteCount: 0,
      incidentIds: [],
    };
    expect(messageLine(m).split('\n')).toEqual([
      '#3  2024-02-03T22:01:00+00:00  Mark\\u202e (edited):',
      '    look',
      '    here\\x1b[2J',
      '    attached: IMG-1.jpg (item item1)',
      '    attached: a file (left out of the export by the app)',
      '    attached: gone.jpg (not in the export)',
    ]);
  });
});
