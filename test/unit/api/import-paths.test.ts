import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DossierService } from '../../../main/core/api/service';
import { tempDir } from '../../support/tmp';
import { PASSPHRASE, TEST_KDF } from '../../support/vault';

const none = () => undefined;

describe('paths handed to items.add (from a dialog or a drop)', () => {
  it('refuses a relative path outright, and never imports the vault into itself', async () => {
    const home = await tempDir();
    const service = new DossierService(join(home, '.config', 'Dossier', 'vault'), {
      kdf: TEST_KDF,
    });
    const created = await service.call('session.create', { passphrase: PASSPHRASE }, null, none);
    const code = (created as { value: { recoveryCode: string } }).value.recoveryCode;
    await service.call(
      'session.confirmRecoveryCode',
      { group: 8, typed: code.slice(-4) },
      null,
      none,
    );
    await mkdir(join(home, 'Pictures'));
    await writeFile(join(home, 'Pictures', 'note.txt'), 'he said it again');

    const relative = await service.call('items.add', { paths: ['Pictures/note.txt'] }, null, none);
    expect(relative).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringMatching(/full path/) },
    });

    // The whole home folder, vault included: only the person's own file is taken.
    const whole = await service.call('items.add', { paths: [home] }, null, none);
    if (!whole.ok) throw new Error(whole.error.message);
    const report = whole.value as {
      added: number;
      results: Array<{ status: string; path: string; error?: string }>;
    };
    expect(report.added).toBe(1);
    const refused = report.results.filter((r) => r.status === 'skipped');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.path).toBe(join(home, '.config', 'Dossier', 'vault'));
    expect(refused[0]!.error).toMatch(/Dossier's own vault/);

    const direct = await service.call(
      'items.add',
      { paths: [join(home, '.config', 'Dossier', 'vault', 'vault.json')] },
      null,
      none,
    );
    if (!direct.ok) throw new Error(direct.error.message);
    expect((direct.value as { results: Array<{ status: string }> }).results).toEqual([
      expect.objectContaining({ status: 'failed' }),
    ]);
    await service.lock();
  });
});
