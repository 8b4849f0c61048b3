// Runs a thread's TypeScript entry from source (tests, tsx). Never part of the build: built
// threads are plain .js entries (see start.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
