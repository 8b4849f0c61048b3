import type { z } from 'zod';
import {
  api,
  type Api,
  type EventName,
  type HostMethodName,
  type Progress,
  type Result,
} from '../../../shared/contract';
import { isDossierError } from '../errors';
import type { ApiHost } from './host';

/**
 * The contract methods the desktop shell answers in main (`host: true`): native dialogs and
 * the file manager. Electron implements them (main/electron/dialogs.ts); a transport
 * without a desktop (the bridge) leaves them to the service, which says they need the app.
 */
export type ShellHandlers = {
  [M in HostMethodName]: (args: z.output<Api[M]['args']>) => Promise<Result<M>>;
};

/** A host whose shell methods run here (validated like every call) and the rest on `host`. */
export function withShell(host: ApiHost, shell: ShellHandlers): ApiHost {
  const call = async (
    name: string,
    args: unknown,
    jobId: string | null,
    onProgress: (p: Progress) => void,
  ) => {
    if (!Object.hasOwn(api, name) || !api[name as keyof Api].host) {
      return host.call(name, args, jobId, onProgress);
    }
    const method = name as HostMethodName;
    const parsed = api[method].args.safeParse(args ?? {});
    if (!parsed.success) {
      return {
        ok: false as const,
        error: { code: 'USAGE', message: `Invalid arguments for ${method}.` },
      };
    }
    try {
      const run = shell[method] as (a: unknown) => Promise<unknown>;
      return { ok: true as const, value: await run(parsed.data) };
    } catch (e) {
      return {
        ok: false as const,
        error: isDossierError(e)
          ? { code: e.code, message: e.message }
          : {
              code: 'INTERNAL',
              message: 'The system window could not be opened. Please try again.',
            },
      };
    }
  };
  return {
    call,
    cancel: (jobId) => host.cancel(jobId),
    lock: () => host.lock(),
    evidence: (id, kind, range) => host.evidence(id, kind, range),
    get isUnlocked() {
      return host.isUnlocked;
    },
    onEvent: (listener: (event: EventName, payload: unknown) => void) => host.onEvent(listener),
  };
}
