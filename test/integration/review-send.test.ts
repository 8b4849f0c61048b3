// "Send the review to the client" (issue 14): the review zip of docs/review-format.md,
// checked from outside with the tools the doc names (sha256sum, openssl, age, pdftotext),
// for the review of a bundle exported in this test.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isDossierError } from '../../main/core/errors';
import type { ReviewedBundle } from '../../main/core/review/reviewed-bundle';
import { reviewZipStem } from '../../main/core/review/send';
import { ReviewStore } from '../../main/core/review/store';
import { reviewChainBreak, type ReviewTarget } from '../../shared/review';
import { reviewFileSchema } from '../../shared/review-schema';
import { makeScreenshotPng } from '../fixtures/evidence';
import { handMadeBundle } from '../support/hand-made-reviewed-bundle';
import { onPty } from '../support/pty';
import { tempDir } from '../support/tmp';
import { canMountTmpfs, fillDisk } from '../support/tmpfs';
import { missingTools, toolPath } from '../support/tools';
import { newVault, PASSPHRASE, TEST_KDF } from '../support/vault';

const run = promisify(execFile);
const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const missing = missingTools(['sha256sum', 'openssl', 'unzip', 'pdftotext', 'age', 'python3']);

/** The facts of an exported bag, read from its own files (the bundle reader's job in the app). */
async function reviewedBundleOf(
  bag: string,
  whatHappened: Map<string, string>,
): Promise<ReviewedBundle> {
  const info = new Map(
    (await readFile(join(bag, 'bag-info.txt'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const),
  );
  const items = JSON.parse(await readFile(join(bag, 'data', 'metadata', 'items.json'), 'utf8')) as {
    number: string;
    itemId: string;
    sha256: string;
    name?: string;
    originalName: string;
    mime: string;
    incidentIds: string[];
  }[];
  const incidentIds = [...new Set(items.flatMap((i) => i.incidentIds))];
  return {
    ref: {
      tagManifestSha256: sha256Hex(await readFile(join(bag, 'tagmanifest-sha256.txt'))),
      bagName: info.get('External-Identifier')!,
      caseName: info.get('Case-Name')!,
      signingKeyFingerprint: info.get('Signing-Key-Fingerprint')!,
    },
    exporter: info.get('Contact-Name') === 'Not given' ? null : info.get('Contact-Name')!,
    exhibits: items.map((i) => ({
      label: i.number,
      itemId: i.itemId,
      sha256: i.sha256,
      name: i.name ?? i.originalName,
      mime: i.mime,
    })),
    incidents: incidentIds.map((id) => ({
      incidentId: id,
      occurredAt: '',
      whatHappened: whatHappened.get(id) ?? '',
    })),
    messages: [],
  };
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
}

describe.skipIf(missing !== null)(
  `sending a review${missing ? ` — SKIPPED: ${missing}` : ''}`,
  async () => {
    const root = await tempDir('dossier-review-send-');
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a-threat.png'), await makeScreenshotPng(390, 844, 3));
    await writeFile(join(src, 'b-email.txt'), 'From: anon@example.com\n\nI know where you live.\n');
    await writeFile(join(src, 'c-chat.txt'), 'X: you will regret it\n');
    await writeFile(join(src, 'd-invoice\u202Etxt.exe'), 'hostile name');
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([src]);
    const byName = new Map(vault.list().map((i) => [i.name, i.id]));
    const incident = vault.createIncident(
      { occurredAt: '2026-03-02T21:14:00Z', place: 'Email', summary: 'Email naming my street' },
      { itemIds: [byName.get('b-email.txt')!], personIds: [] },
    );
    const out = join(root, 'out');
    await mkdir(out);
    const exported = await vault.export({
      out,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
      caseName: 'R v Unknown',
      exporter: 'Jane Doe MP',
    });
    await vault.lock();
    const bundle = await reviewedBundleOf(
      exported.path,
      new Map([[incident.id, 'Email naming my street']]),
    );
    const target = (label: string): ReviewTarget => {
      const x = bundle.exhibits.find((e) => e.label === label)!;
      return { kind: 'exhibit', exhibit: x.label, itemId: x.itemId, sha256: x.sha256 };
    };

    const store = await ReviewStore.create(join(root, 'Reviews'), PASSPHRASE, { kdf: TEST_KDF });
    await store.setReviewer({ name: 'A. Solicitor', organisation: 'Smith & Co' });
    const review = await store.openReview(bundle);
    // Recorded out of the bundle's order: the summary puts them back in it.
    await review.record(target('JD3'), { op: 'status', value: 'not-relevant' });
    await review.record(target('JD3'), { op: 'comment', value: 'Comment three: irrelevant chat.' });
    await review.record(target('JD1'), { op: 'status', value: 'relevant' });
    await review.record(target('JD1'), { op: 'comment', value: 'Comment one: strong, dated.' });
    await review.record(target('JD1'), { op: 'order', value: 2 });
    await review.record(target('JD2'), { op: 'status', value: 'need-original' });
    await review.record(target('JD2'), {
      op: 'questions',
      value: ['Do you still have the email in your inbox?'],
    });
    await review.record(target('JD4'), { op: 'comment', value: 'Hidden \u202Emark here' });
    await review.record(
      { kind: 'incident', incidentId: incident.id },
      { op: 'status', value: 'need-context' },
    );
    await review.record(
      { kind: 'incident', incidentId: incident.id },
      { op: 'comment', value: 'Comment incident: who else saw it?' },
    );
    await review.record(
      { kind: 'bundle' },
      { op: 'comment', value: 'Overall note: a good bundle.' },
    );
    await review.record(
      { kind: 'bundle' },
      {
        op: 'fingerprint-checked',
        value: { fingerprint: bundle.ref.signingKeyFingerprint, how: 'by phone' },
      },
    );
    const sentTo = join(root, 'sent');
    await mkdir(sentTo);
    const sent = await review.send({ out: sentTo });
    const unpacked = join(root, 'unpacked');
    await mkdir(unpacked);
    await run('unzip', ['-q', sent.path, '-d', unpacked]);
    const folder = join(unpacked, reviewZipStem('R v Unknown', sent.savedAt));

    it('is named review-<case>-<YYYYMMDD>.zip and holds the six files in one folder', async () => {
      expect(sent.path).toBe(
        join(sentTo, `review-R-v-Unknown-${sent.savedAt.slice(0, 10).replace(/-/g, '')}.zip`),
      );
      expect(sent.format).toBe('zip');
      expect(sent.fingerprint).toBe(store.fingerprint);
      expect(await readdir(unpacked)).toEqual([
        `review-R-v-Unknown-${sent.savedAt.slice(0, 10).replace(/-/g, '')}`,
      ]);
      expect((await readdir(folder)).sort()).toEqual(
        [
          'VERIFY.txt',
          'adviser-public-key.pem',
          'manifest-sha256.txt',
          'manifest-sha256.txt.sig',
          'review-summary.pdf',
          'review.json',
        ].sort(),
      );
      // Only the zip: no temporary file left beside it.
      expect(await readdir(sentTo)).toEqual([
        `review-R-v-Unknown-${sent.savedAt.slice(0, 10).replace(/-/g, '')}.zip`,
      ]);
    });

    it('passes sha256sum -c and the openssl signature check of the doc, and shows the fingerprint', async () => {
      const sums = await run('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: folder });
      expect(sums.stdout.trim().split('\n').sort()).toEqual([
        'adviser-public-key.pem: OK',
        'review-summary.pdf: OK',
        'review.json: OK',
      ]);
      const verify = await run(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'adviser-public-key.pem',
          '-rawin',
          '-in',
          'manifest-sha256.txt',
          '-sigfile',
          'manifest-sha256.txt.sig',
        ],
        { cwd: folder },
      );
      expect(verify.stdout).toMatch(/Signature Verified Successfully/);
      const fp = await run(
        'sh',
        [
          '-c',
          'openssl pkey -pubin -in adviser-public-key.pem -outform DER | tail -c 32 | sha256sum',
        ],
        {
          cwd: folder,
        },
      );
      expect(fp.stdout.slice(0, 64)).toBe(store.fingerprint.replace(/ /g, ''));
      const text = await readFile(join(folder, 'VERIFY.txt'), 'utf8');
      expect(text).toContain(store.fingerprint.split(' ').slice(0, 8).join(' '));
      expect(text).toContain(bundle.ref.tagManifestSha256);
      // A changed byte in review.json fails the check.
      const json = await readFile(join(folder, 'review.json'));
      const at = json.length - 3;
      json[at] = json[at]! ^ 1;
      await writeFile(join(folder, 'review.json'), json);
      await expect(
        run('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: folder }),
      ).rejects.toThrow();
      json[at] = json[at]! ^ 1;
      await writeFile(join(folder, 'review.json'), json);
    });

    it("runs VERIFY.txt's Linux commands as printed, and each gives what the text says", async () => {
      const text = await readFile(join(folder, 'VERIFY.txt'), 'utf8');
      const linux = text.slice(text.indexOf('LINUX\n'), text.indexOf('MACOS\n'));
      // A command: lines indented by six spaces, continued with a backslash.
      const commands = linux
        .split('\n')
        .filter((l) => l.startsWith('      ') || /^[A-Z]\. {4}\S/.test(l))
        .map((l) => l.replace(/^[A-Z]\.\s+/, '').trim())
        .join('\n')
        .replace(/\\\n/g, ' ')
        .split('\n');
      expect(commands).toHaveLength(3);
      const outputs: string[] = [];
      for (const c of commands) outputs.push((await run('sh', ['-c', c], { cwd: folder })).stdout);
      expect(outputs[0]).toMatch(/review\.json: OK/);
      expect(outputs[1]).toMatch(/Signature Verified Successfully/);
      expect(outputs[2]).toContain(store.fingerprint.replace(/ /g, ''));
    });

    it('holds review.json that parses with reviewFileSchema, made in dossier, with a whole chain', async () => {
      const file = reviewFileSchema.parse(
        JSON.parse(await readFile(join(folder, 'review.json'), 'utf8')),
      );
      expect(file.madeIn).toBe('dossier');
      expect(file.bundle).toEqual(bundle.ref);
      expect(file.reviewer).toEqual({ name: 'A. Solicitor', organisation: 'Smith & Co' });
      expect(file.entries).toEqual(review.entries());
      expect(file.head).toBe(sent.head);
      expect(reviewChainBreak(file.entries, file.head, sha256Hex)).toBeNull();
    });

    it('has a PDF summary with the overall note first, then statuses and comments in the bundle order', async () => {
      const { stdout } = await run(
        'pdftotext',
        ['-layout', join(folder, 'review-summary.pdf'), '-'],
        {
          maxBuffer: 1 << 24,
        },
      );
      const text = stdout.replace(/\s+/g, ' ');
      const order = [
        'Overall note: a good bundle.',
        'JD1',
        'Relevant',
        'Comment one: strong, dated.',
        'JD2',
        'Need the original',
        'Do you still have the email in your inbox?',
        'JD3',
        'Not relevant',
        'Comment three: irrelevant chat.',
        'JD4',
        'Hidden [U+202E]mark here',
        'Need more context',
        'Comment incident: who else saw it?',
      ];
      let at = -1;
      for (const s of order) {
        const next = text.indexOf(s, at + 1);
        expect(next, `"${s}" after position ${at}`).toBeGreaterThan(at);
        at = next;
      }
      expect(text).toContain(store.fingerprint);
      expect(text).toMatch(/Proposed order 2/);
      expect(text).toMatch(/Yes: by phone/);
      // The hostile file name shows its hidden character too.
      expect(text).toContain('[U+202E]');
      expect(text).not.toContain('\u202E');
    });

    it('writes .zip.age to a passphrase, which age -d opens', async () => {
      const encOut = join(root, 'encrypted');
      await mkdir(encOut);
      const enc = await review.send({ out: encOut, passphrase: 'a long zip passphrase' });
      expect(enc.format).toBe('zip.age');
      expect(enc.path.endsWith('.zip.age')).toBe(true);
      const zip = join(root, 'decrypted.zip');
      const r = onPty('a long zip passphrase', [toolPath('age')!, '-d', '-o', zip, enc.path]);
      expect(r.status, r.output).toBe(0);
      const { stdout } = await run('unzip', ['-l', zip]);
      expect(stdout).toContain('review.json');
      expect(stdout).toContain('manifest-sha256.txt.sig');
      // Nothing in plaintext in the encrypted file.
      expect((await readFile(enc.path)).includes(Buffer.from('Comment one'))).toBe(false);
    });

    it('never overwrites: a second send the same day is -2, and an existing name is refused', async () => {
      const again = await review.send({ out: sentTo });
      expect(again.path).toBe(sent.path.replace(/\.zip$/, '-2.zip'));
      const before = await readFile(sent.path);
      const e = await errorOf(review.send({ out: sent.path }));
      expect((e as Error).message).toMatch(/already exists/);
      expect(await readFile(sent.path)).toEqual(before);
      await rm(again.path);
      const wrong = await errorOf(review.send({ out: join(sentTo, 'x.zip.age') }));
      expect((wrong as Error).message).toMatch(/no passphrase/);
    });

    it('makes a hostile case name safe in the file name', async () => {
      const hostile = handMadeBundle('hostile');
      hostile.ref.caseName = `../../etc/\u202Epasswd\u0000 CON: <x>|${'y'.repeat(300)}`;
      const r = await store.openReview(hostile);
      const x = hostile.exhibits[0]!;
      await r.record(
        { kind: 'exhibit', exhibit: x.label, itemId: x.itemId, sha256: x.sha256 },
        { op: 'status', value: 'relevant' },
      );
      const dir = join(root, 'hostile');
      await mkdir(dir);
      const s = await r.send({ out: dir });
      const [name] = await readdir(dir);
      expect(join(dir, name!)).toBe(s.path);
      expect(name).toMatch(/^review-[\p{L}\p{N}._'()&,;=+~-]+-\d{8}\.zip$/u);
      expect(name).toContain('etc-passwd-CON_');
      expect(Buffer.byteLength(name!)).toBeLessThan(100);
    });

    it('prints the longest comment and questions whole, wrapped, in good time', async () => {
      const long = handMadeBundle('long');
      const r = await store.openReview(long);
      const t = (i: number): ReviewTarget => {
        const x = long.exhibits[i]!;
        return { kind: 'exhibit', exhibit: x.label, itemId: x.itemId, sha256: x.sha256 };
      };
      await r.record(t(0), { op: 'comment', value: `${'Z'.repeat(19_990)}THE-END` });
      await r.record(t(1), {
        op: 'questions',
        value: Array.from({ length: 50 }, (_, i) => `Q${i}-START ${'q'.repeat(3980)}`),
      });
      const dir = join(root, 'long');
      await mkdir(dir);
      const started = Date.now();
      const s = await r.send({ out: dir });
      expect(Date.now() - started).toBeLessThan(30_000);
      const unzipped = join(root, 'long-unzipped');
      await run('unzip', ['-q', s.path, '-d', unzipped]);
      const [top] = await readdir(unzipped);
      const { stdout } = await run('pdftotext', [join(unzipped, top!, 'review-summary.pdf'), '-'], {
        maxBuffer: 1 << 26,
      });
      expect(stdout).toContain('THE-END');
      expect(stdout.match(/Z/g)!.length).toBeGreaterThanOrEqual(19_990);
      for (let i = 0; i < 50; i++) expect(stdout).toContain(`Q${i}-START`);
    });

    it('refuses to send a review with no changes', async () => {
      const empty = await store.openReview(handMadeBundle('empty'));
      const e = await errorOf(empty.send({ out: sentTo }));
      expect(isDossierError(e, 'USAGE')).toBe(true);
      expect((e as Error).message).toMatch(/no changes yet/);
    });

    const mountable = await canMountTmpfs();
    it.skipIf(!mountable)(
      'leaves no half zip when the disk fills (needs root to mount a small tmpfs)',
      async () => {
        const disk = join(root, 'small-disk');
        await mkdir(disk);
        await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
        try {
          await fillDisk(join(disk, 'filler'));
          const e = await errorOf(review.send({ out: disk }));
          expect(isDossierError(e, 'NO_SPACE'), String(e)).toBe(true);
          expect((await readdir(disk)).filter((n) => n !== 'filler')).toEqual([]);
        } finally {
          await run('umount', ['-l', disk]).catch(() => undefined);
        }
      },
    );
  },
);
