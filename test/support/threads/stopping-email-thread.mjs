// A stand-in email thread for tests of EmailThreads: it answers like the real one, but a
// message whose bytes contain "STOP-THREAD" ends the thread (as running out of memory would),
// and one with "OUT-OF-MEMORY" allocates until its heap limit stops it.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { parentPort } from 'node:worker_threads';

const hold = [];
parentPort.on('message', (m) => {
  const text = Buffer.from(m.raw).toString('latin1');
  if (text.includes('STOP-THREAD')) process.exit(3);
  if (text.includes('OUT-OF-MEMORY')) for (;;) hold.push(new Array(1e6).fill(hold.length));
  // Answer after a moment, so that several messages are in flight when one stops the thread.
  setTimeout(() => {
    parentPort.postMessage({
      seq: m.seq,
      facts: {
        sender: 'stand-in',
        senderId: null,
        time: null,
        timeSource: 'none',
        text,
        externalId: null,
        replyTo: null,
        details: {},
        attachments: [],
        problems: [],
      },
    });
  }, 5);
});
