import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadName } from '../../main/core/vault/vault';
import { makeScreenshotPng, noiseBytes } from '../fixtures/evidence';
import { failure, newService, ok } from '../support/service';
import { anyFileContains } from '../support/vault';

interface Added {
  status: string;
  id: string;
  name: string;
  mime: string;
  warnings: string[];
}

describe('items.addData (a pasted picture, a file dropped into a browser)', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const png = await makeScreenshotPng(390, 844, 3);

  it('imports the bytes like a file: sniffed, previewed, logged, with no source path', async () => {
    const added = await ok<Added>(
      call('items.addData', {
        name: 'Screenshot 2024-03-09.png',
        data: new Uint8Array(png),
        lastModified: '2024-03-09T21:30:00.000Z',
        tags: ['pasted'],
        note: 'from the clipboard',
      }),
    );
    expect(added).toMatchObject({
      status: 'added',
      mime: 'image/png',
      name: 'Screenshot 2024-03-09.png',
    });
    const item = vault.itemDetail(added.id);
    expect(item).toMatchObject({
      sourcePath: null,
      sourceTimes: { mtime: '2024-03-09T21:30:00.000Z' },
      tags: ['pasted'],
      notes: [expect.objectContaining({ body: 'from the clipboard' })],
    });
    expect(item.thumbnail).not.toBeNull();
    expect(vault.log().at(-1)).toMatchObject({
      action: 'ingest',
      subjects: [added.id],
      details: { source: null, sourceMtime: '2024-03-09T21:30:00.000Z' },
    });
    const chunks: Buffer[] = [];
    for await (const c of vault.verifiedContent(added.id)) chunks.push(c);
    const bytes = Buffer.concat(chunks);
    expect(bytes.equals(png)).toBe(true);
  });

  it('never writes the plaintext to disk', async () => {
    const secret = noiseBytes(200_000, 'pasted secret');
    await ok(call('items.addData', { name: 'secret.bin', data: new Uint8Array(secret) }));
    expect(await anyFileContains(vault.dir, secret.subarray(1000, 1064))).toBeNull();
  });

  it('links the same bytes again as a duplicate', async () => {
    const again = await ok<{ status: string; existingName: string }>(
      call('items.addData', { name: 'copy.png', data: new Uint8Array(png) }),
    );
    expect(again).toMatchObject({ status: 'duplicate', existingName: 'Screenshot 2024-03-09.png' });
  });

  it('stores a hostile name cleaned, says so, and logs the name as given', async () => {
    const given = '../../etc/pass\u0000wd \u202egnp.exe';
    const parent = await readdir(dirname(vault.dir));
    const added = await ok<Added>(
      call('items.addData', { name: given, data: new Uint8Array(noiseBytes(100, 'hostile')) }),
    );
    expect(added.name).toBe('.._.._etc_passwd gnp.exe');
    expect(vault.items.get(added.id).name).toBe('.._.._etc_passwd gnp.exe');
    expect(added.warnings.join(' ')).toMatch(/cannot be shown safely/);
    expect(vault.log().at(-1)!.details).toEqual({
      what: 'name cleaned when added',
      givenName: given,
      storedName: '.._.._etc_passwd gnp.exe',
    });
    expect(await readdir(dirname(vault.dir))).toEqual(parent);
  });

  it('keeps a safe name exactly as given', () => {
    expect(uploadName('Photo (2) – café.JPG')).toBe('Photo (2) – café.JPG');
    expect(uploadName('..')).toBe('pasted file');
    expect(uploadName('\u0007')).toBe('pasted file');
  });

  it('refuses what it cannot take, in plain words', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const msg = async (args: Record<string, unknown>) =>
      (await failure(call('items.addData', { name: 'a.bin', data, ...args }))).message;
    expect(await msg({ name: '' })).toMatch(/name is empty/);
    expect(await msg({ name: 'x'.repeat(256) })).toMatch(/name is too long/);
    expect(await msg({ data: 'not bytes' })).toMatch(/data/);
    expect(await msg({ data: new Uint8Array(64 * 1024 * 1024 + 1) })).toMatch(/data is too large/);
    expect(await msg({ lastModified: 'the other day' })).toMatch(/"the other day" is not a date/);
  });
});
