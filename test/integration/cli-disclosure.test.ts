// `dossier export --disclosure` as a person runs it (issue 15): the copies made with
// `dossier redact` and `dossier strip-location` go out for their originals, which are withheld
// and listed in redactions.csv; the location is withheld without being told, and said; the
// bundle verifies; the originals read back byte-identical and `dossier check` passes.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exiftool, makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noExiftool = missingTools(['exiftool']);
const title = skipTitle('dossier export --disclosure', noExiftool);
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(noExiftool !== null)(title, () => {
  let root: string;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  const files: Record<string, Buffer> = {};
  const copies: Record<string, string> = {};

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    env = { DOSSIER_VAULT: join(root, 'vault'), DOSSIER_PASSPHRASE: PASSPHRASE };
    await (await newVault(join(root, 'vault'))).vault.lock();
    const shot = join(root, 'reply.png');
    writeFileSync(shot, await makeScreenshotPng(390, 844));
    const photo = join(root, 'doorstep.jpg');
    await makeExifJpeg(photo);
    await exiftool(['-q', '-overwrite_original', '-Comment=CLIMARKER-ORIGINAL-ONLY', photo]);
    // A second photo with GPS and no copy: it goes out as it is, and is warned about.
    const park = join(root, 'park.jpg');
    await makeExifJpeg(park);
    for (const p of [shot, photo, park]) files[p.split('/').pop()!] = readFileSync(p);
    expect((await dossier(['add', shot, photo, park], env)).code).toBe(0);
    const listed = JSON.parse((await dossier(['ls', '--json'], env)).out) as {
      id: string;
      name: string;
    }[];
    for (const i of listed) ids[i.name] = i.id;
    const redact = await dossier(
      [
        'redact',
        ids['reply.png']!,
        '--box',
        '0.1,0.05,0.5,0.1:address',
        '--box',
        '0.2,0.5,0.3,0.2:children',
        '--json',
      ],
      env,
    );
    expect(redact.code, redact.stderr).toBe(0);
    copies.shot = (JSON.parse(redact.out) as { id: string }).id;
    const strip = await dossier(['strip-location', ids['doorstep.jpg']!, '--json'], env);
    expect(strip.code, strip.stderr).toBe(0);
    copies.photo = (JSON.parse(strip.out) as { id: string }).id;
  });

  it('exports the copies for their originals, withholding location unasked, and verifies', async () => {
    const out = join(root, 'out');
    mkdirSync(out);
    // A normal export must be told what to do with the location of the photos.
    const normal = await dossier(['export', '--all', '--out', out], env);
    expect(normal.code).not.toBe(0);
    expect(normal.stderr).toMatch(/--withhold-location/);

    const r = await dossier(['export', '--all', '--disclosure', '--out', out, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.out) as {
      path: string;
      exhibits: { number: string; itemId: string; sha256: string }[];
      location: { items: number; choice: string };
      disclosure: { withheld: number };
    };
    expect(result.disclosure).toEqual({ withheld: 2 });
    expect(result.exhibits.map((e) => e.itemId).sort()).toEqual(
      [copies.shot!, copies.photo!, ids['park.jpg']!].sort(),
    );
    // The photo without a copy still records its location: withheld, and said before writing.
    expect(result.location).toEqual({ items: 1, choice: 'withheld' });
    expect(r.stderr).toMatch(/1 item records where it was taken/);
    expect(r.stderr).toMatch(/dossier strip-location ID/);
    // The original with GPS whose copy goes out is said too.
    expect(r.stderr).toMatch(/1 original records where it was taken \(GPS\); withheld/);

    const csv = readFileSync(join(result.path, 'data/metadata/redactions.csv'), 'utf8');
    expect(csv).toContain(
      `,${sha256(files['reply.png']!)},${ids['reply.png']},redacted copy,1,Personal address,`,
    );
    expect(csv).toContain(',2,Children’s details,');
    expect(csv).toContain(
      `,${sha256(files['doorstep.jpg']!)},${ids['doorstep.jpg']},copy without location,,`,
    );
    expect(csv).not.toContain(sha256(files['park.jpg']!));

    const verify = await dossier(['verify', result.path], env);
    expect(verify.code, verify.out + verify.stderr).toBe(0);
    for (const name of ['reply.png', 'doorstep.jpg'] as const)
      expect((await dossier(['cat', ids[name]!], env)).stdout.equals(files[name]!)).toBe(true);
    expect((await dossier(['check'], env)).code).toBe(0);
    // No byte of the withheld photo's comment in the bundle's files.
    const all = readdirSync(result.path, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    expect(all.length).toBeGreaterThan(10);
    for (const f of all)
      expect(readFileSync(f).includes(Buffer.from('CLIMARKER-ORIGINAL-ONLY')), f).toBe(false);
    const human = await dossier(['export', '--all', '--disclosure', '--out', out], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.out).toMatch(/Disclosure: +2 originals withheld, each represented by its copy/);
  });
});
