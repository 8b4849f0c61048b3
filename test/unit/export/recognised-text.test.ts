// What an export says of the text read in a picture: recognised-text.json and the viewer's
// data, for a picture read, not read yet, and not readable (with and without an earlier reading).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recognisedTextOf } from '../../../main/core/export/export';
import { itemsJson, recognisedTextJson } from '../../../main/core/export/metadata-files';
import type { ExportModel } from '../../../main/core/export/model';
import { viewerData } from '../../../main/core/export/viewer';
import type { OcrReading } from '../../../main/core/ocr/queue';
import { testExhibit } from '../../support/exhibit';

const TEXT = 'I know where your children go to school';
const WORDS = TEXT.split(' ').map((t, i) => ({ t, x: 50 + i * 100, y: 200, w: 90, h: 40, c: 90 }));
WORDS[3]!.c = 41;

function reading(over: Partial<OcrReading>): OcrReading {
  return {
    state: 'done',
    language: 'eng',
    engine: 'tesseract.js',
    engineVersion: '7.0.0 (data @tesseract.js-data/eng@1.0.0 4.0.0_best_int)',
    text: TEXT,
    words: WORDS,
    width: 1170,
    height: 2532,
    confidence: 84,
    finishedAt: '2026-12-06T10:00:00.000Z',
    reason: null,
    ...over,
  };
}

const TEXT_SHA = createHash('sha256').update(TEXT, 'utf8').digest('hex');

const never = {
  text: null,
  engine: null,
  engineVersion: null,
  words: [],
  width: null,
  height: null,
};

const exhibits = [
  testExhibit({
    number: 'JD1',
    bagPath: 'data/evidence/JD-1_file',
    itemId: 'read',
    mime: 'image/png',
    recognisedText: recognisedTextOf(reading({}), TEXT_SHA),
  }),
  testExhibit({
    number: 'JD2',
    bagPath: 'data/evidence/JD-2_file',
    itemId: 'waiting',
    mime: 'image/png',
    recognisedText: recognisedTextOf(
      reading({ state: 'queued', ...never, finishedAt: null }),
      undefined,
    ),
  }),
  testExhibit({
    number: 'JD3',
    bagPath: 'data/evidence/JD-3_file',
    itemId: 'damaged',
    mime: 'image/png',
    recognisedText: recognisedTextOf(
      reading({ state: 'failed', ...never, reason: 'The picture is damaged: bad IDAT' }),
      undefined,
    ),
  }),
  testExhibit({
    number: 'JD4',
    bagPath: 'data/evidence/JD-4_file',
    itemId: 'again',
    mime: 'image/png',
    recognisedText: recognisedTextOf(
      reading({ state: 'failed', reason: 'Time ran out' }),
      TEXT_SHA,
    ),
  }),
  testExhibit({
    number: 'JD5',
    bagPath: 'data/evidence/JD-5_file',
    itemId: 'letter',
    mime: 'text/plain',
    recognisedText: null,
  }),
];

describe('recognised text in an export', () => {
  it('is null for an item never queued, and keeps the hash its custody entry records', () => {
    expect(recognisedTextOf(null, undefined)).toBeNull();
    const r = exhibits[0]!.recognisedText!;
    expect(r).toMatchObject({ status: 'read', reason: null, language: 'eng' });
    expect(r.reading).toMatchObject({
      engine: 'tesseract.js',
      readAt: '2026-12-06T10:00:00.000Z',
      meanConfidence: 84,
      width: 1170,
      height: 2532,
      text: TEXT,
      textSha256: createHash('sha256').update(TEXT, 'utf8').digest('hex'),
    });
  });

  it('leaves out stored text that is not what its custody entry recorded', () => {
    const changed = reading({ text: TEXT.replace('school', 'church') });
    for (const recorded of [TEXT_SHA, undefined]) {
      expect(recognisedTextOf(changed, recorded)).toEqual({
        status: 'could not be read',
        reason: expect.stringMatching(/no longer matches the SHA-256 its custody entry recorded/),
        language: 'eng',
        reading: null,
      });
    }
  });

  it('exports the word boxes only when they spell the text its custody entry covers', () => {
    const moved = WORDS.map((w) => (w.t === 'school' ? { ...w, t: 'church' } : w));
    const r = recognisedTextOf(reading({ words: moved }), TEXT_SHA)!;
    expect(r.status).toBe('read');
    expect(r.reading).toMatchObject({ text: TEXT, words: [] });
    expect(recognisedTextOf(reading({}), TEXT_SHA)!.reading!.words).toHaveLength(WORDS.length);
  });

  it('writes recognised-text.json: machine-read, one line per picture, every status said', () => {
    const json = recognisedTextJson(exhibits);
    const file = JSON.parse(json) as {
      about: string;
      machineRead: boolean;
      pictures: Record<string, unknown>[];
    };
    expect(file.machineRead).toBe(true);
    expect(file.about).toMatch(/not evidence/);
    // The text file is not a picture: not listed.
    expect(file.pictures.map((p) => [p.exhibit, p.status, p.machineRead])).toEqual([
      ['JD1', 'read', true],
      ['JD2', 'not read yet', true],
      ['JD3', 'could not be read', true],
      ['JD4', 'could not be read', true],
    ]);
    expect(json.split('\n').filter((l) => l.startsWith('{"exhibit"'))).toHaveLength(4);
    expect(file.pictures[1]).toMatchObject({ engine: null, text: null, words: [], reason: null });
    expect(file.pictures[2]).toMatchObject({
      reason: 'The picture is damaged: bad IDAT',
      text: null,
      words: [],
    });
    // A failed read-again keeps the earlier reading, without claiming it was read just now.
    expect(file.pictures[3]).toMatchObject({ reason: 'Time ran out', text: TEXT, readAt: null });
    expect((file.pictures[0]!.words as unknown[])[0]).toEqual({
      t: 'I',
      x: 50,
      y: 200,
      w: 90,
      h: 40,
      c: 90,
    });
    expect(JSON.parse(recognisedTextJson([exhibits[4]!]))).toMatchObject({ pictures: [] });
  });

  it('keeps the machine reading out of items.json', () => {
    expect(itemsJson(exhibits)).not.toContain('children');
    expect(itemsJson(exhibits)).not.toContain('recognisedText');
  });

  it('gives the viewer each picture’s text, who read it and how sure it was', () => {
    const model: ExportModel = {
      caseName: 'Case',
      exportedAt: '2026-12-06T11:00:00.000Z',
      exportedOffsetMinutes: 0,
      exportedTimeZone: 'UTC',
      exporter: '',
      exhibitPrefix: 'JD',
      signingKeyFingerprint: 'abcd',
      signingPublicKeyPem: '',
      evidenceIndexSha256: '0'.repeat(64),
      exhibits,
      incidents: [],
      people: [],
      custody: [],
      checkpoint: null,
      software: { name: 'Dossier', version: '0' },
    };
    const data = viewerData(
      model,
      exhibits.map((e) => ({ path: e.bagPath, sha256: e.sha256 })),
    );
    const of = (n: string) => data.exhibits.find((e) => e.number === n)!.recognisedText;
    expect(of('JD1')).toEqual({
      status: 'read',
      reason: null,
      engine: 'tesseract.js 7.0.0 (data @tesseract.js-data/eng@1.0.0 4.0.0_best_int), English',
      meanConfidence: 84,
      words: WORDS.length,
      uncertainWords: 1,
      text: TEXT,
    });
    expect(of('JD2')).toMatchObject({ status: 'not read yet', text: null, engine: null });
    expect(of('JD3')).toMatchObject({
      status: 'could not be read',
      reason: 'The picture is damaged: bad IDAT',
      text: null,
    });
    expect(of('JD4')).toMatchObject({ status: 'could not be read', text: TEXT });
    expect(of('JD5')).toBeNull();
  });
});
