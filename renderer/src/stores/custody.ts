import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';

/**
 * The custody log and its verification. The whole log is held here (a vault of 100,000
 * items has a log of that order, a few tens of MB at most); the screen renders only the
 * rows in view.
 */
export type CustodyEntry = Result<'custody.list'>[number];
export type ChainReport = Result<'custody.verify'>;

interface CustodyStore {
  entries: CustodyEntry[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  report: ChainReport | null;
  verifying: boolean;
  verifyError: string | null;
  /** Reads the log and checks its chain, side by side. */
  load(): Promise<void>;
  verify(): Promise<void>;
}

export const useCustody = create<CustodyStore>((set, get) => ({
  entries: [],
  loaded: false,
  loading: false,
  error: null,
  report: null,
  verifying: false,
  verifyError: null,
  async load() {
    set({ loading: true, error: null });
    const verified = get().verify();
    try {
      const entries = await api['custody.list']({});
      entries.sort((a, b) => a.seq - b.seq);
      set({ entries, loaded: true, error: null });
    } catch (e) {
      set({ error: messageOf(e) });
    } finally {
      set({ loading: false });
    }
    await verified;
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
}));
