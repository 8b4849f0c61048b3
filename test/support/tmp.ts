import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the OS temp dir, removed after the test file. */
export async function tempDir(label = 'dossier-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), label));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
