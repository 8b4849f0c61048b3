// For the crash tests: the vault's encrypted files by name, and a child process killed with
// SIGKILL (kill -9) at the moment it prints a marker.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The names of every blob file under the vault, finished (.age) or being written (.tmp). */
export async function blobFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'blobs'), { recursive: true }))
    .filter((n) => n.endsWith('.age') || n.endsWith('.tmp'))
    .map((n) => n.split('/').pop()!)
    .sort();
}

/**
 * Runs `script` (TypeScript, through tsx) with `args` and kills it with SIGKILL as soon as it
 * prints `marker`. Rejects if it ends by itself first, with what it printed.
 */
export function killWhenPrinted(script: string, args: string[], marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(marker)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve(out)
        : reject(new Error(`child ended by itself: ${out} ${err}`)),
    );
  });
}
