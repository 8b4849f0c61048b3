import { useRef } from 'react';
import { connection } from '../../api/transport';
import { useJobs } from '../../stores/jobs';

/**
 * "Add files" and "Add folder": native dialogs in the desktop app (paths, checked in main);
 * the browser's own pickers otherwise (bytes, since a browser never reveals paths).
 */
export function ImportControls() {
  const importWithDialog = useJobs((s) => s.importWithDialog);
  const importFiles = useJobs((s) => s.importFiles);
  const running = useJobs((s) => s.importJob?.state === 'running');
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const desktop = connection.surface === 'desktop';

  const chooseFiles = async () => {
    if (!desktop) return filesInput.current?.click();
    await importWithDialog('files');
  };
  const chooseFolder = async () => {
    if (!desktop) return folderInput.current?.click();
    await importWithDialog('folder');
  };

  return (
    <div className="import-controls">
      <button type="button" onClick={() => void chooseFiles()} disabled={running}>
        Add files
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => void chooseFolder()}
        disabled={running}
      >
        Add folder
      </button>
      {!desktop && (
        <>
          <input
            ref={filesInput}
            type="file"
            multiple
            hidden
            aria-label="Files to add"
            data-testid="file-input"
            onChange={(e) => {
              void importFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
          <input
            ref={folderInput}
            type="file"
            hidden
            aria-label="Folder to add"
            data-testid="folder-input"
            {...({ webkitdirectory: '' } as object)}
            onChange={(e) => {
              void importFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </>
      )}
    </div>
  );
}
