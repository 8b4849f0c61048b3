// Helpers shared by the benchmarks: temp files, child processes, timing, peak RSS, verdicts.
import { spawn, type SpawnOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import {
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The Dossier tree under test: this repo, or another checkout of it (DOSSIER_BENCH_TREE, e.g. a
 * `git archive` of a commit, built, with node_modules linked in) when this one is mid-edit.
 */
export const TREE = resolve(process.env.DOSSIER_BENCH_TREE ?? REPO);
/** The built CLI (`npm run build` first; `npm run bench` does it). */
export const BUILT_CLI = join(TREE, 'out/main/cli.js');
/** The `dossier` launcher the benchmarks run: the tree's, or the frozen copy's. */
let launcher = join(TREE, 'main/cli/dossier.js');

type Core = typeof import('../../main/core');
/** The vault engine of the tree under test, loaded in-process (tsx compiles it). */
export async function loadCore(): Promise<Core> {
  return (await import(pathToFileURL(join(TREE, 'main/core/index.ts')).href)) as Core;
}
export const PASSPHRASE = 'correct horse battery staple (bench)';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Sizes and repeats, overridable for a quick look (the targets are defined at the defaults). */
export const CONFIG = {
  largeBytes: envInt('DOSSIER_BENCH_LARGE_MIB', 1024) * MiB,
  smallBytes: envInt('DOSSIER_BENCH_SMALL_MIB', 64) * MiB,
  screenshots: envInt('DOSSIER_BENCH_SCREENSHOTS', 1000),
  reps: envInt('DOSSIER_BENCH_REPS', 3),
};

/** DOSSIER_BENCH_ONLY: "memory" runs only the peak-RSS rounds of the benchmarks that have them. */
export function benchOnly(): 'memory' | null {
  const v = process.env.DOSSIER_BENCH_ONLY;
  if (v === undefined || v === '') return null;
  if (v === 'memory') return v;
  throw new Error(`DOSSIER_BENCH_ONLY must be "memory" (or unset), not ${JSON.stringify(v)}`);
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

// ---------------------------------------------------------------- results

export interface Check {
  bench: string;
  label: string;
  measured: string;
  target: string;
  pass: boolean;
  /** Not measured (a tool is missing, or DOSSIER_BENCH_ONLY left it out): never a pass. */
  skipped?: boolean;
}

export interface Bench {
  name: string;
  title: string;
  run: (ctx: Context) => Promise<Check[]>;
}

export function log(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Prints one target line and returns it as a Check. */
export function verdict(
  bench: string,
  label: string,
  measured: string,
  target: string,
  pass: boolean,
): Check {
  log(`  ${pass ? 'PASS' : 'FAIL'}  ${label}: ${measured}  (target ${target})`);
  return { bench, label, measured, target, pass };
}

/** Prints why a target could not be measured; it counts as missed, never as met. */
export function skipped(bench: string, label: string, why: string, target: string): Check {
  log(`  SKIP  ${label}: ${why}  (target ${target})`);
  return { bench, label, measured: why, target, pass: false, skipped: true };
}

// ---------------------------------------------------------------- numbers

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

export function list(xs: readonly number[], f: (x: number) => string): string {
  return `[${xs.map(f).join(', ')}]`;
}

export function rate(bytes: number, ms: number): string {
  return `${(bytes / MiB / (ms / 1000)).toFixed(0)} MiB/s`;
}

// ---------------------------------------------------------------- processes

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
  /** Largest VmHWM seen while polling /proc/<pid>/status, in bytes (only with pollRss). */
  peakRss?: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Poll the child's VmHWM every `pollRssMs` ms (10–20 ms is fine). */
  pollRssMs?: number;
  /** Throw unless the exit code is 0 (default true). */
  check?: boolean;
  /** Send stdout to /dev/null instead of collecting it. */
  discardStdout?: boolean;
}

/** Runs a command, timing it from spawn to exit. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const devnull = opts.discardStdout ? await open('/dev/null', 'w') : null;
  try {
    const spawnOpts: SpawnOptions = {
      env: opts.env ?? process.env,
      stdio: ['ignore', devnull ? devnull.fd : 'pipe', 'pipe'],
    };
    const t0 = performance.now();
    const child = spawn(cmd, args, spawnOpts);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));

    let peak = 0;
    let timer: NodeJS.Timeout | null = null;
    const sample = (): void => {
      const kib = readVmHwmKiB(child.pid);
      if (kib !== null && kib * 1024 > peak) peak = kib * 1024;
    };
    if (opts.pollRssMs && child.pid !== undefined) {
      sample();
      timer = setInterval(sample, opts.pollRssMs);
    }
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, signal) => {
        if (timer) clearInterval(timer);
        resolve(c ?? (signal ? 128 : null));
      });
    });
    const ms = performance.now() - t0;
    // 'exit' can come before the pipes are drained.
    await Promise.all(
      [child.stdout, child.stderr].map(
        (s) =>
          new Promise<void>((r) => {
            if (!s || s.readableEnded || s.destroyed) r();
            else s.once('close', () => r());
          }),
      ),
    );
    const res: RunResult = {
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      ms,
      ...(opts.pollRssMs ? { peakRss: peak } : {}),
    };
    if ((opts.check ?? true) && code !== 0) {
      throw new Error(
        `${cmd} ${args.join(' ').slice(0, 300)} exited with ${code}\n${res.stderr.slice(0, 2000)}`,
      );
    }
    return res;
  } finally {
    await devnull?.close();
  }
}

/** VmHWM (peak resident set) of a live process in KiB; null once it has gone (or is a zombie). */
function readVmHwmKiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs the built `dossier` CLI with DOSSIER_PASSPHRASE set. */
export function dossier(vault: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const c = dossierCommand(vault, args);
  return run(c.cmd, c.args, { ...opts, env: { ...c.env, ...opts.env } });
}

/** The command line and environment of a `dossier` run, for a process left running meanwhile. */
export function dossierCommand(
  vault: string,
  args: string[],
): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    cmd: process.execPath,
    args: [launcher, '--vault', vault, ...args],
    env: { ...process.env, DOSSIER_PASSPHRASE: PASSPHRASE },
  };
}

/** A new vault with the default (real) Argon2id cost, made by `dossier init`. */
export async function initVault(dir: string): Promise<void> {
  await dossier(dir, ['init', dir, '--json']);
}

/**
 * A 1 MiB Argon2id cost, for vaults whose peak RSS is measured: the default cost holds 256 MiB
 * for a moment during unlock, which sets the peak of any short command and hides what it measures.
 */
export const CHEAP_KDF = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

/** A new vault with the 1 MiB Argon2id cost (CHEAP_KDF), made in-process, locked again. */
export async function initCheapVault(dir: string): Promise<void> {
  const { Vault } = await loadCore();
  const { vault } = await Vault.create(dir, PASSPHRASE, { kdf: CHEAP_KDF, actor: 'bench' });
  await vault.lock();
}

/** Flushes dirty pages so one measurement does not pay for the previous one's writeback. */
export async function syncDisks(): Promise<void> {
  await run('sync', []);
}

/** Reads files once so the page cache is warm and nobody pays for a cold disk. */
export async function warm(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(p, { highWaterMark: 4 * MiB });
      s.on('data', () => undefined);
      s.on('end', resolve);
      s.on('error', reject);
    });
  }
}

/** Parses `dossier add --json` output (one JSON object per line). */
export function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Other people rebuild out/ while a run is going (`npm test` builds too), so the benchmarks run a
 * copy of the build, frozen at the start: out/main and the launcher, in node_modules/.cache so
 * that the CLI still finds its dependencies in node_modules. Returns the folder and the SHA-256
 * of the frozen cli.js, so figures can be tied to a build.
 */
export async function freezeBuild(): Promise<{ dir: string; sha256: string }> {
  const cache = join(REPO, 'node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'dossier-bench-'));
  await cp(join(TREE, 'out/main'), join(dir, 'out/main'), { recursive: true });
  await mkdir(join(dir, 'main/cli'), { recursive: true });
  await copyFile(join(TREE, 'main/cli/dossier.js'), join(dir, 'main/cli/dossier.js'));
  // Under node_modules, Node does not look further up for the project's "type": "module".
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  launcher = join(dir, 'main/cli/dossier.js');
  const sha256 = createHash('sha256')
    .update(await readFile(join(dir, 'out/main/cli.js')))
    .digest('hex');
  return { dir, sha256 };
}

// ---------------------------------------------------------------- the run's temp folder

/** One temp folder per run; big inputs are made once and shared between benchmarks. */
export class Context {
  private readonly made = new Map<string, Promise<unknown>>();
  private seq = 0;

  constructor(readonly root: string) {}

  /** Made once per run; later callers get the same promise. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.made.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.made.set(key, p);
    }
    return p;
  }

  /** A path for a new vault (not created). */
  vaultPath(label: string): string {
    return join(this.root, `vault-${label}-${++this.seq}`);
  }

  /** A file of `bytes` random bytes (random so nothing compresses or dedups it). */
  randomFile(bytes: number): Promise<string> {
    return this.once(`random:${bytes}`, async () => {
      const path = join(this.root, `random-${bytes / MiB}MiB.bin`);
      const t0 = performance.now();
      const fh = await open(path, 'wx', 0o600);
      try {
        const chunk = 8 * MiB;
        for (let done = 0; done < bytes; done += chunk) {
          await fh.write(randomBytes(Math.min(chunk, bytes - done)));
        }
      } finally {
        await fh.close();
      }
      if ((await stat(path)).size !== bytes) throw new Error(`short write to ${path}`);
      log(`  (wrote ${mib(bytes)} of random data to ${path} in ${secs(performance.now() - t0)})`);
      return path;
    });
  }

  /** An age X25519 recipient from a throw-away `age-keygen` identity. */
  ageRecipient(): Promise<string> {
    return this.once('age-recipient', async () => {
      const keyFile = join(this.root, 'age-key.txt');
      await run('age-keygen', ['-o', keyFile]);
      const m = /^# public key: (age1[0-9a-z]+)$/m.exec(await readFile(keyFile, 'utf8'));
      if (!m) throw new Error('age-keygen wrote no public key');
      return m[1]!;
    });
  }

  async mkdir(name: string): Promise<string> {
    const dir = join(this.root, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}
