// `dossier ocr` and `dossier add --ocr` as a person runs them: kill -9 in the middle of the
// queue loses nothing and reads nothing twice; nothing is fetched with the network blocked;
// the built out/ finds the engine and its data with no source tree beside it (issue 13).
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier, spawnDossier } from '../support/cli';
import { SCREENSHOT_LINES, textPicture } from '../support/text-picture';
import { tempDir } from '../support/tmp';

const PASS = 'a long and unusual passphrase';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NO_NETWORK = fileURLToPath(new URL('../support/no-network.mjs', import.meta.url));

interface Status {
  queued: number;
  done: number;
  failed: number;
  running: string | null;
  secondsLeft: number;
  paused: boolean;
}

async function pictures(dir: string, n: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir, `shot-${i}.png`);
    // Each picture has a word of its own, to find it by.
    await writeFile(
      path,
      await textPicture([`Message number ${i} from the account`, `codeword${'abcdefghij'[i]}x`], {
        width: 900,
        height: 500,
      }),
    );
    paths.push(path);
  }
  return paths;
}

describe('dossier ocr', () => {
  let root: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    env = { DOSSIER_VAULT: join(root, 'vault'), DOSSIER_PASSPHRASE: PASS };
    expect((await dossier(['init'], env)).code).toBe(0);
  });

  it('after kill -9 mid-queue, a second run reads every picture exactly once; check and log verify', async () => {
    const paths = await pictures(join(root, 'shots'), 8);
    const add = await dossier(['add', ...paths], env);
    expect(add.code).toBe(0);
    const before = JSON.parse((await dossier(['ocr', '--status', '--json'], env)).out) as Status;
    expect(before).toMatchObject({ queued: 8, done: 0, failed: 0, paused: false });

    // Killed as soon as the first picture is saved: the second is being read.
    const child = spawnDossier(['ocr'], env);
    child.stdin!.end();
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/Reading text in pictures: 1\/8/.test(stderr)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', () => reject(new Error(`ended before the first picture: ${stderr}`)));
    });
    await new Promise((r) => child.on('close', r));
    const mid = JSON.parse((await dossier(['ocr', '--status', '--json'], env)).out) as Status;
    expect(mid.done).toBeGreaterThanOrEqual(1);
    expect(mid.done).toBeLessThan(8);
    expect(mid.queued).toBe(8 - mid.done);

    const rest = await dossier(['ocr', '--wait'], env);
    expect(rest.code).toBe(0);
    const left = 8 - mid.done;
    expect(rest.stderr).toContain(`${left} ${left === 1 ? 'picture' : 'pictures'} read for text.`);
    const after = JSON.parse((await dossier(['ocr', '--status', '--json'], env)).out) as Status;
    expect(after).toEqual({
      queued: 0,
      done: 8,
      failed: 0,
      running: null,
      secondsLeft: 0,
      paused: false,
    });
    const log = JSON.parse((await dossier(['log', '--json'], env)).out) as {
      action: string;
      subjects: string[];
      details: { what?: string };
    }[];
    const readings = log.filter((e) => e.details.what === 'text recognised');
    expect(readings).toHaveLength(8);
    expect(new Set(readings.map((e) => e.subjects[0])).size).toBe(8);
    expect((await dossier(['check'], env)).code).toBe(0);
    expect((await dossier(['log', '--verify'], env)).code).toBe(0);
    const status = await dossier(['ocr', '--status'], env);
    expect(status.out).toContain('Text in pictures: 8 read, 0 could not be read, 0 waiting.');
  });

  it('show prints the words read in a picture, or that it waits; --json carries them', async () => {
    const rows = JSON.parse((await dossier(['ls', '--json'], env)).out) as {
      id: string;
      name: string;
    }[];
    const read = rows.find((r) => r.name === 'shot-3.png')!;
    const shown = await dossier(['show', read.id], env);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(
      /Text read in this picture by machine \(English, \d+% confidence, read \d{4}-\d\d-\d\d \d\d:\d\d UTC\); it may hold mistakes, the picture is the evidence:\n {2}Message number 3 from the account\n+ {2}codeworddx/,
    );
    const json = JSON.parse((await dossier(['show', read.id, '--json'], env)).out) as {
      recognisedText: { state: string; language: string; text: string } | null;
    };
    expect(json.recognisedText).toMatchObject({ state: 'done', language: 'eng' });
    expect(json.recognisedText!.text).toContain('codeworddx');

    const later = join(root, 'later.png');
    await writeFile(later, await textPicture(['Sent later'], { height: 300 }));
    expect((await dossier(['add', later], env)).code).toBe(0);
    const waiting = JSON.parse((await dossier(['ls', '--json'], env)).out) as typeof rows;
    const id = waiting.find((r) => r.name === 'later.png')!.id;
    expect((await dossier(['show', id], env)).out).toContain(
      'Text in this picture: waiting to be read. `dossier ocr` reads it now.',
    );
    const queued = JSON.parse((await dossier(['show', id, '--json'], env)).out) as typeof json;
    expect(queued.recognisedText).toMatchObject({ state: 'queued', text: null });
    expect((await dossier(['ocr', '--wait'], env)).code).toBe(0);
  });

  it('add --ocr waits for the new pictures, with the network blocked: nothing is fetched', async () => {
    const shot = join(root, 'phone.png');
    await writeFile(shot, await textPicture(SCREENSHOT_LINES));
    const netLog = join(root, 'network.log');
    const blocked = { ...env, NODE_OPTIONS: `--import=${NO_NETWORK}`, NO_NETWORK_LOG: netLog };
    const cwd = join(root, 'cwd');
    await mkdir(cwd);
    // As root, also in a network namespace of its own, where no address can be reached.
    const args = [join(REPO, 'main', 'cli', 'dossier.js'), 'add', '--ocr', shot];
    const r = await run(
      process.getuid?.() === 0 ? 'unshare' : process.execPath,
      process.getuid?.() === 0 ? ['-n', process.execPath, ...args] : args,
      blocked,
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Text read in 1 new picture.');
    const lines = (await readFile(netLog, 'utf8')).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('attempt'))).toEqual([]);
    // The preload ran in the engine's thread too, so the check covered it.
    expect(lines.filter((l) => l.startsWith('loaded worker')).length).toBeGreaterThanOrEqual(1);
    // No language data was written where the command ran.
    expect(await readdir(cwd)).toEqual([]);
    const hits = JSON.parse((await dossier(['ocr', '--status', '--json'], env)).out) as Status;
    expect(hits).toMatchObject({ queued: 0, failed: 0 });
  });

  it('the built out/ alone (no sources beside it) finds the engine worker and its data', async () => {
    const app = join(root, 'app');
    await cp(join(REPO, 'out'), join(app, 'out'), { recursive: true });
    await cp(join(REPO, 'package.json'), join(app, 'package.json'));
    await symlink(join(REPO, 'node_modules'), join(app, 'node_modules'));
    const appEnv = { ...env, DOSSIER_VAULT: join(root, 'vault-built') };
    const cli = join(app, 'out', 'main', 'cli.js');
    expect((await run(process.execPath, [cli, 'init'], appEnv, app)).code).toBe(0);
    const shot = join(root, 'built.png');
    await writeFile(shot, await textPicture(['Hollybush Primary School'], { height: 400 }));
    const r = await run(process.execPath, [cli, 'add', '--ocr', shot], appEnv, app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Text read in 1 new picture.');
    expect(await readdir(app)).toEqual(['node_modules', 'out', 'package.json']);
  });
});

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LANG: 'C.UTF-8',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
