import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { addTestConversation, type TestMessage } from '../support/conversations/rows';
import type { Db } from '../../main/core/db/database';
import { failure, newService, ok } from '../support/service';

interface Summary {
  itemId: string;
  format: string;
  title: string;
  messageCount: number;
  participants: {
    sender: string;
    senderId: string | null;
    messages: number;
    personId: string | null;
  }[];
  firstTime: string | null;
  lastTime: string | null;
  timeZone: string | null;
  timeSource: string | null;
  problems: { line: number | null; offset: number | null; message: string }[];
}
interface Message {
  id: string;
  conversationId: string;
  index: number;
  sender: string;
  senderId: string | null;
  personId: string | null;
  time: string | null;
  text: string;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  tags: string[];
  noteCount: number;
  incidentIds: string[];
}
interface Detail extends Message {
  notes: { id: string; messageId: string; body: string }[];
}
interface Incident {
  id: string;
  messages: {
    id: string;
    conversationId: string;
    index: number;
    sender: string;
    senderId: string | null;
    personId: string | null;
    time: string | null;
    excerpt: string;
  }[];
}
interface Person {
  id: string;
  name: string;
  identifiers: { kind: string; value: string }[];
}
type Segments = { text: string; match: boolean }[];

const CHAT: TestMessage[] = [
  {
    sender: 'Messages and calls are end-to-end encrypted.',
    senderId: null,
    kind: 'system',
    time: '2024-03-01T09:00:00+00:00',
    text: '',
  },
  {
    sender: 'Alex',
    senderId: '\u202a+44 7700 900123\u202c',
    time: '2024-03-01T21:14:00+00:00',
    text: 'I know where you live',
  },
  { sender: 'Me', time: '2024-03-01T21:15:00+00:00', text: 'Please stop messaging me' },
  {
    sender: 'Alex',
    senderId: '+44 7700 900123',
    time: '2024-03-02T08:00:00+00:00',
    text: 'You will regret it\nsee you soon',
  },
  {
    sender: 'Alex',
    senderId: '+44 7700 900123',
    time: '2024-03-05T23:30:00+00:00',
    text: 'Watching your window tonight',
  },
  {
    sender: 'Me',
    time: null,
    text: 'photo',
    attachments: [{ name: 'IMG-0001.jpg', omitted: true }],
  },
];

describe('conversations through the API', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const chat = await addTestConversation(vault, {
    format: 'whatsapp',
    title: 'Chat with Alex',
    timeZone: 'Europe/London',
    textSearchable: false,
    problems: [{ line: 7, offset: 300, message: 'a line that could not be read' }],
    messages: CHAT,
  });
  // A second chat from the same sender, on another export.
  const other = await addTestConversation(vault, {
    format: 'whatsapp',
    title: 'Second chat',
    textSearchable: false,
    messages: [
      {
        sender: 'Alex',
        senderId: '+447700900123',
        time: '2024-04-01T10:00:00+01:00',
        text: 'Still watching',
      },
      { sender: 'Sam', time: '2024-04-01T10:05:00+01:00', text: 'where are you' },
    ],
  });
  const id = chat.itemId;
  const msg = (i: number) => chat.messages[i]!.id;
  const last = () => vault.log().at(-1)!;

  it('gives the summary: format, title, count, participants, times, zone, problems', async () => {
    const s = await ok<Summary>(call('conversation.get', { id }));
    expect(s).toMatchObject({
      itemId: id,
      format: 'whatsapp',
      title: 'Chat with Alex',
      messageCount: 6,
      firstTime: '2024-03-01T09:00:00.000Z',
      lastTime: '2024-03-05T23:30:00.000Z',
      timeZone: 'Europe/London',
      timeSource: 'export-local-confirmed',
      problems: [{ line: 7, offset: 300, message: 'a line that could not be read' }],
    });
    expect(s.participants.find((p) => p.sender === 'Alex')).toEqual({
      sender: 'Alex',
      senderId: '\u202a+44 7700 900123\u202c',
      messages: 1,
      personId: null,
    });
  });

  it('reads a summary whose stored JSON was damaged without failing', async () => {
    const damaged = await addTestConversation(vault, {
      textSearchable: false,
      messages: [{ sender: 'X', time: null, text: 'x' }],
    });
    const db = (vault as unknown as { db: Db }).db;
    db.prepare('UPDATE conversations SET participants = ?, problems = ? WHERE item_id = ?').run(
      '[{"sender":5,"senderId":7,"messages":"many"},null]',
      '[{"line":"one"},3]',
      damaged.itemId,
    );
    const s = await ok<Summary>(call('conversation.get', { id: damaged.itemId }));
    expect(s.participants).toEqual([
      { sender: '', senderId: null, messages: 0, personId: null },
      { sender: '', senderId: null, messages: 0, personId: null },
    ]);
    expect(s.problems).toEqual([
      { line: null, offset: null, message: 'a problem this version cannot describe' },
      { line: null, offset: null, message: 'a problem this version cannot describe' },
    ]);
    expect(s.timeSource).toBe('none');
    db.prepare('UPDATE messages SET attachments = ?, details = ? WHERE item_id = ?').run(
      '[{"name":1},"x",null]',
      '[1]',
      damaged.itemId,
    );
    const [m] = await ok<(Message & { attachments: unknown[]; details: unknown })[]>(
      call('conversation.messages', { id: damaged.itemId, from: 0, limit: 1 }),
    );
    expect(m!.attachments).toEqual([
      { name: '', omitted: false, itemId: null },
      { name: '', omitted: false, itemId: null },
      { name: '', omitted: false, itemId: null },
    ]);
    expect(m!.details).toEqual({});
    await ok(call('items.remove', { id: damaged.itemId, reason: 'test data' }));
  });

  it('refuses an item that is not a conversation, in words', async () => {
    const plain = await vault.addData({ name: 'note.txt', data: Buffer.from('hello') });
    const e = await failure(call('conversation.get', { id: (plain as { id: string }).id }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/not read as a conversation/);
  });

  it('pages messages by index, each pointing at its exact bytes in the stored original', async () => {
    const page = await ok<Message[]>(call('conversation.messages', { id, from: 1, limit: 3 }));
    expect(page.map((m) => m.index)).toEqual([1, 2, 3]);
    expect(page[0]).toMatchObject({ sender: 'Alex', text: 'I know where you live', line: 1 + 1 });
    const chunks: Buffer[] = [];
    for await (const c of vault.verifiedContent(id)) chunks.push(c);
    const stored = Buffer.concat(chunks);
    for (const m of page) {
      const span = stored.subarray(m.offset, m.offset + m.length);
      expect(span.toString('utf8')).toContain(m.text);
      expect(createHash('sha256').update(span).digest('hex')).toBe(m.sha256);
    }
    const end = await ok<Message[]>(call('conversation.messages', { id, from: 5, limit: 1000 }));
    expect(end.map((m) => m.index)).toEqual([5]);
    expect(await ok<Message[]>(call('conversation.messages', { id, from: 6, limit: 10 }))).toEqual(
      [],
    );
  });

  it('cuts a huge text in a page (whole in messages.get), never inside a surrogate pair', async () => {
    const long = `${'a'.repeat(19_999)}😀${'b'.repeat(50_000)}`;
    const big = await addTestConversation(vault, {
      textSearchable: false,
      messages: [{ sender: 'X', time: '2024-01-01T00:00:00Z', text: long }],
    });
    const [m] = await ok<(Message & { textLength: number })[]>(
      call('conversation.messages', { id: big.itemId, from: 0, limit: 1 }),
    );
    expect(m!.textLength).toBe(long.length);
    expect(m!.text).toBe('a'.repeat(19_999));
    const whole = await ok<Detail>(call('messages.get', { id: big.messages[0]!.id }));
    expect(whole.text).toBe(long);
    await ok(call('items.remove', { id: big.itemId, reason: 'test data' }));
  });

  it('finds the first message at or after a date, a bare date in the chat’s own zone', async () => {
    expect(await ok(call('conversation.indexAt', { id, date: '2024-03-02' }))).toEqual({
      index: 3,
    });
    expect(await ok(call('conversation.indexAt', { id, date: '2024-03-01T21:14:30Z' }))).toEqual({
      index: 2,
    });
    expect(await ok(call('conversation.indexAt', { id, date: '2024-03-06' }))).toEqual({
      index: null,
    });
    const e = await failure(call('conversation.indexAt', { id, date: 'last tuesday' }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/is not a date/);
  });

  it('searches within one conversation: indexes and plain-text snippets, other chats left out', async () => {
    const r = await ok<{ total: number; hits: { id: string; index: number; snippet: Segments }[] }>(
      call('conversation.search', { id, text: 'watch' }),
    );
    expect(r.total).toBe(1);
    expect(r.hits.map((h) => h.index)).toEqual([4]);
    expect(r.hits[0]!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['Watching']);
    const both = await ok<{ total: number; hits: { index: number }[] }>(
      call('conversation.search', { id, text: 'you' }),
    );
    expect(both.hits.map((h) => h.index)).toEqual([1, 3, 4]);
    // FTS5 syntax is never interpreted.
    const hostile = await ok<{ total: number }>(
      call('conversation.search', { id, text: '"NEAR(x* OR -) ^col:' }),
    );
    expect(hostile.total).toBe(0);
  });

  it('links messages to an incident: logged with each message’s hash, shown on the incident and the timeline', async () => {
    const incident = await ok<Incident>(
      call('incidents.create', { occurredAt: '2024-03-01', summary: 'Threats on WhatsApp' }),
    );
    const linked = await ok<Incident>(
      call('messages.linkIncident', { incidentId: incident.id, messageIds: [msg(1), msg(3)] }),
    );
    expect(linked.messages).toEqual([
      {
        id: msg(1),
        conversationId: id,
        index: 1,
        sender: 'Alex',
        senderId: '\u202a+44 7700 900123\u202c',
        personId: null,
        time: '2024-03-01T21:14:00+00:00',
        excerpt: 'I know where you live',
      },
      expect.objectContaining({
        id: msg(3),
        index: 3,
        excerpt: 'You will regret it\nsee you soon',
      }),
    ]);
    const entry = last();
    expect(entry.action).toBe('annotate');
    expect(entry.subjects).toEqual([incident.id, id, msg(1), msg(3)]);
    const page = await ok<Message[]>(call('conversation.messages', { id, from: 1, limit: 1 }));
    expect(entry.details).toEqual({
      what: 'messages linked to incident',
      messages: [
        { id: msg(1), item: id, index: 1, sha256: page[0]!.sha256 },
        { id: msg(3), item: id, index: 3, sha256: chatSha(3) },
      ],
    });
    // The custody screen names each message by its place in its conversation.
    const logged = await ok<{ entries: { subjectLabels: { id: string; label: string }[] }[] }>(
      call('custody.page', { offset: 0, limit: 1, order: 'desc' }),
    );
    expect(logged.entries[0]!.subjectLabels.find((l) => l.id === msg(3))!.label).toMatch(
      /^message #3 in chat-.*\.txt$/,
    );
    // The timeline reads incidents.list.
    const all = await ok<Incident[]>(call('incidents.list'));
    expect(all.find((i) => i.id === incident.id)!.messages.map((m) => m.index)).toEqual([1, 3]);
    // Exporting the incident exports the conversation its messages are in: the exhibit.
    expect(vault.cases.itemsOfIncidents([incident.id])).toEqual([id]);
    // Linking again changes nothing and logs nothing.
    const seq = last().seq;
    await ok(call('messages.linkIncident', { incidentId: incident.id, messageIds: [msg(1)] }));
    expect(last().seq).toBe(seq);
    const detail = await ok<Detail>(call('messages.get', { id: msg(1) }));
    expect(detail.incidentIds).toEqual([incident.id]);

    const unlinked = await ok<Incident>(
      call('messages.unlinkIncident', { incidentId: incident.id, messageIds: [msg(3)] }),
    );
    expect(unlinked.messages.map((m) => m.index)).toEqual([1]);
    expect(last().details).toMatchObject({ what: 'messages unlinked from incident' });
    // An incident that points at messages can still be removed (its links go with it).
    await ok(call('incidents.remove', { id: incident.id, reason: 'recorded twice' }));
    expect(last().details).toMatchObject({ unlinked: { messages: [msg(1)] } });
    expect((await ok<Detail>(call('messages.get', { id: msg(1) }))).incidentIds).toEqual([]);
    expect(await ok(call('custody.verify'))).toMatchObject({ ok: true });
  });

  it('tags and untags messages in one logged change', async () => {
    const tagged = await ok<Message[]>(
      call('messages.tag', { messageIds: [msg(1), msg(4)], tags: ['threat', 'Threat', 'night'] }),
    );
    expect(tagged.map((m) => m.tags)).toEqual([
      ['night', 'threat'],
      ['night', 'threat'],
    ]);
    expect(last().details).toMatchObject({
      what: 'message tags changed',
      added: ['threat', 'night'],
      removed: [],
    });
    const untagged = await ok<Message[]>(
      call('messages.untag', { messageIds: [msg(4)], tags: ['NIGHT'] }),
    );
    expect(untagged[0]!.tags).toEqual(['threat']);
    expect(last().details).toMatchObject({ what: 'message tags changed', removed: ['NIGHT'] });
    const e = await failure(call('messages.tag', { messageIds: [msg(1)], tags: ['a\nb'] }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/line breaks/);
  });

  it('adds and edits a note on a message; the log keeps the text before', async () => {
    const note = await ok<{ id: string; messageId: string; body: string }>(
      call('messages.note', { messageId: msg(3), body: 'Sent the morning after I blocked him' }),
    );
    expect(note).toMatchObject({ messageId: msg(3), body: 'Sent the morning after I blocked him' });
    expect(last().details).toMatchObject({
      what: 'message note added',
      message: { id: msg(3), item: id, index: 3 },
    });
    const edited = await ok<{ body: string }>(
      call('messages.note', {
        messageId: msg(3),
        noteId: note.id,
        body: 'Sent after I blocked him',
      }),
    );
    expect(edited.body).toBe('Sent after I blocked him');
    expect(last().details).toMatchObject({
      what: 'message note edited',
      before: 'Sent the morning after I blocked him',
      after: 'Sent after I blocked him',
    });
    const detail = await ok<Detail>(call('messages.get', { id: msg(3) }));
    expect(detail.noteCount).toBe(1);
    expect(detail.notes.map((n) => n.body)).toEqual(['Sent after I blocked him']);
    const wrong = await failure(
      call('messages.note', { messageId: msg(1), noteId: note.id, body: 'moved' }),
    );
    expect(wrong.message).toMatch(/belongs to another message/);
  });

  it('marks a sender as a person: every message from that sender, in every chat, is theirs', async () => {
    const person = await ok<Person>(call('people.create', { name: 'Alex', role: 'harasser' }));
    const r = await ok<{ person: Person; messages: number }>(
      call('messages.markSender', { messageId: msg(1), personId: person.id }),
    );
    expect(r.messages).toBe(4);
    expect(r.person.identifiers).toEqual([{ kind: 'whatsapp', value: '+447700900123' }]);
    expect(last()).toMatchObject({
      action: 'annotate',
      subjects: [person.id, id],
      details: {
        what: 'sender marked as person',
        identifier: { kind: 'whatsapp', value: '+447700900123' },
        sender: 'Alex',
        conversation: id,
        messages: 4,
      },
    });
    const page = await ok<Message[]>(call('conversation.messages', { id, from: 0, limit: 10 }));
    expect(page.map((m) => m.personId)).toEqual([
      null,
      person.id,
      null,
      person.id,
      person.id,
      null,
    ]);
    const second = await ok<Message[]>(
      call('conversation.messages', { id: other.itemId, from: 0, limit: 10 }),
    );
    expect(second.map((m) => m.personId)).toEqual([person.id, null]);
    const s = await ok<Summary>(call('conversation.get', { id }));
    expect(s.participants.find((p) => p.sender === 'Alex')!.personId).toBe(person.id);

    // The timeline shows the incident under the person who sent its message.
    const incident = await ok<Incident>(call('incidents.create', { occurredAt: '2024-03-05' }));
    const linked = await ok<Incident>(
      call('messages.linkIncident', { incidentId: incident.id, messageIds: [msg(4), msg(2)] }),
    );
    expect(linked.messages.map((m) => m.personId)).toEqual([null, person.id]);
    // The same sender cannot be someone else too; a platform message has no sender to mark.
    const sam = await ok<Person>(call('people.create', { name: 'Sam', role: 'witness' }));
    const taken = await failure(
      call('messages.markSender', { messageId: msg(3), personId: sam.id }),
    );
    expect(taken.message).toMatch(/already recorded as Alex/);
    const system = await failure(
      call('messages.markSender', { messageId: msg(0), personId: sam.id }),
    );
    expect(system.message).toMatch(/no sender to mark/);
    expect(await ok(call('custody.verify'))).toMatchObject({ ok: true });
  });

  it('refuses bad ids, huge pages and too many messages before anything runs', async () => {
    const bad = await failure(
      call('conversation.messages', { id: 'x; DROP TABLE', from: 0, limit: 5 }),
    );
    expect(bad.code).toBe('USAGE');
    const huge = await failure(call('conversation.messages', { id, from: 0, limit: 1001 }));
    expect(huge.message).toMatch(/limit.*1,000 messages/);
    expect((await failure(call('conversation.messages', { id, from: -1, limit: 5 }))).code).toBe(
      'USAGE',
    );
    const many = Array.from({ length: 10_001 }, () => msg(1));
    expect(
      (await failure(call('messages.tag', { messageIds: many, tags: ['x'] }))).message,
    ).toMatch(/10,000/);
    expect((await failure(call('messages.tag', { messageIds: [], tags: ['x'] }))).message).toMatch(
      /choose at least one message/,
    );
    // An import's choices are held to what the reader can use.
    const zone = await failure(call('items.add', { paths: ['/tmp/chat.txt'], timeZone: 'BST' }));
    expect(zone.message).toMatch(/timeZone is not a time zone this computer knows/);
    const order = await failure(call('items.add', { paths: ['/tmp/chat.txt'], dateOrder: 'ymd' }));
    expect(order.code).toBe('USAGE');
    const missing = '0123456789abcdefghjkmnpqrs';
    expect((await failure(call('messages.get', { id: missing }))).code).toBe('NOT_FOUND');
    expect(
      (await failure(call('messages.linkIncident', { incidentId: missing, messageIds: [msg(1)] })))
        .code,
    ).toBe('NOT_FOUND');
  });

  it('library search finds a conversation by one of its messages, with that message’s index', async () => {
    const page = await ok<{
      total: number;
      rows: { id: string; message?: { id: string; index: number; snippet: Segments } | null }[];
    }>(
      call('items.query', {
        text: 'regret',
        sort: 'sourceTime',
        order: 'desc',
        offset: 0,
        limit: 50,
      }),
    );
    expect(page.rows.map((r) => r.id)).toEqual([id]);
    expect(page.rows[0]!.message).toMatchObject({ id: msg(3), index: 3 });
    expect(page.rows[0]!.message!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual([
      'regret',
    ]);
    // Every word must be in one message: words from two different messages do not match.
    const split = await ok<{ total: number }>(
      call('items.query', {
        text: 'regret window',
        sort: 'name',
        order: 'asc',
        offset: 0,
        limit: 50,
      }),
    );
    expect(split.total).toBe(0);
    // The first matching message in order is the one the app opens at.
    const first = await ok<{ rows: { id: string; message?: { index: number } | null }[] }>(
      call('items.query', { text: 'watching', sort: 'name', order: 'asc', offset: 0, limit: 50 }),
    );
    expect(
      first.rows
        .map((r) => [r.id, r.message?.index])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        [id, 4],
        [other.itemId, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(await ok<string[]>(call('items.search', { query: 'regret' }))).toEqual([id]);
  });

  it('removing a conversation removes the messages read from it, and says so in the log', async () => {
    const incident = await ok<Incident>(call('incidents.create', { occurredAt: '2024-04-01' }));
    await ok(
      call('messages.linkIncident', {
        incidentId: incident.id,
        messageIds: [other.messages[0]!.id],
      }),
    );
    await ok(call('items.remove', { id: other.itemId, reason: 'imported the wrong chat' }));
    expect(last().details).toMatchObject({
      what: 'item removed',
      unlinked: { messages: 2, messageIncidents: [incident.id] },
    });
    expect((await ok<Incident>(call('incidents.link', { id: incident.id }))).messages).toEqual([]);
    expect((await failure(call('messages.get', { id: other.messages[0]!.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect(await ok(call('custody.verify'))).toMatchObject({ ok: true });
  });

  function chatSha(i: number): string {
    const m = chat.messages[i]!;
    return createHash('sha256')
      .update(chat.bytes.subarray(m.offset, m.offset + m.length))
      .digest('hex');
  }
});
