// Which copy stands for which original in an export for disclosure (docs/redaction.md,
// "Disclosure"), and how the schedule says a covered area, a box or a span of text.
import { describe, expect, it } from 'vitest';
import {
  areasCoveredText,
  disclosedCopyText,
  redactionAreaText,
} from '../../../shared/redaction-schedule';
import { disclosureChoice } from '../../../main/core/export/disclosure';
import { redactionsCsv } from '../../../main/core/export/metadata-files';
import type { ScheduleEntry } from '../../../main/core/export/model';
import type { ItemDetail } from '../../../main/core/items/repository';
import type { CopyRow } from '../../../main/core/redaction/disclosure-records';

const item = (id: string): ItemDetail => ({ id, sha256: `sha-${id}` }) as unknown as ItemDetail;
const row = (itemId: string, originalId: string, kind: string, madeAt: string): CopyRow => ({
  itemId,
  originalId,
  kind,
  areas:
    kind === 'location'
      ? []
      : [{ x: 0, y: 0, w: 500_000, h: 100_000, reason: 'address', otherReason: null }],
  removed: kind === 'location' ? ['EXIF (camera, time, GPS)'] : [],
  madeAt,
  custodySeq: 1,
});
const choose = (selected: string[], rows: CopyRow[]) =>
  disclosureChoice(selected.map(item), rows, item);

describe('disclosureChoice', () => {
  const rows = [
    row('strip', 'photo', 'location', '2024-01-01T00:00:00Z'),
    row('red-old', 'photo', 'picture', '2024-01-02T00:00:00Z'),
    row('red-new', 'photo', 'picture', '2024-01-03T00:00:00Z'),
  ];

  it('puts the newest redacted copy in the original’s place, before a copy without location', () => {
    const c = choose(['a', 'photo', 'b', 'strip', 'red-old', 'red-new'], rows);
    expect(c.items.map((i) => i.id)).toEqual(['a', 'red-new', 'b']);
    expect(c.schedule.get('red-new')).toMatchObject({
      original: { id: 'photo', sha256: 'sha-photo' },
      kind: 'redacted',
    });
    // The original and the copies passed over all stand for the copy exported.
    expect(Object.fromEntries(c.standsFor)).toEqual({
      photo: 'red-new',
      strip: 'red-new',
      'red-old': 'red-new',
    });
  });

  it('uses a copy the person chose by itself, and the newest copy without location when no copy is redacted', () => {
    expect(choose(['strip'], rows).items.map((i) => i.id)).toEqual(['strip']);
    expect(choose(['red-old', 'x'], rows).items.map((i) => i.id)).toEqual(['red-old', 'x']);
    const onlyStrip = choose(['photo'], [rows[0]!]);
    expect(onlyStrip.items.map((i) => i.id)).toEqual(['strip']);
    expect(onlyStrip.schedule.get('strip')).toMatchObject({
      kind: 'without-location',
      removed: ['EXIF (camera, time, GPS)'],
    });
    // An item with no copy goes out as it is, and nothing is scheduled.
    const plain = choose(['x'], rows);
    expect(plain.items.map((i) => i.id)).toEqual(['x']);
    expect(plain.schedule.size).toBe(0);
  });

  it('follows a copy made from a copy back to the first original, with every step’s areas', () => {
    const chain = [
      row('strip', 'photo', 'location', '2024-01-01T00:00:00Z'),
      row('red-of-strip', 'strip', 'picture', '2024-01-02T00:00:00Z'),
    ];
    const c = choose(['photo'], chain);
    expect(c.items.map((i) => i.id)).toEqual(['red-of-strip']);
    const s = c.schedule.get('red-of-strip')!;
    expect(s.original.id).toBe('photo');
    expect(s.kind).toBe('redacted');
    expect(s.areas).toHaveLength(1);
    expect(s.removed).toEqual(['EXIF (camera, time, GPS)']);
  });
});

describe('the schedule’s words for an area', () => {
  const boxArea = {
    x: 100_000,
    y: 50_000,
    w: 500_000,
    h: 125_000,
    reason: 'address' as const,
    otherReason: null,
  };
  const spanArea = { start: 120, end: 145, reason: 'other' as const, otherReason: 'her workplace' };

  it('says a box on the picture and a span of text by one function', () => {
    expect(redactionAreaText(boxArea, 1)).toBe(
      'Area 1: Personal address (box 10% from the left, 5% from the top, 50% wide, 12.5% high)',
    );
    expect(redactionAreaText(spanArea, 2)).toBe(
      'Area 2: Other: her workplace (characters 120 to 145)',
    );
    expect(areasCoveredText([boxArea, spanArea, boxArea])).toBe(
      '3 areas covered (Personal address; Other: her workplace)',
    );
    expect(disclosedCopyText({ kind: 'redacted', areas: [boxArea] })).toBe(
      'Redacted copy: 1 area covered (Personal address)',
    );
  });

  it('lists a span in redactions.csv as it lists a box', () => {
    const entry: ScheduleEntry = {
      exhibit: 'JD1',
      bagPath: 'data/derived/JD-001_reply (redacted).txt',
      itemId: 'copy',
      copySha256: 'c'.repeat(64),
      kind: 'redacted',
      originalItemId: 'orig',
      originalSha256: 'o'.repeat(64),
      areas: [boxArea, spanArea],
      removed: [],
      madeAt: '2024-03-10T12:00:00.000Z',
      madeBy: 'The vault’s owner',
      custodySeq: 7,
    };
    expect(redactionsCsv([entry]).split('\r\n')).toEqual([
      'exhibit,file,copy_sha256,original_sha256,original_item_id,copy,area,reason,where,made_at,made_by,custody_entry',
      `JD1,data/derived/JD-001_reply (redacted).txt,${'c'.repeat(64)},${'o'.repeat(64)},orig,redacted copy,1,Personal address,"box 10% from the left, 5% from the top, 50% wide, 12.5% high",2024-03-10T12:00:00.000Z,The vault’s owner,7`,
      `JD1,data/derived/JD-001_reply (redacted).txt,${'c'.repeat(64)},${'o'.repeat(64)},orig,redacted copy,2,Other: her workplace,characters 120 to 145,2024-03-10T12:00:00.000Z,The vault’s owner,7`,
      '',
    ]);
  });
});
