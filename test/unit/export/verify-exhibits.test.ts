/**
 * items.json against the custody log's import entries and against the manifest: every
 * field both record must agree, lines that are not full entries are skipped, and both
 * forms of the source path in import entries are accepted.
 */
import { describe, expect, it } from 'vitest';
import {
  exhibitsAgainstCustody,
  exhibitsAgainstManifest,
  parseExhibits,
} from '../../../main/core/export/verify-exhibits';

const SHA = 'ab'.repeat(32);

function exhibit(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    number: 'JD/1',
    bagPath: 'data/evidence/JD-1_photo.jpg',
    itemId: 'item-1',
    originalName: 'photo.jpg',
    sha256: SHA,
    size: 1234,
    mime: 'image/jpeg',
    ingestedAt: '2026-03-01T10:00:00.000Z',
    sourceTimes: { mtime: '2026-02-28T09:00:00.000Z', exif: null, email: null },
    ...over,
  };
}

function ingest(details: Record<string, unknown> = {}, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    seq: 4,
    at: '2026-03-01T10:00:00.020Z',
    actor: 'test',
    action: 'ingest',
    subjects: ['item-1'],
    details: {
      name: 'photo.jpg',
      sha256: SHA,
      size: 1234,
      mime: 'image/jpeg',
      sourcePath: '/home/jane/Pictures/photo.jpg',
      sourceMtime: '2026-02-28T09:00:00.000Z',
      blob: 'b1',
      tags: [],
      ...details,
    },
    prev: '0'.repeat(64),
    hash: 'cd'.repeat(32),
    ...over,
  });
}

const messages = (ps: { file: string; message: string }[]): string[] =>
  ps.map((p) => `${p.file} ${p.message}`);

describe('exhibitsAgainstCustody', () => {
  it('accepts an exhibit that matches its import entry, old or new source form', () => {
    expect(exhibitsAgainstCustody([exhibit()], ingest())).toEqual([]);
    const newForm = ingest({
      sourcePath: undefined,
      source: { name: 'photo.jpg', parent: 'Pictures', pathDigest: 'ef'.repeat(32) },
    });
    expect(exhibitsAgainstCustody([exhibit()], newForm)).toEqual([]);
  });

  it.each([
    ['SHA-256', { sha256: 'cd'.repeat(32) }],
    ['size in bytes', { size: 99 }],
    ['original name', { originalName: 'car.jpg' }],
    ['MIME type', { mime: 'text/plain' }],
    ['file modification time', { sourceTimes: { mtime: '2020-01-01T00:00:00.000Z' } }],
    ['import time', { ingestedAt: '2026-03-02T10:00:00.000Z' }],
  ])('names the exhibit and the field when the %s differs', (field, over) => {
    const ps = exhibitsAgainstCustody([exhibit(over)], ingest());
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toContain(`Exhibit JD/1: items.json gives its ${field} as`);
    expect(ps[0]!.message).toMatch(/entry 4/);
  });

  it('fails an exhibit with no import entry, and skips lines that are not full entries', () => {
    const lines = [
      JSON.stringify({ seq: 1, at: 'x', action: 'ingest', redacted: true, prev: 'a', hash: 'b' }),
      JSON.stringify({ omitted: 3, between: [1, 5] }),
      'not json at all',
      ingest({}, { subjects: ['someone-else'] }),
      JSON.stringify({ checkpoint: { seq: 4 } }),
      ingest({}, { action: 'duplicate' }),
    ].join('\n');
    const ps = messages(exhibitsAgainstCustody([exhibit()], lines));
    expect(ps).toEqual([expect.stringMatching(/custody\.jsonl Exhibit JD\/1: .*no import entry/)]);
  });

  it('warns, without failing, when the import entry is withheld for its full source path', () => {
    const withheld = JSON.stringify({
      withheld: {
        fromSeq: 4,
        toSeq: 4,
        count: 1,
        lastHash: 'cd'.repeat(32),
        reason: 'full-source-path',
        entry: {
          seq: 4,
          at: '2026-03-01T10:00:00.020Z',
          actor: 'test',
          action: 'ingest',
          subjects: ['item-1'],
          prev: '0'.repeat(64),
          hash: 'cd'.repeat(32),
        },
      },
    });
    const ps = exhibitsAgainstCustody([exhibit()], withheld);
    expect(ps).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/entry 4\) is withheld/),
      }),
    ]);
    // A withheld entry about another item, or another action, vouches for nothing.
    const other = withheld.replace('"subjects":["item-1"]', '"subjects":["item-2"]');
    expect(exhibitsAgainstCustody([exhibit()], other)[0]).not.toHaveProperty('severity');
    const dup = withheld.replace('"action":"ingest"', '"action":"duplicate"');
    expect(exhibitsAgainstCustody([exhibit()], dup)[0]).not.toHaveProperty('severity');
  });

  it('fails an exhibit imported twice, and an entry that records no hash', () => {
    const twice = `${ingest()}\n${ingest({}, { seq: 9 })}\n`;
    expect(messages(exhibitsAgainstCustody([exhibit()], twice))).toEqual([
      expect.stringMatching(/2 import entries for it \(entries 4, 9\)/),
    ]);
    const bare = ingest({ sha256: undefined, size: undefined });
    expect(messages(exhibitsAgainstCustody([exhibit()], bare))).toEqual([
      expect.stringMatching(/does not record the name, SHA-256 and size/),
    ]);
  });
});

describe('exhibitsAgainstManifest and parseExhibits', () => {
  it('finds an exhibit whose file or hash the manifest does not have', () => {
    const manifest = `${SHA}  data/evidence/JD-1_photo.jpg\n`;
    expect(exhibitsAgainstManifest([exhibit()], manifest)).toEqual([]);
    expect(
      messages(exhibitsAgainstManifest([exhibit({ sha256: 'cd'.repeat(32) })], manifest)),
    ).toEqual([expect.stringMatching(/disagree about its SHA-256/)]);
    expect(messages(exhibitsAgainstManifest([exhibit({ bagPath: 'data/x' })], manifest))).toEqual([
      expect.stringMatching(/not in manifest-sha256\.txt/),
    ]);
  });

  it('refuses items.json that is not a list of exhibits', () => {
    expect(parseExhibits(Buffer.from('{'))).toMatchObject({ message: /not valid JSON/ });
    expect(parseExhibits(Buffer.from('{"a":1}'))).toMatchObject({ message: /not a list/ });
    expect(parseExhibits(Buffer.from('[1]'))).toMatchObject({ message: /not a list/ });
    expect(parseExhibits(Buffer.from('[]'))).toEqual([]);
  });
});

describe('the name in the vault (issue 10, B5: renaming)', () => {
  const rename = (after: string, seq = 9): string =>
    JSON.stringify({
      seq,
      at: '2026-03-02T10:00:00.000Z',
      actor: 'test',
      action: 'edit-metadata',
      subjects: ['item-1'],
      details: { what: 'item renamed', before: 'photo.jpg', after },
      prev: '0'.repeat(64),
      hash: 'ef'.repeat(32),
    });

  it('accepts the original name when never renamed, and the last logged rename', () => {
    expect(exhibitsAgainstCustody([exhibit({ name: 'photo.jpg' })], ingest())).toEqual([]);
    const log = [ingest(), rename('first.jpg', 8), rename('Threat from Jo.jpg')].join('\n');
    expect(exhibitsAgainstCustody([exhibit({ name: 'Threat from Jo.jpg' })], log)).toEqual([]);
    // Bundles from before renaming have no name: nothing to compare.
    expect(exhibitsAgainstCustody([exhibit()], ingest())).toEqual([]);
  });

  it('refuses a name the log does not record', () => {
    expect(messages(exhibitsAgainstCustody([exhibit({ name: 'harmless.jpg' })], ingest()))).toEqual(
      [
        'data/metadata/items.json Exhibit JD/1: items.json gives its name in the vault as "harmless.jpg", but the custody log records no rename from "photo.jpg". Do not rely on this exhibit\'s name.',
      ],
    );
    const log = [ingest(), rename('Threat from Jo.jpg')].join('\n');
    expect(messages(exhibitsAgainstCustody([exhibit({ name: 'first.jpg' })], log))).toEqual([
      'data/metadata/items.json Exhibit JD/1: items.json gives its name in the vault as "first.jpg", but the custody log records that it was last renamed to "Threat from Jo.jpg" (entry 9). Do not rely on this exhibit\'s name.',
    ]);
  });
});
