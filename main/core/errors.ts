/**
 * Every failure the vault reports to a person carries a stable code (for the CLI's
 * exit status and the UI) and a message in plain words that says what to do next.
 */
export type DossierErrorCode =
  | 'USAGE'
  | 'WRONG_PASSPHRASE'
  | 'LOCKED'
  | 'NOT_A_VAULT'
  | 'VAULT_EXISTS'
  | 'NOT_FOUND'
  | 'INTEGRITY'
  | 'CORRUPT'
  | 'IO'
  | 'NO_SPACE'
  /** The vault's new recovery code is not confirmed as written down yet (the app). */
  | 'RECOVERY_CODE_PENDING'
  /**
   * An import needs a choice only the person can make (a chat export's day/month order):
   * nothing was stored; the message says which option to give.
   */
  | 'NEEDS_CHOICE';

export class DossierError extends Error {
  override readonly name = 'DossierError';
  constructor(
    readonly code: DossierErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDossierError(e: unknown, code?: DossierErrorCode): e is DossierError {
  return e instanceof DossierError && (code === undefined || e.code === code);
}
