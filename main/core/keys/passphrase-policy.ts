import {
  WEAK_PASSPHRASE_OVERRIDE,
  weakPassphraseMessage,
} from '../../../shared/passphrase-strength';
import { DossierError } from '../errors';
import { assertPassphraseAcceptable } from './slots';

/**
 * The rule at the boundaries a person uses (API session.create and changePassphrase, CLI
 * init and passwd): a passphrase below MIN_BITS is refused with the reason and an example.
 * Only the typed-out words "I understand" accept one, for test fixtures; never a default.
 * Vault.create itself stays permissive (8 characters), as the library that fixtures use.
 */
export function assertPassphraseStrong(passphrase: string, acceptWeak?: string): void {
  assertPassphraseAcceptable(passphrase);
  if (acceptWeak === WEAK_PASSPHRASE_OVERRIDE) return;
  const problem = weakPassphraseMessage(passphrase);
  if (problem) throw new DossierError('USAGE', `${problem} Nothing was changed.`);
}
