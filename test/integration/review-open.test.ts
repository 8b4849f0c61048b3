// Opening a bundle for review (issue 14, part 1): a real bundle exported from a test vault is
// verified and read in its three forms, read-only, with nothing written beside it or in the
// temp folder; a tampered one still opens, with its problems and failing exhibits named.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundleForReview } from '../../main/core/review/open-bundle';
import { parseCsv } from '../../main/core/review/bundle-records';
import { tempDir } from '../support/tmp';
import {
  BUNDLE_PASSPHRASE,
  makeReviewBundles,
  PLAINTEXT_MARKER,
  type ReviewBundles,
} from '../support/review-bundle';
import { anyFileContains, sha256, snapshot } from '../support/vault';

const run = promisify(execFile);

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

describe('opening a bundle for review', () => {
  let root: string;
  let b: ReviewBundles;
  // A private temp folder: whatever the opening writes there would show.
  let tmp: string;

  beforeAll(async () => {
    root = await tempDir();
    tmp = join(root, 'tmp');
    await mkdir(tmp);
    b = await makeReviewBundles(root);
    process.env.TMPDIR = tmp;
    expect(tmpdir()).toBe(tmp);
  }, 120_000);

  const forms = [
    ['folder', () => b.folder, undefined],
    ['zip', () => b.zip, undefined],
    ['zip.age', () => b.age, BUNDLE_PASSPHRASE],
  ] as const;

  for (const [form, path, passphrase] of forms) {
    it(`opens the ${form}: verified, with its case, exporter, exhibits and fingerprint; nothing written`, async () => {
      const bundlePath = path();
      const beside = await snapshot(dirname(bundlePath));
      const opened = await openBundleForReview(bundlePath, { passphrase });
      try {
        const s = opened.summary;
        expect(s.problems).toEqual([]);
        expect(s.verified).toBe(true);
        expect(s.signed).toBe(true);
        expect(s.caseName).toBe('R v Unknown');
        expect(s.exporter).toBe('Jane Doe MP');
        expect(s.exhibits).toBe(4);
        expect(s.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
        expect(s.fingerprint).toBe(opened.report.fingerprint);
        expect(s.failingExhibits).toEqual([]);
        expect(opened.bundle.ref.caseName).toBe('R v Unknown');
        expect(opened.bundle.ref.tagManifestSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(opened.bundle.ref.tagManifestSha256).toBe(s.tagManifestSha256);
        if (form === 'folder') {
          const tm = await readFile(join(bundlePath, 'tagmanifest-sha256.txt'));
          expect(s.tagManifestSha256).toBe(sha256(tm));
        }
        expect(opened.bundle.ref.signingKeyFingerprint).toBe(s.fingerprint);
        expect(opened.bundle.ref.bagName).toBe(s.bagName);
        expect(s.bagName).toMatch(/\d{8}/);
        expect(opened.bundle.exporter).toBe('Jane Doe MP');
        expect(opened.bundle.exhibits.map((e) => e.label)).toEqual(['JD1', 'JD2', 'JD3', 'JD4']);
        expect(opened.bundle.incidents.map((i) => i.incidentId)).toEqual([b.ids.incident]);
        expect(opened.bundle.messages.map((m) => [m.exhibit, m.index, m.sender])).toEqual([
          ['JD4', 1, 'Alex'],
          ['JD4', 2, 'Alex'],
        ]);

        const ws = opened.workspace;
        // The library's own query answers from the bundle: search, filter, sort.
        const page = ws.items.query({ sort: 'sourceTime', order: 'asc', offset: 0, limit: 50 });
        expect(page.total).toBe(4);
        expect(page.rows.map((r) => r.id)).toEqual([
          b.ids.screenshot,
          b.ids.hostile,
          b.ids.email,
          b.ids.chat,
        ]);
        const found = ws.items.query({
          text: 'children school',
          sort: 'relevance',
          order: 'desc',
          offset: 0,
          limit: 10,
        });
        expect(found.rows.map((r) => r.id)).toEqual([b.ids.email]);
        const tagged = ws.items.query({
          tags: ['threats'],
          sort: 'name',
          order: 'asc',
          offset: 0,
          limit: 10,
        });
        expect(tagged.rows.map((r) => r.id)).toEqual([b.ids.screenshot]);
        expect(
          ws.items
            .facets()
            .kinds.map((k) => [k.kind, k.count])
            .sort(),
        ).toEqual([
          ['conversation', 1],
          ['email', 1],
          ['image', 1],
          ['text', 1],
        ]);

        const shot = ws.itemDetail('JD1');
        expect(shot.id).toBe(b.ids.screenshot);
        expect(shot.blob).toMatch(/^data\/evidence\/JD-001_reply\.png$/);
        expect(shot.notes.map((n) => n.body)).toEqual(['reply to my constituency post']);
        expect(shot.regions.map((r) => [r.x, r.y, r.w, r.h, r.comment])).toEqual([
          [0.1, 0.25, 0.5, 0.125, 'This line is the threat'],
          [0, 0.75, 1, 0.25, 'His account name'],
        ]);
        expect(shot.incidentIds).toEqual([b.ids.incident]);

        const [incident] = ws.cases.incidents();
        expect(incident!.summary).toBe('Threat about my children');
        expect(incident!.itemIds.sort()).toEqual([b.ids.screenshot, b.ids.email].sort());
        expect(incident!.personIds).toEqual([b.ids.person]);
        expect(incident!.messages.map((m) => m.id)).toEqual(b.messageIds);
        const [person] = ws.cases.people();
        expect(person!.name).toBe('Anonymous sender');
        expect(person!.identifiers).toEqual([{ kind: 'email', value: 'anon@example.com' }]);

        const convo = ws.conversation('JD4');
        expect(convo.format).toBe('whatsapp');
        expect(ws.message(b.messageIds[0]!).text).toBe('I know where you live');

        const log = ws.logPage({ offset: 0, limit: 500, order: 'asc' });
        expect(
          log.entries.some((e) => e.action === 'ingest' && e.subjects[0] === b.ids.email),
        ).toBe(true);

        // The bytes, from the bundle in place (decrypted in memory for a .zip.age).
        const email = await collect(ws.verifiedContent(b.ids.email.slice(0, 8)));
        expect(email.toString()).toContain(PLAINTEXT_MARKER);
        const part = await collect(ws.range(b.ids.email, 5, 25));
        expect(part).toEqual(email.subarray(5, 25));
      } finally {
        await opened.close();
      }
      expect(await snapshot(dirname(bundlePath))).toEqual(beside);
      expect(await readdir(tmp)).toEqual([]);
      expect(await anyFileContains(tmp, Buffer.from(PLAINTEXT_MARKER))).toBeNull();
    }, 60_000);
  }

  it('a wrong passphrase, a truncated zip, a hostile entry name and a plain bag are refused in words', async () => {
    await expect(openBundleForReview(b.age, { passphrase: 'not the passphrase' })).rejects.toThrow(
      /That passphrase does not open bundle\.zip\.age/,
    );
    await expect(openBundleForReview(b.age)).rejects.toThrow(/is encrypted\. Give the passphrase/);
    const zip = await readFile(b.zip);
    const cut = join(root, 'cut.zip');
    await writeFile(cut, zip.subarray(0, Math.floor(zip.length / 2)));
    await expect(openBundleForReview(cut)).rejects.toThrow(
      /not a readable zip file, or it is damaged/,
    );
    // A zip with an entry that climbs out of any folder it is unpacked into.
    const hostile = join(root, 'hostile.zip');
    await run('python3', [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nz.writestr("b/bagit.txt", "x")\nz.writestr("../../etc/evil.txt", "x")\nz.close()',
      hostile,
    ]);
    await expect(openBundleForReview(hostile)).rejects.toThrow(
      /holds an entry with an unsafe name/,
    );
    const plain = join(root, 'plain-bag');
    await mkdir(join(plain, 'data'), { recursive: true });
    await writeFile(join(plain, 'data', 'a.txt'), 'a');
    await writeFile(
      join(plain, 'bagit.txt'),
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    await writeFile(
      join(plain, 'manifest-sha256.txt'),
      `${sha256(Buffer.from('a'))}  data/a.txt\n`,
    );
    await expect(openBundleForReview(plain)).rejects.toThrow(/not a Dossier evidence bundle/);
  });

  it('a tampered bundle opens, with every problem named with its file and the failing exhibits marked', async () => {
    const copy = join(root, 'tampered');
    await run('cp', ['-a', b.folder, copy]);
    const items = JSON.parse(await readFile(join(copy, 'data/metadata/items.json'), 'utf8')) as {
      number: string;
      bagPath: string;
    }[];
    const email = items.find((e) => e.number === 'JD3')!.bagPath; // the email
    const bytes = await readFile(join(copy, email));
    bytes[bytes.length - 3]! ^= 0x20;
    await writeFile(join(copy, email), bytes);
    await writeFile(join(copy, 'data', 'extra.txt'), 'added later');

    const opened = await openBundleForReview(copy);
    try {
      const s = opened.summary;
      expect(s.verified).toBe(false);
      expect(s.failingExhibits).toEqual(['JD3']);
      const files = s.problems.filter((p) => p.severity === 'error').map((p) => p.file);
      expect(files).toContain(email);
      expect(files).toContain('data/extra.txt');
      expect(s.problems.find((p) => p.file === email)!.exhibits).toEqual(['JD3']);
      // Still readable: the library lists every exhibit.
      expect(opened.workspace.list()).toHaveLength(4);
      // The changed file is not handed out as the exhibit; the others still are.
      await expect(collect(opened.workspace.verifiedContent('JD3'))).rejects.toThrow(
        /failed verification: it is not the file that was exported/,
      );
      expect((await collect(opened.workspace.verifiedContent('JD2'))).toString()).toBe(
        'a plain note\n',
      );
      // A file changed on disk after the bundle was opened is caught when it is read.
      const jd2 = items.find((e) => e.number === 'JD2')!.bagPath;
      await writeFile(join(copy, jd2), 'a plain lie!\n');
      await expect(collect(opened.workspace.verifiedContent('JD2'))).rejects.toThrow(
        /does not match the SHA-256 the bundle records for it/,
      );
    } finally {
      await opened.close();
    }
  });

  it('a damaged record still opens: the problem names the file', async () => {
    const copy = join(root, 'damaged-record');
    await run('cp', ['-a', b.folder, copy]);
    await writeFile(join(copy, 'data/metadata/annotations.json'), '{not json');
    const opened = await openBundleForReview(copy);
    try {
      expect(opened.summary.verified).toBe(false);
      const about = opened.summary.problems.filter(
        (p) => p.file === 'data/metadata/annotations.json',
      );
      expect(about.map((p) => p.message).join('\n')).toMatch(/not valid JSON/);
      expect(opened.workspace.itemDetail('JD1').regions).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe('parseCsv', () => {
  it('reads quoted cells, doubled quotes, CRLF and the formula guard back to the text written', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",\'=1+1\r\n"\'-2",\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '=1+1'],
      ['-2', ''],
    ]);
  });
});
