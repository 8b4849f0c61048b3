import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DossierService } from '../../main/core/api/service';
import { newService, ok, type Reply } from '../support/service';
import { tempDir } from '../support/tmp';

interface Progress {
  jobId: string;
  itemsDone: number;
  itemsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** Runs a long method as a job, cancelling it at its first progress report. */
async function cancelledAtFirstProgress(
  service: DossierService,
  method: string,
  args: unknown,
): Promise<{ reply: Reply; first: Progress | null }> {
  let first: Progress | null = null;
  const reply = (await service.call(method, args, 'job-1', (p: Progress) => {
    if (first) return;
    first = p;
    service.cancel('job-1');
  })) as Reply;
  return { reply, first };
}

describe('the integrity check and the bundle check can be cancelled', async () => {
  const { service, vault, call } = await newService();
  const folder = join(await tempDir(), 'evidence');
  await mkdir(folder);
  const sizes = [300_000, 200_000, 100_000];
  for (const [i, size] of sizes.entries()) {
    await writeFile(join(folder, `file-${i}.bin`), randomBytes(size));
  }
  await ok(call('items.add', { paths: [folder] }));

  it('reports the bytes to read, stops when cancelled, and records no verdict', async () => {
    const before = vault.log().length;
    const { reply, first } = await cancelledAtFirstProgress(service, 'vault.check', {});
    expect(first).toMatchObject({ itemsDone: 1, itemsTotal: 3 });
    expect(first!.bytesTotal).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(reply).toEqual({
      ok: false,
      error: { code: 'USAGE', message: expect.stringMatching(/check was cancelled/) },
    });
    expect(
      vault
        .log()
        .slice(before)
        .map((e) => e.action),
    ).not.toContain('verify');
    // Not cancelled, the same check runs to the end and is recorded.
    const report = await ok<{ ok: boolean }>(call('vault.check'));
    expect(report.ok).toBe(true);
    expect(vault.log().at(-1)!.action).toBe('verify');
  });

  it('stops checking a bundle when cancelled', async () => {
    const out = await tempDir();
    const made = await ok<{ path: string }>(
      call('export.create', { out, format: 'dir', selection: { all: true } }),
    );
    const { reply, first } = await cancelledAtFirstProgress(service, 'export.verify', {
      path: made.path,
    });
    expect(first).toMatchObject({ itemsDone: 0 });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'USAGE', message: expect.stringMatching(/check of the bundle was cancelled/) },
    });
    expect(await ok<{ ok: boolean }>(call('export.verify', { path: made.path }))).toMatchObject({
      ok: true,
    });
    await service.lock();
  });
});
