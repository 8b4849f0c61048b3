// A mailbox imported as the app imports it (Vault.add): read as a conversation, message by
// message, each pointing at its exact bytes, its attachments stored as items derived from it.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../main/core';
import { generatedMbox } from '../support/conversations/mbox';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

describe('importing a mailbox (mbox)', async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));

  it('is read as a conversation (the mailbox reader says its summary only at the end)', async () => {
    const count = 30;
    const box = generatedMbox(count, {
      bodyBytes: 300,
      htmlEvery: 2,
      attachEvery: 10,
      attachmentBytes: 2000,
      labels: true,
    });
    const path = join(root, 'Takeout.mbox');
    await writeFile(path, box.bytes);
    const r = await vault.add([path]);
    const result = r.results[0]!;
    if (result.status !== 'added') throw new Error(`not added: ${JSON.stringify(result)}`);
    expect(result.warnings).toEqual([]);
    expect(db(vault).prepare('SELECT kind FROM items WHERE id = ?').pluck().get(result.id)).toBe(
      'conversation',
    );

    const summary = vault.conversation(result.id);
    expect(summary.format).toBe('mbox');
    expect(summary.messageCount).toBe(count);
    const page = vault.conversationMessages(result.id, 0, 1000);
    expect(page.map((m) => [m.offset, m.length])).toEqual(
      box.spans.map((s) => [s.offset, s.length]),
    );
    for (const [i, m] of page.entries()) {
      expect(m.sha256).toBe(sha(box.bytes.subarray(m.offset, m.offset + m.length)));
      expect(m.sender).toBe(`Sender ${i % 7}`);
      expect(m.text.startsWith(`Message ${i}\n\n`)).toBe(true);
    }
    // Messages 0, 10 and 20 carry a file: each an item derived from the mailbox.
    const derived = db(vault)
      .prepare(
        "SELECT name FROM items WHERE parent_id = ? AND derive_op = 'attachment' ORDER BY name",
      )
      .pluck()
      .all(result.id);
    expect(derived).toEqual(['photo-0.bin', 'photo-10.bin', 'photo-20.bin']);
  });

  it('is not said to be searchable only in part when it is long: every message is searched', async () => {
    // Over a million characters: as a plain text file, only its start would be searched.
    const box = generatedMbox(120, { bodyBytes: 9000, seed: 3 });
    expect(box.bytes.length).toBeGreaterThan(1_000_000);
    const path = join(root, 'long.mbox');
    await writeFile(path, box.bytes);
    const result = (await vault.add([path])).results[0]!;
    if (result.status !== 'added') throw new Error(`not added: ${JSON.stringify(result)}`);
    expect(result.warnings).toEqual([]);
    expect(vault.item(result.id).metadataErrors).toEqual([]);
    const hits = vault.searchConversation(result.id, '119');
    expect(hits.hits.map((h) => h.index)).toEqual([119]);
  });

  it('caps the database page cache while its messages are inserted, and gives it back after', async () => {
    // Else the cache fills to its full 256 MiB with written pages: a 1 GiB mailbox then cost
    // about 240 MiB more memory than a 64 MiB one (npm run bench -- conversations).
    const d = db(vault);
    const before = d.pragma('cache_size', { simple: true });
    const seen: unknown[] = [];
    const prepare = d.prepare;
    type Loose = { run: (...values: unknown[]) => unknown };
    d.prepare = function (this: Database, ...args: Parameters<Database['prepare']>) {
      const statement = prepare.apply(this, args);
      if (!String(args[0]).startsWith('INSERT INTO message_search')) return statement;
      const loose = statement as unknown as Loose;
      const run = loose.run.bind(statement);
      loose.run = (...values) => {
        seen.push(d.pragma('cache_size', { simple: true }));
        return run(...values);
      };
      return statement;
    } as Database['prepare'];
    try {
      const path = join(root, 'cache.mbox');
      await writeFile(path, generatedMbox(5, { seed: 9 }).bytes);
      expect((await vault.add([path])).added).toBe(1);
    } finally {
      d.prepare = prepare;
    }
    expect(seen).toEqual([-32768, -32768, -32768, -32768, -32768]);
    expect(before).toBe(-262144);
    expect(d.pragma('cache_size', { simple: true })).toBe(before);
  });
});
