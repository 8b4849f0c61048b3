import type { Envelope, EventName, Progress } from '../../../shared/contract';
import type { EvidenceKind, EvidenceResponse } from '../serve/evidence-response';

/**
 * What a transport (Electron IPC, the loopback bridge) needs from the vault side. The
 * DossierService implements it in-process; ServiceWorkerHost implements it by running the
 * service on a worker thread, so a slow query or an import never blocks Electron's main loop.
 */
export interface ApiHost {
  /** Validates, runs and wraps one contract call; never throws. */
  call(
    name: string,
    args: unknown,
    jobId: string | null,
    onProgress: (p: Progress) => void,
  ): Promise<Envelope<unknown>>;
  cancel(jobId: string): void;
  /** Drops the keys and closes the database; safe to call when already locked. */
  lock(): Promise<void>;
  /** Item X's original or preview, maybe a byte range of it (see main/core/serve). */
  evidence(id: string, kind: EvidenceKind, range: string | null): Promise<EvidenceResponse>;
  /** True while a vault is unlocked. */
  readonly isUnlocked: boolean;
  /** Events for the renderer: vaultChanged, locked. Returns the unsubscribe. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
}
