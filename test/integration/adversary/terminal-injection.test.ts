import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier, type CliResult } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

/**
 * Text from files, emails and bundles reaches the terminal. None of its control
 * sequences may: a name could otherwise erase a PROBLEM line and paint a fake verdict.
 */
const ESC = '\x1b';
const FAKE_VERDICT = `x${ESC}[2K\r${ESC}[1A${ESC}[32mVerified: all files match${ESC}[8m`;
// C1 CSI, a right-to-left override, a line separator and a newline that would start a fake line.
const OTHER = 'y\u009b31m\u202Etxt.exe\u2028\nVerified: all files match';
const EMAIL = [
  'From: anon@example.com',
  `Date: ${ESC}[2K${ESC}[31mMon, 99 Foo 2026\u009b1m\u202E`,
  'Subject: you',
  '',
  'watch out',
  '',
].join('\r\n');

/** True when a raw ESC, any C0 control but \n, a C1 control or a bidi override/isolate is in the text. */
function hasRawControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u.test(
    text,
  );
}

function expectClean(r: CliResult): void {
  expect(r.stdout.includes(0x1b)).toBe(false);
  expect(hasRawControl(r.out)).toBe(false);
  expect(hasRawControl(r.stderr)).toBe(false);
  // Nothing that comes from a file may start a line of its own.
  expect(r.out).not.toMatch(/^Verified: all files match/m);
  expect(r.stderr).not.toMatch(/^Verified: all files match/m);
}

describe('terminal escape injection', () => {
  let root: string;
  let env: Record<string, string>;
  let fakeId: string;
  let emailId: string;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    const vault = join(root, 'vault');
    await (await newVault(vault)).vault.lock();
    env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASSPHRASE };
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, FAKE_VERDICT), 'hostile name');
    await writeFile(join(src, OTHER), 'another hostile name');
    await writeFile(join(src, 'mail.eml'), EMAIL);
  });

  it('add: file names and the email Date note are escaped; --json keeps them exact', async () => {
    const r = await dossier(
      ['add', join(root, 'src'), '--note', `first line\nsecond ${ESC}[31mline\u202E`],
      env,
    );
    expect(r.code).toBe(0);
    expectClean(r);
    expect(r.out).toContain('\\x1b[2K\\r\\x1b[1A\\x1b[32mVerified: all files match\\x1b[8m');
    expect(r.out).toContain('\\x9b31m\\u202etxt.exe\\u2028\\nVerified');
    // The Date header is quoted in the note under the email's line.
    expect(r.out).toMatch(/note: .*Date header .*\\x1b\[2K\\x1b\[31mMon, 99 Foo 2026\\x9b1m/);

    const ls = await dossier(['ls', '--json'], env);
    const items = JSON.parse(ls.out) as { id: string; name: string }[];
    expect(items.map((i) => i.name).sort()).toEqual([FAKE_VERDICT, 'mail.eml', OTHER].sort());
    fakeId = items.find((i) => i.name === FAKE_VERDICT)!.id;
    emailId = items.find((i) => i.name === 'mail.eml')!.id;
  });

  it('ls shows every name escaped', async () => {
    const r = await dossier(['ls'], env);
    expect(r.code).toBe(0);
    expectClean(r);
    expect(r.out).toContain('\\x1b[32mVerified: all files match\\x1b[8m');
    expect(r.out.trim().split('\n')).toHaveLength(3);
  });

  it('show: the name, the note and the Problem line are escaped; --json is exact', async () => {
    const named = await dossier(['show', fakeId], env);
    expect(named.code).toBe(0);
    expectClean(named);
    expect(named.out).toMatch(/^Name +x\\x1b\[2K\\r\\x1b\[1A/m);
    // A note keeps its own lines, each one escaped and indented under the label.
    expect(named.out).toMatch(/^Note +first line\n +second \\x1b\[31mline\\u202e$/m);

    const email = await dossier(['show', emailId], env);
    expect(email.code).toBe(0);
    expectClean(email);
    expect(email.out).toMatch(/^Problem +.*\\x1b\[2K\\x1b\[31mMon, 99 Foo 2026\\x9b1m\\u202e/m);

    const json = JSON.parse((await dossier(['show', emailId, '--json'], env)).out) as {
      metadataErrors: string[];
    };
    expect(json.metadataErrors.join(' ')).toContain(`${ESC}[2K${ESC}[31mMon, 99 Foo 2026`);
  });

  it('log says each entry in words, with the names in ingest entries escaped', async () => {
    const r = await dossier(['log'], env);
    expect(r.code).toBe(0);
    expectClean(r);
    expect(r.out).toMatch(
      /ingest +“.*\\u\{001b\}\[32mVerified: all files match.*” was added to the vault/,
    );
  });

  it('people and incidents: names and fields are escaped', async () => {
    const person = await dossier(
      ['person', 'add', `Anon${ESC}[2J`, '--email', `a${ESC}]0;title\u0007@example.com`],
      env,
    );
    expect(person.code).toBe(0);
    expectClean(person);
    const people = await dossier(['person', 'ls'], env);
    expectClean(people);
    expect(people.out).toContain('Anon\\x1b[2J');
    expect(people.out).toContain('a\\x1b]0;title\\x07@example.com');

    const incident = await dossier(
      [
        'incident',
        'add',
        '--when',
        '2026-03-02',
        '--what',
        `Threat${ESC}[8m`,
        '--where',
        '\u202Eevil',
      ],
      env,
    );
    expect(incident.code).toBe(0);
    const incidents = await dossier(['incident', 'ls'], env);
    expectClean(incidents);
    expect(incidents.out).toContain('Threat\\x1b[8m');
    expect(incidents.out).toContain('\\u202eevil');
  });

  it('error messages that quote input are escaped', async () => {
    const r = await dossier(['show', `zz${ESC}[2Jzz`], env);
    expect(r.code).toBe(2);
    expectClean(r);
    expect(r.stderr).toContain('zz\\x1b[2Jzz');
    const missing = await dossier(['add', join(root, `gone${ESC}[31m.png`)], env);
    expect(missing.code).toBe(5);
    expectClean(missing);
    expect(missing.out).toContain('gone\\x1b[31m.png');
    const option = await dossier([`--bad${ESC}[2J`], env);
    expect(option.code).toBe(2);
    expectClean(option);
  });

  it('verify of a bundle holding a hostile file name: escaped text, exact JSON', async () => {
    const bundle = join(root, 'bundle');
    const exported = await dossier(['export', '--out', bundle, '--all', '--json'], env);
    expect(exported.code).toBe(0);
    const path = (JSON.parse(exported.out) as { path: string }).path;
    // Planted after export: the bundle now holds a file with the hostile name.
    await writeFile(join(path, 'data', 'evidence', FAKE_VERDICT), 'planted');

    const r = await dossier(['verify', path]);
    expect(r.code).toBe(4);
    expectClean(r);
    expect(r.out).toMatch(/^PROBLEM .*\\x1b\[2K\\r\\x1b\[1A\\x1b\[32mVerified: all files match/m);
    expect(r.out).toMatch(/^NOT VERIFIED/m);

    const json = await dossier(['verify', path, '--json']);
    expect(json.code).toBe(4);
    const report = JSON.parse(json.out) as { problems: { file: string | null }[] };
    expect(report.problems.map((p) => p.file)).toContain(`data/evidence/${FAKE_VERDICT}`);
  });
});
