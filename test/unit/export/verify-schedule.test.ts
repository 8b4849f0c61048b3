// `dossier verify` on a disclosure bundle's redaction schedule: each row must say what items.json
// and the copy's custody entry (in the signed hash chain) say; a schedule claiming other reasons,
// another original or another file is an error naming the row.
import { describe, expect, it } from 'vitest';
import { redactionsCsv } from '../../../main/core/export/metadata-files';
import type { ScheduleEntry } from '../../../main/core/export/model';
import { checkSchedule } from '../../../main/core/export/verify-schedule';

const COPY = 'c'.repeat(64);
const ORIGINAL = 'a'.repeat(64);
const box = {
  x: 100_000,
  y: 50_000,
  w: 500_000,
  h: 100_000,
  reason: 'address' as const,
  otherReason: null,
};
const other = {
  x: 0,
  y: 500_000,
  w: 300_000,
  h: 200_000,
  reason: 'other' as const,
  otherReason: 'her workplace',
};
const entry: ScheduleEntry = {
  exhibit: 'JD2',
  bagPath: 'data/derived/JD-002_reply (redacted).png',
  itemId: 'copy1',
  copySha256: COPY,
  kind: 'redacted',
  originalItemId: 'orig1',
  originalSha256: ORIGINAL,
  areas: [box, other],
  removed: [],
  madeAt: '2024-03-10T12:00:00.000Z',
  madeBy: 'The vault’s owner',
  custodySeq: 7,
};
const items = Buffer.from(
  JSON.stringify([{ number: 'JD2', bagPath: entry.bagPath, itemId: 'copy1', sha256: COPY }]),
);
const custodyWith = (details: Record<string, unknown>, subjects = ['orig1', 'copy1']): Buffer =>
  Buffer.from(
    `${JSON.stringify({ withheld: { fromSeq: 1, toSeq: 6, count: 6, lastHash: 'x', reason: 'not-in-bundle' } })}\n` +
      `${JSON.stringify({ seq: 7, at: '2024-03-10T12:00:00.000Z', actor: 'dossier', action: 'derive', subjects, details, prev: 'x', hash: 'y' })}\n`,
  );
const logged = {
  what: 'redacted copy made',
  original: { id: 'orig1', sha256: ORIGINAL },
  copy: { id: 'copy1', sha256: COPY, mime: 'image/png' },
  boxes: [box, other],
};
const problems = (schedule: string, custody: Buffer | null = custodyWith(logged)): string[] => {
  const out: string[] = [];
  checkSchedule({ schedule: Buffer.from(schedule), items, custody }, (_f, m) => out.push(m));
  return out;
};

describe('checkSchedule', () => {
  it('passes a schedule that says what the log recorded', () => {
    expect(problems(redactionsCsv([entry]))).toEqual([]);
  });

  it('names a row whose reason, place, original or file is not what was recorded', () => {
    const csv = redactionsCsv([entry]);
    expect(problems(csv.replace('Personal address', 'Privileged'))).toEqual([
      'Row 1 of data/metadata/redactions.csv (exhibit "JD2") says area 1 is not what its custody entry records.',
    ]);
    expect(problems(csv.replace('50% wide', '5% wide'))).toHaveLength(1);
    expect(problems(csv.replaceAll(ORIGINAL, 'b'.repeat(64)))).toEqual([
      expect.stringContaining('gives another SHA-256 for the original'),
      expect.stringContaining('gives another SHA-256 for the original'),
    ]);
    expect(problems(csv.replace(`,${COPY},`, `,${'d'.repeat(64)},`))[0]).toContain(
      'does not give the file and SHA-256 items.json gives',
    );
    expect(problems(redactionsCsv([{ ...entry, custodySeq: 8 }]))[0]).toContain(
      'points at custody entry 8, which does not record this copy',
    );
    expect(problems('exhibit,file\r\nJD2,x\r\n')).toEqual([
      'data/metadata/redactions.csv does not have the redaction schedule’s columns.',
    ]);
  });

  it('checks a copy of a copy only as far as the bundle can: the entry records the copy', () => {
    // The entry names the copy in between (withheld), not the first original.
    const chain = custodyWith({ ...logged, original: { id: 'mid', sha256: 'e'.repeat(64) } }, [
      'mid',
      'copy1',
    ]);
    expect(problems(redactionsCsv([entry]), chain)).toEqual([]);
  });
});
