import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  INCIDENT_IDS,
  ITEM_IDS,
  PERSON_IDS,
  resolveShortId,
  type IdKind,
} from '../../../main/core/short-id';

/**
 * Items, incidents and people are named on the command line the same way: the whole id, or
 * a unique prefix of 4+ characters; an ambiguous one lists what it fits, an unknown one says
 * which command lists the ids. Never the app's "Reload and try again".
 */
const db = new Database(':memory:');
db.exec(`
  CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT);
  CREATE TABLE incidents (id TEXT PRIMARY KEY, occurred_at TEXT, summary TEXT);
  CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT);
  INSERT INTO items VALUES ('01hzaaaa0000000000000000aa', 'threat.png'), ('01hzaaab0000000000000000bb', 'reply.eml');
  INSERT INTO incidents VALUES ('01hzaaaa0000000000000000aa', '2026-03-02T21:14:00Z', 'Email about my children'),
    ('01hzaaab0000000000000000bb', '2026-03-16T08:02:00Z', 'Email naming the school');
  INSERT INTO people VALUES ('01hzaaaa0000000000000000aa', 'Anonymous sender'),
    ('01hzaaab0000000000000000bb', 'Line1' || char(10) || 'Line2');
`);
afterAll(() => db.close());

const KINDS: [IdKind, string][] = [
  [ITEM_IDS, '`dossier ls`'],
  [INCIDENT_IDS, '`dossier incident ls`'],
  [PERSON_IDS, '`dossier person ls`'],
];

describe('short ids, the same for items, incidents and people', () => {
  it.each(KINDS)('a unique prefix of 4+ characters names one %s', (kind) => {
    expect(resolveShortId(db, kind, '01hzaaaa')).toBe('01hzaaaa0000000000000000aa');
    expect(resolveShortId(db, kind, ' 01HZAAAB ')).toBe('01hzaaab0000000000000000bb');
    expect(resolveShortId(db, kind, '01hzaaab0000000000000000bb')).toBe(
      '01hzaaab0000000000000000bb',
    );
  });

  it.each(KINDS)('an ambiguous prefix lists the candidates, on one line', (kind) => {
    let message = '';
    try {
      resolveShortId(db, kind, '01hzaaa');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`^More than one ${kind.noun} starts with 01hzaaa: `));
    expect(message).toContain('01hzaaaa0000000000000000aa (');
    expect(message).toContain('01hzaaab0000000000000000bb (');
    expect(message).toMatch(/Type more of the id\.$/);
    expect(message).not.toContain('\n');
  });

  it('names each candidate in words the person recognises', () => {
    expect(() => resolveShortId(db, INCIDENT_IDS, '01hz')).toThrow(
      /2026-03-02 Email about my children/,
    );
    expect(() => resolveShortId(db, ITEM_IDS, '01hz')).toThrow(/threat\.png/);
    expect(() => resolveShortId(db, PERSON_IDS, '01hz')).toThrow(/Anonymous sender.*Line1 Line2/);
  });

  it.each(KINDS)('an unknown or malformed %s id says which command lists them', (kind, list) => {
    expect(() => resolveShortId(db, kind, '01hzzzzz')).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: `There is no ${kind.noun} with id 01hzzzzz. List ${kind.plural} with ${list}.`,
      }),
    );
    for (const bad of ['01h', 'ab!cd', 'x'.repeat(27)]) {
      expect(() => resolveShortId(db, kind, bad)).toThrow(
        expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(list) }),
      );
    }
    expect(() => resolveShortId(db, kind, '01hzzzzz')).not.toThrow(/Reload/);
  });
});
