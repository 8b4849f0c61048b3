// export.bundlePages through the API, as the wizard calls it: the court bundle's page count
// and the family courts' cap for a choice of items, before anything is written; the same
// checks on its arguments as export.create, and a clear error for a selection of nothing.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';

describe('export.bundlePages through the API', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const src = join(await tempDir(), 'src');
  await mkdir(src);
  await writeFile(join(src, 'one.txt'), 'The car was outside again.\n');
  await writeFile(
    join(src, 'long.txt'),
    Array.from({ length: 3_000 }, (_, i) => `diary line ${i + 1}`).join('\n'),
  );
  await vault.add([src]);
  const byName = new Map(vault.list().map((i) => [i.name, i.id]));

  it('counts more pages for more text, with the cap, writing nothing to the log', async () => {
    const before = vault.log().length;
    const one = await ok<{ pages: number; cap: number }>(
      call('export.bundlePages', { selection: { itemIds: [byName.get('one.txt')!] } }),
    );
    const both = await ok<{ pages: number; cap: number }>(
      call('export.bundlePages', { selection: { all: true }, exhibitPrefix: 'JD' }),
    );
    expect(one.cap).toBe(350);
    expect(one.pages).toBeGreaterThan(2);
    // 3,000 lines of text are about 30 pages more.
    expect(both.pages - one.pages).toBeGreaterThan(25);
    expect(vault.log()).toHaveLength(before);

    // The count is the written bundle's.
    const out = await tempDir();
    const made = await vault.export({
      out,
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
    });
    expect(made.bundlePages).toBe(both.pages);
    expect(await readdir(out)).toHaveLength(1);
  });

  it('refuses what export.create refuses, in the same words', async () => {
    const prefix = await failure(
      call('export.bundlePages', { selection: { all: true }, exhibitPrefix: 'jd-1' }),
    );
    const asExport = await failure(
      call('export.create', {
        out: '/tmp',
        format: 'dir',
        selection: { all: true },
        exhibitPrefix: 'jd-1',
      }),
    );
    expect(prefix.code).toBe('USAGE');
    expect(prefix.message).toBe(asExport.message.replace('export.create', 'export.bundlePages'));
    expect(prefix.message).toContain('can only have letters and digits');
    const nothing = await failure(call('export.bundlePages', { selection: { tags: ['none'] } }));
    expect(nothing.message).toMatch(/Nothing to export: the selection matched no items/);
  });
});
