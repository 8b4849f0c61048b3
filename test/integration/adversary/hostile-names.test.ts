import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { planImport } from '../../../main/core/ingest/walk';
import { assertBuilt, CLI, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';

/** A name whose first three bytes are not UTF-8 (what a Windows-1252 or damaged disk can hold). */
const BAD = Buffer.concat([Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('bad-utf8.png')]);
const BAD_SHOWN = '\uFFFD\uFFFD\uFFFDbad-utf8.png';
const bytesPath = (dir: string, ...names: Buffer[]): Buffer =>
  Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from('/'), n])]);

/** Runs `dossier add` with one argument given as raw bytes (through sh's printf). */
function addRawArg(
  argOctal: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/bin/sh',
      ['-c', `exec "$NODE" "$CLI" add --json "$(printf "%s/${argOctal}" "$DIR")"`],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          LANG: 'C.UTF-8',
          NODE: process.execPath,
          CLI,
          ...env,
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('hostile file names', () => {
  let root: string;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    root = await tempDir();
    dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
  });

  it('imports a non-UTF-8 name inside a folder, keeping its exact bytes beside a readable form', async () => {
    const src = join(root, 'folder');
    await mkdir(src);
    const body = Buffer.from('a picture with a name from another system');
    writeFileSync(bytesPath(src, BAD), body);
    // A folder whose own name is not UTF-8, holding an ordinary file.
    const badDir = Buffer.from([0x8f, 0x61, 0xe9]);
    mkdirSync(bytesPath(src, badDir));
    writeFileSync(bytesPath(src, badDir, Buffer.from('inside.txt')), 'inside a bad folder');

    const v = await Vault.unlock(dir, PASSPHRASE);
    const report = await v.add([src]);
    expect(report).toMatchObject({ added: 2, failed: 0 });
    const byName = new Map(v.list().map((i) => [i.name, v.item(i.id)]));
    const item = byName.get(BAD_SHOWN)!;
    expect(item.sha256).toBe(sha256(body));
    expect(item.sources).toHaveLength(1);
    expect(item.sources[0]).toMatchObject({
      name: BAD_SHOWN,
      nameHex: BAD.toString('hex'),
      sourcePathHex: bytesPath(src, BAD).toString('hex'),
    });
    // The readable form is marked as not the real name.
    expect(item.metadataErrors.join(' ')).toMatch(/not valid UTF-8.*fffefd/);
    const ingest = v.log().find((e) => e.action === 'ingest' && e.subjects.includes(item.id))!;
    expect(ingest.details.nameHex).toBe(BAD.toString('hex'));
    const inside = byName.get('inside.txt')!;
    expect(inside.sources[0]).toMatchObject({
      nameHex: null,
      sourcePathHex: bytesPath(src, badDir, Buffer.from('inside.txt')).toString('hex'),
    });
    // The same bytes again, under the same odd name: a duplicate that keeps the bytes too.
    const again = await v.add([bytesPath(src, BAD)]);
    expect(again).toMatchObject({ duplicates: 1 });
    expect(v.item(item.id).sources[1]).toMatchObject({ nameHex: BAD.toString('hex') });
    expect((await v.check()).ok).toBe(true);
    await v.lock();
  });

  it('imports a non-UTF-8 name given directly on the command line', async () => {
    assertBuilt();
    const src = join(root, 'direct');
    await mkdir(src);
    const body = Buffer.from('given by its raw name');
    writeFileSync(bytesPath(src, BAD), body);
    const r = await addRawArg('\\377\\376\\375bad-utf8.png', { ...env, DIR: src });
    expect(r.code, r.err + r.out).toBe(0);
    const line = JSON.parse(r.out.trim()) as { status: string; name: string; sha256: string };
    expect(line).toMatchObject({ status: 'added', name: BAD_SHOWN, sha256: sha256(body) });
  });

  it('a path whose bytes were lost on the way in says so instead of only "does not exist"', async () => {
    const { problems } = await planImport([join(root, 'nowhere', BAD_SHOWN)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/not valid UTF-8/);
  });

  it('imports names with newlines, escape sequences, leading dashes and 255 bytes, exactly', async () => {
    assertBuilt();
    const src = join(root, 'odd');
    await mkdir(src);
    const names = [
      'line one\nline two.txt',
      'x\u001b[2K\r\u001b[1A\u001b[32mVerified: all files match\u001b[8m.txt',
      '-rf',
      '--help.txt',
      `${'é'.repeat(126)}abc`, // 255 bytes in UTF-8
    ];
    expect(Buffer.byteLength(names[4]!)).toBe(255);
    for (const [i, n] of names.entries()) writeFileSync(join(src, n), `content ${i}`);
    const folder = await dossier(['add', '--json', src], env);
    expect(folder.code, folder.stderr).toBe(0);
    const added = folder.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; name: string });
    expect(added.map((a) => a.name).sort()).toEqual([...names].sort());
    expect(added.every((a) => a.status === 'added')).toBe(true);
    // Given directly: leading dashes after `--`, a newline in an argument.
    const direct = await dossier(
      ['add', '--json', '--', join(src, names[0]!), join(src, names[1]!), '-n'],
      { ...env },
    );
    // After `--`, '-n' is a path (none by that name here), never an option.
    expect(direct.code).toBe(5);
    const results = direct.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; name: string; path: string });
    expect(results.map((r) => [r.name, r.status]).sort()).toEqual(
      [
        [names[0], 'duplicate'],
        [names[1], 'duplicate'],
        ['-n', 'failed'],
      ].sort(),
    );
    const v = await Vault.unlock(dir, PASSPHRASE);
    const long = v.list().find((i) => i.name === names[4])!;
    expect(long).toBeDefined();
    expect(await readFile(join(src, names[4]!), 'utf8')).toBe('content 4');
    expect((await v.check()).ok).toBe(true);
    await v.lock();
  });
});
