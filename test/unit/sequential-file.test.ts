import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SequentialFileWriter } from '../../main/core/sequential-file';
import { tempDir } from '../support/tmp';

describe('SequentialFileWriter', () => {
  it('writes exactly the bytes given, in direct and cached mode, whatever the piece sizes', async () => {
    const dir = await tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 * 1024 * 1024 }), { minLength: 0, maxLength: 6 }),
        fc.boolean(),
        async (sizes, direct) => {
          const path = join(dir, `f${n++}`);
          const pieces = sizes.map((s) => randomBytes(s));
          const w = await SequentialFileWriter.create(path, { direct });
          const scratch = Buffer.alloc(3 * 1024 * 1024);
          for (const p of pieces) {
            // The caller reuses its buffer as soon as write() resolves.
            p.copy(scratch);
            await w.write(scratch.subarray(0, p.length));
            scratch.fill(0xee);
          }
          await w.finish();
          expect((await readFile(path)).equals(Buffer.concat(pieces))).toBe(true);
          expect(w.size).toBe(pieces.reduce((a, p) => a + p.length, 0));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('never overwrites an existing file', async () => {
    const dir = await tempDir();
    const w = await SequentialFileWriter.create(join(dir, 'a'), { direct: true });
    await w.finish();
    await expect(
      SequentialFileWriter.create(join(dir, 'a'), { direct: true }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(
      SequentialFileWriter.create(join(dir, 'a'), { direct: false }),
    ).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
