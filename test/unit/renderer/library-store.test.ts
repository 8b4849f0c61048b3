import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as Array<{ sort: string; order: string; itemIds?: string[] }>);

vi.mock('../../../renderer/src/api/transport', () => ({
  api: {
    'items.query': async (a: { sort: string; order: string; itemIds?: string[] }) => {
      calls.push({
        sort: a.sort,
        order: a.order,
        ...(a.itemIds === undefined ? {} : { itemIds: a.itemIds }),
      });
      return { total: 0, rows: [] };
    },
    'items.facets': async () => ({ total: 0, kinds: [], tags: [] }),
    on: () => () => undefined,
  },
  connection: { surface: 'web' },
}));

const { useLibrary } = await import('../../../renderer/src/stores/library');
const store = () => useLibrary.getState();

describe('library store: sort order', () => {
  beforeEach(() => {
    calls.length = 0;
    useLibrary.setState({ sort: 'sourceTime', order: 'desc' });
  });

  it('starts a new sort in its own default order: names A to Z, sizes largest first', () => {
    store().setSort('name');
    expect([store().sort, store().order]).toEqual(['name', 'asc']);
    store().setSort('size');
    expect([store().sort, store().order]).toEqual(['size', 'desc']);
    store().setSort('ingestedAt');
    expect([store().sort, store().order]).toEqual(['ingestedAt', 'desc']);
    expect(calls.at(-1)).toEqual({ sort: 'ingestedAt', order: 'desc' });
  });

  it('keeps an order the person chose, and the order of a sort chosen again', () => {
    store().setSort('name');
    store().setSort('name', 'desc');
    expect(store().order).toBe('desc');
    store().setSort('name');
    expect(store().order).toBe('desc');
    expect(calls.at(-1)).toEqual({ sort: 'name', order: 'desc' });
  });
});

describe('library store: only some items (the review-status filter)', () => {
  beforeEach(() => {
    calls.length = 0;
    useLibrary.setState({ sort: 'sourceTime', order: 'desc', onlyItems: null });
  });

  it('asks for those items only, none when the list is empty, and all again with null', () => {
    store().setOnlyItems(['b', 'a']);
    expect(calls.at(-1)).toEqual({ sort: 'sourceTime', order: 'desc', itemIds: ['b', 'a'] });
    store().setOnlyItems([]);
    expect(calls.at(-1)).toEqual({ sort: 'sourceTime', order: 'desc', itemIds: [] });
    store().setOnlyItems(null);
    expect(calls.at(-1)).toEqual({ sort: 'sourceTime', order: 'desc' });
  });

  it('does not fetch again for the same list (a status set elsewhere that changes nothing here)', () => {
    store().setOnlyItems(['a', 'b']);
    const n = calls.length;
    store().setOnlyItems(['a', 'b']);
    store().setOnlyItems(null);
    store().setOnlyItems(null);
    expect(calls.length).toBe(n + 1);
  });
});
