import type { Envelope, EventName, Progress } from '../../../shared/contract';
import type { EvidenceKind, EvidenceResponse } from '../serve/evidence-response';
import type { Argon2Params } from '../keys/slots';

/**
 * Messages between ServiceWorkerHost (the Electron main thread) and the service worker.
 * Calls and evidence requests carry a sequence number answered once; an evidence body is
 * pulled one chunk at a time, so a slow reader never makes the worker decrypt ahead.
 */
export type ToWorker =
  | { type: 'call'; seq: number; name: string; args: unknown; jobId: string | null }
  | { type: 'cancel'; jobId: string }
  | { type: 'lock'; seq: number }
  | { type: 'evidence'; seq: number; id: string; kind: EvidenceKind; range: string | null }
  | { type: 'pull'; stream: number }
  | { type: 'abandon'; stream: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'reply'; seq: number; envelope: Envelope<unknown>; unlocked: boolean }
  | { type: 'locked'; seq: number }
  | {
      type: 'evidence';
      seq: number;
      status: EvidenceResponse['status'];
      headers: Record<string, string>;
      message?: string;
      /** Set when there is a body to pull. */
      stream: number | null;
    }
  | { type: 'chunk'; stream: number; data: Uint8Array }
  | { type: 'end'; stream: number }
  | { type: 'fail'; stream: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'event'; event: EventName; payload: unknown; unlocked: boolean };

export interface WorkerData {
  vaultDir: string;
  actor: string;
  /** Test-only: Argon2id parameters for fast vaults. */
  kdf?: Argon2Params;
}
