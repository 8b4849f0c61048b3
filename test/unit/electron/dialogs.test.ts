import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenDialogOptions } from 'electron';
import { DossierService } from '../../../main/core/api/service';
import { withShell } from '../../../main/core/api/shell';
import { desktopShell } from '../../../main/electron/dialogs';
import { tempDir } from '../../support/tmp';
import { TEST_KDF } from '../../support/vault';

function fakes(answer: { canceled: boolean; filePaths: string[] }) {
  const asked: OpenDialogOptions[] = [];
  const revealed: string[] = [];
  const shell = desktopShell({
    dialog: {
      showOpenDialog: (async (...a: unknown[]) => {
        asked.push(a.at(-1) as OpenDialogOptions);
        return answer;
      }) as never,
    },
    shell: { showItemInFolder: (p: string) => void revealed.push(p) },
    window: () => null,
  });
  return { shell, asked, revealed };
}

describe('native dialogs and the file manager (shell methods)', () => {
  it('asks for files, an import folder or an export folder, and reports a cancel as nothing chosen', async () => {
    const { shell, asked } = fakes({
      canceled: false,
      filePaths: ['/home/a/x.png', '/home/a/y.png'],
    });
    expect(await shell['dialog.chooseFiles']({})).toEqual({
      paths: ['/home/a/x.png', '/home/a/y.png'],
    });
    expect(asked[0]!.properties).toEqual(['openFile', 'multiSelections']);
    expect((await shell['dialog.chooseFolder']({ purpose: 'export' })).path).toBe('/home/a/x.png');
    expect(asked[1]!.properties).toContain('createDirectory');
    await shell['dialog.chooseFolder']({ purpose: 'import' });
    expect(asked[2]!.properties).toEqual(['openDirectory']);
    const cancelled = fakes({ canceled: true, filePaths: ['/ignored'] }).shell;
    expect(await cancelled['dialog.chooseFiles']({})).toEqual({ paths: [] });
    expect(await cancelled['dialog.chooseFolder']({ purpose: 'export' })).toEqual({ path: null });
  });

  it('asks for one review from the adviser, and reports a cancel as nothing chosen', async () => {
    const { shell, asked } = fakes({ canceled: false, filePaths: ['/home/a/review-x.zip'] });
    expect(await shell['dialog.chooseReview']({})).toEqual({ path: '/home/a/review-x.zip' });
    expect(asked[0]!.properties).toEqual(['openFile']);
    expect(asked[0]!.title).toBe('Import a review from your adviser');
    const cancelled = fakes({ canceled: true, filePaths: ['/ignored'] }).shell;
    expect(await cancelled['dialog.chooseReview']({})).toEqual({ path: null });
  });

  it('asks for a bundle to review: a folder, or a .zip / .zip.age file', async () => {
    const { shell, asked } = fakes({ canceled: false, filePaths: ['/home/a/b.zip.age'] });
    expect(await shell['dialog.chooseBundle']({ kind: 'file' })).toEqual({
      path: '/home/a/b.zip.age',
    });
    expect(asked[0]!.properties).toEqual(['openFile']);
    expect(asked[0]!.filters![0]!.extensions).toEqual(['zip', 'age']);
    await shell['dialog.chooseBundle']({ kind: 'folder' });
    expect(asked[1]!.properties).toEqual(['openDirectory']);
    const cancelled = fakes({ canceled: true, filePaths: ['/ignored'] }).shell;
    expect(await cancelled['dialog.chooseBundle']({ kind: 'folder' })).toEqual({ path: null });
  });

  it('reveals only an existing absolute path', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'bundle.zip'), 'x');
    const { shell, revealed } = fakes({ canceled: true, filePaths: [] });
    await shell['shell.showInFolder']({ path: join(dir, 'bundle.zip') });
    expect(revealed).toEqual([join(dir, 'bundle.zip')]);
    await expect(shell['shell.showInFolder']({ path: 'bundle.zip' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(shell['shell.showInFolder']({ path: join(dir, 'gone') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('routes shell methods to the shell (validated) and the rest to the vault host', async () => {
    const service = new DossierService(join(await tempDir(), 'vault'), { kdf: TEST_KDF });
    const { shell } = fakes({ canceled: false, filePaths: ['/home/a/x.png'] });
    const host = withShell(service, shell);
    const none = () => undefined;
    expect(await host.call('dialog.chooseFiles', {}, null, none)).toEqual({
      ok: true,
      value: { paths: ['/home/a/x.png'] },
    });
    expect(await host.call('dialog.chooseFolder', { purpose: 'nope' }, null, none)).toMatchObject({
      ok: false,
      error: { code: 'USAGE' },
    });
    expect(await host.call('session.status', {}, null, none)).toMatchObject({
      ok: true,
      value: { state: 'no-vault' },
    });
    // Without a desktop (the bridge), the service says plainly that the app is needed.
    expect(await service.call('dialog.chooseFiles', {}, null, none)).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED', message: expect.stringMatching(/desktop app/) },
    });
  });
});
