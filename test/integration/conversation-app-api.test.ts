import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';

// What the app needs beyond the readers' API (issue 12, "What a person sees"): the library
// row's glance at a conversation, and the date-order question with its examples.

/** An iOS export whose dates never prove their order: every day and month is 12 or below. */
function ambiguousChat() {
  return buildChat(IOS_UK, [
    { at: [2024, 3, 4, 9, 15, 0], sender: 'Alex', text: 'I know where you live' },
    { at: [2024, 3, 5, 21, 40, 0], sender: 'Me', text: 'Please stop' },
    { at: [2024, 3, 5, 21, 41, 0], sender: 'Alex', text: 'Watching your window' },
  ]);
}

interface Row {
  id: string;
  kind: string;
  conversation?: {
    messages: number;
    senders: number;
    topSenders: string[];
    firstTime: string | null;
    lastTime: string | null;
  };
}

describe('the app’s side of conversations', async () => {
  const { service, call } = await newService();
  afterAll(() => service.lock());
  const zip = await zipOf([{ name: '_chat.txt', data: ambiguousChat().bytes }]);

  it('asks for the date order of an ambiguous export, with its dates read both ways', async () => {
    const choice = await ok<Record<string, unknown>>(
      call('items.chatChoice', { data: new Uint8Array(zip) }),
    );
    expect(choice).toEqual({
      needed: true,
      proven: null,
      examples: [
        { line: 1, written: '04/03/2024, 09:15:00', dmy: '2024-03-04', mdy: '2024-04-03' },
        { line: 2, written: '05/03/2024, 21:40:00', dmy: '2024-03-05', mdy: '2024-05-03' },
        { line: 3, written: '05/03/2024, 21:41:00', dmy: '2024-03-05', mdy: '2024-05-03' },
      ],
      dayFirstLine: null,
      monthFirstLine: null,
    });
    // The same by path (the desktop app's picker gives paths).
    const path = join(await tempDir(), 'WhatsApp Chat - Alex.zip');
    await writeFile(path, zip);
    expect(await ok(call('items.chatChoice', { path }))).toEqual(choice);
    // A zip is read in place from its file; a chat text by path is read whole.
    const txt = join(await tempDir(), '_chat.txt');
    await writeFile(txt, ambiguousChat().bytes);
    expect(await ok(call('items.chatChoice', { path: txt }))).toEqual(choice);
    // Not a chat: nothing to ask.
    expect(
      await ok(call('items.chatChoice', { data: new TextEncoder().encode('hello') })),
    ).toMatchObject({ needed: false, examples: [] });
    expect((await failure(call('items.chatChoice', { path: 'relative.zip' }))).code).toBe('USAGE');
  });

  it('imports the dropped bytes once the person answers, and the library row shows the chat at a glance', async () => {
    const first = await failure(
      call('items.addData', { name: 'WhatsApp Chat - Alex.zip', data: new Uint8Array(zip) }),
    );
    expect(first.code).toBe('NEEDS_CHOICE');
    const added = await ok<{ status: string; id: string }>(
      call('items.addData', {
        name: 'WhatsApp Chat - Alex.zip',
        data: new Uint8Array(zip),
        dateOrder: 'mdy',
        timeZone: 'America/New_York',
      }),
    );
    expect(added.status).toBe('added');
    const summary = await ok<{ dateOrder: string; timeZone: string; firstTime: string }>(
      call('conversation.get', { id: added.id }),
    );
    expect(summary).toMatchObject({ dateOrder: 'mdy', timeZone: 'America/New_York' });
    // 04/03 month first is 3 April; 09:15 in New York (EDT) is 13:15 UTC.
    expect(summary.firstTime).toBe('2024-04-03T13:15:00.000Z');

    const page = await ok<{ rows: Row[] }>(
      call('items.query', {
        sort: 'sourceTime',
        order: 'desc',
        kinds: ['conversation'],
        offset: 0,
        limit: 10,
      }),
    );
    expect(page.rows.map((r) => r.id)).toEqual([added.id]);
    expect(page.rows[0]!.conversation).toEqual({
      messages: 3,
      senders: 2,
      topSenders: ['Alex', 'Me'],
      firstTime: '2024-04-03T13:15:00.000Z',
      lastTime: '2024-05-04T01:41:00.000Z',
    });
    // Other items carry no glance.
    await ok(call('items.addData', { name: 'note.txt', data: new TextEncoder().encode('hi') }));
    const all = await ok<{ rows: Row[] }>(
      call('items.query', { sort: 'name', order: 'asc', offset: 0, limit: 10 }),
    );
    expect(all.rows.find((r) => r.kind !== 'conversation')!.conversation).toBeUndefined();
  });
});
