import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../main/cli/dossier.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BUILT))
    throw new Error('The CLI is not built: run `npm run build` first (the test command does).');
}

export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout as text */
  out: string;
}

/** Runs `dossier ARGS` as a user would, with a clean environment plus `env`. */
export function dossier(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnDossier(args, env);
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolve({ code, stdout, stderr: err, out: stdout.toString() });
    });
    child.stdin!.end(input ?? '');
  });
}

export function spawnDossier(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      TZ: 'Europe/London',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
