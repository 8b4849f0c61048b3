import { ApiCallError } from '../../../shared/client';

/** What to show a person for a failed call: the API's plain message, never a stack. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiCallError) return e.message;
  return 'Something went wrong that Dossier did not expect. Nothing was changed; please try again.';
}

export function codeOf(e: unknown): string | null {
  return e instanceof ApiCallError ? e.code : null;
}
