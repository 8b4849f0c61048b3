import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';

/** Incidents and people: the course of conduct the evidence shows. */
export type Incident = Result<'incidents.list'>[number];
export type Person = Result<'people.list'>[number];

interface CasesStore {
  incidents: Incident[];
  people: Person[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const useCases = create<CasesStore>((set) => ({
  incidents: [],
  people: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const [incidents, people] = await Promise.all([
        api['incidents.list']({}),
        api['people.list']({}),
      ]);
      set({ incidents, people, loaded: true, error: null });
    } catch (e) {
      set({ error: messageOf(e) });
    }
  },
}));
