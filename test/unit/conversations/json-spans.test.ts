// The JSON reader with byte spans (main/core/conversations/json-spans.ts): the same values as
// JSON.parse, spans that slice to the value's own text, clear faults, linear time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportRelativePath,
  JsonError,
  readJson,
  type JsonValue,
} from '../../../main/core/conversations/json-spans';
import { isDossierError } from '../../../main/core/errors';
import { expectLinear } from '../../support/linear';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

/** Every object and array inside `v`, itself included. */
function containers(v: unknown, out: object[] = []): object[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const c of Object.values(v)) containers(c, out);
  }
  return out;
}

/** Pretty-printed, with odd but legal whitespace, so spans do not just follow compact text. */
const spaced = (text: string) =>
  JSON.stringify(JSON.parse(text), null, '\t').replace(/\n/g, ' \r\n');

const randomJson = fc.oneof(
  fc.json(),
  fc.json({ stringUnit: 'binary' }),
  fc.json({ stringUnit: 'grapheme' }).map(spaced),
);

describe('readJson gives what JSON.parse gives, with spans', () => {
  it('the same values on random valid JSON', () => {
    fc.assert(
      fc.property(randomJson, (text) => {
        expect(readJson(enc(text)).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('every container and every array element slices to text that reads to the same value', () => {
    fc.assert(
      fc.property(randomJson, (text) => {
        const bytes = enc(text);
        const read = readJson(bytes);
        for (const c of containers(read.value)) {
          const span = read.spanOf(c);
          expect(span).toBeDefined();
          expect(span!.offset + span!.length).toBeLessThanOrEqual(bytes.length);
          expect(
            JSON.parse(dec(bytes.subarray(span!.offset, span!.offset + span!.length))),
          ).toEqual(c);
          if (Array.isArray(c)) {
            const items = read.itemSpans(c)!;
            expect(items).toHaveLength(c.length);
            items.forEach((s, i) => {
              expect(JSON.parse(dec(bytes.subarray(s.offset, s.offset + s.length)))).toEqual(c[i]);
            });
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects exactly what JSON.parse rejects, on mutated JSON', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      '0',
      '-',
      '.',
      'e',
      '+',
      ' ',
      '\n',
      '\t',
      'true',
      'fals',
      'null',
      '1',
      '\u0001',
      'x',
      '"a"',
      '\\u12',
      '\\ud800',
      '01',
      '1.',
      '.5',
    );
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.nat({ max: 3 }), fc.array(piece, { maxLength: 3 }))
      .map(([text, at, cut, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert.join('') + text.slice(i + cut);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let expected: unknown;
        let ok = true;
        try {
          expected = JSON.parse(text);
        } catch {
          ok = false;
        }
        if (ok) expect(readJson(enc(text)).value).toEqual(expected);
        else expect(() => readJson(enc(text))).toThrow(JsonError);
      }),
      { numRuns: 5000 },
    );
  });

  it('spans of top-level array elements are exact, e.g. chat messages', () => {
    const text = '{"name":"A", "messages": [\n {"id": 1, "text": "héllo"},\n {"id": 2}\n]}';
    const bytes = enc(text);
    const read = readJson(bytes, { spanDepth: 2 });
    const messages = (read.value as { messages: JsonValue[] }).messages;
    const spans = messages.map((m) => read.spanOf(m as object)!);
    expect(spans.map((s) => dec(bytes.subarray(s.offset, s.offset + s.length)))).toEqual([
      '{"id": 1, "text": "héllo"}',
      '{"id": 2}',
    ]);
    expect(read.itemSpans(messages)).toEqual(spans);
    // Deeper than spanDepth: no span kept (memory stays bounded by what readers need).
    expect(readJson(enc('[[[1]]]'), { spanDepth: 1 }).spanOf([])).toBeUndefined();
    const deep = readJson(enc('[[[1]]]'), { spanDepth: 1 });
    const inner = (deep.value as JsonValue[][])[0]!;
    expect(deep.spanOf(inner)).toEqual({ offset: 1, length: 5 });
    expect(deep.spanOf(inner[0] as object)).toBeUndefined();
  });
});

describe('the rules JSON leaves open', () => {
  it('a duplicate key keeps the last value and is noted', () => {
    const read = readJson(enc('{"from": "Alice", "from": "Mallory"}'));
    expect(read.value).toEqual({ from: 'Mallory' });
    expect(read.notes).toEqual([
      {
        offset: 18,
        message: 'The key "from" appears twice in one object; the last value is used.',
      },
    ]);
  });

  it('a __proto__ key is an ordinary key, as in JSON.parse', () => {
    const text = '{"__proto__": {"polluted": true}, "a": 1}';
    const v = readJson(enc(text)).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(v).toEqual(JSON.parse(text));
  });

  it('a lone surrogate is kept as that code unit and noted; a pair is one character', () => {
    const read = readJson(enc('["\\ud83d", "x\\udc00", "\\ud83d\\ude00"]'));
    expect(read.value).toEqual(['\ud83d', 'x\udc00', '😀']);
    expect(read.notes.map((n) => n.offset)).toEqual([2, 13]);
    expect(read.notes[0]!.message).toMatch(/lone surrogate/);
  });

  it('bytes that are not UTF-8 become U+FFFD and are noted, never a crash', () => {
    const bytes = new Uint8Array([0x22, 0x61, 0xff, 0x62, 0xed, 0xa0, 0x80, 0x22]);
    const read = readJson(bytes);
    expect(read.value).toBe('a\ufffdb\ufffd\ufffd\ufffd');
    expect(read.notes).toEqual([{ offset: 0, message: expect.stringMatching(/not valid UTF-8/) }]);
  });

  it('a byte order mark inside a string is kept; one before the value is skipped', () => {
    expect(readJson(enc('"\ufeffa"')).value).toBe('\ufeffa');
    const read = readJson(enc('\ufeff[{}]'));
    expect(read.value).toEqual([{}]);
    expect(read.spanOf((read.value as object[])[0]!)).toEqual({ offset: 4, length: 2 });
  });
});

describe('faults say where, in plain words', () => {
  it('line, column and byte of a syntax fault', () => {
    try {
      readJson(enc('{\n  "a": 1,\n  "é": tru\n}'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonError);
      const err = e as JsonError;
      expect(isDossierError(err, 'CORRUPT')).toBe(true);
      expect([err.line, err.column, err.offset]).toEqual([3, 8, 20]);
      expect(err.message).toBe(
        "Not readable JSON at line 3, column 8 (byte 20): expected a value, found 't'.",
      );
    }
  });

  it('nesting past the limit is refused with a clear error; at the limit it is read', () => {
    expect(readJson(enc('['.repeat(64) + ']'.repeat(64))).value).toBeDefined();
    expect(() => readJson(enc('['.repeat(65) + ']'.repeat(65)))).toThrow(
      /byte 64\): nested deeper than 64 levels/,
    );
    // Far past it: still the same error, not a stack overflow.
    const err = (() => {
      try {
        readJson(enc('['.repeat(1_000_000)));
      } catch (e) {
        return e as JsonError;
      }
    })();
    expect(err?.fault).toBe('depth');
  });

  it('a file past the size limit is refused before reading', () => {
    expect(() => readJson(enc('[1, 2, 3]'), { maxBytes: 8 })).toThrow(
      'This JSON file is 9 bytes; Dossier reads JSON files up to 8 bytes.',
    );
  });

  it('hostile text in a fault is escaped, never printed raw', () => {
    const read = readJson(enc('{"\u202e\\u001b[31m": 1, "\u202e\\u001b[31m": 2}'));
    expect(read.notes[0]!.message).toContain('"\\u202e\\u001b[31m"');
  });

  it('partial: what was read before a cut is kept, with the fault', () => {
    const text = '{"messages": [{"id": 1}, {"id": 2}, {"id": 3, "te';
    const read = readJson(enc(text), { partial: true });
    expect(read.error?.fault).toBe('syntax');
    const messages = (read.value as { messages: object[] }).messages;
    expect(read.itemSpans(messages)).toEqual([
      { offset: 14, length: 9 },
      { offset: 25, length: 9 },
    ]);
    expect(read.spanOf(messages[2]!)).toBeUndefined();
  });
});

describe('reading hostile JSON takes time linear in its size', () => {
  const families: Record<string, (n: number) => string> = {
    'escapes in one string': (n) => `"${'\\n'.repeat(n / 2)}"`,
    'lone surrogates': (n) => `"${'\\ud800'.repeat(n / 6)}"`,
    'non-ASCII text': (n) => `"${'é'.repeat(n / 2)}"`,
    'invalid UTF-8': (n) => `"${'\u00ff'.repeat(n / 2)}"`,
    'many small arrays': (n) => `[${'[1],'.repeat(n / 4)}0]`,
    'nesting to the limit, repeated': (n) =>
      `[${`${'['.repeat(60)}${']'.repeat(60)},`.repeat(n / 122)}0]`,
    'duplicate keys': (n) => `{${'"a":1,'.repeat(n / 6)}"a":2}`,
    'many keys': (n) => `{${Array.from({ length: n / 12 }, (_, i) => `"k${i}":1`).join(',')}}`,
    'a long number': (n) => `1${'0'.repeat(n)}`,
    'a fault at the end of many lines': (n) => `[${'1,\n'.repeat(n / 3)}x]`,
  };
  for (const [label, make] of Object.entries(families)) {
    it(label, () => {
      expectLinear(label, (size) => {
        const bytes = label === 'invalid UTF-8' ? latin1(make(size)) : enc(make(size));
        return () => {
          try {
            // The depth the readers use (messages at depth 2); spans of every container cost
            // one small object each, linear but dominated by garbage collection.
            readJson(bytes, { partial: true, spanDepth: 2 });
          } catch {
            // only the size limit throws with partial
          }
        };
      });
    });
  }
});

function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

describe('media paths an export names', () => {
  it('relative paths inside the export are kept, with / separators', () => {
    expect(exportRelativePath('photos/photo_1@02-04-2024_09-00-00.jpg')).toBe(
      'photos/photo_1@02-04-2024_09-00-00.jpg',
    );
    expect(exportRelativePath('files\\report.pdf')).toBe('files/report.pdf');
    expect(exportRelativePath('your_instagram_activity/messages/inbox/z_1/photos/1.jpg')).toBe(
      'your_instagram_activity/messages/inbox/z_1/photos/1.jpg',
    );
  });

  it('a path that could reach outside the export folder is refused', () => {
    for (const p of [
      '../../.ssh/id_rsa',
      'photos/../../x',
      '/etc/passwd',
      '\\\\server\\share\\x',
      'C:\\Windows\\x',
      'c:x',
      'photos//x',
      './x',
      'a\u0000b',
      'a\nb',
      '',
    ]) {
      expect(exportRelativePath(p)).toBeNull();
    }
  });
});
