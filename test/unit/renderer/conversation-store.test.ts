import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A 100,000-message conversation held as numbers; each call is recorded. */
const chat = vi.hoisted(() => ({
  count: 100_000,
  calls: [] as { method: string; args: Record<string, unknown> }[],
}));

vi.mock('../../../renderer/src/api/transport', () => {
  const message = (index: number) => ({
    id: `m${index}`,
    conversationId: 'c1',
    index,
    kind: 'message',
    sender: index % 2 ? 'Alex' : 'Me',
    senderId: null,
    personId: null,
    time: null,
    timeSource: 'none',
    text: `message ${index}`,
    textLength: 9,
    edited: false,
    offset: 0,
    length: 0,
    sha256: '',
    line: null,
    lineEnd: null,
    attachments: [],
    externalId: null,
    replyTo: null,
    details: {},
    tags: [],
    noteCount: 0,
    incidentIds: [],
  });
  const record = (method: string, args: Record<string, unknown>) =>
    chat.calls.push({ method, args });
  return {
    api: {
      on: () => () => undefined,
      'conversation.get': async (args: { id: string }) => {
        record('conversation.get', args);
        return { itemId: args.id, messageCount: chat.count, participants: [], problems: [] };
      },
      'conversation.messages': async (args: { id: string; from: number; limit: number }) => {
        record('conversation.messages', args);
        const end = Math.min(chat.count, args.from + args.limit);
        return Array.from({ length: Math.max(0, end - args.from) }, (_, i) =>
          message(args.from + i),
        );
      },
      'conversation.search': async (args: { offset: number; limit: number }) => {
        record('conversation.search', args);
        // Every 1,000th message matches: 100 hits.
        const all = Array.from({ length: 100 }, (_, i) => ({
          id: `m${i * 1000}`,
          index: i * 1000,
          snippet: [],
        }));
        return { total: all.length, hits: all.slice(args.offset, args.offset + args.limit) };
      },
      'messages.tag': async (args: Record<string, unknown>) => {
        record('messages.tag', args);
        return [];
      },
      'incidents.list': async () => [],
      'people.list': async () => [],
    },
    connection: { surface: 'web' },
  };
});

const { useConversation, MESSAGE_PAGE } = await import('../../../renderer/src/stores/conversation');
const store = () => useConversation.getState();
const messageCalls = () =>
  chat.calls.filter((c) => c.method === 'conversation.messages').map((c) => c.args.from);
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('conversation store: a 100,000-message chat, a page at a time', () => {
  beforeEach(async () => {
    chat.calls = [];
    await store().load('c1');
  });

  it('fetches only the pages in view, never the whole chat', async () => {
    expect(messageCalls()).toEqual([]);
    store().ensureRange(0, 30);
    store().ensureRange(50_020, 50_060);
    await settle();
    expect(messageCalls()).toEqual([0, 50_000]);
    expect(store().rowAt(50_042)?.text).toBe('message 50042');
    expect(store().rowAt(70_000)).toBeUndefined();
    // Asked again, a page loaded or on its way is not fetched twice.
    store().ensureRange(10, 20);
    await settle();
    expect(messageCalls()).toEqual([0, 50_000]);
    // Past the end: nothing.
    store().ensureRange(200_000, 200_010);
    await settle();
    expect(messageCalls()).toEqual([0, 50_000]);
    const pagesHeld = [...store().pages.keys()].length;
    expect(pagesHeld * MESSAGE_PAGE).toBeLessThan(1000);
  });

  it('acts on a Shift-range across pages never looked at, fetching just those pages', async () => {
    store().select(10, 'only');
    store().select(350, 'range');
    expect(store().selection.selected.size).toBe(341);
    await store().tagSelected('threat');
    const tag = chat.calls.find((c) => c.method === 'messages.tag')!;
    const ids = tag.args.messageIds as string[];
    expect(ids).toHaveLength(341);
    expect(ids[0]).toBe('m10');
    expect(ids.at(-1)).toBe('m350');
    expect(messageCalls().slice(0, 4)).toEqual([0, 100, 200, 300]);
  });

  it('steps through search hits both ways, wrapping, and fetches later hits as needed', async () => {
    const searching = store().runSearch('watching');
    // Until the hits arrive it is pending, never "no messages".
    expect(store().search).toMatchObject({ pending: true, total: 0 });
    await searching;
    expect(store().search).toMatchObject({ pending: false, total: 100 });
    expect(store().focusIndex).toBe(0);
    expect(await store().stepSearch(1)).toBe(1000);
    expect(store().search?.current).toBe(1);
    await store().stepSearch(-1);
    expect(await store().stepSearch(-1)).toBe(99_000);
    expect(store().search?.current).toBe(99);
    expect(await store().stepSearch(1)).toBe(0);
  });
});

describe('conversation store: after an action', () => {
  it('keeps the rows on screen while they are fetched again (no flash, focus not lost)', async () => {
    chat.calls = [];
    await store().load('c1');
    store().ensureRange(0, 10);
    await settle();
    const seen: (string | undefined)[] = [];
    const stop = useConversation.subscribe(() => seen.push(store().rowAt(5)?.id));
    store().refresh();
    await settle();
    stop();
    expect(messageCalls()).toEqual([0, 0]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((id) => id === 'm5')).toBe(true);
  });
});
