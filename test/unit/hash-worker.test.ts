import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashWorker } from '../../main/core/hash-worker';

describe('HashWorker', () => {
  it('matches node:crypto for interleaved jobs, with the caller reusing its buffer', async () => {
    const worker = new HashWorker();
    const a = randomBytes(3 * 1024 * 1024 + 17);
    const b = randomBytes(2 * 1024 * 1024 + 5);
    const ja = worker.start();
    const jb = worker.start();
    const scratch = Buffer.alloc(65536);
    for (let off = 0; off < Math.max(a.length, b.length); off += scratch.length) {
      for (const [job, src] of [
        [ja, a],
        [jb, b],
      ] as const) {
        if (off >= src.length) continue;
        const n = src.copy(scratch, 0, off, off + scratch.length);
        await job.update(scratch.subarray(0, n));
        scratch.fill(0xff); // reuse must not change what was hashed
      }
    }
    expect(await ja.digest()).toBe(createHash('sha256').update(a).digest('hex'));
    expect(await jb.digest()).toBe(createHash('sha256').update(b).digest('hex'));
    // Transferred chunks move to the worker without a copy.
    const moved = worker.start();
    const owned = Buffer.allocUnsafeSlow(1000);
    owned.fill(7);
    await moved.update(owned.subarray(0, 600), true);
    expect(owned.buffer.byteLength).toBe(0);
    expect(await moved.digest()).toBe(
      createHash('sha256').update(Buffer.alloc(600, 7)).digest('hex'),
    );
    const empty = worker.start();
    expect(await empty.digest()).toBe(createHash('sha256').digest('hex'));
    const dropped = worker.start();
    await dropped.update(a.subarray(0, 10));
    dropped.abandon();
    await worker.close();
  });
});
