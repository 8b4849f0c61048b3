import { create } from 'zustand';
import type { Args, Result } from '../../../shared/contract';
import { displayName } from '../../../shared/display-name';
import { useCases } from './cases';
import { useExportChoice } from './export-choice';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';
import {
  NO_SELECTION,
  select,
  selectedIndices,
  type MessageSelection,
  type SelectHow,
} from '../screens/conversation/selection';

/**
 * The open conversation: its summary, the pages of messages looked at so far (the view is
 * virtualised and asks for the rows it shows, never all of a 100,000-message chat), the
 * search within it, and the selected messages.
 */
export type Summary = Result<'conversation.get'>;
export type Message = Result<'conversation.messages'>[number];
export type SearchHit = Result<'conversation.search'>['hits'][number];

export const MESSAGE_PAGE = 100;
/** Hits fetched at a time while stepping through a search. */
const HIT_PAGE = 500;

interface ConversationStore {
  id: string | null;
  summary: Summary | null;
  error: string | null;
  pages: Map<number, Message[] | null>;
  generation: number;
  /** `pending` until the first hits arrive (so "no messages" is never said too early). */
  search: {
    text: string;
    total: number;
    hits: SearchHit[];
    current: number;
    pending: boolean;
  } | null;
  searchError: string | null;
  selection: MessageSelection;
  /** The message to show highlighted (a search hit, a library hit, a timeline link). */
  focusIndex: number | null;
  load(id: string): Promise<void>;
  close(): void;
  ensureRange(start: number, end: number): void;
  rowAt(index: number): Message | undefined;
  /** Fetches the pages on screen again (after an action changed their tags, notes…). */
  refresh(): void;
  runSearch(text: string): Promise<void>;
  /** Steps to the next (+1) or previous (−1) hit; gives its index, or null. */
  stepSearch(by: 1 | -1): Promise<number | null>;
  clearSearch(): void;
  setFocus(index: number | null): void;
  select(index: number, how: SelectHow): void;
  clearSelection(): void;
  /** The selected messages' ids, fetching any page not loaded yet (a long Shift-range). */
  selectedIds(): Promise<string[]>;
  /** The selected messages themselves, in order, fetched the same way. */
  selectedMessages(): Promise<Message[]>;
  /** Adds the selected messages to the export's chosen messages (stores/export-choice.ts). */
  chooseForExport(): Promise<Done>;
  /** Goes to the first message on or after a date; a sentence when there is none. */
  jumpToDate(date: string): Promise<string | null>;
  /** Links the selected messages to an incident, made first when new. */
  linkSelected(pick: { id: string } | { occurredAt: string; summary: string }): Promise<Done>;
  tagSelected(tag: string): Promise<Done>;
  /** The same note on each selected message. */
  noteSelected(body: string): Promise<Done>;
  /** The message's sender becomes an identifier of the person (made first when new). */
  markSender(
    messageId: string,
    pick: { id: string } | { name: string; role: PersonRole },
  ): Promise<Done>;
}

/** What an action did, in words, or why it failed. */
export type Done = { ok: true; said: string } | { ok: false; message: string };
type PersonRole = Args<'people.create'>['role'];

export const useConversation = create<ConversationStore>((set, get) => {
  /** `keep`: the rows on screen stay until the new ones arrive (no flash, focus kept). */
  const fetchPage = async (page: number, keep = false): Promise<void> => {
    const { id, generation } = get();
    if (!id) return;
    if (!keep || !get().pages.get(page)) {
      set((s) => ({ pages: new Map(s.pages).set(page, null) }));
    }
    try {
      const rows = await api['conversation.messages']({
        id,
        from: page * MESSAGE_PAGE,
        limit: MESSAGE_PAGE,
      });
      if (get().generation !== generation) return;
      set((s) => ({ pages: new Map(s.pages).set(page, rows) }));
    } catch (e) {
      if (get().generation !== generation) return;
      set((s) => {
        const pages = new Map(s.pages);
        pages.delete(page);
        return { pages, error: messageOf(e) };
      });
    }
  };
  const hitsFrom = async (offset: number) => {
    const { id, search } = get();
    if (!id || !search) return;
    const r = await api['conversation.search']({ id, text: search.text, offset, limit: HIT_PAGE });
    const now = get().search;
    if (!now || now.text !== search.text) return;
    const hits = [...now.hits];
    r.hits.forEach((h, i) => (hits[offset + i] = h));
    set({ search: { ...now, total: r.total, hits, pending: false } });
  };
  /** Runs an action on the selected messages, then shows its result on the rows. */
  const act = async (work: (ids: string[]) => Promise<string>): Promise<Done> => {
    try {
      const said = await work(await get().selectedIds());
      await useCases.getState().load();
      get().refresh();
      return { ok: true, said };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  };
  const count = (ids: readonly string[]) => `${ids.length} message${ids.length === 1 ? '' : 's'}`;
  return {
    id: null,
    summary: null,
    error: null,
    pages: new Map(),
    generation: 0,
    search: null,
    searchError: null,
    selection: NO_SELECTION,
    focusIndex: null,
    async load(id) {
      set((s) => ({
        id,
        summary: null,
        error: null,
        pages: new Map(),
        generation: s.generation + 1,
        search: null,
        searchError: null,
        selection: NO_SELECTION,
      }));
      try {
        const summary = await api['conversation.get']({ id });
        if (get().id === id) set({ summary });
      } catch (e) {
        if (get().id === id) set({ error: messageOf(e) });
      }
    },
    close() {
      set((s) => ({
        id: null,
        summary: null,
        pages: new Map(),
        generation: s.generation + 1,
        search: null,
        selection: NO_SELECTION,
        focusIndex: null,
      }));
    },
    ensureRange(start, end) {
      const { pages, summary } = get();
      const count = summary?.messageCount ?? 0;
      if (count === 0) return;
      const last = Math.ceil(count / MESSAGE_PAGE) - 1;
      const first = Math.max(0, Math.floor(start / MESSAGE_PAGE));
      const stop = Math.min(last, Math.floor(Math.max(start, end - 1) / MESSAGE_PAGE));
      for (let p = first; p <= stop; p++) if (!pages.has(p)) void fetchPage(p);
    },
    rowAt(index) {
      return get().pages.get(Math.floor(index / MESSAGE_PAGE))?.[index % MESSAGE_PAGE];
    },
    refresh() {
      const loaded = [...get().pages.keys()];
      set((s) => ({ generation: s.generation + 1 }));
      for (const p of loaded) void fetchPage(p, true);
      const id = get().id;
      if (id) {
        void api['conversation.get']({ id }).then(
          (summary) => get().id === id && set({ summary }),
          () => undefined,
        );
      }
    },
    async runSearch(text) {
      const id = get().id;
      if (!id) return;
      if (text.trim() === '') {
        set({ search: null, searchError: null });
        return;
      }
      set({
        search: { text, total: 0, hits: [], current: -1, pending: true },
        searchError: null,
      });
      try {
        await hitsFrom(0);
        const s = get().search;
        if (s && s.text === text && s.total > 0) {
          set({ search: { ...s, current: 0 }, focusIndex: s.hits[0]!.index });
        }
      } catch (e) {
        const now = get().search;
        set({ searchError: messageOf(e), search: now && { ...now, pending: false } });
      }
    },
    async stepSearch(by) {
      const s = get().search;
      if (!s || s.total === 0) return null;
      const next = (s.current + by + s.total) % s.total;
      if (s.hits[next] === undefined) {
        try {
          await hitsFrom(Math.floor(next / HIT_PAGE) * HIT_PAGE);
        } catch (e) {
          set({ searchError: messageOf(e) });
          return null;
        }
      }
      const now = get().search;
      const hit = now?.hits[next];
      if (!now || !hit) return null;
      set({ search: { ...now, current: next }, focusIndex: hit.index });
      return hit.index;
    },
    clearSearch() {
      set({ search: null, searchError: null });
    },
    setFocus(index) {
      set({ focusIndex: index });
    },
    select(index, how) {
      set({ selection: select(get().selection, index, how) });
    },
    clearSelection() {
      set({ selection: NO_SELECTION });
    },
    async jumpToDate(date) {
      const id = get().id;
      if (!id) return null;
      try {
        const { index } = await api['conversation.indexAt']({ id, date });
        if (index === null) return 'No message on or after that date.';
        set({ focusIndex: index });
        return null;
      } catch (e) {
        return messageOf(e);
      }
    },
    linkSelected(pick) {
      return act(async (ids) => {
        const incidentId =
          'id' in pick
            ? pick.id
            : (
                await api['incidents.create']({
                  occurredAt: pick.occurredAt,
                  summary: pick.summary || undefined,
                })
              ).id;
        await api['messages.linkIncident']({ incidentId, messageIds: ids });
        return `${count(ids)} linked to the incident.`;
      });
    },
    tagSelected(tag) {
      return act(async (ids) => {
        await api['messages.tag']({ messageIds: ids, tags: [tag] });
        return `${count(ids)} tagged "${displayName(tag)}".`;
      });
    },
    noteSelected(body) {
      return act(async (ids) => {
        for (const messageId of ids) await api['messages.note']({ messageId, body });
        return `Note added to ${count(ids)}.`;
      });
    },
    markSender(messageId, pick) {
      return act(async () => {
        const personId =
          'id' in pick
            ? pick.id
            : (await api['people.create']({ name: pick.name, role: pick.role })).id;
        const r = await api['messages.markSender']({ messageId, personId });
        return `This sender is now ${displayName(r.person.name)}: ${r.messages} message${r.messages === 1 ? '' : 's'} from them.`;
      });
    },
    async selectedIds() {
      return (await get().selectedMessages()).map((m) => m.id);
    },
    async selectedMessages() {
      const { id } = get();
      if (!id) return [];
      const indices = selectedIndices(get().selection);
      const out: Message[] = [];
      const fetched = new Map<number, Message[]>();
      for (const index of indices) {
        const page = Math.floor(index / MESSAGE_PAGE);
        let rows = get().pages.get(page) ?? fetched.get(page);
        if (!rows) {
          rows = await api['conversation.messages']({
            id,
            from: page * MESSAGE_PAGE,
            limit: MESSAGE_PAGE,
          });
          fetched.set(page, rows);
        }
        const m = rows[index % MESSAGE_PAGE];
        if (m) out.push(m);
      }
      return out;
    },
    async chooseForExport() {
      const { id, summary } = get();
      if (!id || !summary) return { ok: false, message: 'The conversation is not open.' };
      try {
        const rows = await get().selectedMessages();
        const r = useExportChoice.getState().add(
          { id, title: summary.title || 'Conversation' },
          rows.map((m) => ({
            id: m.id,
            conversationId: m.conversationId,
            index: m.index,
            sender: m.sender || m.senderId || '',
            time: m.time,
            text: m.text,
          })),
        );
        if (!r.ok) return r;
        return { ok: true, said: `${count(rows.map((m) => m.id))} chosen for export.` };
      } catch (e) {
        return { ok: false, message: messageOf(e) };
      }
    },
  };
});

/**
 * Whether an item was read as a conversation, and its message count (an item opened from an
 * incident or the custody log, rather than from its tile): null when it was not.
 */
export async function conversationCount(itemId: string): Promise<number | null> {
  try {
    return (await api['conversation.get']({ id: itemId })).messageCount;
  } catch {
    return null;
  }
}

/** The selected indices, in order (re-exported for the view). */
export { selectedIndices };

// An action elsewhere (a tag, a link, a person marked) changes what the rows show.
let changeTimer: ReturnType<typeof setTimeout> | null = null;
api.on('vaultChanged', () => {
  if (!useConversation.getState().id) return;
  if (changeTimer) clearTimeout(changeTimer);
  changeTimer = setTimeout(() => {
    changeTimer = null;
    useConversation.getState().refresh();
  }, 150);
});
