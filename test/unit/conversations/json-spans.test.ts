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

describe('element spans only where a reader asks', () => {
  const text = JSON.stringify({
    about: 'x',
    chats: { list: [{ messages: [{ id: 1 }, 2] }, { messages: [] }, { other: [3] }] },
    left_chats: { list: [{ messages: [{ id: 4 }] }] },
    messages: [[5]],
  });
  const bytes = enc(text);
  const cut = (s: { offset: number; length: number }) =>
    dec(bytes.subarray(s.offset, s.offset + s.length));

  it("['*', 'list', '*', 'messages']: each chat's messages and the lists, nothing else", () => {
    const read = readJson(bytes, { itemsAt: ['*', 'list', '*', 'messages'] });
    const v = read.value as {
      chats: { list: { messages?: unknown[]; other?: unknown[] }[] };
      left_chats: { list: { messages: unknown[] }[] };
      messages: unknown[][];
    };
    expect(read.itemSpans(v.chats.list[0]!.messages!)!.map(cut)).toEqual(['{"id":1}', '2']);
    expect(read.itemSpans(v.chats.list[1]!.messages!)).toEqual([]);
    expect(read.itemSpans(v.left_chats.list[0]!.messages)!.map(cut)).toEqual(['{"id":4}']);
    expect(read.itemSpans(v.chats.list)!.map(cut)[1]).toBe('{"messages":[]}');
    expect(read.itemSpans(v.chats.list[2]!.other!)).toBeUndefined();
    // '*' matches any key: the root's own messages list is on the path too, its insides not.
    expect(read.itemSpans(v.messages)!.map(cut)).toEqual(['[5]']);
    expect(read.itemSpans(v.messages[0]!)).toBeUndefined();
    expect(read.spanOf(v.chats)).toBeUndefined();
  });

  it("['messages']: the root's messages only", () => {
    const read = readJson(bytes, { itemsAt: ['messages'] });
    const v = read.value as { messages: unknown[][]; chats: { list: unknown[] } };
    expect(read.itemSpans(v.messages)!.map(cut)).toEqual(['[5]']);
    expect(read.itemSpans(v.messages[0]!)).toBeUndefined();
    expect(read.itemSpans(v.chats.list)).toBeUndefined();
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
    'duplicate keys': (n) => `{${'"a":1,'.repeat(n / 6)}"a":2}`,
    'a long number': (n) => `1${'0'.repeat(n)}`,
    'a fault at the end of many lines': (n) => `[${'1,\n'.repeat(n / 3)}x]`,
    'many messages, spans kept': (n) => `{"messages":[${'{"a":"b"},'.repeat(n / 10)}0]}`,
  };
  for (const [label, make] of Object.entries(families)) {
    it(label, () => {
      expectLinear(label, (size) => {
        const bytes = label === 'invalid UTF-8' ? latin1(make(size)) : enc(make(size));
        return () => {
          try {
            // As the readers read: element spans only along the path to the messages.
            readJson(bytes, { partial: true, itemsAt: ['messages'] });
          } catch {
            // only the size limit throws with partial
          }
        };
      });
    });
  }

  // Families that build many live containers make V8's own JSON.parse grow faster than its
  // input too (its garbage collector promotes them), so N against 8N measures the engine. They
  // are compared with JSON.parse on the same text instead: a quadratic step would be far off.
  const heavy: Record<string, string> = {
    'many small arrays': `[${'[1],'.repeat(256 * 1024)}0]`,
    'nesting to the limit, repeated': `[${`${'['.repeat(60)}${']'.repeat(60)},`.repeat(8 * 1024)}0]`,
    'many keys': `{${Array.from({ length: 64 * 1024 }, (_, i) => `"k${i}":1`).join(',')}}`,
    'many messages with nested text': `{"messages":[${'{"text":["a",{"type":"b","text":"c"}]},'.repeat(32 * 1024)}0]}`,
  };
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const best = (run: () => unknown) => {
    let b = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = cpuMs();
      run();
      b = Math.min(b, cpuMs() - t);
    }
    return b;
  };
  for (const [label, text] of Object.entries(heavy)) {
    it(`${label}: within a small factor of JSON.parse`, () => {
      const bytes = enc(text);
      let seen = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const ours = best(() => readJson(bytes, { itemsAt: ['messages'] }));
        const theirs = best(() => JSON.parse(text));
        if (ours <= 12 * Math.max(theirs, 5)) return;
        seen += ` ours ${ours.toFixed(1)} ms, JSON.parse ${theirs.toFixed(1)} ms;`;
      }
      throw new Error(`${label}: too slow against JSON.parse:${seen}`);
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
