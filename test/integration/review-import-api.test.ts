import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierService } from '../../main/core/api/service';
import type { Vault } from '../../main/core';
import type { ReviewBundleRef, ReviewEntry } from '../../shared/review';
import {
  adviserKey,
  chainEntries,
  encryptedReview,
  reviewFile,
  reviewZipFiles,
  viewerReviewJson,
  zipOf,
  type AdviserKey,
} from '../support/adviser-review';
import { assertBuilt, dossier } from '../support/cli';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { PASSPHRASE } from '../support/vault';

interface Comment {
  status: string | null;
  statusWords: string | null;
  comment: string;
  questions: string[];
  signed: boolean;
}

/** An export in a vault, and an adviser's review of it (zip, .zip.age, viewer json). */
async function reviewedVault(service: { vault: Vault }, root: string) {
  const { vault } = service;
  await vault.addData({ name: 'threat.txt', data: Buffer.from('I know where you live.\n') });
  const item = vault.list()[0]!;
  const incident = vault.createIncident(
    { occurredAt: '2026-03-02T21:14:00Z', place: 'Email', summary: 'Threat' },
    { itemIds: [item.id] },
  );
  const made = await vault.export({
    out: join(root, 'Harassment'),
    format: 'dir',
    selection: { all: true },
    caseName: 'Harassment',
  });
  const bundle: ReviewBundleRef = {
    tagManifestSha256: made.tagManifestSha256,
    bagName: basename(made.path),
    caseName: 'Harassment',
    signingKeyFingerprint: made.fingerprint,
  };
  const x = made.exhibits[0]!;
  const entries: ReviewEntry[] = chainEntries([
    {
      target: { kind: 'exhibit', exhibit: x.number, itemId: x.itemId, sha256: x.sha256 },
      op: 'status',
      value: 'relevant',
    },
    {
      target: { kind: 'exhibit', exhibit: x.number, itemId: x.itemId, sha256: x.sha256 },
      op: 'comment',
      value: 'Key exhibit.\nStatus: forged line',
    },
    {
      target: { kind: 'incident', incidentId: incident.id },
      op: 'questions',
      value: ['Who else saw it?'],
    },
  ]);
  return { item, incident, bundle, entries };
}

describe('adviserReviews through the API', async () => {
  const root = await tempDir();
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  let fixture: Awaited<ReturnType<typeof reviewedVault>>;
  let key: AdviserKey;

  beforeAll(async () => {
    fixture = await reviewedVault({ vault }, root);
    key = adviserKey();
  }, 60_000);

  it('imports from bytes (a browser), says what it did, and shows the comment beside the item', async () => {
    const zip = await zipOf(reviewZipFiles(reviewFile(fixture.bundle, fixture.entries), key));
    const r = await ok<{ outcome: string; fingerprint: string; keySeenBefore: boolean }>(
      call('adviserReviews.import', { name: 'review-Harassment.zip', data: new Uint8Array(zip) }),
    );
    expect(r).toMatchObject({
      outcome: 'imported',
      fingerprint: key.fingerprint,
      keySeenBefore: false,
    });
    const about = await ok<Comment[]>(call('adviserReviews.about', { itemId: fixture.item.id }));
    expect(about).toEqual([
      expect.objectContaining({
        status: 'relevant',
        statusWords: 'Relevant',
        comment: 'Key exhibit.\nStatus: forged line',
        signed: true,
      }),
    ]);
    const onIncident = await ok<Comment[]>(
      call('adviserReviews.about', { incidentId: fixture.incident.id }),
    );
    expect(onIncident[0]!.questions).toEqual(['Who else saw it?']);
    const list = await ok<{ id: string; overall: Comment | null; targets: unknown }[]>(
      call('adviserReviews.list'),
    );
    expect(list).toHaveLength(1);
    expect(list[0]!.overall).toBeNull();
    expect(list[0]!.targets).toEqual({ exhibits: 1, incidents: 1, messages: 0 });
  });

  it('imports by path, with a passphrase; refuses a relative path and a wrong passphrase', async () => {
    const other = adviserKey();
    const sealed = encryptedReview(
      await zipOf(reviewZipFiles(reviewFile(fixture.bundle, fixture.entries), other)),
      'a passphrase from the adviser',
    );
    const path = join(root, 'review.zip.age');
    await writeFile(path, sealed);
    expect((await failure(call('adviserReviews.import', { path: 'review.zip.age' }))).code).toBe(
      'USAGE',
    );
    const wrong = await failure(
      call('adviserReviews.import', { path, passphrase: 'not it at all' }),
    );
    expect(wrong.code).toBe('WRONG_PASSPHRASE');
    const r = await ok<{ outcome: string }>(
      call('adviserReviews.import', { path, passphrase: 'a passphrase from the adviser' }),
    );
    expect(r.outcome).toBe('imported');
  });

  it('refuses a review of another bundle with INTEGRITY, and stores nothing', async () => {
    const before = vault.log().length;
    const other = { ...fixture.bundle, tagManifestSha256: '12'.repeat(32) };
    const json = viewerReviewJson(reviewFile(other, fixture.entries));
    const e = await failure(
      call('adviserReviews.import', { name: 'r.json', data: new Uint8Array(json) }),
    );
    expect(e.code).toBe('INTEGRITY');
    expect(e.message).toMatch(/did not export/);
    expect(vault.log().length).toBe(before);
  });
});

describe('dossier review import and review comments', async () => {
  const root = await tempDir();
  let env: Record<string, string>;
  let fixture: Awaited<ReturnType<typeof reviewedVault>>;
  let key: AdviserKey;
  let service: DossierService;

  beforeAll(async () => {
    assertBuilt();
    const made = await newService();
    service = made.service;
    fixture = await reviewedVault({ vault: made.vault }, root);
    key = adviserKey();
    const dir = service.vaultDir;
    await service.lock();
    env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
  }, 60_000);

  it('imports, printing the fingerprint to compare; then prints the comments, escaped', async () => {
    const path = join(root, 'review-Harassment-20261206.zip');
    await writeFile(
      path,
      await zipOf(reviewZipFiles(reviewFile(fixture.bundle, fixture.entries), key)),
    );
    const r = await dossier(['review', 'import', path], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Adviser's key fingerprint: ${key.fingerprint}`);
    expect(r.out).toContain('a key this vault has not seen before');

    const again = await dossier(['review', 'import', path, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      outcome: 'already-imported',
      keySeenBefore: true,
    });

    const about = await dossier(['review', 'comments', fixture.item.id.slice(0, 6)], env);
    expect(about.code).toBe(0);
    expect(about.out).toContain('Status: Relevant');
    // The comment's own line break cannot make a line that reads as the app's own.
    expect(about.out).toContain('    Status: forged line');
    expect(about.out.split('\n').filter((l) => l.startsWith('  Status:'))).toEqual([
      '  Status: Relevant',
    ]);

    const json = await dossier(['review', 'comments', '--json'], env);
    const all = JSON.parse(json.out) as { comments: unknown[] }[];
    expect(all).toHaveLength(1);
    expect(all[0]!.comments).toHaveLength(2);
  });

  it('takes an encrypted review’s passphrase from --review-passphrase-file, whatever its name', async () => {
    const other = adviserKey();
    const sealed = encryptedReview(
      await zipOf(reviewZipFiles(reviewFile(fixture.bundle, fixture.entries), other)),
      'the review passphrase',
    );
    // Recognised by its content: renamed .zip, it is still asked for its passphrase.
    const path = join(root, 'renamed.zip');
    await writeFile(path, sealed);
    const secret = join(root, 'review-passphrase.txt');
    await writeFile(secret, 'the review passphrase\n');
    const none = await dossier(['review', 'import', path], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--review-passphrase-file FILE/);
    const r = await dossier(
      ['review', 'import', path, '--review-passphrase-file', secret, '--json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({
      outcome: 'imported',
      fingerprint: other.fingerprint,
    });
    await writeFile(secret, 'not the passphrase\n');
    const wrong = await dossier(
      ['review', 'import', path, '--review-passphrase-file', secret],
      env,
    );
    expect(wrong.code).toBe(3);
  });

  it('refuses a tampered review with exit 4, and a missing file with a usage error', async () => {
    const files = reviewZipFiles(reviewFile(fixture.bundle, fixture.entries), key);
    const json = Buffer.from(files['review.json']!);
    json[json.indexOf('Key exhibit')] = 'k'.charCodeAt(0);
    const path = join(root, 'tampered.zip');
    await writeFile(path, await zipOf({ ...files, 'review.json': json }));
    const r = await dossier(['review', 'import', path], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/review\.json in tampered\.zip does not match manifest-sha256\.txt/);
    expect((await dossier(['review', 'import'], env)).code).toBe(2);
    expect((await dossier(['review', 'comments', '--review-passphrase-file', 'x'], env)).code).toBe(
      2,
    );
  });
});
