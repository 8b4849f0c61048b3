/**
 * Canonical JSON is the hashed form of the custody log: these tests hold the code to
 * docs/vault-format.md §8, and a batch of generated values to Python's json.dumps.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  canonicalJsonAsWritten,
  wellFormed,
  wellFormedText,
} from '../../../shared/canonical-json';
import { missingTools, skipTitle } from '../../support/tools';

describe('canonicalJson', () => {
  it('sorts keys, drops undefined, and writes no whitespace', () => {
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":true,"d":null}]}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('escapes only ", \\ and U+0000–U+001F, in lower-case hex', () => {
    expect(canonicalJson('"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028é🚗')).toBe(
      '"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028é🚗"',
    );
  });

  it('sorts keys by code point, as Python does (not by UTF-16 code unit)', () => {
    // U+FFFF is one code unit 0xFFFF; U+10000 is 0xD800 0xDC00: UTF-16 order would swap them.
    expect(canonicalJson({ '\u{10000}': 1, '\uffff': 2, Z: 3, a: 4, é: 5 })).toBe(
      '{"Z":3,"a":4,"é":5,"\uffff":2,"\u{10000}":1}',
    );
  });

  it('refuses fractions, unsafe integers, NaN and Infinity, saying what to do', () => {
    for (const n of [1e-7, 0.5, -2.25, 2 ** 53, 1e21]) {
      expect(() => canonicalJson({ x: n })).toThrow(/whole numbers .*millionths/);
    }
    for (const n of [NaN, Infinity, -Infinity]) {
      expect(() => canonicalJson(n)).toThrow(/no NaN or Infinity/);
      expect(() => canonicalJsonAsWritten(n)).toThrow(/no NaN or Infinity/);
    }
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
  });

  it('refuses text with an unpaired surrogate, in values and keys', () => {
    for (const s of ['\ud800', 'a\udc00', '\udbff\udbff\udc00']) {
      expect(() => canonicalJson(s)).toThrow(/well-formed Unicode/);
      expect(() => canonicalJson({ [s]: 1 })).toThrow(/well-formed Unicode/);
    }
    expect(canonicalJson('\ud83d\ude97')).toBe('"🚗"');
    expect(wellFormedText('a\ud800b\udfff🚗')).toBe('a\uFFFDb\uFFFD🚗');
    const bytes = Buffer.from([0xed, 0xa0, 0x80]);
    const deep = wellFormed({ ['k\ud800']: ['\udc00', { n: 1, bytes }], ok: 'é' });
    expect(deep).toEqual({ 'k\uFFFD': ['\uFFFD', { n: 1, bytes }], ok: 'é' });
    const kept = (deep as unknown as Record<string, [string, { bytes: Buffer }]>)['k\uFFFD']!;
    expect(kept[1].bytes).toBe(bytes); // the same Buffer, untouched
  });

  it('refuses what JSON has no form for', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot encode a function/);
    expect(() => canonicalJson(1n)).toThrow(/cannot encode a bigint/);
  });

  it('as written: the form of entries before schema 9 (JavaScript numbers, \\udxxx)', () => {
    expect(canonicalJsonAsWritten({ w: 1e-7, x: 0.3, y: 1e21 })).toBe(
      '{"w":1e-7,"x":0.3,"y":1e+21}',
    );
    expect(canonicalJsonAsWritten('\ud800')).toBe('"\\ud800"');
  });

  it('as written is the same bytes wherever the strict form accepts the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        let strict: string;
        try {
          strict = canonicalJson(v);
        } catch {
          return;
        }
        expect(canonicalJsonAsWritten(v)).toBe(strict);
        expect(canonicalJson(JSON.parse(strict))).toBe(strict);
      }),
    );
  });
});

// Values a custody entry can hold: safe integers, any well-formed text as values and keys.
const text = fc.string({ unit: 'binary', maxLength: 12 });
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.integer(),
    text,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(text, tie('v'), { maxKeys: 5 }),
  ),
})).v;

const noPython = missingTools(['python3']);
describe('against Python', () => {
  it.skipIf(noPython !== null)(
    skipTitle(
      'json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives the same bytes',
      noPython,
    ),
    () => {
      const values = fc.sample(value, { numRuns: 2000, seed: 20261206 });
      values.push({ '\u{10000}': 1, '\uffff': 2 }, '"\\\b\f\n\r\t\u0000\u001f\u2028', -0);
      const script = [
        'import json, sys',
        'for line in sys.stdin.buffer.read().decode("utf-8").split("\\n")[:-1]:',
        '    o = json.loads(line)',
        '    sys.stdout.buffer.write(json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\\n")',
      ].join('\n');
      // Python reads each value as JSON.stringify wrote it (\u2028 and controls escaped).
      const input = values.map((v) => JSON.stringify(v)).join('\n') + '\n';
      const out = execFileSync('python3', ['-c', script], {
        input,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }).split('\n');
      values.forEach((v, i) => expect(out[i], JSON.stringify(v)).toBe(canonicalJson(v)));
    },
  );
});
