import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/**
 * Incidents and people are named on the command line as items are (the whole id or its
 * first 4+ characters), and an id that is not there is explained for a terminal; the
 * passphrase of an encrypted export comes from where `passwd`'s does, as --help says.
 */
describe('dossier incident, person and export: ids and the export passphrase', () => {
  let root: string;
  let env: Record<string, string>;
  let itemId: string;
  let personId: string;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'threat.txt'), 'I know where you live');
    const added = await vault.add([join(root, 'threat.txt')]);
    itemId = added.results[0]!.status === 'added' ? added.results[0]!.id : '';
    personId = vault.createPerson({ name: 'Anon', role: 'harasser' }).id;
    await vault.lock();
    env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
  });

  it('incident add --person and export --incident take the first characters of an id', async () => {
    const r = await dossier(
      [
        'incident',
        'add',
        '--when',
        '2026-03-02',
        '--what',
        'Email',
        '--item',
        itemId.slice(0, 5),
        '--person',
        personId.slice(0, 5).toUpperCase(),
        '--json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const incident = JSON.parse(r.out) as { id: string; personIds: string[]; itemIds: string[] };
    expect(incident.personIds).toEqual([personId]);
    expect(incident.itemIds).toEqual([itemId]);

    const out = join(root, 'by-incident');
    await mkdir(out);
    const e = await dossier(
      ['export', '--out', out, '--incident', incident.id.slice(0, 6), '--json'],
      env,
    );
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.out) as { exhibits: { itemId: string }[] }).exhibits).toEqual([
      expect.objectContaining({ itemId }),
    ]);
  });

  it('an id that is not in the vault is explained for a terminal, never "Reload and try again"', async () => {
    const unknown = personId.startsWith('zzzz') ? 'yyyy' : 'zzzz';
    const person = await dossier(
      ['incident', 'add', '--when', '2026-03-02', '--what', 'Email', '--person', unknown],
      env,
    );
    expect(person.code).toBe(2);
    expect(person.stderr).toBe(
      `dossier: There is no person with id ${unknown}. List people with \`dossier person ls\`.\n`,
    );
    const full = await dossier(
      ['export', '--out', root, '--incident', '0123456789abcdefghjkmnpqrs'],
      env,
    );
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(
      /There is no incident with id 0123456789abcdefghjkmnpqrs\. List incidents with `dossier incident ls`\./,
    );
    for (const r of [person, full]) expect(r.stderr).not.toMatch(/Reload/);
    const tooShort = await dossier(['export', '--out', root, '--incident', 'abc'], env);
    expect(tooShort.stderr).toMatch(/first 4 characters/);
  });

  it('export --out FOLDER/ and --format zip --out FOLDER: a folder that does not exist is refused, nothing written', async () => {
    const missing = join(root, 'Documnets');
    for (const args of [
      ['--out', `${missing}/`],
      ['--out', `${missing}/`, '--format', 'zip'],
      ['--out', missing, '--format', 'zip'],
    ]) {
      const r = await dossier(['export', ...args, '--all'], env);
      expect(r.code, args.join(' ')).toBe(5);
      expect(r.stderr).toContain(`${missing} does not exist. Check the path and try again`);
    }
    expect((await readdir(root)).filter((n) => n.startsWith('Documnets'))).toEqual([]);
  });

  it('--help documents every passphrase variable, DOSSIER_EXPORT_PASSPHRASE included, and its risk', async () => {
    const help = (await dossier(['--help'])).out;
    for (const v of [
      'DOSSIER_PASSPHRASE',
      'DOSSIER_RECOVERY_CODE',
      'DOSSIER_NEW_PASSPHRASE',
      'DOSSIER_EXPORT_PASSPHRASE',
    ])
      expect(help).toContain(v);
    expect(help).toMatch(/--encrypt/);
    expect(help).toMatch(/environment/i);
    expect(help).toMatch(/shell history/);
  });

  it('export --encrypt takes DOSSIER_EXPORT_PASSPHRASE, as verify does; without it, says where to put it', async () => {
    const out = join(root, 'sealed');
    await mkdir(out);
    const secret = 'told to the solicitor by phone';
    const r = await dossier(['export', '--out', out, '--all', '--encrypt', '--json'], {
      ...env,
      DOSSIER_EXPORT_PASSPHRASE: secret,
    });
    expect(r.code, r.stderr).toBe(0);
    const path = (JSON.parse(r.out) as { path: string }).path;
    expect(path).toMatch(/\.zip\.age$/);
    const v = await dossier(['verify', path], { DOSSIER_EXPORT_PASSPHRASE: secret });
    expect(v.code, v.stderr).toBe(0);
    // A passphrase (scrypt) age file: what `age -d` on the recipient's side asks a passphrase for.
    const head = (await readFile(path)).subarray(0, 60).toString('latin1');
    expect(head).toMatch(/^age-encryption\.org\/v1\n-> scrypt /);

    // Said to the person exporting, in words: the recipient needs age, and where to get it.
    const human = await dossier(['export', '--out', out, '--all', '--encrypt'], {
      ...env,
      DOSSIER_EXPORT_PASSPHRASE: secret,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.out).toMatch(/needs the free tool age .*https:\/\/age-encryption\.org/);
    expect(human.out).toMatch(/age -d -o bundle\.zip FILE\.zip\.age/);

    const none = await dossier(['export', '--out', out, '--all', '--encrypt'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/DOSSIER_EXPORT_PASSPHRASE, or use --encrypt-passphrase-file FILE/);
    const dir = await dossier(['export', '--out', out, '--all', '--encrypt', '--format', 'dir'], {
      ...env,
      DOSSIER_EXPORT_PASSPHRASE: secret,
    });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/Only a zip can be encrypted/);
    expect((await readdir(out)).filter((n) => n.endsWith('.zip.age'))).toHaveLength(2);
  });
});
