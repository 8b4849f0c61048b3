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

  it.skipIf(process.getuid?.() !== 0)(
    'reports a full disk from a background write as an error of the call, never an unhandled rejection (needs root for a small tmpfs)',
    async () => {
      const { execFile } = await import('node:child_process');
      const { promisify } = await import('node:util');
      const run = promisify(execFile);
      const dir = await tempDir();
      try {
        await run('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dir]);
      } catch {
        return; // mounting is not allowed here; the CLI full-disk test covers the buffered path
      }
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown): void => void unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        for (const direct of [true, false]) {
          const w = await SequentialFileWriter.create(join(dir, `f-${direct}`), { direct });
          const piece = randomBytes(1024 * 1024);
          const err = await (async () => {
            for (let i = 0; i < 12; i++) await w.write(piece);
            await w.finish();
          })().catch((e: unknown) => e);
          expect((err as NodeJS.ErrnoException).code, `direct=${direct}`).toBe('ENOSPC');
          await w.abort();
          const { rm } = await import('node:fs/promises');
          await rm(join(dir, `f-${direct}`), { force: true });
        }
        await new Promise((r) => setTimeout(r, 50));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await run('umount', ['-l', dir]).catch(() => undefined);
      }
    },
  );
});
