// Large mailboxes are read as emails on email threads (main/core/conversations/email-threads.ts,
// threads/email.ts): the result must be exactly what reading in the caller's thread gives, in
// file order, and a message that stops a thread costs that message only.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EmailThreads } from '../../../main/core/conversations/email-threads';
import { readMailbox, type MailboxMessage } from '../../../main/core/conversations/mailbox';
import { generatedMbox } from '../../support/conversations/mbox';

const STAND_IN = fileURLToPath(
  new URL('../../support/threads/stopping-email-thread.mjs', import.meta.url),
);

async function readAll(
  bytes: Uint8Array,
  reading?: EmailThreads,
): Promise<{ messages: MailboxMessage[]; problems: unknown[] }> {
  const messages: MailboxMessage[] = [];
  // Chunks of 64 KiB, so that messages cross chunk edges and sit inside larger buffers.
  const chunks = function* () {
    for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
  };
  const it = readMailbox(chunks(), { withFiles: true, ...(reading && { reading }) });
  for (;;) {
    const next = await it.next();
    if (next.done) return { messages, problems: next.value.problems };
    messages.push(next.value);
  }
}

const open: EmailThreads[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

describe('email threads', () => {
  it('read a mailbox exactly as the caller’s thread does, attachments and problems included', async () => {
    const box = generatedMbox(120, {
      bodyBytes: 600,
      htmlEvery: 3,
      attachEvery: 7,
      attachmentBytes: 20_000,
      labels: true,
      seed: 5,
    });
    // A message that is not an email at all, and one with no Date, keep their places.
    const bytes = Buffer.concat([
      box.bytes,
      Buffer.from('From x Mon Jan  1 00:00:00 2024\n\u0000\u0001 not headers\n\n'),
      Buffer.from('From y Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: no date\n\nhi\n'),
    ]);
    const here = await readAll(bytes);
    const threads = new EmailThreads(2);
    open.push(threads);
    const there = await readAll(bytes, threads);
    expect(there.messages.length).toBe(122);
    expect(there.messages.map((m) => m.index)).toEqual([...Array(122).keys()]);
    expect(there.messages.filter((m) => (m.files?.length ?? 0) > 0).length).toBeGreaterThan(10);
    expect(there).toEqual(here);
  });

  it('read again what a stopped thread was reading, and report only the message that stops it twice', async () => {
    const threads = new EmailThreads(1, () => new Worker(STAND_IN));
    open.push(threads);
    const raw = (s: string) => new Uint8Array(Buffer.from(s));
    const asked = ['one', 'two', 'STOP-THREAD', 'four', 'five'].map((s) =>
      threads.read(raw(s), false).then(
        (f) => f.text,
        (e: Error) => `failed: ${e.message}`,
      ),
    );
    const got = await Promise.all(asked);
    expect(got[0]).toBe('one');
    expect(got[1]).toBe('two');
    expect(got[2]).toMatch(
      /^failed: reading it made the email reader run out of memory or stop \(/,
    );
    expect(got.slice(3)).toEqual(['four', 'five']);
    // And the threads go on working after it.
    expect((await threads.read(raw('six'), false)).text).toBe('six');
  });

  it('survive a message that runs a thread out of memory, and say so on that message', async () => {
    const threads = new EmailThreads(
      1,
      () => new Worker(STAND_IN, { resourceLimits: { maxOldGenerationSizeMb: 32 } }),
    );
    open.push(threads);
    const box = Buffer.from(
      'From a Mon Jan  1 00:00:00 2024\nSubject: fine\n\nfirst\n\n' +
        'From b Mon Jan  1 00:00:00 2024\nSubject: OUT-OF-MEMORY\n\nsecond\n\n' +
        'From c Mon Jan  1 00:00:00 2024\nSubject: fine\n\nthird\n',
    );
    const { messages, problems } = await readAll(box, threads);
    expect(messages.map((m) => m.text.includes('first') || m.text.includes('third'))).toEqual([
      true,
      false,
      true,
    ]);
    expect(messages[1]!.sender).toBe('');
    expect(JSON.stringify(problems)).toMatch(
      /message could not be read as an email \(reading it made the email reader run out of memory or stop \(/,
    );
  }, 60_000);

  it('refuse work once closed, and fail what was still waiting', async () => {
    const threads = new EmailThreads(1, () => new Worker(STAND_IN));
    const waiting = expect(
      threads.read(new Uint8Array(Buffer.from('late')), false),
    ).rejects.toThrow(/closed/);
    await threads.close();
    await waiting;
    await expect(threads.read(new Uint8Array(1), false)).rejects.toThrow(/closed/);
  });
});
