import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';

/**
 * The custody log and its verification. The log is read a page at a time as the list
 * scrolls (a vault of 100,000 items has a log of that order): this store holds only the
 * pages that were looked at, each entry with its subjects in words, and drops them when the
 * order changes or the log is read again. It shows the log as it was when first read.
 */
export type CustodyEntry = Result<'custody.page'>['entries'][number];
export type SubjectLabel = CustodyEntry['subjectLabels'][number];
export type ChainReport = Result<'custody.verify'>;
export type Order = 'asc' | 'desc';

export const PAGE_SIZE = 200;

interface CustodyStore {
  order: Order;
  /** Entries in the log; null until the first page arrives. */
  total: number | null;
  /** Page index → entries; a page being fetched maps to null. */
  pages: Map<number, CustodyEntry[] | null>;
  /** Bumped whenever the pages are dropped, so a late answer for old positions is ignored. */
  generation: number;
  loading: boolean;
  error: string | null;
  report: ChainReport | null;
  verifying: boolean;
  verifyError: string | null;
  /** Reads the log from the start again and checks its chain, side by side. */
  load(): Promise<void>;
  setOrder(order: Order): void;
  /** Makes sure the pages covering entries [start, end) are loaded or on their way. */
  ensureRange(start: number, end: number): void;
  entryAt(index: number): CustodyEntry | undefined;
  /** Where entry `seq` is in the current order, reading the pages needed; null if no such entry. */
  locate(seq: number): Promise<number | null>;
  /** The lowest and highest entry numbers, or null for an empty log. */
  bounds(): Promise<{ first: number; last: number } | null>;
  verify(): Promise<void>;
}

export const useCustody = create<CustodyStore>((set, get) => {
  /** Pages on their way, for callers that need to wait for one (locate). */
  let inflight = new Map<number, Promise<CustodyEntry[] | null>>();
  /** Entries added to the log since `total` was read. */
  let grown = 0;

  const fetchPage = (page: number): Promise<CustodyEntry[] | null> => {
    const pending = inflight.get(page);
    if (pending) return pending;
    const generation = get().generation;
    const map = inflight;
    set((s) => ({ pages: new Map(s.pages).set(page, null) }));
    const promise = (async (): Promise<CustodyEntry[] | null> => {
      try {
        // The list shows the log as it was when first read ("Check again" reads it anew).
        // Entries added since come first in newest-first order, so skip past them.
        let result: Result<'custody.page'> | null = null;
        for (let attempt = 0; attempt < 3 && !result; attempt++) {
          const order = get().order;
          const offset = page * PAGE_SIZE + (order === 'desc' ? grown : 0);
          const reply = await api['custody.page']({
            offset: Math.max(0, offset),
            limit: PAGE_SIZE,
            order,
          });
          if (get().generation !== generation) return null;
          const snapshot = get().total ?? reply.total;
          if (reply.total - snapshot === grown || order === 'asc') result = reply;
          grown = reply.total - snapshot;
        }
        if (!result) throw new Error('The log kept changing while it was read. Try again.');
        set((s) => ({
          total: s.total ?? result.total,
          pages: new Map(s.pages).set(page, result.entries),
          loading: false,
          error: null,
        }));
        return result.entries;
      } catch (e) {
        if (get().generation !== generation) return null;
        set((s) => {
          const pages = new Map(s.pages);
          pages.delete(page);
          return { pages, loading: false, error: messageOf(e) };
        });
        return null;
      } finally {
        map.delete(page);
      }
    })();
    inflight.set(page, promise);
    return promise;
  };

  const restart = (): Promise<CustodyEntry[] | null> => {
    inflight = new Map();
    grown = 0;
    set((s) => ({
      pages: new Map(),
      total: null,
      loading: true,
      error: null,
      generation: s.generation + 1,
    }));
    return fetchPage(0);
  };

  /** The entry at `index` in the current order, reading its page if need be. */
  const readAt = async (index: number): Promise<CustodyEntry | undefined> => {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = get().pages.get(page) ?? (await fetchPage(page));
    return rows?.[index % PAGE_SIZE];
  };

  const totalNow = async (): Promise<number> => {
    if (get().total === null) await (inflight.get(0) ?? fetchPage(0));
    return get().total ?? 0;
  };

  return {
    order: 'desc',
    total: null,
    pages: new Map(),
    generation: 0,
    loading: false,
    error: null,
    report: null,
    verifying: false,
    verifyError: null,
    async load() {
      await Promise.all([restart(), get().verify()]);
    },
    setOrder(order) {
      if (order === get().order) return;
      set({ order });
      void restart();
    },
    ensureRange(start, end) {
      const { pages, total } = get();
      if (total === null) return;
      const last = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
      const first = Math.max(0, Math.floor(start / PAGE_SIZE));
      const stop = Math.min(last, Math.floor(Math.max(start, end - 1) / PAGE_SIZE));
      for (let p = first; p <= stop; p++) if (!pages.has(p)) void fetchPage(p);
    },
    entryAt(index) {
      return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    },
    async locate(seq) {
      // A whole log numbers its entries 1..n, so the position is known; check it, and
      // search by halves if the log has holes (a broken log, which is when this matters).
      for (let attempt = 0; attempt < 3; attempt++) {
        const generation = get().generation;
        const total = await totalNow();
        if (total === 0) return null;
        const asc = get().order === 'asc';
        const guess = asc ? seq - 1 : total - seq;
        const atGuess = guess >= 0 && guess < total ? await readAt(guess) : undefined;
        if (atGuess?.seq === seq) return guess;
        let lo = 0;
        let hi = total - 1;
        let found: number | null = null;
        while (lo <= hi && get().generation === generation) {
          const mid = (lo + hi) >> 1;
          const entry = await readAt(mid);
          if (!entry) break;
          if (entry.seq === seq) {
            found = mid;
            break;
          }
          if (entry.seq < seq === asc) lo = mid + 1;
          else hi = mid - 1;
        }
        if (get().generation === generation) return found;
      }
      return null;
    },
    async bounds() {
      const total = await totalNow();
      if (total === 0) return null;
      const [a, b] = await Promise.all([readAt(0), readAt(total - 1)]);
      if (!a || !b) return null;
      return { first: Math.min(a.seq, b.seq), last: Math.max(a.seq, b.seq) };
    },
    async verify() {
      set({ verifying: true, verifyError: null });
      try {
        set({ report: await api['custody.verify']({}) });
      } catch (e) {
        set({ report: null, verifyError: messageOf(e) });
      } finally {
        set({ verifying: false });
      }
    },
  };
});
