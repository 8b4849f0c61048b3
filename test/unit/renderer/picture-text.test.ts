import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PictureText } from '../../../renderer/src/screens/item/PictureText';
import {
  LOW_CONFIDENCE,
  matchCountText,
  matchRects,
  readingStateText,
  textSegments,
  type PictureReading,
} from '../../../renderer/src/screens/item/picture-text';
import {
  nextBase,
  progressText,
  timeLeftText,
  type OcrStatus,
} from '../../../renderer/src/stores/text-recognition-progress';

const DONE: PictureReading = {
  state: 'done',
  reading: false,
  language: 'eng',
  engine: 'tesseract.js',
  engineVersion: '7.0.0',
  text: 'Meet at Hollybush\nSchooI gate',
  words: [
    { t: 'Meet', x: 50, y: 220, w: 90, h: 40, c: 96 },
    { t: 'at', x: 150, y: 220, w: 30, h: 40, c: 95 },
    { t: 'Hollybush', x: 190, y: 220, w: 200, h: 40, c: 91 },
    { t: 'SchooI', x: 50, y: 370, w: 140, h: 40, c: 41 },
    { t: 'gate', x: 200, y: 370, w: 80, h: 40, c: 88 },
  ],
  width: 1000,
  height: 500,
  confidence: 81,
  finishedAt: '2026-12-06T19:00:00.000Z',
  reason: null,
};

const panel = (
  reading: PictureReading | null,
  extra: Partial<Parameters<typeof PictureText>[0]> = {},
) =>
  renderToStaticMarkup(
    createElement(PictureText, {
      reading,
      loadError: null,
      paused: false,
      languageName: 'English',
      find: '',
      onFind: () => undefined,
      matches: [],
      busy: false,
      onReadAgain: () => undefined,
      ...extra,
    }),
  );

const plain = (html: string) => html.replace(/<[^>]+>/g, '');

describe('"Text in this picture": each state in words', () => {
  it('says waiting, being read, paused, could not be read (with the reason), nothing found', () => {
    const queued: PictureReading = { ...DONE, state: 'queued', text: null, words: [] };
    expect(readingStateText(queued, false)).toBe('Waiting to be read.');
    expect(readingStateText(queued, true)).toMatch(/^Waiting to be read\. .*paused/);
    expect(readingStateText({ ...queued, reading: true }, false)).toBe('Being read now…');
    expect(
      readingStateText({ ...queued, state: 'failed', reason: 'The picture is damaged.' }, false),
    ).toBe('Could not be read: The picture is damaged.');
    expect(readingStateText({ ...DONE, words: [], text: '' }, false)).toBe(
      'No text was found in this picture.',
    );
    expect(readingStateText({ ...DONE, state: 'none' }, false)).toMatch(/does not read text/);
    expect(readingStateText(DONE, false)).toBeNull();
  });

  it('renders a waiting picture without text, copy or read-again', () => {
    const html = panel({ ...DONE, state: 'queued', text: null, words: [] });
    expect(plain(html)).toContain('Waiting to be read.');
    expect(html).not.toContain('Copy the text');
    expect(html).not.toContain('Read again');
    expect(html).not.toContain('Read by machine');
  });

  it('renders a failure with its reason and "Read again", the earlier reading kept', () => {
    const html = panel({ ...DONE, state: 'failed', reason: 'The engine stopped.' });
    expect(plain(html)).toContain('Could not be read: The engine stopped.');
    expect(plain(html)).toContain('The earlier reading is shown until the new one is saved.');
    expect(html).toContain('Read again');
    expect(panel(null, { loadError: 'The vault is locked.' })).toContain('The vault is locked.');
  });

  it('labels the text machine-read with its confidence and marks low-confidence words, not by colour alone', () => {
    const html = panel(DONE);
    expect(plain(html)).toContain(
      'Read by machine (Tesseract), may contain mistakes; confidence 81%; English.',
    );
    // The text is shown exactly as stored (it copies as read), the low word underlined…
    expect(plain(html)).toContain('Meet at Hollybush\nSchooI gate');
    expect(html).toContain('<span class="ocr-low">SchooI</span>');
    // …and named in words, with the threshold.
    expect(plain(html)).toContain(
      `Underlined with dots: 1 word read with low confidence (below ${LOW_CONFIDENCE}%): SchooI`,
    );
    expect(html).toContain('Copy the text');
    expect(html).toContain('Read again');
  });

  it('marks the matched words and says how many', () => {
    const html = panel(DONE, { find: 'holly', matches: [2] });
    expect(html).toContain('<mark class="ocr-match-word">Hollybush</mark>');
    expect(plain(html)).toContain('1 match in the picture');
    expect(matchCountText(0)).toBe('No match in the picture');
    expect(matchCountText(3)).toBe('3 matches in the picture');
  });

  it('shows hidden controls in the machine text instead of letting them act', () => {
    const hostile = {
      ...DONE,
      text: 'a\u202Eb c',
      words: [{ t: 'a\u202Eb', x: 0, y: 0, w: 1, h: 1, c: 90 }],
    };
    expect(panel(hostile)).toContain('a\\u{202e}b');
  });
});

describe('the words of the text and their boxes', () => {
  it('cuts the text into the words read and what lies between, nothing lost', () => {
    const segs = textSegments(DONE.text!, DONE.words, new Set([2]));
    expect(segs.map((s) => s.text).join('')).toBe(DONE.text);
    expect(segs.filter((s) => s.match).map((s) => s.text)).toEqual(['Hollybush']);
    expect(segs.filter((s) => s.low).map((s) => s.text)).toEqual(['SchooI']);
    // A word missing from the text is not marked, and the text stays whole.
    const odd = textSegments('one two', [{ t: 'zzz', x: 0, y: 0, w: 1, h: 1, c: 10 }], new Set());
    expect(odd).toEqual([{ text: 'one two', word: null, low: false, match: false }]);
  });

  it('turns matched words into fractions of the picture, clamped inside it', () => {
    const [m] = matchRects(DONE, [2]);
    expect(m!.x).toBeCloseTo(0.19);
    expect(m!.y).toBeCloseTo(0.44);
    expect(m!.w).toBeCloseTo(0.2);
    expect(m!.h).toBeCloseTo(0.08);
    const outside = { ...DONE, words: [{ t: 'x', x: 950, y: 480, w: 200, h: 100, c: 90 }] };
    const [r] = matchRects(outside, [0]);
    expect(r!.x + r!.w).toBeLessThanOrEqual(1);
    expect(r!.y + r!.h).toBeLessThanOrEqual(1);
    expect(matchRects({ ...DONE, width: null }, [2])).toEqual([]);
    expect(matchRects(null, [2])).toEqual([]);
  });
});

describe('the progress line', () => {
  const st = (p: Partial<OcrStatus>): OcrStatus => ({
    queued: 0,
    done: 0,
    failed: 0,
    running: null,
    secondsLeft: 0,
    paused: false,
    ...p,
  });

  it('counts this run of work, with the time left, or says it is paused', () => {
    expect(progressText(st({ queued: 68, done: 112, failed: 0, secondsLeft: 130 }), 100)).toBe(
      'Reading text in pictures: 12 of 80, about 2 minutes left',
    );
    expect(progressText(st({ queued: 1, secondsLeft: 3 }), 0)).toBe(
      'Reading text in pictures: 0 of 1, less than a minute left',
    );
    expect(progressText(st({ queued: 5, paused: true }), 0)).toBe(
      'Reading text in pictures is paused: 5 pictures waiting',
    );
    expect(timeLeftText(3 * 3600)).toBe('about 3 hours left');
  });

  it('starts counting when work begins, and after a read-again lowers what is done', () => {
    const idle = st({ done: 40 });
    const busy = st({ done: 40, queued: 10 });
    expect(nextBase(null, 0, busy)).toBe(40);
    expect(nextBase(idle, 0, busy)).toBe(40);
    expect(nextBase(busy, 40, st({ done: 45, queued: 5 }))).toBe(40);
    expect(nextBase(busy, 40, st({ done: 0, queued: 50 }))).toBe(0);
  });
});
