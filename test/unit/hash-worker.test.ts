import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashWorker, SLOT_BYTES } from '../../main/core/hash-worker';

const sha = (alg: string, b: Buffer): string => createHash(alg).update(b).digest('hex');

describe('HashWorker', () => {
  it('matches node:crypto for interleaved jobs, whether the caller reads into slots or passes its own buffers', async () => {
    const worker = new HashWorker();
    const a = randomBytes(5 * SLOT_BYTES + 17);
    const b = randomBytes(3 * SLOT_BYTES + 5);
    const ja = worker.start('sha256');
    const jb = worker.start('sha512');
    const scratch = Buffer.alloc(300_000);
    // Many more chunks than slots: slots must come back as the worker finishes them.
    for (let off = 0; off < a.length; off += SLOT_BYTES) {
      const slot = await ja.slot();
      const n = a.copy(slot, 0, off, off + SLOT_BYTES);
      await ja.update(slot.subarray(0, n));
      if (off < b.length) {
        for (let o = off; o < Math.min(off + SLOT_BYTES, b.length); o += scratch.length) {
          const m = b.copy(scratch, 0, o, Math.min(o + scratch.length, off + SLOT_BYTES, b.length));
          await jb.update(scratch.subarray(0, m));
          scratch.fill(0xff); // reusing a copied buffer must not change what was hashed
        }
      }
    }
    expect(await ja.digest()).toBe(sha('sha256', a));
    expect(await jb.digest()).toBe(sha('sha512', b));
    const empty = worker.start();
    await empty.update((await empty.slot()).subarray(0, 0));
    expect(await empty.digest()).toBe(sha('sha256', Buffer.alloc(0)));
    // An abandoned job still gives its slots back.
    const dropped = worker.start();
    for (let i = 0; i < 20; i++) await dropped.update((await dropped.slot()).subarray(0, 10));
    dropped.abandon();
    const after = worker.start();
    for (let i = 0; i < 20; i++)
      await after.update((await after.slot()).fill(1, 0, 3).subarray(0, 3));
    expect(await after.digest()).toBe(sha('sha256', Buffer.alloc(60, 1)));
    await worker.close();
  });

  it('rejects a digest it cannot give instead of leaving the caller waiting', async () => {
    const worker = new HashWorker();
    const job = worker.start('sha512');
    await job.update(Buffer.from('abc'));
    job.abandon();
    await expect(job.digest()).rejects.toThrow(/could not finish/);
    // The worker is still usable.
    const next = worker.start('sha256');
    await next.update(Buffer.from('abc'));
    expect(await next.digest()).toBe(sha('sha256', Buffer.from('abc')));
    await worker.close();
  });

  it('on close, rejects what is pending, refuses new work and zeroes its pool', async () => {
    const worker = new HashWorker();
    const job = worker.start('sha256');
    const slot = await job.slot();
    slot.fill(0xab);
    await job.update(slot.subarray(0, 100));
    const digest = job.digest().then(
      () => null,
      (e: Error) => e.message,
    );
    await worker.close();
    expect(await digest).toMatch(/closed/);
    await expect(job.slot()).rejects.toThrow(/closed/);
    expect(new Uint8Array(worker.pool).every((b) => b === 0)).toBe(true);
  });

  it('shares its pool with a second worker: both hash each slot, and the slot comes back', async () => {
    const owner = new HashWorker();
    const second = new HashWorker(owner);
    expect(second.pool).toBe(owner.pool);
    const data = randomBytes(20 * SLOT_BYTES + 9); // far more slots than the pool holds
    const a = owner.start('sha512');
    const b = second.start('sha256');
    for (let at = 0; at < data.length; at += SLOT_BYTES) {
      const slot = await second.slot(); // the owner's slots, whichever worker is asked
      const piece = slot.subarray(0, data.copy(slot, 0, at));
      owner.retain(piece);
      await a.update(piece);
      await b.update(piece);
    }
    expect(await a.digest()).toBe(sha('sha512', data));
    expect(await b.digest()).toBe(sha('sha256', data));
    await second.close();
    expect(new Uint8Array(owner.pool).some((x) => x !== 0)).toBe(true); // not the sharer's to wipe
    await owner.close();
    expect(new Uint8Array(owner.pool).every((x) => x === 0)).toBe(true);
  });
});
