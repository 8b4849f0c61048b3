// Issue 10, point 8: the hash and seal threads are build entries (real modules that import
// others), found and started by the built CLI in plain Node, on the ≥ 4 MiB path that uses them.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../support/cli';
import { generatedMbox } from '../support/conversations/mbox';
import { tempDir } from '../support/tmp';

const OUT = fileURLToPath(new URL('../../out/main/', import.meta.url));
const PASS = 'a long and unusual passphrase';
const hash = (alg: string, b: Buffer): string => createHash(alg).update(b).digest('hex');

describe('worker threads in the built CLI', () => {
  beforeAll(() => assertBuilt());

  it('are their own entries that import shared modules, not eval’d source', async () => {
    for (const name of ['hash-thread.js', 'seal-thread.js', 'email-thread.js']) {
      const text = await readFile(join(OUT, name), 'utf8');
      expect(text).toMatch(/from "\.\/chunks\/[^"]+\.js"/);
    }
    // The seal thread runs the one sealChunks every age file is written with.
    expect(await readFile(join(OUT, 'seal-thread.js'), 'utf8')).toMatch(/sealChunks/);
    for (const f of (await readdir(OUT, { recursive: true })).filter((f) => f.endsWith('.js'))) {
      expect(await readFile(join(OUT, f), 'utf8'), f).not.toMatch(/eval:\s*(true|!0)/);
    }
  });

  it('seal and hash a file of more than 4 MiB on import, and hash it again on export', async () => {
    const root = await tempDir();
    const vault = join(root, 'vault');
    const env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };
    // Not a whole number of 1 MiB slots or 64 KiB chunks: the last, short chunk is sealed too.
    const data = randomBytes(5 * 1024 * 1024 + 12_345);
    await writeFile(join(root, 'big.bin'), data);
    expect((await dossier(['init', vault, '--json'], env)).code).toBe(0);
    const added = await dossier(['add', join(root, 'big.bin'), '--json'], env);
    expect(added.stderr).toBe('');
    const item = JSON.parse(added.out) as { id: string; sha256: string; status: string };
    expect(item).toMatchObject({ status: 'added', sha256: hash('sha256', data) });

    const cat = await dossier(['cat', item.id], env);
    expect(cat.code).toBe(0);
    expect(hash('sha256', cat.stdout)).toBe(hash('sha256', data));

    const out = join(root, 'bundle');
    const exported = await dossier(['export', '--out', out, '--all', '--format', 'dir'], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const manifest = await readFile(join(out, 'manifest-sha512.txt'), 'utf8');
    expect(manifest).toContain(`${hash('sha512', data)}  data/evidence/`);
    expect((await dossier(['verify', out], env)).code).toBe(0);
  });

  it('read a mailbox of more than 8 MiB on email threads, every message and attachment', async () => {
    const root = await tempDir();
    const vault = join(root, 'vault');
    const env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };
    const box = generatedMbox(700, {
      bodyBytes: 4000,
      htmlEvery: 2,
      attachEvery: 10,
      attachmentBytes: 64 * 1024,
      labels: true,
      seed: 3,
    });
    expect(box.bytes.length).toBeGreaterThan(8 * 1024 * 1024);
    await writeFile(join(root, 'All mail.mbox'), box.bytes);
    expect((await dossier(['init', vault, '--json'], env)).code).toBe(0);
    const added = await dossier(['add', join(root, 'All mail.mbox'), '--json'], env);
    expect(added.stderr).toBe('');
    const item = JSON.parse(added.out) as { id: string; status: string; warnings: string[] };
    expect(item.status).toBe('added');
    const shown = JSON.parse((await dossier(['show', item.id, '--json'], env)).out) as {
      conversation: { messageCount: number; problems: unknown[] };
    };
    expect(shown.conversation.messageCount).toBe(700);
    expect(shown.conversation.problems).toEqual([]);
    const listed = JSON.parse((await dossier(['messages', item.id, '--json'], env)).out) as {
      index: number;
      sender: string;
      attachments: { name: string; itemId: string | null }[];
    }[];
    expect(listed.map((m) => m.index)).toEqual([...Array(700).keys()]);
    expect(listed.every((m) => m.sender !== '')).toBe(true);
    // Each attachment once, stored as an item (it was also listed by name, and looked for
    // beside the mailbox, before).
    const attached = listed.filter((m) => m.attachments.length > 0);
    expect(attached.length).toBe(70);
    for (const m of attached) {
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]!.itemId).toMatch(/\S/);
    }
  }, 120_000);
});
