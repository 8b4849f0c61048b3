import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { BaseWindow, Dialog, OpenDialogOptions, Shell } from 'electron';
import type { ShellHandlers } from '../core/api/shell';
import { DossierError } from '../core/errors';

/**
 * The contract's shell methods on Electron: native dialogs for choosing evidence and an
 * export folder, and revealing a bundle in the file manager. Paths a dialog returns are
 * still checked by the service like any other (`items.add` in main/core/api/service.ts).
 */
export interface DialogDeps {
  dialog: Pick<Dialog, 'showOpenDialog'>;
  shell: Pick<Shell, 'showItemInFolder'>;
  /** The app window the dialogs belong to (modal to it), or null. */
  window(): BaseWindow | null;
}

export function desktopShell(deps: DialogDeps): ShellHandlers {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = deps.window();
    const answer = win
      ? await deps.dialog.showOpenDialog(win, options)
      : await deps.dialog.showOpenDialog(options);
    return answer.canceled ? [] : answer.filePaths;
  };
  return {
    'dialog.chooseFiles': async () => ({
      paths: await open({
        title: 'Add evidence',
        buttonLabel: 'Add to Dossier',
        properties: ['openFile', 'multiSelections'],
      }),
    }),
    'dialog.chooseFolder': async ({ purpose }) => {
      const [path = null] = await open(
        purpose === 'export'
          ? {
              title: 'Where should the evidence bundle go?',
              buttonLabel: 'Export here',
              properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
            }
          : {
              title: 'Add a folder of evidence',
              buttonLabel: 'Add to Dossier',
              properties: ['openDirectory'],
            },
      );
      return { path };
    },
    'dialog.chooseReview': async () => {
      const [path = null] = await open({
        title: 'Import a review from your adviser',
        buttonLabel: 'Import review',
        properties: ['openFile'],
        filters: [
          {
            name: 'Review from an adviser (.zip, .zip.age, .json)',
            extensions: ['zip', 'age', 'json'],
          },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return { path };
    },
    'dialog.chooseBundle': async ({ kind }) => {
      const [path = null] = await open(
        kind === 'folder'
          ? {
              title: 'Open an evidence bundle folder for review',
              buttonLabel: 'Open for review',
              properties: ['openDirectory'],
            }
          : {
              title: 'Open an evidence bundle for review',
              buttonLabel: 'Open for review',
              properties: ['openFile'],
              filters: [
                { name: 'Evidence bundles (.zip, .zip.age)', extensions: ['zip', 'age'] },
                { name: 'All files', extensions: ['*'] },
              ],
            },
      );
      return { path };
    },
    'shell.showInFolder': async ({ path }) => {
      // Only an existing absolute path: never a URL or a name the file manager would resolve.
      const exists =
        isAbsolute(path) &&
        (await stat(path).then(
          () => true,
          () => false,
        ));
      if (!exists) throw new DossierError('NOT_FOUND', 'That file or folder is no longer there.');
      deps.shell.showItemInFolder(path);
      return {};
    },
  };
}
