import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { assertBuilt, CLI, dossier } from '../support/cli';
import { noPty, onPty } from '../support/pty';
import { skipTitle } from '../support/tools';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/** Issue 10, point B5 on the command line: `dossier rm`, `rename`, `incident rm`, `person rm`. */

describe('dossier rm, rename, incident rm, person rm', () => {
  let root: string;
  let dir: string;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  let incidentId: string;
  let personId: string;

  const logLength = async (): Promise<number> => {
    const v = await Vault.unlock(dir, PASSPHRASE);
    const n = v.log().length;
    await v.lock();
    return n;
  };

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    dir = join(root, 'vault');
    const src = join(root, 'src');
    await mkdir(src);
    for (const name of ['junk.bin', 'keep.txt', 'other.txt', 'asked.txt'])
      await writeFile(join(src, name), `${name} content\n`);
    const { vault } = await newVault(dir);
    await vault.add([src]);
    for (const i of vault.list()) ids[i.name] = i.id;
    personId = vault.createPerson({ name: 'Jo\u202Eevil', role: 'harasser' }).id;
    incidentId = vault.createIncident(
      { occurredAt: '2026-03-09', summary: 'at the gate' },
      { itemIds: [ids['keep.txt']!], personIds: [personId] },
    ).id;
    await vault.lock();
    env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
  });

  it('refuses without a reason, without --yes when nothing can ask, and for unknown ids', async () => {
    const before = await logLength();
    const noReason = await dossier(['rm', ids['junk.bin']!], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/Say why with --reason/);
    const blank = await dossier(['rm', ids['junk.bin']!, '--reason', '  '], env);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/--reason " {2}" is empty/);
    const noTerminal = await dossier(['rm', ids['junk.bin']!, '--reason', 'mistake'], env);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/no terminal to confirm .* --yes/);
    const badId = await dossier(['rm', 'not-an-id', '--reason', 'x', '--yes'], env);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/is not an item id/);
    const short = await dossier(['rm', 'ab', '--reason', 'x', '--yes'], env);
    expect(short.code).toBe(2);
    // Refused before the vault was opened: nothing logged but the counting sessions' own
    // lock and unlock.
    expect(await logLength()).toBe(before + 2);
    // In another vault, two items whose ids share a prefix (rows only: enough to resolve ids).
    const twinDir = join(root, 'twins');
    const { vault } = await newVault(twinDir);
    vault.batch(() => {
      for (const [id, blob] of [
        ['abcd000000000000000000000a', 'abcd000000000000000000000b'],
        ['abcd000000000000000000000c', 'abcd000000000000000000000d'],
      ] as const) {
        vault.items.insertBlob(blob, 'original', 1, 'e'.repeat(64));
        vault.items.insert({
          ...{ id, blobId: blob, sha256: `${id}${blob}`.slice(0, 52), size: 1 },
          ...{ mime: 'text/plain', name: 'twin.txt', sourcePath: null },
          ...{ ingestedAt: new Date().toISOString(), ingestedOffsetMinutes: 0 },
          ...{ sourceMtime: null, sourceExifTime: null, width: null, height: null },
          ...{ thumbBlobId: null, metadata: {}, metadataErrors: [], sensitive: [] },
        });
      }
    });
    await vault.lock();
    const twins = await dossier(['rm', 'abcd', '--reason', 'x', '--yes'], {
      ...env,
      DOSSIER_VAULT: twinDir,
    });
    expect(twins.code).toBe(2);
    expect(twins.stderr).toMatch(
      /More than one item starts with abcd: abcd0+a \(twin\.txt\), abcd0+c \(twin\.txt\)\. Type more of the id/,
    );
    const unknown = await dossier(['rm', 'zzzzzz', '--reason', 'x', '--yes'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no item with id zzzzzz/);
    const wrongPlace = await dossier(['incident', 'ls', '--reason', 'x'], env);
    expect(wrongPlace.code).toBe(2);
    expect(wrongPlace.stderr).toMatch(/--reason goes with `dossier incident rm`/);
  });

  it('rm --yes removes the item by a prefix of its id, and check stays clean', async () => {
    const id = ids['junk.bin']!;
    const r = await dossier(
      ['rm', id.slice(0, 6), '--reason', 'imported by mistake', '--yes', '--json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      id,
      kind: 'item',
      name: 'junk.bin',
      reason: 'imported by mistake',
    });
    const ls = await dossier(['ls', '--json'], env);
    expect((JSON.parse(ls.out) as { id: string }[]).map((i) => i.id)).not.toContain(id);
    const check = await dossier(['check'], env);
    expect(check.code).toBe(0);
    const again = await dossier(['rm', id, '--reason', 'x', '--yes'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/was removed on .*imported by mistake/);
    const show = await dossier(['show', id], env);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/was removed on/);
  });

  it.skipIf(noPty !== null)(
    skipTitle('asks first on a terminal: "no" keeps the item, "yes" removes it', noPty),
    () => {
      const id = ids['asked.txt']!;
      const ask = (answer: string) =>
        onPty(answer, [process.execPath, CLI, 'rm', id, '--reason', 'duplicate'], {
          prompt: 'Type yes',
          env: { ...process.env, ...env },
        });
      const no = ask('no');
      expect(no.output).toMatch(/Remove item .*asked\.txt/);
      expect(no.output).toMatch(/Nothing was removed/);
      expect(no.status).toBe(0);
      const yes = ask('yes');
      expect(yes.output).toMatch(/Removed item .*asked\.txt/);
      expect(yes.status).toBe(0);
    },
  );

  it('rename keeps the original name, shows it, and refuses hostile names before unlocking', async () => {
    const id = ids['other.txt']!;
    const r = await dossier(['rename', id.slice(0, 5), 'Screenshot of threat.txt'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Renamed item .* to Screenshot of threat\.txt \(original name: other\.txt\)/,
    );
    const show = await dossier(['show', id], env);
    expect(show.out).toMatch(/Name +Screenshot of threat\.txt/);
    expect(show.out).toMatch(/Original +other\.txt \(the name it was imported with\)/);
    for (const [name, why] of [
      ['../../etc/passwd', /cannot contain \//],
      ['bad\u202Etxt.exe', /direction overrides/],
      ['x'.repeat(256), /too long/],
      ['', /is empty/],
    ] as const) {
      const bad = await dossier(['rename', id, name], env);
      expect(bad.code, name).toBe(2);
      expect(bad.stderr).toMatch(why);
      expect(bad.stderr).not.toMatch(/\u202E/);
    }
  });

  it('incident rm and person rm remove them with their links; the items stay', async () => {
    const inc = await dossier(
      ['incident', 'rm', incidentId, '--reason', 'recorded twice', '--yes'],
      env,
    );
    expect(inc.code).toBe(0);
    expect(inc.out).toMatch(/Removed incident/);
    expect(JSON.parse((await dossier(['incident', 'ls', '--json'], env)).out)).toEqual([]);
    const person = await dossier(
      ['person', 'rm', personId, '--reason', 'wrong person', '--yes'],
      env,
    );
    expect(person.code).toBe(0);
    // A hostile name is escaped on the terminal.
    expect(person.out).toMatch(/Removed person .*Jo\\u202eevil/);
    expect(person.out).not.toMatch(/\u202E/);
    expect(JSON.parse((await dossier(['person', 'ls', '--json'], env)).out)).toEqual([]);
    const show = await dossier(['show', ids['keep.txt']!, '--json'], env);
    expect(show.code).toBe(0);
    const wrong = await dossier(
      ['person', 'rm', personId, '--reason', 'x', '--yes', '--role', 'other'],
      env,
    );
    expect(wrong.code).toBe(2);
    expect((await dossier(['check'], env)).code).toBe(0);
  });
});
