import { describe, expect, it } from 'vitest';
import { bundleProblemLine, itemDetailText, printNotices } from '../../../main/cli/format';
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
