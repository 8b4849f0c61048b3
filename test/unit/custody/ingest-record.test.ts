import { describe, expect, it } from 'vitest';
import { sourceOrigin } from '../../../main/core/items/source-path';
import type { CustodyEntry } from '../../../main/core';
import {
  ingestRecords,
  recordDifferences,
  type ItemRow,
} from '../../../main/core/custody/ingest-record';

const AT = '2026-03-09T21:30:05.000Z';

function entry(
  seq: number,
  action: CustodyEntry['action'],
  subjects: string[],
  details: Record<string, unknown>,
): CustodyEntry {
  return { seq, at: AT, actor: 'test', action, subjects, details, prev: '', hash: '' };
}

const ingestDetails = {
  name: 'message.txt',
  sha256: 'a'.repeat(64),
  size: 42,
  mime: 'text/plain',
  sourcePath: '/home/alex/Desktop/message.txt',
  sourceMtime: '2026-03-09T21:00:00.000Z',
  blob: 'b'.repeat(32),
  tags: [],
};

const row: ItemRow = {
  id: 'item1',
  name: 'message.txt',
  sha256: 'a'.repeat(64),
  size: 42,
  mime: 'text/plain',
  blobId: 'b'.repeat(32),
  sourcePath: '/home/alex/Desktop/message.txt',
  sourceSalt: null,
  sourceMtime: '2026-03-09T21:00:00.000Z',
  ingestedAt: '2026-03-09T21:30:04.990Z',
  blobSha256: 'a'.repeat(64),
  blobSize: 42,
};

describe('an item against its ingest entry', () => {
  const records = ingestRecords([entry(2, 'ingest', ['item1'], ingestDetails)]);
  const record = records.get('item1')!;

  it('finds nothing when the row is as recorded', () => {
    expect(recordDifferences(row, record)).toEqual([]);
  });

  it('names each changed field with both values', () => {
    const diffs = recordDifferences(
      { ...row, size: 43, sourceMtime: null, sourcePath: '/tmp/x', blobSha256: 'c'.repeat(64) },
      record,
    );
    expect(diffs).toEqual([
      { field: 'size', found: '43 bytes', recorded: '42 bytes' },
      {
        field: "encrypted file's recorded SHA-256",
        found: 'c'.repeat(64),
        recorded: 'a'.repeat(64),
      },
      { field: 'source path', found: '"/tmp/x"', recorded: '"/home/alex/Desktop/message.txt"' },
      { field: 'last-modified time', found: 'none', recorded: '2026-03-09T21:00:00.000Z' },
    ]);
  });

  it('checks the source form (name, folder, salted digest) against the row path and its salt', () => {
    const rest: Record<string, unknown> = { ...ingestDetails };
    delete rest.sourcePath;
    const origin = sourceOrigin('/home/alex/Desktop/message.txt');
    const newForm = ingestRecords([
      entry(2, 'ingest', ['item1'], { ...rest, source: origin.ref }),
    ]).get('item1')!;
    const salted = { ...row, sourceSalt: origin.salt };
    expect(recordDifferences(salted, newForm)).toEqual([]);
    expect(recordDifferences({ ...salted, sourcePath: '/anything/else' }, newForm)).toEqual([
      {
        field: 'source path',
        found: '"/anything/else"',
        recorded: `a different path (its salted digest is ${origin.ref!.pathDigest})`,
      },
    ]);
    // A salt swapped for another cannot make a different path match either.
    expect(
      recordDifferences({ ...salted, sourceSalt: '00'.repeat(16) }, newForm).map((d) => d.field),
    ).toEqual(['source path']);
    // Bytes given directly (source: null) must have no path.
    const pasted = ingestRecords([entry(2, 'ingest', ['item1'], { ...rest, source: null })]).get(
      'item1',
    )!;
    expect(recordDifferences({ ...row, sourcePath: null }, pasted)).toEqual([]);
    expect(recordDifferences(row, pasted).map((d) => d.field)).toEqual(['source path']);
  });

  it('follows a name cleaned when added (edit-metadata with storedName)', () => {
    const cleaned = ingestRecords([
      entry(2, 'ingest', ['item1'], { ...ingestDetails, name: 'evil\u202etxt.exe' }),
      entry(3, 'edit-metadata', ['item1'], {
        what: 'name cleaned when added',
        givenName: 'evil\u202etxt.exe',
        storedName: 'eviltxt.exe',
      }),
    ]).get('item1')!;
    expect(recordDifferences({ ...row, name: 'eviltxt.exe' }, cleaned)).toEqual([]);
    expect(recordDifferences({ ...row, name: 'other.exe' }, cleaned)).toEqual([
      { field: 'name', found: '"other.exe"', recorded: '"eviltxt.exe"' },
    ]);
  });

  it('accepts the time it was added just before its entry, not after it or long before', () => {
    const at = (iso: string): string[] =>
      recordDifferences({ ...row, ingestedAt: iso }, record).map((d) => d.field);
    expect(at('2026-03-09T21:29:05.000Z')).toEqual([]);
    expect(at('2026-03-09T21:30:05.000Z')).toEqual([]);
    expect(at('2026-03-09T21:30:07.000Z')).toEqual(['time it was added']);
    expect(at('2026-03-09T21:20:00.000Z')).toEqual(['time it was added']);
    expect(at('not a time')).toEqual(['time it was added']);
  });

  it('keeps the first ingest entry of an item and ignores entries about several subjects', () => {
    const r = ingestRecords([
      entry(2, 'ingest', ['item1'], ingestDetails),
      entry(3, 'ingest', ['item1'], { ...ingestDetails, name: 'later.txt' }),
      entry(4, 'ingest', ['item2', 'item3'], ingestDetails),
    ]);
    expect(r.get('item1')!.seq).toBe(2);
    expect(r.has('item2')).toBe(false);
  });
});
