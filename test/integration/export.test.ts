import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { makeScreenshotPng } from '../fixtures/evidence';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE, sha256 } from '../support/vault';

const run = promisify(execFile);

async function copyDir(from: string, to: string): Promise<void> {
  await run('cp', ['-a', from, to]);
}

describe('export bundle', async () => {
  const root = await tempDir();
  const src = join(root, 'src');
  await mkdir(join(src, 'week1'), { recursive: true });
  await mkdir(join(src, 'week3'), { recursive: true });
  const png = await makeScreenshotPng(390, 844, 11);
  await writeFile(join(src, 'week1', 'reply.png'), png);
  await writeFile(
    join(src, 'week1', 'email.txt'),
    'From: anon@example.com\n\nYour children should be taken into care.\n',
  );
  await writeFile(
    join(src, 'week3', 'email.txt'),
    'From: anon@example.com\n\nI know where they go to school.\n',
  );
  await writeFile(join(src, 'week3', 'invoice\u202Etxt.exe'), 'hostile name');
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);
  await vault.add([src], { tags: ['emails'] });
  await vault.add([join(src, 'week1', 'reply.png')], { note: 'reply to my constituency post' });
  const items = vault.list();
  const byName = (n: string) => items.filter((i) => i.name === n);
  const person = vault.createPerson({
    name: 'Anonymous sender',
    role: 'harasser',
    identifiers: [{ kind: 'email', value: 'anon@example.com' }],
  });
  const first = vault.createIncident(
    {
      occurredAt: '2026-03-02T21:14:00Z',
      place: 'Email',
      summary: 'Email about my children',
      impact: 'Frightened',
      policeRef: 'CAD 1234',
    },
    { itemIds: [byName('email.txt')[0]!.id, byName('reply.png')[0]!.id], personIds: [person.id] },
  );
  vault.createIncident(
    { occurredAt: '2026-03-16T08:02:00Z', place: 'Email', summary: 'Email naming the school' },
    { itemIds: [byName('email.txt')[1]!.id], personIds: [person.id] },
  );
  const reply = byName('reply.png')[0]!;
  vault.addRegion(reply.id, { x: 0.1, y: 0.25, w: 0.5, h: 0.125 }, 'This line is the threat');
  vault.addRegion(reply.id, { x: 0, y: 0.75, w: 1, h: 0.25 }, 'His account name');
  const out = join(root, 'out');
  await mkdir(out);
  const result = await vault.export({
    out,
    format: 'dir',
    selection: { all: true },
    exhibitPrefix: 'JD',
    caseName: 'R v Unknown',
    exporter: 'Jane Doe MP',
  });
  const bag = result.path;

  it('lists the region marks of each exhibit in annotations.json, numbered, in millionths', async () => {
    const annotations = JSON.parse(
      await readFile(join(bag, 'data', 'metadata', 'annotations.json'), 'utf8'),
    ) as { itemId: string; regions: { number: number; x: number; h: number; comment: string }[] }[];
    const marks = annotations.find((a) => a.itemId === reply.id)!.regions;
    expect(marks.map((r) => [r.number, r.x, r.h, r.comment])).toEqual([
      [1, 100_000, 125_000, 'This line is the threat'],
      [2, 0, 250_000, 'His account name'],
    ]);
    expect(
      annotations.filter((a) => a.itemId !== reply.id).every((a) => a.regions.length === 0),
    ).toBe(true);
  });

  it('writes a complete BagIt bag with byte-identical originals named by exhibit', async () => {
    expect(result.exhibits.map((e) => e.number)).toEqual(['JD1', 'JD2', 'JD3', 'JD4']);
    const top = (await readdir(bag)).sort();
    expect(top).toEqual([
      'VERIFY.txt',
      'bag-info.txt',
      'bagit.txt',
      'data',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      'signature',
      'tagmanifest-sha256.txt',
    ]);
    expect((await readdir(join(bag, 'signature'))).sort()).toEqual([
      'dossier-public-key.pem',
      'tagmanifest-sha256.txt.sig',
    ]);
    for (const e of result.exhibits) {
      expect(e.bagPath).toMatch(/^data\/evidence\/JD-00\d_/);
      expect(sha256(await readFile(join(bag, e.bagPath)))).toBe(e.sha256);
    }
    const names = result.exhibits.map((e) => e.bagPath);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(names.join('|')).not.toMatch(/[\u202E\u0000-\u001f]/);
    const info = await readFile(join(bag, 'bag-info.txt'), 'utf8');
    for (const label of [
      'Source-Organization',
      'Contact-Name',
      'External-Description',
      'Bagging-Date',
      'Payload-Oxum',
      'Bag-Software-Agent',
    ]) {
      expect(info).toMatch(new RegExp(`^${label}: .+`, 'm'));
    }
    expect(info).toContain('R v Unknown');
    for (const f of [
      'items.json',
      'items.csv',
      'incidents.csv',
      'people.csv',
      'annotations.json',
      'custody.jsonl',
    ]) {
      expect(await readdir(join(bag, 'data', 'metadata'))).toContain(f);
    }
    const itemsJson = JSON.parse(await readFile(join(bag, 'data/metadata/items.json'), 'utf8')) as {
      originalName: string;
      sha256: string;
    }[];
    expect(itemsJson.map((i) => i.originalName)).toContain('invoice\u202Etxt.exe');
  });

  const noCheckers = missingTools(['sha256sum', 'sha512sum', 'openssl']);
  it.skipIf(noCheckers !== null)(
    skipTitle('checks with sha256sum -c, sha512sum -c and openssl, as VERIFY.txt says', noCheckers),
    async () => {
      await run('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: bag });
      await run('sha512sum', ['--strict', '-c', 'manifest-sha512.txt'], { cwd: bag });
      await run('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], { cwd: bag });
      const { stdout } = await run(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'signature/dossier-public-key.pem',
          '-rawin',
          '-in',
          'tagmanifest-sha256.txt',
          '-sigfile',
          'signature/tagmanifest-sha256.txt.sig',
        ],
        { cwd: bag },
      );
      expect(stdout).toMatch(/Signature Verified Successfully/);
      const fp = await run(
        'sh',
        [
          '-c',
          'openssl pkey -pubin -in signature/dossier-public-key.pem -outform DER | tail -c 32 | sha256sum',
        ],
        { cwd: bag },
      );
      expect(fp.stdout.slice(0, 64)).toBe(result.fingerprint.replace(/ /g, ''));
      expect(await readFile(join(bag, 'VERIFY.txt'), 'utf8')).toContain(
        result.fingerprint.replace(/ /g, ''),
      );
    },
  );

  const noPdftotext = missingTools(['pdftotext']);
  it.skipIf(noPdftotext !== null)(
    skipTitle('the report is real text with every exhibit hash', noPdftotext),
    async () => {
      const { stdout } = await run('pdftotext', [
        '-layout',
        join(bag, 'data/report/report.pdf'),
        '-',
      ]);
      for (const e of result.exhibits) expect(stdout).toContain(e.sha256);
      expect(stdout).toContain('R v Unknown');
    },
  );

  it('records the export in the custody log with the tag-manifest hash', async () => {
    const entry = vault.log().find((e) => e.action === 'export')!;
    expect(entry.details.tagManifestSha256).toBe(result.tagManifestSha256);
    expect(
      createHash('sha256')
        .update(await readFile(join(bag, 'tagmanifest-sha256.txt')))
        .digest('hex'),
    ).toBe(result.tagManifestSha256);
    expect(vault.verifyLog().ok).toBe(true);
  });

  it('verifies, and names the file for every kind of tampering', async () => {
    expect(await verifyBundle(bag)).toMatchObject({
      ok: true,
      dossierBundle: true,
      fingerprint: result.fingerprint,
    });
    const cases: [string, (b: string) => Promise<void>, RegExp][] = [
      [
        'evidence byte',
        async (b) => flip(join(b, result.exhibits[0]!.bagPath)),
        new RegExp(escape(result.exhibits[0]!.bagPath)),
      ],
      ['metadata byte', async (b) => flip(join(b, 'data/metadata/items.csv')), /items\.csv/],
      ['manifest', async (b) => flip(join(b, 'manifest-sha256.txt'), 3), /manifest-sha256\.txt/],
      [
        'bag-info',
        async (b) => appendFile(join(b, 'bag-info.txt'), 'Note: added later\n'),
        /bag-info\.txt/,
      ],
      [
        'missing file',
        async (b) => rm(join(b, result.exhibits[1]!.bagPath)),
        new RegExp(escape(result.exhibits[1]!.bagPath)),
      ],
      [
        'extra file',
        async (b) => writeFile(join(b, 'data/evidence/planted.txt'), 'x'),
        /planted\.txt/,
      ],
      [
        'wrong signature',
        async (b) => flip(join(b, 'signature/tagmanifest-sha256.txt.sig')),
        /signature/,
      ],
      [
        'wrong key',
        async (b) =>
          writeFile(
            join(b, 'signature/dossier-public-key.pem'),
            generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
          ),
        /signature/,
      ],
    ];
    for (const [label, tamper, file] of cases) {
      const copy = join(root, `tampered-${label.replace(/ /g, '-')}`);
      await copyDir(bag, copy);
      await tamper(copy);
      const report = await verifyBundle(copy);
      expect(report.ok, label).toBe(false);
      expect(report.problems.map((p) => `${p.file ?? ''} ${p.message}`).join('\n'), label).toMatch(
        file,
      );
    }
  });

  it('exports by tag, by incident and by item; zip and encrypted zip verify too', async () => {
    const byIncident = await vault.export({
      out: join(root, 'by-incident'),
      format: 'dir',
      selection: { incidentIds: [first.id] },
    });
    expect(byIncident.exhibits).toHaveLength(2);
    const byItem = await vault.export({
      out: join(root, 'by-item.zip'),
      format: 'zip',
      selection: { itemIds: [items[0]!.id] },
    });
    expect(byItem.path).toMatch(/by-item\.zip$/);
    expect((await verifyBundle(byItem.path)).ok).toBe(true);
    const enc = await vault.export({
      out: join(root, 'sealed.zip'),
      format: 'zip',
      encryptPassphrase: 'shared by phone only',
      selection: { tags: ['emails'] },
    });
    expect(enc.path).toMatch(/sealed\.zip\.age$/);
    expect((await readFile(enc.path)).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect((await verifyBundle(enc.path, { passphrase: 'shared by phone only' })).ok).toBe(true);
    await expect(verifyBundle(enc.path, { passphrase: 'wrong' })).rejects.toThrow();
  });

  it('refuses a zip to a folder that does not exist, as a folder in a missing folder is refused', async () => {
    const before = (await readdir(root)).sort();
    const exportTo = (to: string, format: 'dir' | 'zip', encryptPassphrase?: string) =>
      vault.export({ out: to, format, encryptPassphrase, selection: { all: true } });
    // A typed folder that is not there never quietly becomes "does-not-exist.zip".
    for (const pass of [undefined, 'shared by phone only']) {
      await expect(exportTo(join(root, 'does-not-exist'), 'zip', pass)).rejects.toMatchObject({
        code: 'IO',
        message: expect.stringMatching(
          /does-not-exist does not exist\. Check the path and try again: a zip is saved in a folder that exists, or give its own name ending in \.zip\./,
        ) as unknown,
      });
    }
    // Inside a folder that does not exist: the same words for the folder and the zip.
    const missing = join(root, 'no-such-folder');
    for (const [to, format] of [
      [join(missing, 'bundle'), 'dir'],
      [join(missing, 'bundle.zip'), 'zip'],
      [join(missing, 'bundle'), 'zip'],
    ] as const) {
      await expect(exportTo(to, format)).rejects.toMatchObject({
        code: 'IO',
        message: `${missing} does not exist. Check the path and try again: the bundle is saved in a folder that exists.`,
      });
    }
    // A folder named as one (a final separator, as the wizard sends it) must exist, whatever
    // the format: it never becomes the bundle's own name.
    for (const format of ['dir', 'zip'] as const) {
      await expect(exportTo(`${join(root, 'typo-folder')}/`, format)).rejects.toMatchObject({
        code: 'IO',
        message: `${join(root, 'typo-folder')} does not exist. Check the path and try again: the bundle is saved in a folder that exists.`,
      });
    }
    // A file where a folder was meant is not a zip name either.
    await writeFile(join(root, 'notes.txt'), 'not a folder');
    await expect(exportTo(join(root, 'notes.txt'), 'zip')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/notes\.txt is not a folder/) as unknown,
    });
    await rm(join(root, 'notes.txt'));
    expect((await readdir(root)).sort()).toEqual(before);
  });

  it('refuses an exhibit prefix with anything but letters and digits, and never alters one', async () => {
    for (const prefix of ['jd-1', 'J D', 'JD/', 'Zoë', 'JD\x1b[2J', 'x'.repeat(21)]) {
      await expect(
        vault.export({ out, format: 'dir', selection: { all: true }, exhibitPrefix: prefix }),
      ).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/exhibit prefix/) as unknown,
      });
    }
    expect((await readdir(out)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('labels exhibits JD1 by default or JD/1 if chosen, and refuses a prefix that would run into its numbers', async () => {
    const slash = await vault.export({
      out,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD2',
      exhibitStyle: 'JD/1',
    });
    expect(slash.exhibits.map((e) => e.number)).toEqual(['JD2/1', 'JD2/2', 'JD2/3', 'JD2/4']);
    expect(slash.exhibits.map((e) => e.bagPath.split('_')[0])).toEqual(
      ['001', '002', '003', '004'].map((n) => `data/evidence/JD2-${n}`),
    );
    await rm(slash.path, { recursive: true });
    const before = (await readdir(out)).sort();
    // "JD21" could be exhibit 1 of JD2 or exhibit 21 of JD: refused, nothing written.
    await expect(
      vault.export({ out, format: 'dir', selection: { all: true }, exhibitPrefix: 'JD2' }),
    ).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/ends in a digit.*JD2\/1/) as unknown,
    });
    expect((await readdir(out)).sort()).toEqual(before);
  });

  it('numbers a second export of the same case on the same day, and never overwrites a named one', async () => {
    const again = await vault.export({
      out,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
      caseName: 'R v Unknown',
    });
    expect(again.path).toBe(`${bag}-2`);
    await expect(
      vault.export({ out: bag, format: 'dir', selection: { all: true } }),
    ).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('never leaves something that looks complete when cancelled or when a blob is damaged', async () => {
    const ac = new AbortController();
    const target = join(root, 'cancelled');
    await expect(
      vault.export({
        out: target,
        format: 'dir',
        selection: { all: true },
        signal: ac.signal,
        onProgress: (p) => p.itemsDone >= 1 && ac.abort(),
      }),
    ).rejects.toThrow(/cancelled/);
    expect((await readdir(root)).filter((n) => n.startsWith('cancelled'))).toEqual([]);
  });

  it('puts a derivative under data/derived/, labelled with its parent', async () => {
    // No editing tool makes derivatives yet; mark an item as one the way the vault records them.
    const parent = items.find((i) => i.name === 'reply.png')!;
    const child = byName('email.txt')[1]!;
    const db = (
      vault as unknown as { db: { prepare(s: string): { run(...a: unknown[]): unknown } } }
    ).db;
    db.prepare(
      "UPDATE items SET parent_id = ?, derive_op = 'redact', derive_reason = 'hide a child''s name' WHERE id = ?",
    ).run(parent.id, child.id);
    const res = await vault.export({
      out: join(root, 'with-derived'),
      format: 'dir',
      selection: { all: true },
    });
    const derived = res.exhibits.find((e) => e.itemId === child.id)!;
    expect(derived.bagPath).toMatch(/^data\/derived\//);
    const itemsJson = JSON.parse(
      await readFile(join(res.path, 'data/metadata/items.json'), 'utf8'),
    ) as {
      itemId: string;
      derivedFrom: { sha256: string; operation: string; reason: string } | null;
    }[];
    expect(itemsJson.find((e) => e.itemId === child.id)!.derivedFrom).toMatchObject({
      sha256: parent.sha256,
      operation: 'redact',
      reason: "hide a child's name",
    });
    expect((await verifyBundle(res.path)).ok).toBe(true);
    db.prepare(
      'UPDATE items SET parent_id = NULL, derive_op = NULL, derive_reason = NULL WHERE id = ?',
    ).run(child.id);
  });

  it('refuses to export a damaged original', async () => {
    const victim = items.find((i) => i.name === 'reply.png')!;
    await vault.lock();
    const path = join(dir, victim.blob);
    const original = await readFile(path);
    const bytes = Buffer.from(original);
    bytes[bytes.length - 100]! ^= 1;
    await writeFile(path, bytes);
    const v = await Vault.unlock(dir, PASSPHRASE);
    await expect(
      v.export({ out: join(root, 'bad'), format: 'dir', selection: { all: true } }),
    ).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect((await readdir(root)).filter((n) => n.startsWith('bad'))).toEqual([]);
    await writeFile(path, original);
    await v.lock();
  });
});

describe('dossier export / verify on the command line', () => {
  beforeAll(() => assertBuilt());
  it('exports with the documented flags and verifies with exit codes 0 and 4', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'a.txt'), 'first message');
    await vault.add([join(root, 'a.txt')], { tags: ['x'] });
    await vault.lock();
    const r = await dossier(
      [
        'export',
        '--out',
        join(root, 'bundle'),
        '--all',
        '--exhibit-prefix',
        'JD',
        '--case',
        'Harassment of J Doe',
        '--json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.out) as { path: string; tagManifestSha256: string };
    const ok = await dossier(['verify', res.path]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Verified/);
    await flip(
      join(res.path, 'data/evidence', (await readdir(join(res.path, 'data/evidence')))[0]!),
    );
    const bad = await dossier(['verify', res.path, '--json']);
    expect(bad.code).toBe(4);
    expect((JSON.parse(bad.out) as { ok: boolean }).ok).toBe(false);
    expect((await dossier(['export', '--out', join(root, 'b2')], env)).code).toBe(2);
  });

  it('records people and incidents, and exports one incident', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'a.txt'), 'first');
    await writeFile(join(root, 'b.txt'), 'second');
    const added = await vault.add([join(root, 'a.txt'), join(root, 'b.txt')]);
    await vault.lock();
    const ids = added.results.map((r) => (r.status === 'added' ? r.id : ''));
    const p = await dossier(
      [
        'person',
        'add',
        'Anon Sender',
        '--role',
        'harasser',
        '--email',
        'Anon@Example.com',
        '--json',
      ],
      env,
    );
    expect(p.code, p.stderr).toBe(0);
    const person = JSON.parse(p.out) as { id: string; identifiers: { value: string }[] };
    expect(person.identifiers[0]!.value).toBe('anon@example.com');
    const i = await dossier(
      [
        'incident',
        'add',
        '--when',
        '2026-03-02T21:14',
        '--what',
        'Email about my children',
        '--where',
        'Email',
        '--item',
        ids[0]!.slice(0, 8),
        '--person',
        person.id,
        '--json',
      ],
      env,
    );
    expect(i.code, i.stderr).toBe(0);
    const incident = JSON.parse(i.out) as { id: string; itemIds: string[] };
    expect(incident.itemIds).toEqual([ids[0]]);
    const ls = JSON.parse((await dossier(['incident', 'ls', '--json'], env)).out) as {
      id: string;
    }[];
    expect(ls.map((x) => x.id)).toEqual([incident.id]);
    expect((await dossier(['incident', 'add', '--what', 'no date'], env)).code).toBe(2);
    const ex = await dossier(
      ['export', '--out', join(root, 'one'), '--incident', incident.id, '--json'],
      env,
    );
    expect(ex.code, ex.stderr).toBe(0);
    expect((JSON.parse(ex.out) as { exhibits: unknown[] }).exhibits).toHaveLength(1);
  });
});

async function flip(path: string, at?: number): Promise<void> {
  const b = await readFile(path);
  const i = at ?? Math.floor(b.length / 2);
  b[i]! ^= 0x01;
  await writeFile(path, b);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
