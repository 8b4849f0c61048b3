import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A log held in memory, paged the way custody.page pages it (by position in seq order). */
const log = vi.hoisted(() => ({ seqs: [] as number[], calls: 0, latencyMs: 1 }));

vi.mock('../../../renderer/src/api/transport', () => {
  const entry = (seq: number) => ({
    seq,
    at: '2024-03-09T10:00:00Z',
    actor: 'test',
    action: 'lock',
    subjects: [],
    details: {},
    prev: '',
    hash: String(seq),
    subjectLabels: [],
  });
  return {
    api: {
      'custody.page': async (a: { offset: number; limit: number; order: 'asc' | 'desc' }) => {
        log.calls++;
        await new Promise((r) => setTimeout(r, log.latencyMs));
        const ordered = a.order === 'asc' ? [...log.seqs] : [...log.seqs].reverse();
        return {
          total: log.seqs.length,
          entries: ordered.slice(a.offset, a.offset + a.limit).map(entry),
        };
      },
      'custody.verify': async () => ({ ok: true, entries: log.seqs.length, firstBroken: null }),
    },
  };
});

const { useCustody, PAGE_SIZE } = await import('../../../renderer/src/stores/custody');

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const store = () => useCustody.getState();
/** Resolves when the store says every page it asked for has arrived (none is loading). */
const settle = () =>
  new Promise<void>((resolve) => {
    const arrived = () =>
      store().total !== null && [...store().pages.values()].every((rows) => rows !== null);
    if (arrived()) return resolve();
    const stop = useCustody.subscribe(() => {
      if (!arrived()) return;
      stop();
      resolve();
    });
  });

describe('custody store: the log a page at a time', () => {
  beforeEach(async () => {
    log.seqs = range(1, 1000);
    log.calls = 0;
    log.latencyMs = 1;
    useCustody.setState({ order: 'desc' });
    await store().load();
  });

  it('reads the first page, newest first, and the chain report', () => {
    expect(store().total).toBe(1000);
    expect(store().pages.size).toBe(1);
    expect(store().entryAt(0)?.seq).toBe(1000);
    expect(store().entryAt(PAGE_SIZE - 1)?.seq).toBe(1000 - PAGE_SIZE + 1);
    expect(store().entryAt(PAGE_SIZE)).toBeUndefined();
    expect(store().report).toMatchObject({ ok: true, entries: 1000 });
  });

  it('fetches only the pages a range needs, once', async () => {
    store().ensureRange(610, 630);
    store().ensureRange(615, 620);
    await settle();
    expect([...store().pages.keys()].sort()).toEqual([0, 3]);
    expect(log.calls).toBe(2);
    expect(store().entryAt(610)?.seq).toBe(390);
  });

  it('waits for the pages themselves on a slow machine, not for a guessed time', async () => {
    log.latencyMs = 150;
    store().ensureRange(610, 630);
    await settle();
    expect(store().entryAt(610)?.seq).toBe(390);
    store().setOrder('asc');
    await settle();
    expect(store().entryAt(0)?.seq).toBe(1);
  });

  it('pages oldest first after the order changes', async () => {
    store().setOrder('asc');
    await settle();
    expect(store().entryAt(0)?.seq).toBe(1);
    store().ensureRange(999, 1000);
    await settle();
    expect(store().entryAt(999)?.seq).toBe(1000);
  });

  it('locates an entry by number in either order, and says when there is none', async () => {
    expect(await store().locate(1)).toBe(999);
    expect(store().entryAt(999)?.seq).toBe(1);
    expect(await store().locate(1001)).toBeNull();
    store().setOrder('asc');
    expect(await store().locate(250)).toBe(249);
    expect(await store().bounds()).toEqual({ first: 1, last: 1000 });
  });

  it('finds entries in a log with holes (a broken log)', async () => {
    log.seqs = [...range(1, 300), ...range(450, 1000)];
    await store().load();
    expect(await store().locate(600)).toBe(1000 - 600);
    expect(store().entryAt(400)?.seq).toBe(600);
    expect(await store().locate(300)).toBe(log.seqs.length - 300);
    expect(await store().locate(400)).toBeNull();
    store().setOrder('asc');
    expect(await store().locate(600)).toBe(300 + (600 - 450));
    expect(await store().bounds()).toEqual({ first: 1, last: 1000 });
  });

  it('keeps showing the log as first read while entries are added', async () => {
    log.seqs = range(1, 1050);
    store().ensureRange(400, 401);
    await settle();
    expect(store().total).toBe(1000);
    expect(store().entryAt(400)?.seq).toBe(600);
    expect(await store().locate(1)).toBe(999);
    await store().load();
    expect(store().total).toBe(1050);
    expect(store().entryAt(0)?.seq).toBe(1050);
  });
});
