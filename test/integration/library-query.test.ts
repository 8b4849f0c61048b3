import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { DossierService } from '../../main/core/api/service';
import { openDatabase } from '../../main/core/db/database';
import { MIGRATIONS } from '../../main/core/db/migrations';
import type { LibraryQuery } from '../../main/core/items/library';
import { kindOfMime } from '../../shared/item-kind';
import { addTestItem, seedItems } from '../support/seed';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE, TEST_KDF } from '../support/vault';

const base: LibraryQuery = { sort: 'sourceTime', order: 'desc', offset: 0, limit: 500 };

describe('items.query on hand-made items', async () => {
  const { vault } = await newVault(join(await tempDir(), 'v'));
  const a = addTestItem(vault, {
    name: 'b photo.jpg',
    mime: 'image/jpeg',
    // 10:00 at +02:00 is 08:00 UTC: earlier than c's mtime although it reads later.
    exif: '2024-03-09T10:00:00+02:00',
    mtime: '2024-05-01T00:00:00.000Z',
    size: 300,
    tags: ['threat', 'car'],
    thumbnail: true,
  });
  const c = addTestItem(vault, {
    name: 'A letter.pdf',
    mime: 'application/pdf',
    mtime: '2024-03-09T09:00:00.000Z',
    size: 100,
    tags: ['threat'],
    note: 'He was parked outside the <b>gate</b> again',
  });
  const d = addTestItem(vault, {
    name: 'c mail.eml',
    mime: 'message/rfc822',
    ingestedAt: '2024-03-10T00:00:00.000Z',
    size: 200,
    text: 'Nothing about cars here, only Zoë and the café',
  });

  const ids = (q: Partial<LibraryQuery>) =>
    vault.items.query({ ...base, ...q }).rows.map((r) => r.id);

  it('sorts by the best source time as UTC, falling back to the import time', () => {
    expect(ids({ order: 'asc' })).toEqual([a, c, d]);
    expect(ids({})).toEqual([d, c, a]);
  });

  it('sorts by name (ignoring case), size and import time', () => {
    expect(ids({ sort: 'name', order: 'asc' })).toEqual([c, a, d]);
    expect(ids({ sort: 'size', order: 'desc' })).toEqual([a, d, c]);
    expect(ids({ sort: 'ingestedAt', order: 'asc' })[0]).toBe(d);
  });

  it('gives the kind, the thumbnail flag and the summary fields', () => {
    const row = vault.items.query({ ...base, kinds: ['image'] }).rows[0]!;
    expect(row).toMatchObject({
      id: a,
      kind: 'image',
      hasThumbnail: true,
      sourceTime: '2024-03-09T10:00:00+02:00',
      tags: ['car', 'threat'],
      snippet: null,
    });
    expect(vault.items.query({ ...base, kinds: ['document'] }).rows[0]!.hasThumbnail).toBe(false);
  });

  it('filters by kinds, and by tags (all of them, any case)', () => {
    expect(ids({ kinds: ['email', 'document'] })).toEqual([d, c]);
    expect(ids({ tags: ['THREAT'] })).toEqual([c, a]);
    expect(ids({ tags: ['threat', 'car'] })).toEqual([a]);
    expect(vault.items.query({ ...base, tags: ['threat', 'no such tag'] })).toEqual({
      total: 0,
      rows: [],
    });
  });

  it('filters on the sort time; a bare "to" date covers its whole day', () => {
    expect(ids({ from: '2024-03-09', to: '2024-03-09' })).toEqual([c, a]);
    expect(ids({ from: '2024-03-09T08:30:00Z' })).toEqual([d, c]);
    expect(ids({ to: '2024-03-09T08:00:00.000Z' })).toEqual([a]);
  });

  it('refuses a date it cannot read, and a range that ends before it starts', () => {
    expect(() => vault.items.query({ ...base, from: 'last tuesday' })).toThrow(
      /"last tuesday" is not a date/,
    );
    expect(() => vault.items.query({ ...base, from: '2024-03-10', to: '2024-03-09' })).toThrow(
      /start date .* is after the end date/,
    );
  });

  it('searches names, notes and extracted text, words as typed, with plain-text snippets', () => {
    const page = vault.items.query({ ...base, text: 'gate agai' });
    expect(page.total).toBe(1);
    const snippet = page.rows[0]!.snippet!;
    expect(snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['gate', 'again']);
    // Markup in the text stays text: it is never turned into a highlight.
    expect(snippet.map((s) => s.text).join('')).toBe('He was parked outside the <b>gate</b> again');
    expect(ids({ text: 'zoe CAFE' })).toEqual([d]);
    expect(ids({ text: 'letter' })).toEqual([c]);
    // FTS5 syntax is not interpreted: NOT and quotes are words like any other.
    expect(ids({ text: 'gate NOT "again' })).toEqual([]);
    expect(ids({ text: '!!!' })).toEqual([]);
    expect(ids({ text: '   ' })).toHaveLength(3);
  });

  it('counts every match whatever the page, and pages past the end are empty', () => {
    expect(vault.items.query({ ...base, limit: 1 })).toMatchObject({ total: 3 });
    expect(vault.items.query({ ...base, offset: 3 })).toEqual({ total: 3, rows: [] });
  });

  it('sees a new item at once (the cached count is dropped on a write)', () => {
    expect(vault.items.query({ ...base, tags: ['threat'] }).total).toBe(2);
    addTestItem(vault, { name: 'new.png', mime: 'image/png', tags: ['threat'] });
    expect(vault.items.query({ ...base, tags: ['threat'] }).total).toBe(3);
    expect(vault.items.facets().tags).toContainEqual({ name: 'threat', count: 3 });
  });

  it('answers facets: kinds and tags with counts, most used first', () => {
    const f = vault.items.facets();
    expect(f.total).toBe(4);
    expect(f.kinds).toEqual([
      { kind: 'image', count: 2 },
      { kind: 'document', count: 1 },
      { kind: 'email', count: 1 },
    ]);
    expect(f.tags).toEqual([
      { name: 'threat', count: 3 },
      { name: 'car', count: 1 },
    ]);
  });

  it('puts a search in order again after items change, and not from a rolled-back change', () => {
    const db = (vault as unknown as { db: Database.Database }).db;
    const q: LibraryQuery = { text: 'kestrel', sort: 'name', order: 'asc', offset: 0, limit: 50 };
    const names = () => vault.items.query(q).rows.map((r) => r.name);
    expect(names()).toEqual([]);
    addTestItem(vault, { name: 'm kestrel.png', mime: 'image/png' });
    addTestItem(vault, { name: 'b kestrel.png', mime: 'image/png' });
    expect(names()).toEqual(['b kestrel.png', 'm kestrel.png']);
    // A change rolled back after a search inside it: the ranks it saw must not be reused.
    const inside = db.transaction(() => {
      addTestItem(vault, { name: 'a kestrel.png', mime: 'image/png' });
      expect(names()).toEqual(['a kestrel.png', 'b kestrel.png', 'm kestrel.png']);
      throw new Error('roll back');
    });
    expect(() => inside()).toThrow('roll back');
    addTestItem(vault, { name: 'z kestrel.png', mime: 'image/png' });
    expect(names()).toEqual(['b kestrel.png', 'm kestrel.png', 'z kestrel.png']);
    expect(vault.items.query({ ...q, order: 'desc', offset: 1, limit: 1 })).toMatchObject({
      total: 3,
      rows: [{ name: 'm kestrel.png' }],
    });
  });
});

describe('items.query: search finds tags; rows say what is wrong with a file', async () => {
  const { vault } = await newVault(join(await tempDir(), 'v'));
  const tagged = addTestItem(vault, {
    name: 'IMG_0001.png',
    mime: 'image/png',
    mtime: '2024-03-01T00:00:00.000Z',
    tags: ['threat', 'new-account'],
    note: 'Left at the gate',
  });
  const written = addTestItem(vault, {
    name: 'letter.pdf',
    mime: 'application/pdf',
    mtime: '2024-03-02T00:00:00.000Z',
    note: 'A threatening letter',
  });
  const other = addTestItem(vault, {
    name: 'Café.jpg',
    mime: 'image/jpeg',
    mtime: '2024-03-03T00:00:00.000Z',
    tags: ['Été'],
    warnings: [
      'This image is truncated or damaged: it was stored as is; no preview could be made.',
    ],
    sensitive: ['gps'],
  });

  const ids = (q: Partial<LibraryQuery>) =>
    vault.items.query({ ...base, order: 'asc', ...q }).rows.map((r) => r.id);

  it('finds an item by a tag, as a word or the start of one, like any other word', () => {
    expect(ids({ text: 'threat' })).toEqual([tagged, written]);
    expect(ids({ text: 'THRE' })).toEqual([tagged, written]);
    // A word of a tag with several words, and accents folded as the text search folds them.
    expect(ids({ text: 'account' })).toEqual([tagged]);
    expect(ids({ text: 'ete' })).toEqual([other]);
    expect(ids({ text: 'no-such-thing' })).toEqual([]);
  });

  it('needs every word, each in the text or a tag', () => {
    expect(ids({ text: 'threat gate' })).toEqual([tagged]);
    expect(ids({ text: 'threat letter' })).toEqual([written]);
    expect(ids({ text: 'account letter' })).toEqual([]);
  });

  it('keeps totals, paging, other filters and items.search consistent with it', () => {
    expect(vault.items.query({ ...base, text: 'threat', limit: 1 })).toMatchObject({ total: 2 });
    expect(ids({ text: 'threat', offset: 1, limit: 1 })).toEqual([written]);
    expect(ids({ text: 'threat', kinds: ['image'] })).toEqual([tagged]);
    expect(ids({ text: 'threat', tags: ['new-account'] })).toEqual([tagged]);
    expect(ids({ text: 'threat', sort: 'name', order: 'desc' })).toEqual([written, tagged]);
    // Found in the text ranks before found by a tag alone.
    expect(vault.items.search('threat')).toEqual([written, tagged]);
  });

  it('says in the snippet which tag matched, as a highlight', () => {
    const rows = vault.items.query({ ...base, order: 'asc', text: 'threat gate' }).rows;
    const snippet = rows[0]!.snippet!;
    expect(snippet.filter((x) => x.match).map((x) => x.text)).toEqual(['gate', 'threat']);
    expect(snippet.map((x) => x.text).join('')).toBe('Left at the gate · tag: threat');
    const byTagAlone = vault.items.query({ ...base, text: 'account' }).rows[0]!.snippet!;
    expect(byTagAlone).toEqual([
      { text: 'tag: ', match: false },
      { text: 'new-account', match: true },
    ]);
  });

  it('stops finding an item by a tag once the tag is taken off', () => {
    vault.setTags(tagged, ['new-account']);
    expect(ids({ text: 'threat' })).toEqual([written]);
    vault.setTags(tagged, ['threat', 'new-account']);
    expect(ids({ text: 'threat' })).toEqual([tagged, written]);
  });

  it('flags rows with import warnings and with location data', () => {
    const rows = vault.items.query(base).rows;
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect(row(other)).toMatchObject({ warnings: 1, hasLocation: true });
    expect(row(tagged)).toMatchObject({ warnings: 0, hasLocation: false });
    expect(row(written)).toMatchObject({ warnings: 0, hasLocation: false });
  });
});

describe('items.query against a brute-force answer on 3,000 seeded items', async () => {
  const { vault } = await newVault(join(await tempDir(), 'v'));
  const seeded = seedItems(vault, 3000, { seed: 7, people: 5, incidents: 20 });
  const all = vault.list().map((s) => vault.items.get(s.id));
  const people = new Map(seeded.personIds.map((p) => [p, new Set(vault.cases.person(p).itemIds)]));
  const incidents = new Map(
    seeded.incidentIds.map((i) => [i, new Set(vault.cases.incident(i).itemIds)]),
  );
  const utc = (t: string) => new Date(/[Z+-]\d\d:\d\d$|Z$/.test(t) ? t : `${t}Z`).toISOString();
  const sortTime = (i: (typeof all)[number]) =>
    utc(i.sourceTimes.exif ?? i.sourceTimes.email ?? i.sourceTimes.mtime ?? i.ingestedAt);
  const key = {
    sourceTime: sortTime,
    ingestedAt: (i: (typeof all)[number]) => i.ingestedAt,
    name: (i: (typeof all)[number]) => i.name.replace(/[A-Z]/g, (c) => c.toLowerCase()),
    size: (i: (typeof all)[number]) => i.size,
  };

  // A bare date is a whole day: "from" its midnight, "to" before the next one.
  const isDay = (t: string) => /^\d{4}-\d{2}-\d{2}$/.test(t);
  const dayAfter = (t: string) => new Date(Date.parse(`${t}T00:00:00Z`) + 86_400_000).toISOString();

  // Each word of a search: in the full text (FTS5 alone), or the start of a word of a tag.
  const db = (vault as unknown as { db: Database.Database }).db;
  const inText = (word: string) =>
    new Set(
      db
        .prepare(
          'SELECT i.id FROM item_search s JOIN items i ON i.search_rowid = s.rowid WHERE item_search MATCH ?',
        )
        .pluck()
        .all(`"${word}"*`) as string[],
    );
  const inTags = (word: string, tags: string[]) =>
    tags.some((t) =>
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((w) => w.startsWith(word.toLowerCase())),
    );
  const textMatch = (text: string) => {
    const words = text.split(/\s+/).filter(Boolean);
    const sets = words.map(inText);
    return (i: (typeof all)[number]) =>
      words.every((w, k) => sets[k]!.has(i.id) || inTags(w, i.tags));
  };

  function expected(q: LibraryQuery): { total: number; ids: string[] } {
    const text = q.text ? textMatch(q.text) : null;
    const hits = all.filter(
      (i) =>
        (!text || text(i)) &&
        (!q.kinds || q.kinds.includes(kindOfMime(i.mime))) &&
        (q.tags ?? []).every((t) => i.tags.includes(t)) &&
        (!q.personIds || q.personIds.some((p) => people.get(p)!.has(i.id))) &&
        (!q.incidentIds || q.incidentIds.some((p) => incidents.get(p)!.has(i.id))) &&
        (!q.itemIds || q.itemIds.includes(i.id)) &&
        (!q.from || sortTime(i) >= utc(q.from)) &&
        (!q.to || (isDay(q.to) ? sortTime(i) < dayAfter(q.to) : sortTime(i) <= q.to)),
    );
    const k = key[q.sort as Exclude<LibraryQuery['sort'], 'relevance'>];
    const sign = q.order === 'asc' ? 1 : -1;
    hits.sort((x, y) => {
      const a = k(x);
      const b = k(y);
      return sign * (a < b ? -1 : a > b ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    });
    return { total: hits.length, ids: hits.slice(q.offset, q.offset + q.limit).map((i) => i.id) };
  }

  it('gives the same rows and totals for random filters, sorts and pages', () => {
    let rand = 1;
    const r = (n: number) => ((rand = (rand * 48271) % 2147483647) % n) as number;
    const sorts = ['sourceTime', 'ingestedAt', 'name', 'size'] as const;
    const kinds = ['image', 'email', 'document', 'text', 'audio', 'video', 'other'] as const;
    let nonEmpty = 0;
    for (let n = 0; n < 150; n++) {
      const q: LibraryQuery = {
        sort: sorts[r(4)]!,
        order: r(2) ? 'asc' : 'desc',
        offset: [0, 0, 10, 200, 2500][r(5)]!,
        limit: [1, 50, 200][r(3)]!,
      };
      if (r(3) === 0) q.kinds = [kinds[r(7)]!, kinds[r(7)]!];
      if (r(3) === 0)
        q.tags = r(2) ? [seeded.tags[r(5)]!] : [seeded.tags[r(5)]!, seeded.tags[r(30)]!];
      if (r(5) === 0) q.personIds = [seeded.personIds[r(5)]!];
      if (r(5) === 0) q.incidentIds = [seeded.incidentIds[r(20)]!, seeded.incidentIds[r(20)]!];
      // The review-status filter: a few hundred ids, some twice.
      if (r(6) === 0) q.itemIds = all.filter(() => r(8) === 0).map((i) => i.id);
      // Times, midnights and bare dates (whole days, counted from the day counts).
      const when = (year: number) =>
        [
          `${year}-0${1 + r(9)}-01T00:00:00.000Z`,
          `${year}-0${1 + r(9)}-1${r(10)}`,
          `${year}-0${1 + r(9)}-0${1 + r(9)}T1${r(10)}:30:00Z`,
        ][r(3)]!;
      if (r(4) === 0) q.from = when(2024);
      if (r(4) === 0) q.to = when(2025);
      if (r(4) === 0) q.text = r(3) ? seeded.words[r(60)]! : seeded.tags[r(30)]!;
      const got = vault.items.query(q);
      const want = expected(q);
      expect({ total: got.total, ids: got.rows.map((x) => x.id) }, JSON.stringify(q)).toEqual(want);
      if (want.ids.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(75);
  });

  it('gives the same rows for kinds, tags, people, incidents or a search alone (their own paths)', () => {
    const sorts = ['sourceTime', 'ingestedAt', 'name', 'size'] as const;
    const filters: Partial<LibraryQuery>[] = [
      { kinds: ['other'] },
      { kinds: ['email', 'video'] },
      { kinds: ['image', 'text', 'audio'] },
      { kinds: ['document'], from: '2024-03-01', to: '2025-02-28' },
      { kinds: ['image', 'email'], from: '2024-06-01T12:00:00Z' },
      { tags: [seeded.tags[0]!] },
      { tags: [seeded.tags[1]!, seeded.tags[1]!] },
      { tags: [seeded.tags[0]!, seeded.tags[2]!] },
      { tags: [seeded.tags[0]!, seeded.tags[2]!, seeded.tags[3]!] },
      // People or incidents alone: counted from their links.
      { personIds: [seeded.personIds[0]!] },
      { personIds: [seeded.personIds[1]!, seeded.personIds[2]!] },
      { incidentIds: [seeded.incidentIds[0]!, seeded.incidentIds[3]!] },
      // Named items alone (the review-status filter), and with a kind.
      { itemIds: all.filter((_, n) => n % 7 === 0).map((i) => i.id) },
      { itemIds: all.filter((_, n) => n % 3 === 0).map((i) => i.id), kinds: ['image'] },
      // A search alone: put in order by the ranks held in memory.
      { text: seeded.words[0]! },
      { text: seeded.words[7]! },
      { text: `${seeded.words[3]!} ${seeded.words[9]!}` },
      // Words that are tags (alone, with a word of the text, with a tag filter).
      { text: seeded.tags[0]! },
      { text: 'photo' },
      { text: `screen ${seeded.words[1]!}` },
      { text: 'photo', tags: [seeded.tags[0]!] },
      { text: 'new', kinds: ['image'] },
    ];
    for (const f of filters) {
      for (const sort of sorts) {
        for (const order of ['asc', 'desc'] as const) {
          for (const [offset, limit] of [
            [0, 200],
            [37, 50],
            [600, 200],
          ] as const) {
            const q: LibraryQuery = { sort, order, offset, limit, ...f };
            const got = vault.items.query(q);
            expect({ total: got.total, ids: got.rows.map((x) => x.id) }, JSON.stringify(q)).toEqual(
              expected(q),
            );
          }
        }
      }
    }
  });

  it("keeps the day counts and the rows' tag names equal to what they are made from", () => {
    const db = (vault as unknown as { db: Database.Database }).db;
    const counts = () => ({
      kept: db.prepare('SELECT kind, day, n FROM library_counts ORDER BY 1, 2').all(),
      made: db
        .prepare(
          'SELECT kind, substr(sort_time, 1, 10) AS day, count(*) AS n FROM items GROUP BY 1, 2 ORDER BY 1, 2',
        )
        .all(),
    });
    const tagNames = () => ({
      kept: vault.list().map((i) => [i.id, i.tags]),
      made: vault
        .list()
        .map((i) => [
          i.id,
          (
            db
              .prepare(
                'SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_id = ? ORDER BY t.name',
              )
              .all(i.id) as { name: string }[]
          ).map((t) => t.name),
        ]),
    });
    const c0 = counts();
    expect(c0.kept.length).toBeGreaterThan(100);
    expect(c0.kept).toEqual(c0.made);
    expect(tagNames().kept).toEqual(tagNames().made);
    // An edit in a transaction that is rolled back leaves both as they were.
    const [first, second] = vault.list();
    const edit = db.transaction(() => {
      db.prepare(
        `UPDATE items SET kind = 'other', sort_time = '1999-01-01T00:00:00.000Z' WHERE id = ?`,
      ).run(first!.id);
      db.prepare('DELETE FROM item_tags WHERE item_id = ?').run(second!.id);
      db.prepare(`INSERT INTO tags (name) VALUES ('Zebra')`).run();
      db.prepare(
        `INSERT INTO item_tags (item_id, tag_id) SELECT ?, id FROM tags WHERE name = 'Zebra'`,
      ).run(second!.id);
      db.prepare(`UPDATE tags SET name = 'aardvark' WHERE name = 'Zebra'`).run();
      const c1 = counts();
      expect(c1.kept).toEqual(c1.made);
      expect(c1.kept).toContainEqual({ kind: 'other', day: '1999-01-01', n: 1 });
      expect(vault.items.get(second!.id).tags).toEqual(['aardvark']);
      const t1 = tagNames();
      expect(t1.kept).toEqual(t1.made);
      throw new Error('roll back');
    });
    expect(() => edit()).toThrow('roll back');
    expect(counts()).toEqual(c0);
  });

  it('pages through everything once, in order, with no item twice', () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = vault.items.query({ sort: 'size', order: 'asc', offset, limit: 200 });
      if (page.rows.length === 0) break;
      seen.push(...page.rows.map((x) => x.id));
    }
    expect(seen).toEqual(expected({ sort: 'size', order: 'asc', offset: 0, limit: 3000 }).ids);
  });
});

describe('items.query through the service', async () => {
  const dir = join(await tempDir(), 'v');
  const service = new DossierService(dir, { kdf: TEST_KDF });
  const created = await service.call('session.create', { passphrase: PASSPHRASE }, null, () => 0);
  const code = (created as { value: { recoveryCode: string } }).value.recoveryCode;
  await service.call(
    'session.confirmRecoveryCode',
    { group: 8, typed: code.slice(-4) },
    null,
    () => 0,
  );

  it('validates arguments with a plain message', async () => {
    const bad = async (args: unknown) =>
      (await service.call('items.query', args, null, () => undefined)) as {
        ok: false;
        error: { code: string; message: string };
      };
    expect(
      (await bad({ sort: 'sourceTime', order: 'desc', offset: 0, limit: 0 })).error,
    ).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/limit/),
    });
    expect(
      (await bad({ sort: 'colour', order: 'desc', offset: 0, limit: 10 })).error.message,
    ).toMatch(/sort/);
    expect(
      (await bad({ sort: 'size', order: 'desc', offset: 0, limit: 10, kinds: ['spreadsheet'] }))
        .error.message,
    ).toMatch(/kinds/);
    expect(
      (await bad({ sort: 'size', order: 'desc', offset: 0, limit: 10, from: 'soon' })).error,
    ).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/"soon" is not a date/) });
  });

  it('answers a page and facets', async () => {
    expect(
      await service.call(
        'items.query',
        { sort: 'size', order: 'desc', offset: 0, limit: 10 },
        null,
        () => undefined,
      ),
    ).toEqual({ ok: true, value: { total: 0, rows: [] } });
    expect(await service.call('items.facets', {}, null, () => undefined)).toEqual({
      ok: true,
      value: { total: 0, kinds: [], tags: [] },
    });
    await service.lock();
  });
});

describe('migrations 2 to 4 on a version 1 database', async () => {
  const path = join(await tempDir(), 'dossier.db');
  const key = randomBytes(32);
  const raw = new Database(path);
  raw.pragma(`cipher='sqlcipher'`);
  raw.pragma('legacy=4');
  raw.pragma(`key="x'${key.toString('hex')}'"`);
  raw.exec(MIGRATIONS[0] as string);
  raw.pragma('user_version = 1');
  const at = '2024-06-01T12:00:00.000Z';
  raw.exec(`
    INSERT INTO blobs VALUES ('b1', 'original', 1, 'h1', '${at}'), ('b2', 'original', 1, 'h2', '${at}');
    INSERT INTO items (id, blob_id, sha256, size, mime, name, ingested_at, ingested_offset, source_mtime, source_exif_time)
      VALUES ('i1', 'b1', 'h1', 1, 'image/jpeg', 'one.jpg', '${at}', 0, '2024-01-02T00:00:00.000Z', '2023-12-31T23:00:00-02:00'),
             ('i2', 'b2', 'h2', 1, 'message/rfc822', 'two.eml', '${at}', 0, NULL, NULL);
    INSERT INTO item_search (item_id, name, notes, text) VALUES ('i2', 'two.eml', '', ''), ('i1', 'one.jpg', 'kestrel', '');
    INSERT INTO tags (id, name) VALUES (1, 'threat'), (2, 'Car');
    INSERT INTO item_tags (item_id, tag_id) VALUES ('i1', 1), ('i1', 2);
  `);
  raw.close();
  const db = openDatabase(path, key);

  it('fills kind and sort time for existing items', () => {
    expect(db.prepare('SELECT id, kind, sort_time FROM items ORDER BY id').all()).toEqual([
      { id: 'i1', kind: 'image', sort_time: '2024-01-01T01:00:00.000Z' },
      { id: 'i2', kind: 'email', sort_time: at },
    ]);
  });

  it('gives existing items their tag names and counts them by kind and day (migration 4)', () => {
    expect(db.prepare('SELECT id, tag_names FROM items ORDER BY id').all()).toEqual([
      { id: 'i1', tag_names: '["Car","threat"]' },
      { id: 'i2', tag_names: '[]' },
    ]);
    expect(db.prepare('SELECT kind, day, n FROM library_counts ORDER BY kind').all()).toEqual([
      { kind: 'email', day: '2024-06-01', n: 1 },
      { kind: 'image', day: '2024-01-01', n: 1 },
    ]);
  });

  it('renumbers the search rows to match items.search_rowid, keeping their text', () => {
    const rows = db
      .prepare(
        `SELECT i.id, s.notes FROM item_search s JOIN items i ON i.search_rowid = s.rowid ORDER BY i.id`,
      )
      .all();
    expect(rows).toEqual([
      { id: 'i1', notes: 'kestrel' },
      { id: 'i2', notes: '' },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});
