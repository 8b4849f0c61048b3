import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findReader, registerReaderForTests } from '../../../main/core/conversations/readers';
import { StagedRows } from '../../../main/core/conversations/staging';
import type { ConversationReader } from '../../../main/core/conversations/types';
import { tempDir } from '../../support/tmp';

const reader = (format: ConversationReader['format'], detect: ConversationReader['detect']) =>
  ({ format, detect, open: () => Promise.reject(new Error('not used')) }) as ConversationReader;

describe('findReader', () => {
  const head = new TextEncoder().encode('MAGIC 1\n');
  it('gives the first reader that knows the file, skips one whose detect throws, and null for none', () => {
    expect(findReader(head, 'a.txt', 'text/plain')).toBeNull();
    const off = [
      registerReaderForTests(reader('mbox', () => false)),
      registerReaderForTests(reader('telegram', (h) => h[0] === 0x4d)),
      registerReaderForTests(
        reader('instagram', () => {
          throw new Error('a bug in detect');
        }),
      ),
    ];
    expect(findReader(head, 'a.txt', 'text/plain')?.format).toBe('telegram');
    expect(findReader(new Uint8Array([1]), 'a.txt', 'text/plain')).toBeNull();
    off.forEach((f) => f());
    expect(findReader(head, 'a.txt', 'text/plain')).toBeNull();
  });
});

describe('StagedRows', () => {
  it('gives back every row in order, synchronously, with no text readable on disk, and removes its file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'rows.tmp');
    const rows = await StagedRows.create<{ i: number; text: string }>(path);
    const secret = 'the words of a threatening message\nover two lines';
    // Over several sealed batches (1 MiB each).
    for (let i = 0; i < 30_000; i++)
      await rows.push({ i, text: `${secret} ${i} ${'x'.repeat(80)}` });
    await rows.finish();
    expect((await readFile(path)).includes(Buffer.from('threatening'))).toBe(false);
    let n = 0;
    for (const r of rows.read()) {
      expect(r.i).toBe(n++);
      if (r.i === 29_999) expect(r.text.startsWith(secret)).toBe(true);
    }
    expect(n).toBe(30_000);
    expect(rows.count).toBe(30_000);
    await rows.discard();
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });
});
