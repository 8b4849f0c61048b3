import { describe, expect, it } from 'vitest';
import { inChunks } from '../../../main/core/export/viewer';

async function all(parts: string[][]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const b of inChunks(...parts)) out.push(b);
  return out;
}

describe('the viewer page written in chunks', () => {
  it('cuts a piece longer than a chunk (the page script), so no buffer grows with it', async () => {
    const script = 'x'.repeat(300 * 1024);
    const chunks = await all([['<head>'], [script], ['</html>']]);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(64 * 1024 + 1);
    expect(Buffer.concat(chunks).toString()).toBe(`<head>${script}</html>`);
  });

  it('never cuts between the two halves of a character outside the BMP', async () => {
    // Every position of the chunk boundary against a run of emoji.
    for (const lead of [0, 1, 2, 3]) {
      const text = 'a'.repeat(64 * 1024 - 2 + lead) + '😀'.repeat(40);
      const chunks = await all([[text]]);
      for (const c of chunks) expect(c.toString('utf8')).not.toContain('\uFFFD');
      expect(Buffer.concat(chunks).toString()).toBe(text);
    }
  });
});
