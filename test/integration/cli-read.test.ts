import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../main/core';
import { main } from '../../main/cli/main';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import type { ConversationReader } from '../../main/core/conversations/types';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/** A reader with a bug that claims .zip files: what it fails on is stored as a plain file. */
const broken: ConversationReader = {
  format: 'whatsapp',
  detect: (_head, name) => name.endsWith('.zip'),
  open: () => Promise.reject(new Error('a bug in this reader')),
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), data: async () => {} },
  };
}

describe('dossier read ID', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads a stored export as a conversation; exit 2 with the flag to give when the order is unproven', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const zip = join(root, 'WhatsApp Chat - Mark.zip');
    const chat = buildChat(IOS_UK, [
      { at: [2024, 2, 3, 9, 15, 0], sender: 'Mark', text: 'you will regret this' },
      { at: [2024, 2, 4, 9, 16, 0], sender: 'Jane', text: 'stop' },
    ]);
    await writeFile(zip, await zipOf([{ name: '_chat.txt', data: chat.bytes }]));
    const off = registerReaderForTests(broken);
    const added = (await vault.add([zip])).results[0]!;
    off();
    const hostile = join(root, 'evil\u001b[2Jname.txt');
    await writeFile(hostile, 'not a chat');
    const plain = (await vault.add([hostile])).results[0]!;
    await vault.lock();
    if (added.status !== 'added' || plain.status !== 'added') throw new Error('not added');
    vi.stubEnv('DOSSIER_VAULT', dir);
    vi.stubEnv('DOSSIER_PASSPHRASE', PASSPHRASE);

    const show = capture();
    expect(await main(['show', added.id], show.io)).toBe(0);
    expect(show.err.join('\n')).toContain(
      `This looks like a WhatsApp export: \`dossier read ${added.id}\` reads it message by message.`,
    );

    const asked = capture();
    expect(await main(['read', added.id.slice(0, 8)], asked.io)).toBe(2);
    expect(asked.err.join('\n')).toMatch(
      /For example "03\/02\/2024, 09:15:00" on line 1 could be 2024-02-03 \(day first\) or 2024-03-02 \(month first\)\. Give --date-order dmy \(day first\) or --date-order mdy \(month first\)\./,
    );

    // Checked before the vault is opened.
    const bad = capture();
    expect(await main(['read', added.id, '--date-order', 'ymd'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--date-order "ymd" is not an order Dossier knows/);
    const zone = capture();
    expect(await main(['read', added.id, '--time-zone', 'Mars/Olympus'], zone.io)).toBe(2);
    expect(await main(['read'], capture().io)).toBe(2);

    const read = capture();
    expect(
      await main(
        ['read', added.id, '--date-order', 'dmy', '--time-zone', 'Europe/London', '--json'],
        read.io,
      ),
    ).toBe(0);
    const summary = JSON.parse(read.out.join('\n')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      itemId: added.id,
      format: 'whatsapp',
      messageCount: 2,
      dateOrder: 'dmy',
      timeZone: 'Europe/London',
    });

    const again = capture();
    expect(await main(['read', added.id], again.io)).toBe(2);
    expect(again.err.join('\n')).toMatch(/is already read as a conversation/);

    // A file no reader knows: refused in words, its hostile name escaped on the terminal.
    const refused = capture();
    expect(await main(['read', plain.id], refused.io)).toBe(2);
    const text = refused.err.join('\n');
    expect(text).toMatch(/is not a format Dossier reads as a conversation/);
    expect(text).not.toContain('\u001b');

    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.conversation(added.id)).toEqual(summary);
      expect(v.verifyLog().ok).toBe(true);
    } finally {
      await v.lock();
    }
  }, 60_000);

  it('prints the summary for a person, through the terminal-safe output', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const zip = join(root, 'WhatsApp Chat - Mark.zip');
    const chat = buildChat(IOS_UK, [
      { at: [2024, 2, 13, 9, 15, 0], sender: 'Mark\u001b[31m', text: 'hello' },
    ]);
    await writeFile(zip, await zipOf([{ name: '_chat.txt', data: chat.bytes }]));
    const off = registerReaderForTests(broken);
    const added = (await vault.add([zip])).results[0]!;
    off();
    await vault.lock();
    if (added.status !== 'added') throw new Error('not added');
    vi.stubEnv('DOSSIER_VAULT', dir);
    vi.stubEnv('DOSSIER_PASSPHRASE', PASSPHRASE);
    const r = capture();
    expect(await main(['read', added.id], r.io)).toBe(0);
    const shown = r.out.join('\n');
    expect(shown).toMatch(/^Conversation .*\(whatsapp, read by /m);
    expect(shown).toMatch(/Messages +1/);
    expect(shown).not.toContain('\u001b');
    expect(r.err.join('\n')).toContain(`dossier messages ${added.id}`);
  }, 60_000);
});
