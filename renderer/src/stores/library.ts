import { create } from 'zustand';
import type { Args, Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';

/**
 * The library query: sort, filters and search text, and the rows fetched so far. Rows are
 * fetched a page at a time as the grid scrolls (the DOM holds only what is on screen; this
 * store holds only pages that were looked at), and dropped when the query changes.
 */
export type LibraryRow = Result<'items.query'>['rows'][number];
type QueryArgs = Args<'items.query'>;
// The app sorts by these; `relevance` is the command line's search order.
export type Sort = Exclude<QueryArgs['sort'], 'relevance'>;
export type Kind = NonNullable<QueryArgs['kinds']>[number];

export interface Filters {
  text: string;
  kinds: Kind[];
  tags: string[];
  personIds: string[];
  incidentIds: string[];
  from: string;
  to: string;
}

export const PAGE_SIZE = 200;

/** The order a sort starts in when it is chosen: names A to Z, the rest biggest or newest first. */
export const DEFAULT_ORDER: Record<Sort, 'asc' | 'desc'> = {
  sourceTime: 'desc',
  ingestedAt: 'desc',
  name: 'asc',
  size: 'desc',
};

interface LibraryStore {
  sort: Sort;
  order: 'asc' | 'desc';
  filters: Filters;
  view: 'grid' | 'list';
  total: number | null;
  /** Page index → rows; a page being fetched maps to null. */
  pages: Map<number, LibraryRow[] | null>;
  /** Bumped on every query change, so a late answer for an old query is dropped. */
  generation: number;
  error: string | null;
  facets: Result<'items.facets'> | null;
  /** Only these items (while reviewing: the exhibits of one review status); null: all. */
  onlyItems: string[] | null;
  setOnlyItems(ids: string[] | null): void;
  /** Without an order: a new sort starts in its DEFAULT_ORDER, the same sort keeps its order. */
  setSort(sort: Sort, order?: 'asc' | 'desc'): void;
  setFilters(patch: Partial<Filters>): void;
  clearFilters(): void;
  setView(view: 'grid' | 'list'): void;
  /** Makes sure the pages covering rows [start, end) are loaded or on their way. */
  ensureRange(start: number, end: number): void;
  rowAt(index: number): LibraryRow | undefined;
  /** After an import or an edit: fetch again what is on screen. */
  reload(): void;
  loadFacets(): Promise<void>;
}

export const EMPTY_FILTERS: Filters = {
  text: '',
  kinds: [],
  tags: [],
  personIds: [],
  incidentIds: [],
  from: '',
  to: '',
};

function queryArgs(s: LibraryStore, page: number): QueryArgs {
  const f = s.filters;
  return {
    text: f.text.trim() || undefined,
    sort: s.sort,
    order: s.order,
    kinds: f.kinds.length ? f.kinds : undefined,
    tags: f.tags.length ? f.tags : undefined,
    personIds: f.personIds.length ? f.personIds : undefined,
    incidentIds: f.incidentIds.length ? f.incidentIds : undefined,
    itemIds: s.onlyItems ?? undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

export const useLibrary = create<LibraryStore>((set, get) => {
  const fetchPage = async (page: number): Promise<void> => {
    const generation = get().generation;
    set((s) => ({ pages: new Map(s.pages).set(page, null) }));
    try {
      const result = await api['items.query'](queryArgs(get(), page));
      if (get().generation !== generation) return;
      set((s) => ({
        total: result.total,
        pages: new Map(s.pages).set(page, result.rows),
        error: null,
      }));
    } catch (e) {
      if (get().generation !== generation) return;
      set((s) => {
        const pages = new Map(s.pages);
        pages.delete(page);
        return { pages, error: messageOf(e) };
      });
    }
  };
  const restart = (): void => {
    set((s) => ({ pages: new Map(), total: null, generation: s.generation + 1 }));
    void fetchPage(0);
  };
  return {
    sort: 'sourceTime',
    order: 'desc',
    filters: EMPTY_FILTERS,
    view: 'grid',
    total: null,
    pages: new Map(),
    generation: 0,
    error: null,
    facets: null,
    onlyItems: null,
    setOnlyItems(onlyItems) {
      const was = get().onlyItems;
      if (was === onlyItems) return;
      if (
        was &&
        onlyItems &&
        was.length === onlyItems.length &&
        was.every((x, i) => x === onlyItems[i])
      )
        return;
      set({ onlyItems });
      restart();
    },
    setSort(sort, order) {
      const s = get();
      set({ sort, order: order ?? (sort === s.sort ? s.order : DEFAULT_ORDER[sort]) });
      restart();
    },
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
      restart();
    },
    clearFilters() {
      set({ filters: EMPTY_FILTERS });
      restart();
    },
    setView(view) {
      set({ view });
    },
    ensureRange(start, end) {
      const { pages, total } = get();
      const last = total === null ? 0 : Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
      const first = Math.max(0, Math.floor(start / PAGE_SIZE));
      const stop = Math.min(last, Math.floor(Math.max(start, end - 1) / PAGE_SIZE));
      for (let p = first; p <= stop; p++) if (!pages.has(p)) void fetchPage(p);
    },
    rowAt(index) {
      return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    },
    reload() {
      restart();
      void get().loadFacets();
    },
    async loadFacets() {
      try {
        set({ facets: await api['items.facets']({}) });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
  };
});

// Any change to the vault (an import, a tag, a link, from this window or a job) refreshes
// what is on screen; a burst of changes (one per file of an import) refreshes once.
let changeTimer: ReturnType<typeof setTimeout> | null = null;
api.on('vaultChanged', () => {
  if (changeTimer) clearTimeout(changeTimer);
  changeTimer = setTimeout(() => {
    changeTimer = null;
    useLibrary.getState().reload();
  }, 150);
});
