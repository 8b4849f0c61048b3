import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../main/core/db/database';
import { addTestItem } from '../support/seed';
import { failure, newService, ok } from '../support/service';

interface Label {
  id: string;
  kind: 'item' | 'incident' | 'person' | 'other';
  label: string;
}
interface Entry {
  seq: number;
  action: string;
  subjects: string[];
  subjectLabels: Label[];
}
interface Page {
  total: number;
  entries: Entry[];
}

describe('custody.page: the log a page at a time, subjects in words', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const page = (offset: number, limit: number, order: 'asc' | 'desc') =>
    ok<Page>(call('custody.page', { offset, limit, order }));

  const photo = addTestItem(vault, { name: 'doorstep.jpg', mime: 'image/jpeg' });
  const note = await ok<{ id: string }>(call('items.addNote', { id: photo, body: 'Left at 9' }));
  const person = await ok<{ id: string }>(
    call('people.create', { name: 'J. Smith', role: 'harasser' }),
  );
  const incident = await ok<{ id: string }>(
    call('incidents.create', {
      occurredAt: '2024-03-09T21:15:00+01:00',
      place: 'outside work',
      itemIds: [photo],
      personIds: [person.id],
    }),
  );
  const bare = await ok<{ id: string }>(call('incidents.create', { occurredAt: '2024-03-10' }));
  const missing = '0123456789abcdefghjkmnpqrs';
  vault.batch(() =>
    vault.custody.append('annotate', [missing, photo], { what: 'note added', note: 'test' }),
  );
  const all = vault.log();

  it('gives the total and pages in either order, by seq', async () => {
    const n = all.length;
    const first = await page(0, 3, 'asc');
    expect(first.total).toBe(n);
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await page(3, 500, 'asc')).entries.map((e) => e.seq)).toEqual(
      all.slice(3).map((e) => e.seq),
    );
    const newest = await page(0, 2, 'desc');
    expect(newest.total).toBe(n);
    expect(newest.entries.map((e) => e.seq)).toEqual([n, n - 1]);
    expect((await page(n - 1, 10, 'desc')).entries.map((e) => e.seq)).toEqual([1]);
    expect(await page(n, 10, 'asc')).toEqual({ total: n, entries: [] });
    expect(await page(n + 50, 10, 'desc')).toEqual({ total: n, entries: [] });
  });

  it('keeps every entry exactly as the log holds it', async () => {
    const { entries } = await page(0, 500, 'asc');
    expect(entries.map(({ subjectLabels: _, ...e }) => e)).toEqual(all);
  });

  it('labels items, incidents, people, and shows other ids as they are', async () => {
    const { entries } = await page(0, 500, 'asc');
    const bySubjects = (ids: string[]) =>
      entries.find((e) => JSON.stringify(e.subjects) === JSON.stringify(ids))!.subjectLabels;
    expect(bySubjects([photo, note.id])).toEqual([
      { id: photo, kind: 'item', label: 'doorstep.jpg' },
      { id: note.id, kind: 'other', label: note.id },
    ]);
    expect(bySubjects([person.id])).toEqual([{ id: person.id, kind: 'person', label: 'J. Smith' }]);
    expect(bySubjects([incident.id, photo, person.id])).toEqual([
      { id: incident.id, kind: 'incident', label: 'the incident on 9 Mar 2024 (outside work)' },
      { id: photo, kind: 'item', label: 'doorstep.jpg' },
      { id: person.id, kind: 'person', label: 'J. Smith' },
    ]);
    expect(bySubjects([bare.id])).toEqual([
      { id: bare.id, kind: 'incident', label: 'the incident on 10 Mar 2024' },
    ]);
    expect(bySubjects([missing, photo])).toEqual([
      { id: missing, kind: 'other', label: missing },
      { id: photo, kind: 'item', label: 'doorstep.jpg' },
    ]);
    for (const e of entries) expect(e.subjectLabels.map((l) => l.id)).toEqual(e.subjects);
  });

  it('shows a renamed person by their current name', async () => {
    await ok(call('people.update', { id: person.id, name: 'John Smith' }));
    const { entries } = await page(0, 500, 'asc');
    const created = entries.find((e) => e.subjects.length === 1 && e.subjects[0] === person.id)!;
    expect(created.subjectLabels[0]!.label).toBe('John Smith');
  });

  it('refuses a bad page', async () => {
    for (const args of [
      { offset: -1, limit: 10, order: 'asc' },
      { offset: 0, limit: 0, order: 'asc' },
      { offset: 0, limit: 501, order: 'asc' },
      { offset: 0.5, limit: 10, order: 'asc' },
      { offset: 0, limit: 10, order: 'sideways' },
      { offset: 0, limit: 10 },
    ]) {
      expect((await failure(call('custody.page', args))).code).toBe('USAGE');
    }
  });
});

describe('custody.page on a log of 100,000 entries', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const ids = Array.from({ length: 200 }, (_, i) =>
    addTestItem(vault, { name: `file-${i}.png`, mime: 'image/png' }),
  );
  const N = 100_000;
  vault.batch(() => {
    for (let i = vault.log().length; i < N; i++)
      vault.custody.append('annotate', [ids[i % ids.length]!], {
        what: 'tags changed',
        added: [],
        removed: [],
      });
  });

  // No time limit: on a busy two-core machine one flakes, and with the pages in memory even a
  // scan of all 100,000 rows by OFFSET takes about 3 ms, so a limit could not tell a scan from
  // a range anyway. The query plan below is what says a page is a primary-key range.
  it('reads any page with the seq index, labels and all', async () => {
    const plan = (vault as unknown as { db: Db }).db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM custody_log WHERE seq <= ? ORDER BY seq DESC LIMIT ?',
      )
      .all(1, 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INTEGER PRIMARY KEY/);

    for (const [offset, order] of [
      [0, 'desc'],
      [N - 200, 'desc'],
      [N / 2, 'asc'],
      [N - 200, 'asc'],
    ] as const) {
      const r = await ok<Page>(call('custody.page', { offset, limit: 200, order }));
      expect(r.total).toBe(N);
      expect(r.entries).toHaveLength(200);
      const firstSeq = order === 'asc' ? offset + 1 : N - offset;
      expect(r.entries[0]!.seq).toBe(firstSeq);
      expect(r.entries[0]!.subjectLabels[0]!.kind).toBe('item');
    }
  }, 120_000);
});
