import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channel, methodNames, type EventName, type Progress } from '../../shared/contract';
import type { ApiHost } from '../core/api/host';

/**
 * Registers one IPC handler per contract method, by looping over the contract. Each call
 * must come from the app's own page (a trusted sender) and carries `{ args, jobId }`;
 * validation and error wrapping happen in the host (DossierService.call, on a worker).
 */
export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'on'>;
  host: ApiHost;
  /** True when the event comes from the app's main frame (checked on every call). */
  isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean;
  /** Where events go (the app window's webContents), or null before it exists. */
  target(): Pick<WebContents, 'send' | 'isDestroyed'> | null;
}

export function registerIpc(deps: IpcDeps): {
  emit(event: EventName, payload: unknown): void;
  channels: string[];
} {
  const emit = (event: EventName, payload: unknown): void => {
    const t = deps.target();
    if (t && !t.isDestroyed()) t.send(channel(event), payload);
  };
  const onProgress = (p: Progress): void => emit('progress', p);
  // Events from the vault side (a lock by the user or a crash, vault changes) go to the window.
  deps.host.onEvent((event, payload) => emit(event, payload));
  const channels: string[] = [];
  for (const name of methodNames) {
    const ch = channel(name);
    channels.push(ch);
    deps.ipcMain.handle(ch, async (event, payload: unknown) => {
      if (!deps.isTrustedSender(event)) {
        return {
          ok: false,
          error: {
            code: 'USAGE',
            message: 'Refused: the request did not come from the Dossier window.',
          },
        };
      }
      const { args, jobId } = (payload ?? {}) as { args?: unknown; jobId?: unknown };
      return deps.host.call(
        name,
        args,
        typeof jobId === 'string' ? jobId.slice(0, 100) : null,
        onProgress,
      );
    });
  }
  const cancel = channel('jobs.cancel');
  channels.push(cancel);
  deps.ipcMain.on(cancel, (event, jobId: unknown) => {
    if (deps.isTrustedSender(event) && typeof jobId === 'string') deps.host.cancel(jobId);
  });
  return { emit, channels };
}
