/**
 * The vault service on a worker thread (started by ServiceWorkerHost). SQLite queries, PDF
 * reports and the import pipeline all run here, so Electron's main loop stays free to paint
 * and answer the window. Keys live only in this thread's memory; a lock or a crash of the
 * thread drops them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DossierService } from './service';
import type { EvidenceResponse } from '../serve/evidence-response';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('service-worker.ts runs only as a worker thread.');

const data = workerData as WorkerData;
const service = new DossierService(data.vaultDir, { actor: data.actor, kdf: data.kdf });
const streams = new Map<number, AsyncIterator<Buffer>>();
let nextStream = 1;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

service.onEvent((event, payload) =>
  send({ type: 'event', event, payload, unlocked: service.isUnlocked }),
);

async function pull(stream: number): Promise<void> {
  const it = streams.get(stream);
  if (!it) return send({ type: 'end', stream });
  try {
    const next = await it.next();
    if (next.done) {
      streams.delete(stream);
      return send({ type: 'end', stream });
    }
    // A copy the host can own: the chunk may be a view into a pooled buffer.
    const copy = new Uint8Array(next.value);
    send({ type: 'chunk', stream, data: copy }, [copy.buffer]);
  } catch {
    streams.delete(stream);
    send({ type: 'fail', stream });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'call':
      void service
        .call(message.name, message.args, message.jobId, (progress) =>
          send({ type: 'progress', progress }),
        )
        .then((envelope) =>
          send({ type: 'reply', seq: message.seq, envelope, unlocked: service.isUnlocked }),
        );
      return;
    case 'cancel':
      service.cancel(message.jobId);
      return;
    case 'lock':
      void service
        .lock()
        .catch(() => undefined)
        .then(() => {
          for (const it of streams.values()) void it.return?.();
          streams.clear();
          send({ type: 'locked', seq: message.seq });
        });
      return;
    case 'evidence':
      void service
        .evidence(message.id, message.kind, message.range)
        .catch((): EvidenceResponse => ({
          status: 404,
          headers: { 'Cache-Control': 'no-store', 'Content-Length': '0' },
          body: null,
          message: 'This item could not be read.',
        }))
        .then((answer) => {
          let stream: number | null = null;
          if (answer.body) {
            stream = nextStream++;
            streams.set(stream, answer.body[Symbol.asyncIterator]());
          }
          send({
            type: 'evidence',
            seq: message.seq,
            status: answer.status,
            headers: answer.headers,
            message: answer.message,
            stream,
          });
        });
      return;
    case 'pull':
      void pull(message.stream);
      return;
    case 'abandon': {
      const it = streams.get(message.stream);
      streams.delete(message.stream);
      void it?.return?.();
      return;
    }
  }
});

send({ type: 'ready' });
