// Issue 12, export from the app: the messages a person chooses in a conversation ("Export
// these messages…") wait in stores/export-choice.ts for the export wizard, which lists them
// and passes them as messageIds. Their rules: no message twice, conversation order, 10,000 at
// most with a clear refusal, removable one by one, and gone after a lock or an export.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const bus = vi.hoisted(() => ({
  listeners: new Map<string, ((payload: unknown) => void)[]>(),
  calls: [] as { method: string; args: Record<string, unknown> }[],
  count: 1000,
}));

vi.mock('../../../renderer/src/api/transport', () => {
  const message = (index: number) => ({
    id: `m${index}`,
    conversationId: 'chat-1',
    index,
    kind: 'message',
    sender: index % 2 ? 'Alex' : 'Me',
    senderId: null,
    personId: null,
    time: `2024-03-04T09:${String(index % 60).padStart(2, '0')}:00Z`,
    timeSource: 'export-local-confirmed',
    text: `message ${index}\nsecond line ${'x'.repeat(300)}`,
    textLength: 330,
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
  return {
    api: {
      on: (event: string, listener: (payload: unknown) => void) => {
        bus.listeners.set(event, [...(bus.listeners.get(event) ?? []), listener]);
        return () => undefined;
      },
      'conversation.get': async (args: { id: string }) => ({
        itemId: args.id,
        title: 'WhatsApp Chat - Alex.zip',
        messageCount: bus.count,
        participants: [],
        problems: [],
      }),
      'conversation.messages': async (args: { id: string; from: number; limit: number }) => {
        bus.calls.push({ method: 'conversation.messages', args });
        const end = Math.min(bus.count, args.from + args.limit);
        return Array.from({ length: Math.max(0, end - args.from) }, (_, i) =>
          message(args.from + i),
        );
      },
    },
    connection: { surface: 'web' },
  };
});

const { useExportChoice, chosenGroups, chosenText, MAX_CHOSEN, CHOSEN_TEXT_CHARS } =
  await import('../../../renderer/src/stores/export-choice');
const { useConversation } = await import('../../../renderer/src/stores/conversation');
const { ChosenMessages, SHOWN_AT_FIRST, oneLine } =
  await import('../../../renderer/src/screens/export/ChosenMessages');

const choice = () => useExportChoice.getState();
const msg = (conversationId: string, index: number, time: string | null = null) => ({
  id: `${conversationId}-m${index}`,
  conversationId,
  index,
  sender: 'Alex',
  time,
  text: `text ${index}`,
});
const A = { id: 'chat-a', title: 'Chat with Alex' };
const B = { id: 'chat-b', title: 'Mailbox' };

beforeEach(() => {
  choice().clear();
  choice().wizardOpened();
});

describe('chosen messages: adding, removing, clearing', () => {
  it('keeps each message once, in conversation order then message order', () => {
    expect(choice().add(A, [msg('chat-a', 7), msg('chat-a', 2)])).toEqual({
      ok: true,
      added: 2,
      total: 2,
    });
    expect(choice().add(B, [msg('chat-b', 1)])).toMatchObject({ ok: true, added: 1, total: 3 });
    // Chosen again, with one more: only the new one is added, and it sorts into its chat.
    expect(choice().add(A, [msg('chat-a', 2), msg('chat-a', 5)])).toMatchObject({
      ok: true,
      added: 1,
      total: 4,
    });
    expect(choice().messages.map((m) => m.id)).toEqual([
      'chat-a-m2',
      'chat-a-m5',
      'chat-a-m7',
      'chat-b-m1',
    ]);
    expect([...choice().titles]).toEqual([
      ['chat-a', 'Chat with Alex'],
      ['chat-b', 'Mailbox'],
    ]);
  });

  it('refuses, whole and in words, a choice past the export’s 10,000 messages', () => {
    const many = Array.from({ length: MAX_CHOSEN - 1 }, (_, i) => msg('chat-a', i));
    expect(choice().add(A, many)).toMatchObject({ ok: true, total: MAX_CHOSEN - 1 });
    const r = choice().add(B, [msg('chat-b', 0), msg('chat-b', 1)]);
    expect(r).toEqual({
      ok: false,
      message:
        'An export takes at most 10,000 chosen messages. 9,999 messages are chosen already, ' +
        'so these 2 messages were not added. Select fewer, or remove some in Export first.',
    });
    // Nothing half-added; exactly the limit still fits, and messages already in are free.
    expect(choice().messages).toHaveLength(MAX_CHOSEN - 1);
    expect(choice().titles.has('chat-b')).toBe(false);
    expect(choice().add(A, [msg('chat-a', 0), msg('chat-a', MAX_CHOSEN)])).toMatchObject({
      ok: true,
      added: 1,
      total: MAX_CHOSEN,
    });
  });

  it('removes one, forgets what an export wrote, and clears; a conversation left empty goes', () => {
    choice().add(A, [msg('chat-a', 1), msg('chat-a', 2)]);
    choice().add(B, [msg('chat-b', 3)]);
    choice().remove('chat-b-m3');
    expect(choice().messages.map((m) => m.id)).toEqual(['chat-a-m1', 'chat-a-m2']);
    expect([...choice().titles.keys()]).toEqual(['chat-a']);
    // An export wrote m1; m2 was chosen after it started, so it stays.
    choice().forget(['chat-a-m1']);
    expect(choice().messages.map((m) => m.id)).toEqual(['chat-a-m2']);
    choice().clear();
    expect(choice().messages).toEqual([]);
    expect(choice().titles.size).toBe(0);
  });

  it('drops a removed conversation’s messages, and only those', () => {
    choice().add(A, [msg('chat-a', 1)]);
    choice().add(B, [msg('chat-b', 2), msg('chat-b', 3)]);
    choice().forgetConversation('chat-b');
    expect(choice().messages.map((m) => m.id)).toEqual(['chat-a-m1']);
    expect([...choice().titles.keys()]).toEqual(['chat-a']);
  });

  it('asks for the wizard once: the export screen takes the request', () => {
    choice().openWizard();
    expect(choice().opening).toBe(true);
    choice().wizardOpened();
    expect(choice().opening).toBe(false);
  });

  it('is dropped when the vault locks', () => {
    choice().add(A, [msg('chat-a', 1)]);
    for (const listener of bus.listeners.get('locked') ?? []) listener({ reason: 'idle' });
    expect(choice().messages).toEqual([]);
  });

  it('groups by conversation with the first and last time, whatever order they were chosen in', () => {
    choice().add(A, [
      msg('chat-a', 3, '2024-03-06T07:02:00Z'),
      msg('chat-a', 1, '2024-03-04T09:15:00Z'),
      msg('chat-a', 2, null),
    ]);
    choice().add(B, [msg('chat-b', 0, null)]);
    const groups = chosenGroups(choice().messages, choice().titles);
    expect(groups).toMatchObject([
      {
        conversationId: 'chat-a',
        title: 'Chat with Alex',
        firstTime: '2024-03-04T09:15:00Z',
        lastTime: '2024-03-06T07:02:00Z',
      },
      { conversationId: 'chat-b', title: 'Mailbox', firstTime: null, lastTime: null },
    ]);
    expect(groups[0]!.messages.map((m) => m.index)).toEqual([1, 2, 3]);
    expect(chosenText(choice().messages)).toBe('4 messages from 2 conversations');
    expect(chosenText(choice().messages.slice(0, 1))).toBe('1 message');
  });
});

describe('"Export these messages…" in the conversation', () => {
  it('chooses the selected run, pages never looked at included', async () => {
    bus.calls = [];
    await useConversation.getState().load('chat-1');
    useConversation.getState().select(98, 'only');
    useConversation.getState().select(203, 'range');
    const r = await useConversation.getState().chooseForExport();
    expect(r).toEqual({ ok: true, said: '106 messages chosen for export.' });
    expect(bus.calls.map((c) => c.args.from)).toEqual([0, 100, 200]);
    const chosen = choice().messages;
    expect(chosen).toHaveLength(106);
    expect(chosen[0]).toMatchObject({ id: 'm98', conversationId: 'chat-1', sender: 'Me' });
    expect(chosen.at(-1)!.id).toBe('m203');
    // Only the start of each text is held, enough to recognise it.
    expect(chosen[0]!.text).toHaveLength(CHOSEN_TEXT_CHARS);
    expect(choice().titles.get('chat-1')).toBe('WhatsApp Chat - Alex.zip');
  });

  it('says why, and adds nothing, when the choice would pass 10,000', async () => {
    choice().add(
      A,
      Array.from({ length: MAX_CHOSEN }, (_, i) => msg('chat-a', i)),
    );
    await useConversation.getState().load('chat-1');
    useConversation.getState().select(5, 'only');
    const r = await useConversation.getState().chooseForExport();
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.message).toContain('An export takes at most 10,000 chosen messages.');
    expect(choice().messages).toHaveLength(MAX_CHOSEN);
  });
});

describe('the wizard’s list of chosen messages', () => {
  const html = () =>
    renderToStaticMarkup(
      createElement(ChosenMessages, {
        messages: choice().messages,
        titles: choice().titles,
        onRemove: () => undefined,
        onClear: () => undefined,
      }),
    );

  it('says how to choose messages when none are', () => {
    const out = html();
    expect(out).toContain('No messages are chosen.');
    expect(out).toContain('Export these messages…');
    expect(out).not.toContain('Clear chosen messages');
  });

  it('lists each conversation with its count and times, each message removable by a labelled button', () => {
    choice().add(A, [
      msg('chat-a', 0, '2024-03-04T09:15:00Z'),
      msg('chat-a', 2, '2024-03-05T21:41:00Z'),
    ]);
    const out = html();
    expect(out).toContain('2 messages, printed in the transcript');
    expect(out).toContain('<h4><bdi>Chat with Alex</bdi></h4>');
    expect(out).toContain('2 messages, 4 Mar 2024, 09:15 UTC to 5 Mar 2024, 21:41 UTC');
    expect(out).toContain('aria-label="Chosen messages from Chat with Alex"');
    expect(out).toContain('aria-label="Remove message 3 from Alex, 5 Mar 2024, 21:41 UTC"');
    expect(out.match(/>Remove</g)).toHaveLength(2);
    expect(out).toContain('Clear chosen messages');
  });

  it('shows hostile names and texts escaped, on one line, and a long run behind "Show all"', () => {
    const evil = { id: 'chat-x', title: 'Chat\u202Egpj.exe' };
    choice().add(
      evil,
      Array.from({ length: SHOWN_AT_FIRST + 5 }, (_, i) => ({
        ...msg('chat-x', i),
        sender: 'Al\u0007ex',
        text: 'line one\nline\u202Etwo',
      })),
    );
    const out = html();
    expect(out.includes('\u202E') || out.includes('\u0007')).toBe(false);
    expect(out).toContain('Chat\\u{202e}gpj.exe');
    expect(out).toContain('Al\\u{0007}ex');
    expect(out).toContain('line one line\\u{202e}two');
    expect(out.match(/>Remove</g)).toHaveLength(SHOWN_AT_FIRST);
    expect(out).toContain('Show all 55 from');
    expect(oneLine(' a\r\n\tb ')).toBe('a b');
  });
});
