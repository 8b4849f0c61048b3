/** The seal thread (see SealWorker): age STREAM chunks sealed from one shared pool into another. */
import { createCipheriv } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { sealChunks } from '../age/stream';
import { KEY_BYTES, OUT_SLOT_BYTES, type FromSealThread, type ToSealThread } from '../seal-worker';

const port = parentPort;
if (!port) throw new Error('threads/seal runs only as a worker thread.');

let pools: { input: SharedArrayBuffer; output: SharedArrayBuffer; keys: SharedArrayBuffer } | null =
  null;
const reply = (m: FromSealThread): void => port.postMessage(m);

port.on('message', (m: ToSealThread) => {
  if (m.op === 'pools') {
    pools = m;
    return;
  }
  try {
    if (!pools) throw new Error('no shared memory yet');
    const key = new Uint8Array(pools.keys, m.outSlot * KEY_BYTES, KEY_BYTES);
    const plain = new Uint8Array(pools.input, m.inOffset, m.length);
    const out = new Uint8Array(pools.output, m.outSlot * OUT_SLOT_BYTES, OUT_SLOT_BYTES);
    const end = sealChunks(createCipheriv, key, m.firstIndex, m.lastIndex, plain, out, 0);
    reply({ seq: m.seq, length: end });
  } catch (e) {
    reply({ seq: m.seq, length: -1, message: (e as Error).message });
  }
});
