import type { DossierErrorCode } from '../core';

/** Exit statuses, documented in the README; scripts depend on them, so never renumber. */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  WRONG_PASSPHRASE: 3,
  INTEGRITY: 4,
  IO: 5,
  VAULT_BUSY: 6,
} as const;

export function exitCodeFor(code: DossierErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'NOT_FOUND':
    case 'NOT_A_VAULT':
    case 'VAULT_EXISTS':
    case 'RECOVERY_CODE_PENDING':
    case 'NEEDS_CHOICE':
      return EXIT.USAGE;
    case 'WRONG_PASSPHRASE':
      return EXIT.WRONG_PASSPHRASE;
    case 'INTEGRITY':
    case 'CORRUPT':
      return EXIT.INTEGRITY;
    case 'IO':
    case 'NO_SPACE':
      return EXIT.IO;
    case 'LOCKED':
      return EXIT.VAULT_BUSY;
  }
}
