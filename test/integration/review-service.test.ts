// A bundle opened for review through the API (issue 14): review.open locks an unlocked vault
// first, session.status says what is open, the read methods answer from the bundle, every
// method that changes is refused in words, files are served from the bundle, and review.close
// (or a lock) closes it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type Result } from '../../shared/contract';
import { DossierService } from '../../main/core/api/service';
import type { EvidenceResponse } from '../../main/core/serve/evidence-response';
import { tempDir } from '../support/tmp';
import { BUNDLE_PASSPHRASE, makeReviewBundles, type ReviewBundles } from '../support/review-bundle';
import { failure, ok, type Reply } from '../support/service';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

const run = promisify(execFile);

async function body(r: EvidenceResponse): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r.body ?? []) parts.push(c);
  return Buffer.concat(parts);
}

describe('review.open through the service', () => {
  let root: string;
  let b: ReviewBundles;
  let service: DossierService;
  let call: (method: string, args?: unknown, jobId?: string) => Promise<Reply>;
  const events: [string, unknown][] = [];
  const progress: unknown[] = [];

  beforeAll(async () => {
    root = await tempDir();
    b = await makeReviewBundles(root);
    service = new DossierService(join(root, 'vault'), {
      kdf: TEST_KDF,
      readPicturesInBackground: false,
    });
    service.onEvent((e, p) => events.push([e, p]));
    call = (method, args = {}, jobId) =>
      service.call(method, args, jobId ?? null, (p) => progress.push(p)) as Promise<Reply>;
  }, 120_000);

  it('opening a bundle locks the unlocked vault first, and session.status says what is open', async () => {
    await ok(call('session.unlock', { passphrase: PASSPHRASE }));
    expect(service.unlocked).not.toBeNull();
    const s = await ok<Result<'review.open'>>(
      call('review.open', { path: b.age, passphrase: BUNDLE_PASSPHRASE }, 'job-1'),
    );
    expect(service.unlocked).toBeNull();
    expect(events).toContainEqual(['locked', { reason: 'user' }]);
    expect(progress.length).toBeGreaterThan(0);
    expect(s.state).toBe('reviewing');
    expect(s.review).toMatchObject({
      name: 'bundle.zip.age',
      caseName: 'R v Unknown',
      exporter: 'Jane Doe MP',
      exhibits: 4,
      verified: true,
      problems: [],
      failingExhibits: [],
    });
    expect(s.fingerprint).toBe(s.review!.fingerprint);
    expect(service.isUnlocked).toBe(true); // idle auto-lock closes a bundle too
    expect(await ok(call('session.status'))).toEqual(s);
  });

  it('the read methods answer from the bundle, as for a vault', async () => {
    const page = await ok<Result<'items.query'>>(
      call('items.query', { sort: 'sourceTime', order: 'asc', offset: 0, limit: 100 }),
    );
    expect(page.rows.map((r) => r.id)).toEqual([
      b.ids.screenshot,
      b.ids.hostile,
      b.ids.email,
      b.ids.chat,
    ]);
    expect(page.rows[0]!.hasThumbnail).toBe(true);
    const item = await ok<Result<'items.get'>>(call('items.get', { id: b.ids.screenshot }));
    expect(item.regions).toHaveLength(2);
    expect(item.notes.map((n) => n.body)).toEqual(['reply to my constituency post']);
    const [incident] = await ok<Result<'incidents.list'>>(call('incidents.list'));
    expect(incident!.messages.map((m) => m.id)).toEqual(b.messageIds);
    expect((await ok<Result<'people.list'>>(call('people.list')))[0]!.name).toBe(
      'Anonymous sender',
    );
    expect(
      (await ok<Result<'conversation.get'>>(call('conversation.get', { id: b.ids.chat }))).format,
    ).toBe('whatsapp');
    const message = await ok<Result<'messages.get'>>(call('messages.get', { id: b.messageIds[1] }));
    expect(message.text).toBe('See you at the school gate');
    const log = await ok<Result<'custody.page'>>(
      call('custody.page', { offset: 0, limit: 10, order: 'asc' }),
    );
    expect(log.entries[0]!.action).toBe('create');
    expect(await ok(call('custody.verify'))).toMatchObject({ ok: true, firstBroken: null });
    expect(await ok(call('ocr.get', { id: b.ids.email }))).toMatchObject({ state: 'none' });
    // The item view asks for language names: answered from the bundle, not refused.
    expect(await ok(call('ocr.languages'))).toEqual({
      language: 'eng',
      installed: [{ code: 'eng', name: 'English' }],
    });
    // The adviser's filter by review status: only the exhibits named, in the sort's order.
    const only = await ok<Result<'items.query'>>(
      call('items.query', {
        sort: 'sourceTime',
        order: 'asc',
        offset: 0,
        limit: 100,
        itemIds: [b.ids.chat, b.ids.screenshot, b.ids.chat],
      }),
    );
    expect(only).toMatchObject({ total: 2 });
    expect(only.rows.map((r) => r.id)).toEqual([b.ids.screenshot, b.ids.chat]);
    const none = await ok(
      call('items.query', { sort: 'name', order: 'asc', offset: 0, limit: 10, itemIds: [] }),
    );
    expect(none).toEqual({ total: 0, rows: [] });
  });

  it('every method that changes is refused with the same clear words; vault-only methods too', async () => {
    const changing = Object.entries(api)
      .filter(([, m]) => m.changes)
      .map(([name]) => name);
    expect(changing).toContain('items.addNote');
    for (const name of changing) {
      expect(await failure(call(name, {}))).toEqual({
        code: 'READ_ONLY',
        message: 'This is a bundle opened for review: nothing in it can be changed.',
      });
    }
    const vaultOnly = await failure(call('vault.check'));
    expect(vaultOnly.message).toMatch(/needs your own vault\) is not available\. Close the bundle/);
    expect((await failure(call('session.unlock', { passphrase: PASSPHRASE }))).message).toMatch(
      /Close the bundle first/,
    );
  });

  it("serves an exhibit's bytes from the bundle, a byte range of them, and a preview made in memory", async () => {
    const original = await service.evidence(b.ids.email, 'original', null);
    expect(original.status).toBe(200);
    expect(original.headers['Content-Type']).toBe('text/plain; charset=utf-8');
    const text = await body(original);
    expect(text.toString()).toMatch(/I know where your children go to school/);
    const part = await service.evidence(b.ids.email, 'original', 'bytes=0-3');
    expect(part.status).toBe(206);
    expect((await body(part)).toString()).toBe(text.subarray(0, 4).toString());
    const thumb = await service.evidence(b.ids.screenshot, 'thumbnail', null);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['Content-Type']).toBe('image/jpeg');
    expect((await body(thumb)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect((await service.evidence(b.ids.chat, 'original', null)).status).toBe(403);
    expect((await service.evidence('0'.repeat(26), 'original', null)).status).toBe(404);
  });

  it('review.close closes it: the vault is locked, nothing of the bundle answers', async () => {
    const s = await ok<Result<'review.close'>>(call('review.close'));
    expect(s.state).toBe('locked');
    expect(s.review).toBeUndefined();
    expect(service.isUnlocked).toBe(false);
    expect((await failure(call('items.list'))).code).toBe('LOCKED');
    expect((await service.evidence(b.ids.email, 'original', null)).status).toBe(423);
  });

  it('a tampered bundle opens with its problems; the changed file is never served', async () => {
    const copy = join(root, 'tampered');
    await run('cp', ['-a', b.folder, copy]);
    const items = JSON.parse(await readFile(join(copy, 'data/metadata/items.json'), 'utf8')) as {
      number: string;
      bagPath: string;
    }[];
    const shot = items.find((e) => e.number === 'JD1')!.bagPath;
    const bytes = await readFile(join(copy, shot));
    bytes[200]! ^= 1;
    await writeFile(join(copy, shot), bytes);
    const s = await ok<Result<'review.open'>>(call('review.open', { path: copy }));
    expect(s.review!.verified).toBe(false);
    expect(s.review!.failingExhibits).toEqual(['JD1']);
    expect(s.review!.problems.find((p) => p.file === shot)!.exhibits).toEqual(['JD1']);
    const served = await service.evidence(b.ids.screenshot, 'original', null);
    expect(served.status).toBe(403);
    expect(served.message).toMatch(/failed verification/);
    expect((await service.evidence(b.ids.screenshot, 'thumbnail', null)).status).toBe(403);
    // A lock (the Lock button, idle, panic) closes the bundle as it locks a vault.
    await service.lock();
    const after = await ok<Result<'session.status'>>(call('session.status'));
    expect(after.state).toBe('locked');
    expect(after.review).toBeUndefined();
  });

  it('a relative path, a wrong passphrase and a cancelled open are refused in words', async () => {
    expect((await failure(call('review.open', { path: 'bundle.zip' }))).message).toMatch(
      /must be given by its full path/,
    );
    expect(
      await failure(call('review.open', { path: b.age, passphrase: 'wrong passphrase here' })),
    ).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const pending = call('review.open', { path: b.zip }, 'job-cancel');
    service.cancel('job-cancel');
    expect((await failure(pending)).message).toMatch(/cancelled/);
    expect(await ok(call('session.status'))).toMatchObject({ state: 'locked' });
  });
});
