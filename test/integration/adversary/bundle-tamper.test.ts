/**
 * Tampered Dossier bundles. Each case starts from a real export and changes it the way an
 * adversary would, redoing every checksum, Payload-Oxum and signature they are able to
 * redo, so that only the check the case is about stands between the tampering and a
 * "Verified". Every case runs on the folder, the zip and the encrypted zip form.
 *
 * To try a new attack, or an old one against a changed bundle format, add a row to CASES.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { encrypt, ScryptRecipient, X25519Recipient } from '../../../main/core/age';
import { formatManifest, parseManifest } from '../../../main/core/bagit/manifest';
import { checkpointStatement } from '../../../main/core/custody/log';
import { verifyBundle, type BundleReport } from '../../../main/core/export/verify-bundle';
import type { ExportResult } from '../../../main/core/export/export';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { checkWithViewer, type ViewerCheck } from '../../support/viewer-page';
import { newVault, sha256 } from '../../support/vault';

type Form = 'folder' | 'zip' | 'zip.age';
const FORMS: Form[] = ['folder', 'zip', 'zip.age'];
const ZIP_PASSPHRASE = 'read out over the phone';

interface Ctx {
  /** The exhibits of the export the case starts from. */
  exhibits: ExportResult['exhibits'];
  /** Bag path of the exhibit with this original name. */
  path(name: string): string;
}

interface TamperCase {
  name: string;
  /** The issue item it reproduces. */
  item: number;
  /** 'forged': the export of a vault whose item row and blob were replaced (item 6). */
  base?: 'pristine' | 'forged';
  forms?: Form[];
  /** Changes the bundle folder (before it is zipped, for the zip forms). */
  tamper?: (bag: string, ctx: Ctx) => Promise<void>;
  /** Zip entries written outside the bag's folder (zip forms only). */
  zipExtras?: string[];
  /** Each must match some error, as "<file> <message>". */
  expect: RegExp[];
  /** More about the report. */
  check?: (r: BundleReport) => void;
}

const CASES: TamperCase[] = [
  {
    item: 2,
    name: 'an exhibit removed, and listed in fetch.txt',
    tamper: async (bag, ctx) => {
      const victim = ctx.path('photo.jpg');
      const size = (await readFile(join(bag, victim))).length;
      await rm(join(bag, victim));
      await writeFile(join(bag, 'fetch.txt'), `https://example.org/x.jpg ${size} ${victim}\n`);
    },
    expect: [/^fetch\.txt .*fetch\.txt/, /data\/evidence\/JD-002_photo\.jpg .*(missing|not in)/],
    check: (r) => expect(r.bag.complete).toBe(false),
  },
  {
    item: 3,
    name: 'signature/ deleted, an exhibit replaced, every manifest redone',
    tamper: async (bag, ctx) => {
      await rm(join(bag, 'signature'), { recursive: true });
      await writeFile(join(bag, ctx.path('note.txt')), 'a different message\n');
      await rebag(bag);
    },
    expect: [/NOT SIGNED|not signed/],
    check: (r) => {
      expect(r.dossierBundle).toBe(true);
      expect(r.signed).toBe(false);
    },
  },
  {
    item: 3,
    name: 'signature/ deleted and nothing else changed',
    tamper: async (bag) => {
      await rm(join(bag, 'signature'), { recursive: true });
      await rebag(bag);
    },
    expect: [/NOT SIGNED|not signed/],
    check: (r) => expect(r.signed).toBe(false),
  },
  {
    item: 4,
    name: 're-signed with another key (custody checkpoint too), bag-info.txt untouched',
    tamper: async (bag) => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      await writeFile(
        join(bag, 'signature/dossier-public-key.pem'),
        publicKey.export({ type: 'spki', format: 'pem' }),
      );
      await resignCheckpoint(bag, privateKey);
      await rebag(bag, privateKey);
    },
    expect: [/^bag-info\.txt .*Signing-Key-Fingerprint/],
    check: (r) => expect(r.signed).toBe(true),
  },
  {
    item: 5,
    name: 'a planted top-level file',
    tamper: (bag) => writeFile(join(bag, 'README-planted.txt'), 'Everything here is fine.\n'),
    expect: [/^README-planted\.txt /],
  },
  {
    item: 5,
    name: 'an extra file in signature/',
    tamper: (bag) => writeFile(join(bag, 'signature/second-key.pem'), 'not ours\n'),
    expect: [/^signature\/second-key\.pem /],
  },
  {
    item: 5,
    name: 'an extra tag manifest nobody signed',
    tamper: async (bag) => {
      const tm = await readFile(join(bag, 'tagmanifest-sha256.txt'), 'utf8');
      const md5 = tm
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('  ')[1]!)
        .map(
          async (p) =>
            `${createHash('md5')
              .update(await readFile(join(bag, p)))
              .digest('hex')}  ${p}`,
        );
      await writeFile(join(bag, 'tagmanifest-md5.txt'), `${(await Promise.all(md5)).join('\n')}\n`);
    },
    expect: [/^tagmanifest-md5\.txt /],
  },
  {
    item: 5,
    name: 'zip entries outside the bag folder',
    forms: ['zip', 'zip.age'],
    zipExtras: ['README-planted.txt', 'other/notes.txt'],
    expect: [/^README-planted\.txt /, /^other\/notes\.txt /],
  },
  {
    item: 22,
    name: 'an exhibit renamed to the decomposed (NFD) form of its name',
    tamper: async (bag, ctx) => {
      const p = ctx.path('café.txt');
      expect(p).toBe(p.normalize('NFC'));
      await rename(join(bag, p), join(bag, p.normalize('NFD')));
    },
    expect: [/data\/evidence\/JD-003_café\.txt .*missing/],
  },
  {
    item: 22,
    name: 'an exhibit renamed in letter case',
    tamper: async (bag, ctx) => {
      const p = ctx.path('note.txt');
      await rename(join(bag, p), join(bag, p.replace('note', 'NOTE')));
    },
    expect: [/data\/evidence\/JD-001_note\.txt .*missing/, /JD-001_NOTE\.txt .*no manifest/],
  },
  {
    item: 6,
    name: 'an item whose vault row and blob were forged before export',
    base: 'forged',
    expect: [/items\.json.*JD2.*(SHA-256|sha256)/],
  },
];

describe('tampered bundles fail verification', async () => {
  const root = await tempDir('dossier-tamper-');
  const src = join(root, 'src');
  await mkdir(src);
  // Numbered by modification time: note.txt JD1, photo.jpg JD2, café.txt JD3.
  const files: [string, string][] = [
    ['note.txt', 'You will regret this.\n'],
    ['photo.jpg', 'pretend this is a photo of the car\n'],
    ['café.txt', 'Seen outside the café at 9.\n'],
  ];
  for (const [i, [name, text]] of files.entries()) {
    await writeFile(join(src, name), text);
    const t = new Date(Date.UTC(2026, 2, 1 + i));
    await utimes(join(src, name), t, t);
  }
  const vaultDir = join(root, 'vault');
  const { vault } = await newVault(vaultDir);
  await vault.add([src]);
  const out = join(root, 'out');
  await mkdir(out);
  const exportAll = (to: string): Promise<ExportResult> =>
    vault.export({
      out: to,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
      caseName: 'R v Unknown',
    });
  const pristine = await exportAll(out);

  // Item 6: with the revealed keys, the row's name, sha256 and size are rewritten and a
  // forged file is encrypted to the vault's recipient in place of the original blob.
  const keys = vault.revealKeys();
  const victim = vault.list().find((i) => i.name === 'photo.jpg')!;
  const forgedBytes = Buffer.from('a forged photo, made later\n');
  await writeFile(
    join(vaultDir, vault.item(victim.id).blob),
    encrypt(forgedBytes, [X25519Recipient.parse(keys.ageRecipient)]),
  );
  const db = (vault as unknown as { db: { prepare(s: string): { run(...a: unknown[]): unknown } } })
    .db;
  const blobId = basename(vault.item(victim.id).blob, '.age');
  db.prepare('UPDATE items SET sha256 = ?, size = ?, name = ? WHERE id = ?').run(
    sha256(forgedBytes),
    forgedBytes.length,
    'car.jpg',
    victim.id,
  );
  db.prepare('UPDATE blobs SET sha256 = ?, size = ? WHERE id = ?').run(
    sha256(forgedBytes),
    forgedBytes.length,
    blobId,
  );
  await mkdir(join(root, 'forged-out'));
  // Today's export refuses such an item (swapped-content.test.ts). A bundle made without
  // that check (an older Dossier, or altered code) must still fail verify on its own.
  await expect(exportAll(join(root, 'refused-out'))).rejects.toMatchObject({ code: 'INTEGRITY' });
  const unchecked = vault as unknown as { assertContentAsIngested: () => void };
  unchecked.assertContentAsIngested = () => undefined;
  const forged = await exportAll(join(root, 'forged-out'));
  await vault.lock();

  const bases = { pristine, forged };

  it('the untouched bundles verify in every form (so the cases below test the tampering)', async () => {
    for (const form of FORMS) {
      const target = await materialise(pristine.path, join(root, `untouched-${form}`), form, []);
      const r = await check(target, form);
      expect(r.problems, form).toEqual([]);
      expect(r).toMatchObject({ ok: true, dossierBundle: true, signed: true });
      expect(r.bag.complete).toBe(true);
    }
  });

  for (const c of CASES) {
    for (const form of c.forms ?? FORMS) {
      it(`item ${c.item}: ${c.name} (${form})`, async () => {
        const base = bases[c.base ?? 'pristine'];
        const work = join(root, `${c.name.replace(/\W+/g, '-')}-${form}`);
        await cp(base.path, work, { recursive: true });
        const ctx: Ctx = {
          exhibits: base.exhibits,
          path: (name) => {
            const e = base.exhibits.find((x) => x.bagPath.endsWith(`_${name}`));
            if (!e) throw new Error(`no exhibit named ${name}`);
            return e.bagPath;
          },
        };
        await c.tamper?.(work, ctx);
        const target = await materialise(work, `${work}-bag`, form, c.zipExtras ?? []);
        const r = await check(target, form);
        const errors = r.problems
          .filter((p) => p.severity === 'error')
          .map((p) => `${p.file ?? ''} ${p.message}`);
        expect(r.ok, errors.join('\n')).toBe(false);
        for (const pattern of c.expect) {
          expect(
            errors.some((e) => pattern.test(e)),
            `${String(pattern)} among:\n${errors.join('\n')}`,
          ).toBe(true);
        }
        c.check?.(r);
      });
    }
  }

  describe('the offline viewer agrees with verify about renamed files', () => {
    const pickBundle = async (rename?: (rel: string) => string): Promise<ViewerCheck> => {
      const top = basename(pristine.path);
      const rels = await listFiles(pristine.path);
      const picked = await Promise.all(
        rels.map(async (rel) => ({
          rel: `${top}/${rename ? rename(rel) : rel}`,
          data: await readFile(join(pristine.path, rel)),
        })),
      );
      const html = await readFile(join(pristine.path, 'data/viewer/index.html'), 'utf8');
      return checkWithViewer(html, picked);
    };

    it('every file matches in the untouched bundle', async () => {
      const r = await pickBundle();
      const listed = pristine.exhibits.map((e) => e.bagPath);
      for (const p of listed) expect(r.status.get(p), p).toBe('match');
      expect(r.verdict).toMatch(/All \d+ files match/);
    });

    it.each([
      ['decomposed (NFD)', 'café.txt', (p: string) => p.normalize('NFD')],
      ['letter case', 'note.txt', (p: string) => p.replace('note', 'NOTE')],
    ])(
      'an exhibit renamed in %s is missing, and the renamed file extra',
      async (_how, name, change) => {
        const victim = pristine.exhibits.find((e) => e.bagPath.endsWith(`_${name}`))!.bagPath;
        const r = await pickBundle((rel) => (rel === victim ? change(rel) : rel));
        expect(r.status.get(victim)).toBe('missing');
        expect(r.detail.get(victim)).toMatch(/renamed/);
        expect(r.status.get(change(victim))).toBe('extra');
        expect(r.verdict).toMatch(/Problem found: 1 missing/);
      },
    );
  });

  describe('on the command line', () => {
    beforeAll(() => assertBuilt());

    it('says NOT SIGNED, exit 4, for a bundle with Dossier markers and no signature', async () => {
      const work = join(root, 'cli-unsigned');
      await cp(pristine.path, work, { recursive: true });
      await rm(join(work, 'signature'), { recursive: true });
      await rebag(work);
      const r = await dossier(['verify', work]);
      expect(r.code).toBe(4);
      expect(r.out).toMatch(/NOT SIGNED/);
      expect(r.out).not.toMatch(/^Verified/m);
    });

    it('labels a bag with no Dossier markers as not a Dossier bundle, with no signature', async () => {
      const work = join(root, 'cli-plain');
      await cp(pristine.path, work, { recursive: true });
      await rm(join(work, 'signature'), { recursive: true });
      await rm(join(work, 'data/metadata/custody.jsonl'));
      const info = join(work, 'bag-info.txt');
      await writeFile(
        info,
        (await readFile(info, 'utf8'))
          .split('\n')
          .filter(
            (l) => !/^(Bag-Software-Agent|Signing-Key-Fingerprint|Source-Organization):/.test(l),
          )
          .join('\n'),
      );
      await rebag(work);
      const r = await dossier(['verify', work]);
      expect(r.out).toMatch(/not a Dossier bundle, no signature/);
      expect(r.out).not.toMatch(/signature and the custody log verify/);
    });

    it('never says "complete" while a listed file is only in fetch.txt', async () => {
      const work = join(root, 'cli-holey');
      await cp(pristine.path, work, { recursive: true });
      const victim = pristine.exhibits[1]!.bagPath;
      await rm(join(work, victim));
      await writeFile(join(work, 'fetch.txt'), `https://example.org/x - ${victim}\n`);
      const r = await dossier(['verify', work]);
      expect(r.code).toBe(4);
      expect(r.out).not.toMatch(/the bag is complete/);
      expect(r.out).toMatch(/fetch\.txt/);
    });
  });
});

async function check(target: string, form: Form): Promise<BundleReport> {
  return verifyBundle(target, form === 'zip.age' ? { passphrase: ZIP_PASSPHRASE } : {});
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) found.push(...(await listFiles(join(dir, e.name), rel)));
    else found.push(rel);
  }
  return found.sort();
}

/** The bundle as a folder, a zip (one top folder, like Dossier's) or a .zip.age. */
async function materialise(
  bag: string,
  target: string,
  form: Form,
  extras: string[],
): Promise<string> {
  if (form === 'folder') return bag;
  const zipPath = `${target}.zip`;
  const zip = new yazl.ZipFile();
  const top = basename(bag);
  for (const rel of await listFiles(bag)) zip.addFile(join(bag, rel), `${top}/${rel}`);
  for (const name of extras) zip.addBuffer(Buffer.from('planted\n'), name);
  zip.end();
  await pipeline(zip.outputStream as unknown as NodeJS.ReadableStream, createWriteStream(zipPath));
  if (form === 'zip') return zipPath;
  const agePath = `${target}.zip.age`;
  await writeFile(
    agePath,
    encrypt(await readFile(zipPath), [new ScryptRecipient(ZIP_PASSPHRASE, 10)]),
  );
  return agePath;
}

/**
 * What an adversary redoes after a change: both payload manifests, Payload-Oxum, the tag
 * manifest over the tag files it listed (those still there), and, with a key, the signature.
 */
async function rebag(bag: string, key?: KeyObject): Promise<void> {
  const payload = (await listFiles(join(bag, 'data'))).map((p) => `data/${p}`);
  const digests = await Promise.all(
    payload.map(async (p) => {
      const b = await readFile(join(bag, p));
      return {
        p,
        size: b.length,
        s256: sha256(b),
        s512: createHash('sha512').update(b).digest('hex'),
      };
    }),
  );
  await writeFile(
    join(bag, 'manifest-sha256.txt'),
    formatManifest(digests.map((d) => [d.p, d.s256])),
  );
  await writeFile(
    join(bag, 'manifest-sha512.txt'),
    formatManifest(digests.map((d) => [d.p, d.s512])),
  );
  const info = join(bag, 'bag-info.txt');
  const bytes = digests.reduce((n, d) => n + d.size, 0);
  await writeFile(
    info,
    (await readFile(info, 'utf8')).replace(
      /^Payload-Oxum: .*$/m,
      `Payload-Oxum: ${bytes}.${digests.length}`,
    ),
  );
  const tmPath = join(bag, 'tagmanifest-sha256.txt');
  const listed = parseManifest(await readFile(tmPath, 'utf8'), true).entries.map((e) => e.path);
  const present = new Set(await listFiles(bag));
  const entries: [string, string][] = [];
  for (const p of listed.filter((x) => present.has(x)))
    entries.push([p, sha256(await readFile(join(bag, p)))]);
  const tm = formatManifest(entries);
  await writeFile(tmPath, tm);
  if (key) await writeFile(join(bag, 'signature/tagmanifest-sha256.txt.sig'), sign(null, tm, key));
}

/** Re-signs the custody checkpoint (the last line of custody.jsonl) with `key`. */
async function resignCheckpoint(bag: string, key: KeyObject): Promise<void> {
  const path = join(bag, 'data/metadata/custody.jsonl');
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const out = lines.map((l) => {
    const parsed = JSON.parse(l) as {
      checkpoint?: { vaultId: string; seq: number; head: string; signedAt: string };
    };
    if (!parsed.checkpoint) return l;
    const signature = sign(null, checkpointStatement(parsed.checkpoint), key).toString('base64');
    return JSON.stringify({ checkpoint: { ...parsed.checkpoint, signature } });
  });
  await writeFile(path, `${out.join('\n')}\n`);
}
