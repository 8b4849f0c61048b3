import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../../shared/contract';
import { EXHIBIT_PREFIX_RULE } from '../../../shared/exhibit-prefix';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, snapshot } from '../../support/vault';

/**
 * Every CLI argument that becomes an API argument is checked with the API's own schema
 * (shared/contract.ts), with the same limits, before the vault is unlocked: a refusal is
 * a usage error (exit 2) that names the option, and nothing is written to the vault.
 */
const ID = '0123456789abcdefghjkmnpqrs';
const long = (n: number) => 'x'.repeat(n);

describe('CLI arguments are checked with the API schemas', () => {
  let root: string;
  let vault: string;
  let env: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    vault = join(root, 'vault');
    await (await newVault(vault)).vault.lock();
    env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASSPHRASE };
    file = join(root, 'evidence.txt');
    await writeFile(file, 'he said it again');
    await writeFile(join(root, 'long-pass.txt'), long(1025));
    await writeFile(join(root, 'short-pass.txt'), 'seven77');
  });

  /** The contract's maximum length for a text field of a method's arguments. */
  function maxOf(schema: unknown): number {
    let s = schema as { maxLength?: number | null; unwrap?: () => unknown };
    while (s.maxLength === undefined && s.unwrap) s = s.unwrap() as typeof s;
    expect(typeof s.maxLength).toBe('number');
    return s.maxLength!;
  }
  const thousands = (n: number) => n.toLocaleString('en-GB');

  /** Refused with exit 2, in words that name `option`, before anything is unlocked or written. */
  async function expectRefused(args: string[], option: RegExp, why?: RegExp): Promise<string> {
    const before = await snapshot(vault);
    const r = await dossier(args, env);
    expect(r.stderr).toMatch(option);
    if (why) expect(r.stderr).toMatch(why);
    expect(r.stderr).not.toMatch(/\n\s+at |did not expect|invalid_|Too big|expected string/);
    expect(r.code).toBe(2);
    expect(await snapshot(vault)).toEqual(before);
    return r.stderr;
  }

  it('the API itself refuses a tag with control characters when adding (items.add, items.addData)', () => {
    for (const tag of ['a\x1b[31mb', 'line\nbreak', 'nul\0', 'c1\u009b']) {
      expect(api['items.add'].args.safeParse({ paths: ['/x'], tags: [tag] }).success).toBe(false);
      expect(
        api['items.addData'].args.safeParse({ name: 'x', data: new Uint8Array(), tags: [tag] })
          .success,
      ).toBe(false);
      expect(api['items.setTags'].args.safeParse({ id: ID, tags: [tag] }).success).toBe(false);
    }
    expect(api['items.add'].args.safeParse({ paths: ['/x'], tags: ['Zoë’s café'] }).success).toBe(
      true,
    );
  });

  it('add --tag: control characters, length and count as the API limits them', async () => {
    await expectRefused(['add', file, '--tag', 'a\x1b[31mb'], /--tag/, /control|line break/i);
    await expectRefused(['add', file, '--tag', 'two\nlines'], /--tag/, /control|line break/i);
    await expectRefused(['add', file, '--tag', 'c1\u009b'], /--tag/);
    await expectRefused(['add', file, '--tag', long(201)], /--tag/, /200/);
    const many = Array.from({ length: 101 }, (_, i) => ['--tag', `t${i}`]).flat();
    await expectRefused(['add', file, ...many], /--tag/, /100/);
  });

  it('add --note: as long as the API allows, no longer', async () => {
    await expectRefused(['add', file, '--note', long(20_001)], /--note/, /20,000/);
  });

  it('person add: the name, --email/--handle/--phone, --notes, --role', async () => {
    await expectRefused(['person', 'add', long(501)], /name/, /500/);
    await expectRefused(['person', 'add', 'Jo', '--email', long(321)], /--email/, /320/);
    await expectRefused(['person', 'add', 'Jo', '--handle', long(321)], /--handle/, /320/);
    await expectRefused(['person', 'add', 'Jo', '--phone', long(321)], /--phone/, /320/);
    await expectRefused(['person', 'add', 'Jo', '--notes', long(20_001)], /--notes/, /20,000/);
    await expectRefused(['person', 'add', 'Jo', '--role', 'bully'], /--role/, /harasser/);
    const many = Array.from({ length: 101 }, (_, i) => ['--email', `p${i}@example.com`]).flat();
    await expectRefused(['person', 'add', 'Jo', ...many], /--email/, /100/);
  });

  it('incident add: every field, and the ids of items and people', async () => {
    const base = ['incident', 'add', '--when', '2026-03-02', '--what', 'Email'];
    await expectRefused(['incident', 'add', '--when', long(65), '--what', 'x'], /--when/, /64/);
    await expectRefused([...base, '--until', long(65)], /--until/, /64/);
    await expectRefused([...base, '--where', long(501)], /--where/, /500/);
    await expectRefused(['incident', 'add', '--when', 'now', '--what', long(20_001)], /--what/);
    await expectRefused([...base, '--impact', long(20_001)], /--impact/);
    await expectRefused([...base, '--witnesses', long(5_001)], /--witnesses/, /5,000/);
    await expectRefused([...base, '--police-ref', long(201)], /--police-ref/, /200/);
    await expectRefused([...base, '--platform-ref', long(201)], /--platform-ref/, /200/);
    await expectRefused([...base, '--person', 'jo'], /--person/, /person id/);
    await expectRefused([...base, '--person', `${ID}\x1b`], /--person/);
    await expectRefused([...base, '--item', 'zz'], /--item/, /item id/);
    await expectRefused([...base, '--item', 'abc!'], /--item/, /item id/);
    await expectRefused([...base, '--item', `${ID}0`], /--item/, /item id/);
  });

  it('export: the selection, the names on the bundle and the passphrase', async () => {
    const out = ['export', '--out', join(root, 'out')];
    await expectRefused([...out, '--all', '--exhibit-prefix', long(21)], /--exhibit-prefix/, /20/);
    await expectRefused(
      [...out, '--all', '--exhibit-style', 'JD-1'],
      /--exhibit-style/,
      /one of: JD1, JD\/1/,
    );
    await expectRefused([...out, '--all', '--exhibit-prefix', 'JD2'], /JD2/, /ends in a digit/);
    await expectRefused([...out, '--all', '--case', long(201)], /--case/, /200/);
    await expectRefused([...out, '--all', '--exporter', long(201)], /--exporter/, /200/);
    await expectRefused([...out, '--tag', long(201)], /--tag/, /200/);
    await expectRefused([...out, '--incident', 'abc'], /--incident/, /incident id/);
    await expectRefused([...out, '--item', 'ab'], /--item/, /item id/);
    await expectRefused(['export', '--out', `/${long(4096)}`, '--all'], /--out/, /4,096/);
    await expectRefused(
      [...out, '--all', '--encrypt-passphrase-file', join(root, 'long-pass.txt')],
      /passphrase/,
      /1,024/,
    );
  });

  it("incident add: each field's limit is the contract's, one over refused in the same words, the limit itself accepted", async () => {
    const shape = api['incidents.create'].args.shape;
    const base = ['incident', 'add', '--when', '2026-03-02'];
    const fields = [
      ['--what', shape.summary],
      ['--where', shape.place],
      ['--impact', shape.impact],
      ['--witnesses', shape.witnesses],
      ['--police-ref', shape.policeRef],
      ['--platform-ref', shape.platformRef],
    ] as const;
    for (const [option, schema] of fields) {
      const max = maxOf(schema);
      const args = option === '--what' ? base : [...base, '--what', 'Email'];
      const stderr = await expectRefused([...args, option, long(max + 1)], new RegExp(option));
      expect(stderr).toContain(
        `${option} "${long(40)}…" is too long: ${thousands(max)} characters at most (this one has ${thousands(max + 1)}).`,
      );
    }
    const atLimit = await dossier(
      [...base, '--what', long(maxOf(shape.summary)), '--police-ref', long(maxOf(shape.policeRef))],
      env,
    );
    expect(atLimit.code, atLimit.stderr).toBe(0);
  });

  it("export --exhibit-prefix: letters and digits only, in the contract's words", async () => {
    const out = ['export', '--out', root, '--all'];
    for (const prefix of ['jd-1', 'J D', 'Zoë']) {
      const stderr = await expectRefused([...out, '--exhibit-prefix', prefix], /--exhibit-prefix/);
      expect(stderr).toContain(`--exhibit-prefix "${prefix}" ${EXHIBIT_PREFIX_RULE}.`);
    }
  });

  it('add: a path longer than the API takes is refused before unlocking', async () => {
    await expectRefused(['add', `/${long(4096)}`], /The path/, /4,096 characters at most/);
  });

  it("passphrases and recovery codes: the same limits as the app's sessions", async () => {
    const longFile = join(root, 'long-pass.txt');
    const max = maxOf(api['session.create'].args.shape.passphrase);
    expect(max).toBe(1024);
    await expectRefused(
      ['--passphrase-file', longFile, 'ls'],
      /The passphrase is too long/,
      /1,024/,
    );
    await expectRefused(
      ['--recovery', '--passphrase-file', longFile, 'ls'],
      /The recovery code is too long/,
      /200/,
    );
    await expectRefused(
      ['passwd', '--new-passphrase-file', join(root, 'short-pass.txt')],
      /The new passphrase is too short/,
      /at least 8/,
    );
    await expectRefused(
      ['passwd', '--new-passphrase-file', longFile],
      /The new passphrase is too long/,
    );
    const fresh = join(root, 'not-yet');
    for (const file of [longFile, join(root, 'short-pass.txt')]) {
      const r = await dossier(['--passphrase-file', file, 'init', fresh], {});
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/The passphrase is too (long|short)/);
    }
    await expectRefused(
      ['verify', join(root, 'x.zip.age'), '--passphrase-file', longFile],
      /The bundle's passphrase is too long/,
    );
  });

  it('show and cat: an id that cannot be one is refused before unlocking', async () => {
    await expectRefused(['show', 'ab'], /item id/);
    await expectRefused(['cat', `zz\x1b[2J`], /item id/);
    await expectRefused(['show', long(27)], /item id/);
  });

  it('verify: a path longer than the API takes', async () => {
    await expectRefused(['verify', `/${long(4096)}`], /path/, /4,096/);
  });

  it('values at the limits are accepted', async () => {
    const r = await dossier(
      ['add', file, '--tag', long(200), '--tag', 'Zoë’s café', '--note', long(20_000), '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const person = await dossier(['person', 'add', long(500), '--email', long(320)], env);
    expect(person.code).toBe(0);
    const id = (JSON.parse(r.out) as { id: string }).id;
    const incident = await dossier(
      ['incident', 'add', '--when', '2026-03-02', '--what', 'Email', '--item', id.slice(0, 6)],
      env,
    );
    expect(incident.code).toBe(0);
    expect(incident.out).toMatch(/1 item\(s\) linked/);
  });
});
