/** Safe, unique file names in the export bundle, for any name a sender could choose. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exhibitFileStem,
  exhibitNumberWidth,
  MAX_NAME_BYTES,
  SafeNamer,
} from '../../../main/core/export/safe-name';

const FORBIDDEN_CHARS = /[/\\<>:"|?*%\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/u;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Everything docs/bundle-format.md ("Exhibit numbers and file names") asks of one name. */
function assertSafe(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  expect(name).not.toMatch(FORBIDDEN_CHARS);
  expect(name).not.toMatch(/[ .]$/);
  expect(['.', '..']).not.toContain(name);
  expect(name.startsWith('/')).toBe(false);
  expect(RESERVED.test((name.split('.')[0] ?? '').trimEnd())).toBe(false);
  expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(name.normalize('NFC')).toBe(name);
  expect(name).not.toMatch(/\p{Cs}/u); // no lone surrogate halves
}

const fold = (s: string): string => s.normalize('NFC').toUpperCase().toLowerCase();

/** Strings that aim at the rules, mixed with arbitrary Unicode. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary', minLength: 150, maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        '..',
        '.',
        '/',
        '\\',
        'CON',
        'con',
        'Nul',
        'COM1',
        'lpt9',
        'AUX.txt',
        'prn.tar.gz',
        '\u202e',
        '\u2066',
        '\u200f',
        '\u0000',
        '\u001b',
        '\u0085',
        '\u007f',
        '\ud800',
        '\udfff',
        ' ',
        '.',
        'a',
        'A',
        'é',
        'e\u0301',
        'ß',
        'SS',
        'ǅ',
        'ı',
        'İ',
        'K',
        '\u212a',
        '.png',
        '.JPG',
        'C:',
        '%',
        '*',
        '?',
        '"',
        '<',
        '>',
        '|',
        '\n',
        '\r',
        '日本',
        '😀',
        '\u200d',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

describe('SafeNamer', () => {
  it('keeps ordinary names, with the prefix', () => {
    const n = new SafeNamer();
    expect(n.name('JD-1_', 'Screenshot 2024-05-01 at 10.15.00.png')).toBe(
      'JD-1_Screenshot 2024-05-01 at 10.15.00.png',
    );
    expect(n.name('JD-2_', 'email.eml')).toBe('JD-2_email.eml');
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\photo.jpg', 'photo.jpg'],
    ['/absolute/path.png', 'path.png'],
    ['', 'file'],
    ['..', 'file'],
    ['...', 'file'],
    ['  ', 'file'],
    ['\u0000\u0007', 'file'],
    ['name. . ', 'name'],
    ['a<b>c:d"e|f?g*h%.txt', 'a_b_c_d_e_f_g_h_.txt'],
    ['evil\u202Egpj.exe', 'evilgpj.exe'],
    ['\u2066x\u2069\u200e\u200f.pdf', 'x.pdf'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['CON', 'CON_'],
    ['con.txt', 'con_.txt'],
    ['lpt1.tar.gz', 'lpt1_.tar.gz'],
    ['COM¹.log', 'COM¹_.log'],
    ['Cafe\u0301.txt', 'Café.txt'],
  ])('cleans %j to %j', (original, expected) => {
    expect(new SafeNamer().name('', original)).toBe(expected);
  });

  it('caps the length at 200 UTF-8 bytes, keeping the extension and whole characters', () => {
    const n = new SafeNamer();
    const long = n.name('JD-10_', `${'日本語'.repeat(60)}.jpeg`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.startsWith('JD-10_日本語')).toBe(true);
    expect(long.endsWith('.jpeg')).toBe(true);
    const emoji = n.name('', `${'👩‍👩‍👧'.repeat(30)}.png`);
    expect(emoji).toMatch(/^(👩‍👩‍👧)+\.png$/u);
  });

  it('makes names unique after NFC and case folding, suffixing before the extension', () => {
    const n = new SafeNamer();
    expect(n.name('', 'Photo.PNG')).toBe('Photo.PNG');
    expect(n.name('', 'photo.png')).toBe('photo (2).png');
    expect(n.name('', 'PHOTO.png')).toBe('PHOTO (3).png');
    expect(n.name('', 'Café.txt')).toBe('Café.txt');
    expect(n.name('', 'Cafe\u0301.TXT')).toBe('Café (2).TXT');
    expect(n.name('', 'STRASSE')).toBe('STRASSE');
    expect(n.name('', 'straße')).toBe('straße (2)');
    expect(n.name('', '\u212a')).toBe('K'); // the Kelvin sign is K after NFC
    expect(n.name('', 'k')).toBe('k (2)');
  });

  it('property: any input gives a safe name, and one namer never repeats itself', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', 'JD-1_', 'EX-12_', 'A'), nasty), { maxLength: 40 }),
        (inputs) => {
          const n = new SafeNamer();
          const out = inputs.map(([prefix, original]) => n.name(prefix, original));
          for (const name of out) assertSafe(name);
          expect(new Set(out.map((s) => s.normalize('NFC').toLowerCase())).size).toBe(out.length);
          expect(new Set(out.map(fold)).size).toBe(out.length);
          expect(new Set(out.map((s) => s.toLocaleLowerCase('und'))).size).toBe(out.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('property: the same original under one prefix always gets distinct names', () => {
    fc.assert(
      fc.property(nasty, fc.integer({ min: 2, max: 12 }), (original, times) => {
        const n = new SafeNamer();
        const out = Array.from({ length: times }, () => n.name('JD-1_', original));
        for (const name of out) assertSafe(name);
        expect(new Set(out.map(fold)).size).toBe(times);
      }),
    );
  });
});

describe('exhibitFileStem', () => {
  it.each([
    ['JD/1', 'JD-1'],
    ['EX/12', 'EX-12'],
    ['A B/3', 'A-B-3'],
    ['../1', '1'],
    ['', 'EX'],
    ['//', 'EX'],
  ])('%j -> %j', (number, stem) => {
    expect(exhibitFileStem(number)).toBe(stem);
  });

  it.each([
    ['JD/1', 3, 'JD-001'],
    ['JD/10', 3, 'JD-010'],
    ['JD/1234', 3, 'JD-1234'],
    ['JD2/7', 4, 'JD2-0007'],
  ])('%j padded to %d digits -> %j', (number, width, stem) => {
    expect(exhibitFileStem(number, width)).toBe(stem);
  });

  it('pads so that file names sort as the numbers do, whatever the count', () => {
    for (const count of [1, 9, 10, 999, 1000, 12345]) {
      const width = exhibitNumberWidth(count);
      const names = Array.from({ length: Math.min(count, 2000) }, (_, i) =>
        exhibitFileStem(`JD/${count - i}`, width),
      );
      const byText = [...names].sort();
      const byNumber = [...names].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
      expect(byText).toEqual(byNumber);
    }
  });
});
