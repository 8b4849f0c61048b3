import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Vault, type AddReport } from '../../main/core';
import { main } from '../../main/cli/main';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/**
 * An import that needs the person's choice (a WhatsApp export whose day/month order its dates
 * cannot prove) stores nothing and fails with NEEDS_CHOICE: the CLI says which flag to give
 * and exits 2, a usage matter, not 5 (a file that could not be read).
 */
describe('dossier add: an export that needs a choice', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('exits 2 with the message saying which flag to give, and passes the choices on', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    const file = join(root, 'WhatsApp Chat with Alex.txt');
    await writeFile(file, '01/02/2024, 10:00 - Alex: hi\n');
    vi.stubEnv('DOSSIER_VAULT', dir);
    vi.stubEnv('DOSSIER_PASSPHRASE', PASSPHRASE);
    const message =
      'The dates in “WhatsApp Chat with Alex.txt” could be day-first or month-first (01/02/2024). Give --date-order dmy or --date-order mdy.';
    const add = vi.spyOn(Vault.prototype, 'add').mockResolvedValue({
      results: [
        {
          status: 'failed',
          path: file,
          name: 'WhatsApp Chat with Alex.txt',
          error: message,
          code: 'NEEDS_CHOICE',
        },
      ],
      added: 0,
      withWarnings: 0,
      duplicates: 0,
      failed: 1,
      skipped: 0,
    } as AddReport);
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      data: async () => {},
    };
    expect(await main(['add', file], io)).toBe(2);
    expect(err.join('\n')).toContain(`dossier: ${message}`);

    // The choices given reach the import as AddOptions.
    expect(
      await main(['add', file, '--date-order', 'mdy', '--time-zone', 'America/New_York'], io),
    ).toBe(2);
    expect(add.mock.calls.at(-1)![1]).toMatchObject({
      dateOrder: 'mdy',
      timeZone: 'America/New_York',
    });

    // Any other failure is still an I/O failure (5).
    add.mockResolvedValue({
      results: [{ status: 'failed', path: file, name: 'x', error: 'gone', code: 'IO' }],
      added: 0,
      withWarnings: 0,
      duplicates: 0,
      failed: 1,
      skipped: 0,
    } as AddReport);
    expect(await main(['add', file], io)).toBe(5);
  });
});
