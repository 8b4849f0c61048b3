import { create } from 'zustand';
import type { Args, Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';
import { useLibrary, type LibraryRow } from './library';

/** Incidents and people: the course of conduct the evidence shows. */
export type Incident = Result<'incidents.list'>[number];
export type Person = Result<'people.list'>[number];
export type PersonRole = Person['role'];
export type Identifier = Person['identifiers'][number];
export type IncidentInput = Omit<Args<'incidents.create'>, 'itemIds' | 'personIds'>;
export type PersonInput = Args<'people.create'>;
export interface Links {
  itemIds?: string[];
  personIds?: string[];
}

/** What an action gives back to the form that asked: the value, or a message in plain words. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Items linked to one incident or one person, fetched a page at a time. */
export interface ItemList {
  rows: LibraryRow[];
  total: number;
  loading: boolean;
  error: string | null;
}
export type ItemOwner = { incidentId: string } | { personId: string };

export const ITEMS_PAGE = 60;
const PICK_LIMIT = 20;

const ownerKey = (o: ItemOwner): string =>
  'incidentId' in o ? `incident:${o.incidentId}` : `person:${o.personId}`;

interface CasesStore {
  incidents: Incident[];
  people: Person[];
  loaded: boolean;
  error: string | null;
  /** Linked items, by `incident:<id>` or `person:<id>`. */
  items: Record<string, ItemList | undefined>;
  /** The small search-and-pick list for linking items. */
  pick: { text: string; rows: LibraryRow[]; total: number; error: string | null };
  load(): Promise<void>;
  createIncident(input: IncidentInput, links?: Links): Promise<Outcome<Incident>>;
  updateIncident(id: string, patch: Partial<IncidentInput>): Promise<Outcome<Incident>>;
  linkIncident(id: string, links: Links): Promise<Outcome<null>>;
  unlinkIncident(id: string, links: Links): Promise<Outcome<null>>;
  createPerson(input: PersonInput): Promise<Outcome<Person>>;
  updatePerson(id: string, patch: Partial<PersonInput>): Promise<Outcome<Person>>;
  linkPersonItems(id: string, itemIds: string[]): Promise<Outcome<null>>;
  unlinkPersonItems(id: string, itemIds: string[]): Promise<Outcome<null>>;
  /** Removes an incident or a person and their links (the items stay), with a reason. */
  removeIncident(id: string, reason: string): Promise<Outcome<null>>;
  removePerson(id: string, reason: string): Promise<Outcome<null>>;
  itemsOf(owner: ItemOwner): ItemList | undefined;
  /** Fetches the first page of an owner's items again, or the next page with `more`. */
  loadItems(owner: ItemOwner, more?: boolean): Promise<void>;
  searchItems(text: string): Promise<void>;
}

export const useCases = create<CasesStore>((set, get) => {
  const lists = async (): Promise<void> => {
    const [incidents, people] = await Promise.all([
      api['incidents.list']({}),
      api['people.list']({}),
    ]);
    set({ incidents, people, loaded: true, error: null });
  };

  /** Runs a change, then reloads the lists (a failed reload is reported but the change stands). */
  const change = async <T>(work: () => Promise<T>, linksChanged: boolean): Promise<Outcome<T>> => {
    let value: T;
    try {
      value = await work();
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
    await get().load();
    if (linksChanged) {
      useLibrary.getState().reload();
      // Linked-item lists on screen are now stale: fetch their first pages again.
      const keys = Object.keys(get().items);
      await Promise.all(
        keys.map((k) => {
          const [kind, id] = k.split(':') as [string, string];
          return get().loadItems(kind === 'incident' ? { incidentId: id } : { personId: id });
        }),
      );
    }
    return { ok: true, value };
  };

  return {
    incidents: [],
    people: [],
    loaded: false,
    error: null,
    items: {},
    pick: { text: '', rows: [], total: 0, error: null },
    async load() {
      try {
        await lists();
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    createIncident(input, links = {}) {
      return change(
        () => api['incidents.create']({ ...input, ...links }),
        Boolean(links.itemIds?.length || links.personIds?.length),
      );
    },
    updateIncident(id, patch) {
      return change(() => api['incidents.update']({ id, ...patch }), false);
    },
    async linkIncident(id, links) {
      const r = await change(() => api['incidents.link']({ id, ...links }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    async unlinkIncident(id, links) {
      const r = await change(() => api['incidents.unlink']({ id, ...links }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    createPerson(input) {
      return change(() => api['people.create'](input), false);
    },
    updatePerson(id, patch) {
      return change(() => api['people.update']({ id, ...patch }), false);
    },
    async linkPersonItems(id, itemIds) {
      const r = await change(() => api['people.linkItems']({ id, itemIds }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    async removeIncident(id, reason) {
      const r = await change(() => api['incidents.remove']({ id, reason }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    async removePerson(id, reason) {
      const r = await change(() => api['people.remove']({ id, reason }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    async unlinkPersonItems(id, itemIds) {
      const r = await change(() => api['people.unlinkItems']({ id, itemIds }), true);
      return r.ok ? { ok: true, value: null } : r;
    },
    itemsOf(owner) {
      return get().items[ownerKey(owner)];
    },
    async loadItems(owner, more = false) {
      const key = ownerKey(owner);
      const before = get().items[key];
      const offset = more && before ? before.rows.length : 0;
      const put = (patch: Partial<ItemList>) =>
        set((s) => ({
          items: {
            ...s.items,
            [key]: { rows: [], total: 0, error: null, ...s.items[key], loading: false, ...patch },
          },
        }));
      put({ loading: true });
      try {
        const page = await api['items.query']({
          sort: 'sourceTime',
          order: 'asc',
          ...('incidentId' in owner
            ? { incidentIds: [owner.incidentId] }
            : { personIds: [owner.personId] }),
          offset,
          limit: ITEMS_PAGE,
        });
        const kept = offset ? (get().items[key]?.rows ?? []).slice(0, offset) : [];
        put({ rows: [...kept, ...page.rows], total: page.total, error: null });
      } catch (e) {
        put({ error: messageOf(e) });
      }
    },
    async searchItems(text) {
      const trimmed = text.trim();
      set((s) => ({ pick: { ...s.pick, text } }));
      if (!trimmed) {
        set({ pick: { text, rows: [], total: 0, error: null } });
        return;
      }
      try {
        const page = await api['items.query']({
          text: trimmed,
          sort: 'sourceTime',
          order: 'desc',
          offset: 0,
          limit: PICK_LIMIT,
        });
        if (get().pick.text !== text) return; // a newer search is on its way
        set({ pick: { text, rows: page.rows, total: page.total, error: null } });
      } catch (e) {
        if (get().pick.text !== text) return;
        set({ pick: { text, rows: [], total: 0, error: messageOf(e) } });
      }
    },
  };
});
