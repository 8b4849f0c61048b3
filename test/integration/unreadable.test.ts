import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { asIoError } from '../../main/core/fs-safety';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

describe('paths that cannot be read', () => {
  it('a pipe or device is refused by name and the rest is imported', async () => {
    const root = await tempDir();
    await run('mkfifo', [join(root, 'a-pipe')]);
    await writeFile(join(root, 'ok.txt'), 'ok');
    const { vault } = await newVault(join(root, 'vault'));
    const report = await vault.add([join(root, 'a-pipe'), join(root, 'ok.txt')]);
    expect(report).toMatchObject({ added: 1, failed: 1 });
    const failed = report.results.find((r) => r.status === 'failed');
    expect(failed?.status === 'failed' && failed.error).toMatch(/a-pipe is not a regular file/);
    await vault.lock();
  });

  // Root reads everything, so only a non-root run can see EACCES for real.
  it.skipIf(isRoot)(
    'an unreadable file is reported and skipped (needs a non-root user)',
    async () => {
      const root = await tempDir();
      await writeFile(join(root, 'secret.txt'), 'no');
      await chmod(join(root, 'secret.txt'), 0o000);
      const { vault } = await newVault(join(root, 'vault'));
      const report = await vault.add([join(root, 'secret.txt')]);
      expect(report.failed).toBe(1);
      await vault.lock();
    },
  );

  it('permission, missing-file and full-disk errors become plain messages', () => {
    const errno = (code: string): Error => Object.assign(new Error(code), { code });
    expect((asIoError(errno('EACCES'), '/x/a.png') as Error).message).toBe(
      'Permission denied for /x/a.png. Check that you are allowed to read (or write) it.',
    );
    expect(asIoError(errno('ENOSPC'), '/v/blob')).toMatchObject({ code: 'NO_SPACE' });
    expect(asIoError(errno('SQLITE_FULL'), '/v/db')).toMatchObject({ code: 'NO_SPACE' });
    expect(asIoError(errno('ENOENT'), '/x/gone')).toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/does not exist/),
    });
  });
});
