import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The vault's own worker threads. Each is a real module, built as its own entry
 * (electron.vite.config.ts: `hash-thread`, `seal-thread`, `email-thread`), so it may import anything the
 * rest of main/core does. Never source text run with `eval`.
 */
export type ThreadName = 'hash' | 'seal' | 'email';

const here = dirname(fileURLToPath(import.meta.url));
/** Run from the TypeScript sources (tests, tsx) rather than from the build in out/main. */
const fromSource = import.meta.url.endsWith('.ts');

/** The file a thread runs: out/main/<name>-thread.js when built, threads/<name>.ts in source. */
export function threadFile(name: ThreadName): string {
  if (fromSource) return join(here, `${name}.ts`);
  const file = `${name}-thread.js`;
  // This module is bundled either into an entry (out/main) or into a chunk (out/main/chunks).
  for (const dir of [here, join(here, '..')]) {
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `Dossier is incomplete: ${file} is missing from ${here}. Rebuild it (npm run build) or reinstall.`,
  );
}

export function startThread(
  name: ThreadName,
  options: Pick<WorkerOptions, 'resourceLimits'> = {},
): Worker {
  const file = threadFile(name);
  if (!fromSource) return new Worker(file, options);
  // Node 20 does not pass `--import tsx` on to a worker's first module: a loader does it.
  return new Worker(join(here, 'source-loader.mjs'), {
    ...options,
    workerData: { entry: pathToFileURL(file).href },
  });
}
