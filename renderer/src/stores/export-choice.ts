import { create } from 'zustand';
import { api } from '../api/transport';

/**
 * The messages a person has chosen for an export ("Export these messages…" in a
 * conversation): printed in the report's and court bundle's transcripts, with their
 * conversation as the exhibit. Kept here, not in the wizard, so the choice survives moving
 * between steps and screens; it lives only in memory (a lock reloads the page) and is
 * cleared once an export with it is written.
 */
export interface ChosenMessage {
  id: string;
  conversationId: string;
  /** Its place in the conversation (0 …), for order and for "message 12". */
  index: number;
  sender: string;
  time: string | null;
  /** The start of its text, enough to recognise it. */
  text: string;
}

/** A conversation some chosen messages come from, as the wizard lists it. */
export interface ChosenGroup {
  conversationId: string;
  title: string;
  messages: ChosenMessage[];
  firstTime: string | null;
  lastTime: string | null;
}

/** The contract's limit on `messageIds` in one export (shared/contract.ts). */
export const MAX_CHOSEN = 10_000;
/** How much of a message's text is kept to show it in the wizard. */
export const CHOSEN_TEXT_CHARS = 140;

export type Added = { ok: true; added: number; total: number } | { ok: false; message: string };

interface ExportChoiceStore {
  /** In conversation order, then by index within each. */
  messages: ChosenMessage[];
  /** Each conversation's title, as it was when its messages were chosen. */
  titles: ReadonlyMap<string, string>;
  /** Set by a conversation asking for the wizard; the export screen opens on it and resets it. */
  opening: boolean;
  /** Adds messages of one conversation (none twice); refused whole past MAX_CHOSEN. */
  add(conversation: { id: string; title: string }, messages: readonly ChosenMessage[]): Added;
  remove(id: string): void;
  clear(): void;
  /** Takes out the messages an export has written (more may have been chosen meanwhile). */
  forget(ids: readonly string[]): void;
  /** Takes out a removed conversation's messages (the export would refuse them). */
  forgetConversation(itemId: string): void;
  /** Asks for the export wizard, on its first step, with the chosen messages. */
  openWizard(): void;
  wizardOpened(): void;
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

export const useExportChoice = create<ExportChoiceStore>((set, get) => ({
  messages: [],
  titles: new Map(),
  opening: false,
  add(conversation, picked) {
    const { messages, titles } = get();
    const have = new Set(messages.map((m) => m.id));
    const fresh = picked.filter((m) => !have.has(m.id));
    if (messages.length + fresh.length > MAX_CHOSEN) {
      return {
        ok: false,
        message:
          `An export takes at most ${plural(MAX_CHOSEN, 'chosen message')}. ` +
          `${plural(messages.length, 'message')} ${messages.length === 1 ? 'is' : 'are'} chosen already, ` +
          `so these ${plural(fresh.length, 'message')} were not added. ` +
          'Select fewer, or remove some in Export first.',
      };
    }
    // Conversations in the order first chosen (a Map keeps the first place of a key set again).
    const order = new Map(
      [...new Set([...titles.keys(), conversation.id])].map((id, i) => [id, i]),
    );
    const next = [
      ...messages,
      ...fresh.map((m) => ({
        ...m,
        conversationId: conversation.id,
        text: m.text.slice(0, CHOSEN_TEXT_CHARS),
      })),
    ].sort(
      (a, b) => order.get(a.conversationId)! - order.get(b.conversationId)! || a.index - b.index,
    );
    set({
      messages: next,
      titles: new Map(titles).set(conversation.id, conversation.title),
    });
    return { ok: true, added: fresh.length, total: next.length };
  },
  remove(id) {
    get().forget([id]);
  },
  clear() {
    set({ messages: [], titles: new Map() });
  },
  forget(ids) {
    const gone = new Set(ids);
    const messages = get().messages.filter((m) => !gone.has(m.id));
    const left = new Set(messages.map((m) => m.conversationId));
    const titles = new Map([...get().titles].filter(([id]) => left.has(id)));
    set({ messages, titles });
  },
  forgetConversation(itemId) {
    get().forget(
      get()
        .messages.filter((m) => m.conversationId === itemId)
        .map((m) => m.id),
    );
  },
  openWizard() {
    set({ opening: true });
  },
  wizardOpened() {
    set({ opening: false });
  },
}));

/** The chosen messages by conversation, each with its first and last time. */
export function chosenGroups(
  messages: readonly ChosenMessage[],
  titles: ReadonlyMap<string, string>,
): ChosenGroup[] {
  const groups = new Map<string, ChosenGroup>();
  for (const m of messages) {
    let g = groups.get(m.conversationId);
    if (!g) {
      g = {
        conversationId: m.conversationId,
        title: titles.get(m.conversationId) ?? 'Conversation',
        messages: [],
        firstTime: null,
        lastTime: null,
      };
      groups.set(m.conversationId, g);
    }
    g.messages.push(m);
    if (m.time !== null) {
      const at = Date.parse(m.time);
      if (g.firstTime === null || at < Date.parse(g.firstTime)) g.firstTime = m.time;
      if (g.lastTime === null || at > Date.parse(g.lastTime)) g.lastTime = m.time;
    }
  }
  return [...groups.values()];
}

/** "2 messages", "1 message from 2 conversations"… for the wizard's lines. */
export function chosenText(messages: readonly ChosenMessage[]): string {
  const conversations = new Set(messages.map((m) => m.conversationId)).size;
  const n = plural(messages.length, 'message');
  return conversations > 1 ? `${n} from ${plural(conversations, 'conversation')}` : n;
}

// A lock reloads the page, which drops the choice; this also drops it at once, before that.
api.on('locked', () => useExportChoice.getState().clear());
