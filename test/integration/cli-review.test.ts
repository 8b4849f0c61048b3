// `dossier review open|ls|show|cat BUNDLE` (issue 14): no vault needed; exit 0 when the bundle
// verifies and 4 when anything fails; the same JSON as ls/show/cat of a vault; human output
// escaped; clear errors for a wrong passphrase, a truncated zip, a tampered file, a hostile
// entry name.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli/main';
import { Vault } from '../../main/core';
import { tempDir } from '../support/tmp';
import {
  BUNDLE_PASSPHRASE,
  HOSTILE_NAME,
  makeReviewBundles,
  PLAINTEXT_MARKER,
  type ReviewBundles,
} from '../support/review-bundle';
import { PASSPHRASE, sha256 } from '../support/vault';

const run = promisify(execFile);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const data: Buffer[] = [];
  return {
    out,
    err,
    bytes: () => Buffer.concat(data),
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      data: async (c: Uint8Array) => void data.push(Buffer.from(c)),
    },
  };
}

async function dossier(args: string[]) {
  const c = capture();
  const code = await main(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n'), bytes: c.bytes() };
}

describe('dossier review', () => {
  let root: string;
  let b: ReviewBundles;
  let passFile: string;

  beforeAll(async () => {
    root = await tempDir();
    b = await makeReviewBundles(root);
    passFile = join(root, 'bundle-passphrase.txt');
    await writeFile(passFile, `${BUNDLE_PASSPHRASE}\n`);
  }, 120_000);
  afterEach(() => vi.unstubAllEnvs());

  it('review open: a summary with case, exporter, exhibits, fingerprint; exit 0; no vault needed', async () => {
    // A vault that does not exist: nothing here may look for one.
    vi.stubEnv('DOSSIER_VAULT', join(root, 'no-such-vault'));
    const r = await dossier(['review', 'open', b.folder]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Case\s+R v Unknown$/m);
    expect(r.out).toMatch(/^Exported by\s+Jane Doe MP/m);
    expect(r.out).toMatch(/^Exhibits\s+4 \(incidents 1, people 1, transcript messages 2\)$/m);
    expect(r.out).toMatch(/^Fingerprint\s+([0-9a-f]{4} ){15}[0-9a-f]{4}$/m);
    expect(r.out).toMatch(/^Verified: /m);

    const json = await dossier(['review', 'open', b.age, '--passphrase-file', passFile, '--json']);
    expect(json.code).toBe(0);
    const s = JSON.parse(json.out) as Record<string, unknown>;
    expect(s).toMatchObject({
      caseName: 'R v Unknown',
      exporter: 'Jane Doe MP',
      exhibits: 4,
      verified: true,
      problems: [],
      failingExhibits: [],
    });
  });

  it('review ls / show / cat give the JSON fields of ls / show / cat on the vault', async () => {
    // The vault the bundle came from, for the fields its own commands give.
    const vault = await Vault.unlock(join(root, 'vault'), PASSPHRASE);
    const vaultItems = vault.list();
    const vaultEmail = vault.item(b.ids.email);
    await vault.lock();

    const ls = await dossier(['review', 'ls', b.zip, '--json']);
    expect(ls.code).toBe(0);
    const items = JSON.parse(ls.out) as Record<string, unknown>[];
    expect(items.map((i) => Object.keys(i).sort())).toEqual(
      vaultItems.map((i) => Object.keys(i).sort()),
    );
    expect(items.map((i) => i.id)).toEqual([
      b.ids.screenshot,
      b.ids.hostile,
      b.ids.email,
      b.ids.chat,
    ]);
    const sameFacts = (i: Record<string, unknown>) => [
      i.id,
      i.sha256,
      i.size,
      i.name,
      i.mime,
      i.tags,
    ];
    expect(items.map(sameFacts).sort()).toEqual(
      vaultItems.map((i) => sameFacts(i as unknown as Record<string, unknown>)).sort(),
    );
    expect(items[0]!.blob).toMatch(/^data\/evidence\/JD-001_/);

    const show = await dossier(['review', 'show', b.zip, 'JD3', '--json']);
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.out) as Record<string, unknown>;
    expect(Object.keys(detail).sort()).toEqual(Object.keys(vaultEmail).sort());
    expect(detail).toMatchObject({ id: b.ids.email, sha256: vaultEmail.sha256, name: 'email.txt' });
    const chat = await dossier(['review', 'show', b.zip, b.ids.chat.slice(0, 6), '--json']);
    expect((JSON.parse(chat.out) as { conversation: { format: string } }).conversation.format).toBe(
      'whatsapp',
    );

    const cat = await dossier(['review', 'cat', b.age, 'JD3', '--passphrase-file', passFile]);
    expect(cat.code).toBe(0);
    expect(cat.bytes.toString()).toContain(PLAINTEXT_MARKER);
    expect(sha256(cat.bytes)).toBe(vaultEmail.sha256);

    const missing = await dossier(['review', 'show', b.zip, 'JD99']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/This bundle has no exhibit "JD99"/);
  });

  it('human output escapes control characters in names from the bundle', async () => {
    const ls = await dossier(['review', 'ls', b.folder]);
    expect(ls.code).toBe(0);
    expect(ls.out).not.toContain('\u001b');
    expect(ls.out).toContain('note\\x1b[2Jclear.txt');
    const show = await dossier(['review', 'show', b.folder, 'JD2']);
    expect(show.out).not.toContain('\u001b');
    expect(HOSTILE_NAME).toContain('\u001b');
  });

  it('a tampered bundle: review open lists every problem with its file and the failing exhibit; exit 4', async () => {
    const copy = join(root, 'tampered');
    await run('cp', ['-a', b.folder, copy]);
    const items = JSON.parse(await readFile(join(copy, 'data/metadata/items.json'), 'utf8')) as {
      number: string;
      bagPath: string;
    }[];
    const shot = items.find((e) => e.number === 'JD1')!.bagPath;
    const bytes = await readFile(join(copy, shot));
    bytes[100]! ^= 1;
    await writeFile(join(copy, shot), bytes);
    const r = await dossier(['review', 'open', copy]);
    expect(r.code).toBe(4);
    expect(r.out).toContain(`PROBLEM  ${shot}: `);
    expect(r.out).toMatch(/\[exhibit JD1\]/);
    expect(r.out).toMatch(/NOT VERIFIED: \d+ problem\(s\) above\. Exhibits that fail: JD1\./);
    const json = await dossier(['review', 'open', copy, '--json']);
    expect(json.code).toBe(4);
    expect((JSON.parse(json.out) as { failingExhibits: string[] }).failingExhibits).toEqual([
      'JD1',
    ]);
    // Still readable; the exhibit that fails is marked, and its bytes are not handed out.
    const ls = await dossier(['review', 'ls', copy]);
    expect(ls.code).toBe(0);
    expect(ls.err).toMatch(/This bundle does NOT verify/);
    expect(ls.out.split('\n').find((l) => l.startsWith('JD1'))).toMatch(/FAILS$/);
    const cat = await dossier(['review', 'cat', copy, 'JD1']);
    expect(cat.code).toBe(4);
    expect(cat.bytes.length).toBe(0);
    expect(cat.err).toMatch(/failed verification: it is not the file that was exported/);
  });

  it('a wrong passphrase (3), a truncated zip (4), a hostile entry name (4), bad usage (2)', async () => {
    const wrong = join(root, 'wrong.txt');
    await writeFile(wrong, 'not the right one at all\n');
    const w = await dossier(['review', 'open', b.age, '--passphrase-file', wrong]);
    expect(w.code).toBe(3);
    expect(w.err).toMatch(/That passphrase does not open bundle\.zip\.age/);

    const zip = await readFile(b.zip);
    const cut = join(root, 'cut.zip');
    await writeFile(cut, zip.subarray(0, zip.length - 200));
    const c = await dossier(['review', 'ls', cut]);
    expect(c.code).toBe(4);
    expect(c.err).toMatch(/cut\.zip is not a readable zip file, or it is damaged/);

    const hostile = join(root, 'hostile.zip');
    await run('python3', [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nz.writestr("b/bagit.txt", "x")\nz.writestr("b/../../evil.txt", "x")\nz.close()',
      hostile,
    ]);
    const h = await dossier(['review', 'open', hostile]);
    expect(h.code).toBe(4);
    expect(h.err).toMatch(/hostile\.zip holds an entry with an unsafe name/);

    expect((await dossier(['review'])).code).toBe(2);
    expect((await dossier(['review', 'open'])).err).toMatch(/Say which bundle/);
    expect((await dossier(['review', 'show', b.folder])).err).toMatch(/Say which exhibit/);
    expect((await dossier(['review', 'frobnicate', b.folder])).err).toMatch(
      /Unknown `review frobnicate`/,
    );
  });
});
