import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../support/cli';
import { addTestConversation, type TestMessage } from '../support/conversations/rows';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const CHAT: TestMessage[] = [
  {
    sender: 'Alex',
    senderId: '+447700900123',
    time: '2024-03-01T23:30:00+00:00',
    text: 'late one',
  },
  {
    sender: 'Alex',
    senderId: '+447700900123',
    time: '2024-03-02T00:30:00+00:00',
    text: 'first line\nsecond \u001b[2Jline \u202egpj.exe',
    attachments: [{ name: 'IMG-0001.jpg', omitted: false }],
  },
  { sender: 'Me', time: '2024-03-02T12:00:00+00:00', text: 'stop' },
  { sender: 'Alex', senderId: '+447700900123', time: '2024-03-04T09:00:00+00:00', text: 'again' },
  { sender: '', senderId: null, kind: 'system', time: null, text: 'Alex left' },
];

interface JsonMessage {
  index: number;
  sender: string;
  senderId: string | null;
  time: string | null;
  timeSource: string;
  text: string;
  offset: number;
  length: number;
  line: number | null;
  attachments: { name: string; omitted: boolean; itemId: string | null }[];
  file?: string;
}

describe('dossier messages, show and add for conversations', () => {
  let root: string;
  let env: Record<string, string>;
  let chatId: string;
  let zipId: string;
  let plainId: string;
  let longId: string;
  let bytes: Buffer;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const chat = await addTestConversation(vault, {
      title: 'Chat with Alex',
      timeZone: 'Asia/Tokyo',
      messages: CHAT,
    });
    chatId = chat.itemId;
    bytes = chat.bytes;
    const zip = await addTestConversation(vault, {
      chatFile: '_chat.txt',
      messages: [{ sender: 'Sam', time: '2024-05-01T10:00:00+01:00', text: 'in a zip' }],
    });
    zipId = zip.itemId;
    // More messages than one page of the listing (200).
    const long = await addTestConversation(vault, {
      messages: Array.from({ length: 450 }, (_, i) => ({
        sender: i % 2 ? 'Alex' : 'Me',
        time: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
        text: `message ${i}`,
      })),
    });
    longId = long.itemId;
    const plain = await vault.addData({ name: 'plain.txt', data: Buffer.from('just text') });
    plainId = plain.status === 'added' ? plain.id : '';
    await vault.lock();
    env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
  });

  it('--json gives exactly the agreed fields, offsets into the stored original', async () => {
    const r = await dossier(['messages', chatId.slice(0, 6), '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.out) as JsonMessage[];
    expect(list.map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
    expect(Object.keys(list[1]!)).toEqual([
      'index',
      'sender',
      'senderId',
      'time',
      'timeSource',
      'text',
      'offset',
      'length',
      'line',
      'attachments',
    ]);
    expect(list[1]).toMatchObject({
      sender: 'Alex',
      senderId: '+447700900123',
      time: '2024-03-02T00:30:00+00:00',
      timeSource: 'export-local-confirmed',
      text: CHAT[1]!.text,
      line: 2,
      attachments: [{ name: 'IMG-0001.jpg', omitted: false, itemId: null }],
    });
    // Cutting the stored original at offset and length gives the message's bytes.
    const cat = await dossier(['cat', chatId], env);
    expect(cat.stdout.equals(bytes)).toBe(true);
    for (const m of list) {
      const span = cat.stdout.subarray(m.offset, m.offset + m.length).toString('utf8');
      expect(span.endsWith(m.text)).toBe(true);
    }
  });

  it('lists every message of a long conversation, in order, across pages', async () => {
    const r = await dossier(['messages', longId, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.out) as JsonMessage[];
    expect(list.map((m) => m.index)).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(list[449]!.text).toBe('message 449');
    // 2024-01-09 (UTC) holds messages 192 to 215: across the first page's end.
    const day = await dossier(
      ['messages', longId, '--from', '2024-01-09', '--to', '2024-01-09', '--json'],
      {
        ...env,
      },
    );
    expect((JSON.parse(day.out) as JsonMessage[]).map((m) => m.index)).toEqual(
      Array.from({ length: 24 }, (_, i) => 192 + i),
    );
  });

  it('names the chat file inside an archive that the offsets count into', async () => {
    const r = await dossier(['messages', zipId, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const [m] = JSON.parse(r.out) as JsonMessage[];
    expect(m).toMatchObject({ text: 'in a zip', file: '_chat.txt' });
  });

  it('--from and --to select by date, a bare date being a day in the conversation’s zone', async () => {
    // In Tokyo (UTC+9) 2 March runs from 2024-03-01T15:00Z: 23:30Z on 1 March is in it.
    const r = await dossier(
      ['messages', chatId, '--from', '2024-03-02', '--to', '2024-03-02', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.out) as JsonMessage[]).map((m) => m.index)).toEqual([0, 1, 2]);
    const after = await dossier(
      ['messages', chatId, '--from', '2024-03-02T21:00:00Z', '--json'],
      env,
    );
    expect((JSON.parse(after.out) as JsonMessage[]).map((m) => m.index)).toEqual([3]);
    const none = await dossier(['messages', chatId, '--from', '2030-01-01'], env);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/No messages in that date range/);
  });

  it('prints messages for a terminal with control and direction characters escaped', async () => {
    const r = await dossier(['messages', chatId], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).not.toContain('\u001b');
    expect(r.out).not.toContain('\u202e');
    expect(r.out).toContain(
      '#1  2024-03-02T00:30:00+00:00  Alex:\n    first line\n    second \\x1b[2Jline \\u202egpj.exe',
    );
    expect(r.out).toContain('attached: IMG-0001.jpg');
    expect(r.out).toContain('#4  (no time)  (the platform) [system]:\n    Alex left');
  });

  it('refuses what is not a conversation or not a date, before or without changing anything', async () => {
    const bad = await dossier(['messages', chatId, '--from', 'yesterday'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "yesterday" is not a date/);
    const plain = await dossier(['messages', plainId], env);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/not read as a conversation/);
    const none = await dossier(['messages'], env);
    expect(none.code).toBe(2);
    const swapped = await dossier(
      ['messages', chatId, '--from', '2024-03-04', '--to', '2024-03-01'],
      env,
    );
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toMatch(/after the end date/);
  });

  it('show --json carries the conversation summary; show of a plain item has none', async () => {
    const r = await dossier(['show', chatId, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const item = JSON.parse(r.out) as { id: string; conversation: Record<string, unknown> };
    expect(item.id).toBe(chatId);
    expect(item.conversation).toMatchObject({
      itemId: chatId,
      format: 'whatsapp',
      title: 'Chat with Alex',
      messageCount: 5,
      timeZone: 'Asia/Tokyo',
      firstTime: '2024-03-01T23:30:00.000Z',
      lastTime: '2024-03-04T09:00:00.000Z',
    });
    const plain = JSON.parse((await dossier(['show', plainId, '--json'], env)).out) as object;
    expect(plain).not.toHaveProperty('conversation');
    const human = await dossier(['show', chatId], env);
    expect(human.out).toContain('Conversation Chat with Alex (whatsapp');
    expect(human.out).toContain('Messages    5');
  });

  it('add checks --date-order and --time-zone before unlocking (exit 2, nothing stored)', async () => {
    const file = join(root, 'chat.txt');
    await writeFile(file, 'hello');
    const count = async () => (JSON.parse((await dossier(['ls', '--json'], env)).out) as []).length;
    const before = await count();
    const order = await dossier(['add', file, '--date-order', 'ymd'], env);
    expect(order.code).toBe(2);
    expect(order.stderr).toMatch(/--date-order "ymd" is not an order.*dmy.*mdy/);
    for (const zone of ['Mars/Olympus', 'BST', '+01:00', '../../etc/passwd']) {
      const r = await dossier(['add', file, '--time-zone', zone], env);
      expect(r.code, zone).toBe(2);
      expect(r.stderr).toMatch(/is not a time zone this computer knows.*Europe\/London/);
    }
    expect(await count()).toBe(before);
    const ok = await dossier(
      ['add', file, '--date-order', 'dmy', '--time-zone', 'Europe/London', '--json'],
      env,
    );
    expect(ok.code, ok.stderr).toBe(0);
    const sha = createHash('sha256').update('hello').digest('hex');
    expect(JSON.parse(ok.out.trim().split('\n')[0]!)).toMatchObject({
      status: 'added',
      sha256: sha,
    });
  });

  it('person add --whatsapp makes the sender’s messages the person’s', async () => {
    const r = await dossier(
      ['person', 'add', 'Alex', '--role', 'harasser', '--whatsapp', '+44 7700 900123', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const person = JSON.parse(r.out) as { id: string; identifiers: unknown[] };
    expect(person.identifiers).toEqual([{ kind: 'whatsapp', value: '+447700900123' }]);
    const show = JSON.parse((await dossier(['show', chatId, '--json'], env)).out) as {
      conversation: { participants: { sender: string; personId: string | null }[] };
    };
    expect(show.conversation.participants.find((p) => p.sender === 'Alex')!.personId).toBe(
      person.id,
    );
    const long = await dossier(['person', 'add', 'Sam', '--telegram', 'x'.repeat(400)], env);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--telegram .* is too long/);
  });

  it('messages is in --help', async () => {
    const r = await dossier(['--help'], env);
    expect(r.out).toMatch(/messages ID \[--from DATE\] \[--to DATE\] \[--json\]/);
    expect(r.out).toMatch(/--date-order dmy\|mdy\] \[--time-zone ZONE\]/);
  });
});
