import { ApiCallError } from '../../../shared/client';

/** What to show a person for a failed call: the API's plain message, never a stack. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiCallError) return e.message;
  return 'Something went wrong that Dossier did not expect. Nothing was changed; please try again.';
}

export function codeOf(e: unknown): string | null {
  return e instanceof ApiCallError ? e.code : null;
}

/** What a store shows while a call runs and when it fails. */
export interface CallState {
  busy: boolean;
  error: string | null;
  errorCode: string | null;
}

/**
 * Runs calls for a store: `busy` while one runs, and its failure in words in `error` (with the
 * API's code), null returned instead of a throw.
 */
export function callRunner(
  set: (state: Partial<CallState>) => void,
): <T>(work: () => Promise<T>) => Promise<T | null> {
  return async <T>(work: () => Promise<T>): Promise<T | null> => {
    set({ busy: true, error: null, errorCode: null });
    try {
      return await work();
    } catch (e) {
      set({ error: messageOf(e), errorCode: codeOf(e) });
      return null;
    } finally {
      set({ busy: false });
    }
  };
}
