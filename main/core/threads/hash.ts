/** The hash thread (see HashWorker): SHA-256 or SHA-512 of slots in shared memory. */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { SLOT_BYTES, type FromHashThread, type ToHashThread } from '../hash-worker';

const port = parentPort;
if (!port) throw new Error('threads/hash runs only as a worker thread.');

const hashes = new Map<number, Hash>();
let pool: SharedArrayBuffer | null = null;
const reply = (m: FromHashThread): void => port.postMessage(m);

port.on('message', (m: ToHashThread) => {
  switch (m.op) {
    case 'pool':
      pool = m.pool;
      return;
    case 'start':
      hashes.set(m.id, createHash(m.algorithm));
      return;
    case 'update':
      if (pool) hashes.get(m.id)?.update(new Uint8Array(pool, m.slot * SLOT_BYTES, m.length));
      // The slot comes back even for a dropped job, so the pool never runs dry.
      reply({ op: 'free', slot: m.slot });
      return;
    case 'digest': {
      const h = hashes.get(m.id);
      hashes.delete(m.id);
      reply(
        h
          ? { op: 'digest', id: m.id, hex: h.digest('hex') }
          : { op: 'failed', id: m.id, message: `hash job ${m.id} is unknown or was dropped` },
      );
      return;
    }
    case 'drop':
      hashes.delete(m.id);
      return;
  }
});
