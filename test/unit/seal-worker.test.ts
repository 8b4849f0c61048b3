import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PayloadSealer } from '../../main/core/age/stream';
import { HashWorker, SLOT_BYTES } from '../../main/core/hash-worker';
import { SealWorker } from '../../main/core/seal-worker';

const zero = (b: Uint8Array): boolean => b.every((x) => x === 0);

describe('SealWorker (its thread is a module: threads/seal.ts imports sealChunks)', () => {
  it('seals exactly what PayloadSealer does, and wipes each key once its job is done', async () => {
    const hash = new HashWorker();
    const seal = new SealWorker(hash.pool);
    try {
      const key = randomBytes(32);
      const data = randomBytes(2 * SLOT_BYTES + 1000);
      const sealed: Buffer[] = [];
      for (let at = 0, index = 0; at < data.length; at += SLOT_BYTES) {
        const slot = await hash.slot();
        const n = data.copy(slot, 0, at);
        const lastIndex = Math.ceil(data.length / 65536) - 1;
        const s = await seal.seal(key, index, lastIndex, slot.subarray(0, n));
        expect(zero(seal.keys)).toBe(true);
        sealed.push(Buffer.from(s.data));
        s.release();
        hash.releaseSlot(slot);
        index += SLOT_BYTES / 65536;
      }
      const expected = new PayloadSealer(key);
      expect(Buffer.concat(sealed)).toEqual(Buffer.concat([expected.push(data), expected.final()]));
    } finally {
      await seal.close();
      await hash.close();
    }
  });

  it('rejects a job its thread cannot do, wipes its key, and keeps working', async () => {
    const hash = new HashWorker();
    const seal = new SealWorker(hash.pool);
    try {
      const whole = Buffer.from(hash.pool); // more than one output slot can hold
      await expect(seal.seal(randomBytes(32), 0, -1, whole)).rejects.toThrow(
        /could not seal a chunk/,
      );
      expect(zero(seal.keys)).toBe(true);
      const slot = await hash.slot();
      const s = await seal.seal(randomBytes(32), 0, 0, slot.subarray(0, 10));
      expect(s.data.length).toBe(26);
    } finally {
      await seal.close();
      await hash.close();
    }
  });

  it('on close, rejects pending jobs and leaves no key behind', async () => {
    const hash = new HashWorker();
    const seal = new SealWorker(hash.pool);
    const slot = await hash.slot();
    const pending = seal.seal(randomBytes(32), 0, 15, slot).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(zero(seal.keys)).toBe(false); // the key is in shared memory while the job runs
    await seal.close();
    expect(await pending).toMatch(/closed/);
    expect(zero(seal.keys)).toBe(true);
    await expect(seal.seal(randomBytes(32), 0, 0, slot)).rejects.toThrow(/closed/);
    await hash.close();
  });
});
