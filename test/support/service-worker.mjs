// Runs the TypeScript service worker in tests (Node 20 does not pass `--import tsx` on to a
// worker's first module): register tsx in the worker itself, then load the real entry.
import { register } from 'tsx/esm/api';

register();
await import('../../main/core/api/service-worker.ts');
