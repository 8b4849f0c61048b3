/** An email thread (see EmailThreads): mailbox messages read as emails, off the caller's thread. */
import { parentPort } from 'node:worker_threads';
import type { FromEmailThread, ToEmailThread } from '../conversations/email-threads';
import { readMailboxMessage } from '../conversations/mailbox-message';

/**
 * postal-mime gathers each MIME part's bytes with `new Blob(parts).arrayBuffer()`. Node's Blob
 * copies them into native memory and reads them back asynchronously, which was a third of
 * this thread's time. Nothing else runs on this thread, so here a Blob is the bytes joined.
 */
class JoinedBytes {
  private readonly parts: Uint8Array[];
  constructor(parts: readonly (ArrayBuffer | ArrayBufferView)[] = []) {
    this.parts = parts.map((p) =>
      p instanceof ArrayBuffer
        ? new Uint8Array(p)
        : new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
    );
  }
  get size(): number {
    return this.parts.reduce((n, p) => n + p.byteLength, 0);
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return Promise.resolve(out.buffer);
  }
}
globalThis.Blob = JoinedBytes as unknown as typeof Blob;

const port = parentPort;
if (!port) throw new Error('threads/email runs only as a worker thread.');

/** The files' own buffers go back moved, not copied; a view into a larger buffer is copied. */
function movable(files: readonly { bytes: Uint8Array }[] | undefined): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const f of files ?? []) {
    const b = f.bytes;
    if (
      !(b.buffer instanceof ArrayBuffer) ||
      b.byteOffset !== 0 ||
      b.byteLength !== b.buffer.byteLength
    ) {
      f.bytes = b.slice();
    }
    out.add(f.bytes.buffer as ArrayBuffer);
  }
  return [...out];
}

port.on('message', (m: ToEmailThread) => {
  void readMailboxMessage(m.raw, m.withFiles).then(
    (facts) => {
      try {
        const reply: FromEmailThread = { seq: m.seq, facts };
        port.postMessage(reply, movable(facts.files));
      } catch (e) {
        const reply: FromEmailThread = { seq: m.seq, error: (e as Error).message };
        port.postMessage(reply);
      }
    },
    (e: unknown) => {
      const reply: FromEmailThread = { seq: m.seq, error: String(e) };
      port.postMessage(reply);
    },
  );
});
