import {
  api,
  methodNames,
  type Args,
  type Envelope,
  type EventName,
  type MethodName,
  type Progress,
  type Result,
} from './contract';

/**
 * The typed client the renderer uses, over any transport (Electron IPC through the
 * preload, or the loopback bridge in a plain browser). Built by looping over the contract.
 */
export interface Transport {
  call(method: MethodName, args: unknown, jobId: string | null): Promise<Envelope<unknown>>;
  cancel(jobId: string): Promise<void>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

export interface CallOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type DossierClient = {
  [M in MethodName]: (args: Args<M>, options?: CallOptions) => Promise<Result<M>>;
} & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

let jobCounter = 0;

export function createClient(transport: Transport): DossierClient {
  const client = { on: transport.on.bind(transport) } as Record<string, unknown>;
  for (const name of methodNames) {
    client[name] = async (args: unknown, options: CallOptions = {}) => {
      const jobId = api[name].progress ? `job-${Date.now().toString(36)}-${++jobCounter}` : null;
      let stop = (): void => undefined;
      if (jobId && options.onProgress) {
        stop = transport.on('progress', (p) => {
          const progress = p as Progress;
          if (progress.jobId === jobId) options.onProgress!(progress);
        });
      }
      const abort = (): void => void (jobId && transport.cancel(jobId));
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        const reply = await transport.call(name, args, jobId);
        if (!reply.ok) throw new ApiCallError(reply.error.code, reply.error.message);
        return reply.value;
      } finally {
        stop();
        options.signal?.removeEventListener('abort', abort);
      }
    };
  }
  return client as DossierClient;
}
