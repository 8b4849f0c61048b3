// The real service worker, made to hang the way a hostile file can: once an import has
// started writing its blob (a temp file exists), the thread spins in synchronous code and
// never answers another message, like a parser stuck on quadratic input. Only for a file
// whose name says "hostile". Tests only.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('../../main/core/api/service-worker.ts');

parentPort.on('message', (message) => {
  if (message.type !== 'call' || message.name !== 'items.add') return;
  if (!message.args.paths.some((p) => p.includes('hostile'))) return;
  const poll = setInterval(() => {
    let names = [];
    try {
      names = readdirSync(join(workerData.vaultDir, 'blobs'), { recursive: true });
    } catch {
      return;
    }
    if (!names.some((n) => String(n).endsWith('.tmp'))) return;
    clearInterval(poll);
    for (;;); // busy for good: only terminating the thread ends this
  }, 1);
});
