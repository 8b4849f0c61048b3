// Takes a vault lock in another thread or process, for the lock tests. As a worker thread it
// answers "held" or the error code; as a process it prints "held" and keeps the lock until killed.
import process from 'node:process';
import { setInterval } from 'node:timers';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { VaultLock } = await import('../../main/core/vault/lockfile.ts');
const path = isMainThread ? process.argv[2] : workerData.path;
const answer = await VaultLock.acquire(path).then(
  async (lock) => {
    if (isMainThread) return 'held';
    await lock.release();
    return 'held';
  },
  (e) => e.code ?? String(e),
);
if (isMainThread) {
  process.stdout.write(`${answer}\n`);
  if (answer === 'held') setInterval(() => undefined, 60_000);
} else parentPort.postMessage(answer);
