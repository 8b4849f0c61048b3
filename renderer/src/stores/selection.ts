import { create } from 'zustand';

/**
 * What the person has picked in the library (for linking to an incident or exporting) and
 * which item is open. Kept apart from the query, so a new search keeps the selection.
 */
interface SelectionStore {
  selected: Set<string>;
  openItemId: string | null;
  /** The library search the open item was found by (its words are highlighted in a picture). */
  openSearch: string;
  /** The conversation open in the conversation view, and the message to show first. */
  openConversation: { id: string; index: number | null } | null;
  toggle(id: string): void;
  selectOnly(id: string): void;
  clear(): void;
  /** Opens an item (from a search hit: with the search), or closes it with null. */
  open(id: string | null, search?: string): void;
  /** Opens a conversation (at a message's index, highlighted), or closes it with null. */
  openChat(id: string | null, index?: number | null): void;
}

export const useSelection = create<SelectionStore>((set, get) => ({
  selected: new Set(),
  openItemId: null,
  openSearch: '',
  openConversation: null,
  toggle(id) {
    const next = new Set(get().selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set({ selected: next });
  },
  selectOnly(id) {
    set({ selected: new Set([id]) });
  },
  clear() {
    set({ selected: new Set() });
  },
  open(id, search = '') {
    set({ openItemId: id, openSearch: id === null ? '' : search });
  },
  openChat(id, index = null) {
    set({ openConversation: id === null ? null : { id, index } });
  },
}));
