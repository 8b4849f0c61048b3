import { execFile } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import type { CustodyDetails } from '../../../shared/custody-wording';
import { checkCustody } from '../../../main/core/export/verify-custody';
import { verifyBundle } from '../../../main/core/export/verify-bundle';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { haveTool } from '../../support/tools';
import { newVault, PASSPHRASE } from '../../support/vault';

const run = promisify(execFile);

type Line = Record<string, unknown>;
const lines = async (bag: string): Promise<Line[]> =>
  (await readFile(join(bag, 'data/metadata/custody.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

/** Every file of the bundle, plus the text of both PDFs: where a path could hide. */
async function bundleTexts(bag: string): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = [];
  for (const e of await readdir(bag, { recursive: true, withFileTypes: true })) {
    if (e.isFile())
      out.push([join(e.parentPath, e.name), await readFile(join(e.parentPath, e.name))]);
  }
  if (haveTool('pdftotext', 'the report and court bundle text searched for paths')) {
    for (const pdf of ['report.pdf', 'bundle.pdf']) {
      const { stdout } = await run('pdftotext', [join(bag, 'data/report', pdf), '-'], {
        maxBuffer: 64 * 1024 * 1024,
      });
      out.push([`${pdf} (text)`, Buffer.from(stdout)]);
    }
  }
  return out;
}

function custodyErrors(text: string, pem: string): string[] {
  const errors: string[] = [];
  checkCustody(Buffer.from(text), createPublicKey(pem), (_f, m) => void errors.push(m));
  return errors;
}

describe('custody.jsonl keeps source paths and left-out entries private (issue 9, item 24)', async () => {
  const root = await tempDir();
  // A home folder with the person's name in it, as on a real machine.
  const home = join(root, 'home', 'alice-smith');
  const pictures = join(home, 'Private Pictures');
  const downloads = join(home, 'Downloads', 'from-phone');
  await mkdir(pictures, { recursive: true });
  await mkdir(downloads, { recursive: true });
  await writeFile(join(pictures, 'threat.txt'), 'I know where you live');
  await writeFile(join(pictures, 'other.txt'), 'an unrelated private note');
  await writeFile(join(pictures, 'third.txt'), 'another unrelated file');
  await writeFile(join(downloads, 'threat-copy.txt'), 'I know where you live'); // a duplicate
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);
  await vault.lock();
  const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE, HOME: home };

  assertBuilt();
  for (const p of [pictures, downloads]) {
    const r = await dossier(['add', p], env);
    expect(r.code, r.stderr).toBe(0);
  }
  const v0 = await Vault.unlock(dir, PASSPHRASE);
  const threat = v0.list().find((i) => i.name === 'threat.txt')!;
  const other = v0.list().find((i) => i.name === 'other.txt')!;
  // Annotations about other evidence: entries that are left out of a bundle of `threat`.
  v0.addNote(other.id, 'a note about something else');
  v0.addNote(other.id, 'and another');
  const vaultLog = v0.log();
  await v0.lock();

  const out = join(root, 'out');
  await mkdir(out);
  const plain = await dossier(['export', '--out', out, '--item', threat.id, '--json'], env);
  expect(plain.code, plain.stderr).toBe(0);
  const bag = (JSON.parse(plain.out) as { path: string }).path;

  it('has no full path, home folder or user name in any file of a default bundle', async () => {
    for (const [file, data] of await bundleTexts(bag)) {
      for (const secret of [pictures, downloads, home, 'alice-smith'])
        expect(data.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
  });

  it('records new sources as file name, folder name and a salted digest', async () => {
    const ingest = (await lines(bag)).find((l) => l.action === 'ingest')!;
    const details = ingest.details as Record<string, unknown>;
    expect(details.sourcePath).toBeUndefined();
    expect(details.source).toEqual({
      name: 'threat.txt',
      folder: 'Private Pictures',
      pathDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const dup = (await lines(bag)).find((l) => l.action === 'duplicate')!;
    expect((dup.details as Record<string, unknown>).source).toMatchObject({
      name: 'threat-copy.txt',
      folder: 'from-phone',
    });
  });

  it('counts left-out entries in runs, with no times, and the counts add up', async () => {
    const all = await lines(bag);
    const withheld = all.filter((l) => 'withheld' in l).map((l) => l.withheld as Line);
    expect(withheld.length).toBeGreaterThan(0);
    for (const w of withheld) {
      expect(Object.keys(w).sort()).toEqual(['count', 'fromSeq', 'lastHash', 'reason', 'toSeq']);
      expect(w.count).toBe((w.toSeq as number) - (w.fromSeq as number) + 1);
    }
    expect(JSON.stringify(withheld)).not.toMatch(/"at"|\d{4}-\d\d-\d\dT/);
    const full = all.filter((l) => typeof l.seq === 'number');
    const leftOut = withheld.reduce((n, w) => n + (w.count as number), 0);
    // Every entry of the vault's log up to the checkpoint is either shown or counted.
    const checkpoint = all.find((l) => 'checkpoint' in l)!.checkpoint as { seq: number };
    expect(full.length + leftOut).toBe(checkpoint.seq);
    expect(vaultLog.filter((e) => e.subjects.includes(other.id)).length).toBeGreaterThan(0);
    for (const e of full) expect((e.subjects as string[]).includes(other.id)).toBe(false);
  });

  it('verifies, and fails when a withheld line is tampered with', async () => {
    expect((await verifyBundle(bag)).ok).toBe(true);
    const cli = await dossier(['verify', bag], env);
    expect(cli.code, cli.out).toBe(0);

    const text = await readFile(join(bag, 'data/metadata/custody.jsonl'), 'utf8');
    const pem = await readFile(join(bag, 'signature/dossier-public-key.pem'), 'utf8');
    expect(custodyErrors(text, pem)).toEqual([]);
    const rows = text.split('\n').filter(Boolean);
    const at = rows.findIndex(
      (l) => l.startsWith('{"withheld"') && rows.indexOf(l) < rows.length - 2,
    );
    expect(at).toBeGreaterThanOrEqual(0);
    const w = (JSON.parse(rows[at]!) as { withheld: Line }).withheld;
    const tampered = (change: (w: Line) => Line): string =>
      rows
        .map((l, i) => (i === at ? JSON.stringify({ withheld: change({ ...w }) }) : l))
        .join('\n') + '\n';
    const attempts: [string, (w: Line) => Line][] = [
      ['count', (x) => ({ ...x, count: (x.count as number) + 1 })],
      [
        'count and range',
        (x) => ({ ...x, count: (x.count as number) - 1, toSeq: (x.toSeq as number) - 1 }),
      ],
      ['lastHash', (x) => ({ ...x, lastHash: 'f'.repeat(64) })],
      [
        'fromSeq',
        (x) => ({ ...x, fromSeq: (x.fromSeq as number) + 1, count: (x.count as number) - 1 }),
      ],
    ];
    for (const [what, change] of attempts)
      expect(custodyErrors(tampered(change), pem), what).not.toEqual([]);
    // A removed withheld line breaks the chain too.
    const removed = rows.filter((_, i) => i !== at).join('\n') + '\n';
    expect(custodyErrors(removed, pem)).not.toEqual([]);
  });

  it('--full-paths reveals the paths, and they check against the digests', async () => {
    const fullOut = join(root, 'full');
    await mkdir(fullOut);
    const r = await dossier(
      ['export', '--out', fullOut, '--item', threat.id, '--full-paths', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const fullBag = (JSON.parse(r.out) as { path: string }).path;
    const sources = JSON.parse(
      await readFile(join(fullBag, 'data/metadata/sources.json'), 'utf8'),
    ) as { itemId: string; sources: { path: string; salt: string; pathDigest: string }[] }[];
    const paths = sources.flatMap((s) => s.sources.map((x) => x.path)).sort();
    expect(paths).toEqual(
      [join(downloads, 'threat-copy.txt'), join(pictures, 'threat.txt')].sort(),
    );
    const digests = new Set(
      (await lines(fullBag))
        .filter((l) => l.action === 'ingest' || l.action === 'duplicate')
        .map(
          (l) =>
            ((l.details as Record<string, unknown>).source as { pathDigest: string }).pathDigest,
        ),
    );
    for (const s of sources.flatMap((x) => x.sources)) {
      const digest = createHash('sha256')
        .update(Buffer.concat([Buffer.from(s.salt, 'hex'), Buffer.from(s.path, 'utf8')]))
        .digest('hex');
      expect(digest).toBe(s.pathDigest);
      expect(digests.has(digest)).toBe(true);
    }
    expect((await verifyBundle(fullBag)).ok).toBe(true);
  });

  it('withholds an old entry that holds a full sourcePath, keeping its link, and counts it', async () => {
    // A vault made before this change wrote the full path into ingest and duplicate entries.
    const v = await Vault.unlock(dir, PASSPHRASE);
    const legacyPath = join(home, 'Old Folder', 'threat.txt');
    // The older shape on purpose: append is typed by today's shapes.
    const legacy = {
      name: 'threat.txt',
      sha256: threat.sha256,
      sourcePath: legacyPath,
      sourceMtime: null,
      tags: [],
    };
    v.custody.append('duplicate', [threat.id], legacy as unknown as CustodyDetails['duplicate']);
    const legacySeq = v.log().at(-1)!.seq;
    const legacyOut = join(root, 'legacy');
    await mkdir(legacyOut);
    const res = await v.export({
      out: legacyOut,
      format: 'dir',
      selection: { itemIds: [threat.id] },
    });
    const fullOut = join(root, 'legacy-full');
    await mkdir(fullOut);
    const resFull = await v.export({
      out: fullOut,
      format: 'dir',
      selection: { itemIds: [threat.id] },
      fullPaths: true,
    });
    await v.lock();

    for (const [file, data] of await bundleTexts(res.path))
      expect(data.includes(Buffer.from(legacyPath)), file).toBe(false);
    const row = (await lines(res.path)).find(
      (l) => 'withheld' in l && (l.withheld as Line).fromSeq === legacySeq,
    );
    expect(row).toBeDefined();
    const w = row!.withheld as Line;
    expect(w).toMatchObject({ fromSeq: legacySeq, toSeq: legacySeq, count: 1 });
    expect(w.reason).toBe('full-source-path');
    expect(w.entry).toMatchObject({ seq: legacySeq, action: 'duplicate', subjects: [threat.id] });
    expect(w.entry).not.toHaveProperty('details');
    expect((await verifyBundle(res.path)).ok).toBe(true);
    // The viewer and the report say that content was withheld, and how much.
    const html = await readFile(join(res.path, 'data/viewer/index.html'), 'utf8');
    expect(html).toMatch(/"pathWithheld":1\b/);

    const shown = (await lines(resFull.path)).find((l) => l.seq === legacySeq);
    expect((shown!.details as Record<string, unknown>).sourcePath).toBe(legacyPath);
    expect((await verifyBundle(resFull.path)).ok).toBe(true);
  });
});
