import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DossierError } from '../errors';
import { asIoError, writeFileAtomic } from '../fs-safety';
import type { PendingRecoveryCode } from '../keys/pending-recovery';
import { ARGON2_LIMITS, slotDamage, type KeySlot } from '../keys/slots';

/**
 * dossier.json: the only plaintext file. Format, version, vault id, key slots and the
 * authenticated seq and hash of the last signed custody checkpoint; nothing about the
 * evidence (no names, no counts).
 */
export const VAULT_FORMAT = 'dossier-vault';
export const VAULT_VERSION = 1;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const slotSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('passphrase'),
    kdf: z.object({
      name: z.literal('argon2id'),
      version: z.literal(19),
      salt: b64,
      memoryKiB: z.number().int().min(ARGON2_LIMITS.memoryKiB.min).max(ARGON2_LIMITS.memoryKiB.max),
      iterations: z
        .number()
        .int()
        .min(ARGON2_LIMITS.iterations.min)
        .max(ARGON2_LIMITS.iterations.max),
      parallelism: z
        .number()
        .int()
        .min(ARGON2_LIMITS.parallelism.min)
        .max(ARGON2_LIMITS.parallelism.max),
    }),
    nonce: b64,
    wrappedKey: b64,
  }),
  z.object({
    type: z.literal('recovery'),
    kdf: z.object({ name: z.literal('hkdf-sha256'), salt: b64 }),
    nonce: b64,
    wrappedKey: b64,
  }),
]);

const headerSchema = z.object({
  format: z.literal(VAULT_FORMAT),
  version: z.number().int(),
  vaultId: z.string().min(1),
  slots: z.array(slotSchema).min(1),
  // Checked by custody/anchor.ts, not here: a damaged anchor must not keep the vault shut.
  custodyAnchor: z.unknown().optional(),
  // Opened (and its tag checked) only when the code is shown: see keys/pending-recovery.ts.
  pendingRecoveryCode: z.object({ nonce: b64, sealed: b64 }).strict().optional(),
});

export interface VaultHeader {
  format: typeof VAULT_FORMAT;
  version: number;
  vaultId: string;
  slots: KeySlot[];
  /**
   * The last signed custody checkpoint, authenticated (custody/anchor.ts). Absent in vaults
   * written before it existed; `unknown` because it is only trusted once its MAC verifies.
   */
  custodyAnchor?: unknown;
  /** A recovery code not yet confirmed as written down, sealed under the master key. */
  pendingRecoveryCode?: PendingRecoveryCode;
}

export async function readHeader(path: string): Promise<VaultHeader> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DossierError(
        'NOT_A_VAULT',
        `There is no Dossier vault at ${path.replace(/\/dossier\.json$/, '')}. Check the folder, or create one with \`dossier init\`.`,
      );
    }
    throw asIoError(e, path);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw damaged(path, 'it is not valid JSON');
  }
  const result = headerSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw damaged(
      path,
      `${issue?.path.join('.') || 'format'}: ${issue?.message ?? 'not a Dossier vault header'}`,
    );
  }
  for (const slot of result.data.slots as KeySlot[]) {
    const problem = slotDamage(slot);
    if (problem) throw damaged(path, problem);
  }
  if (result.data.version > VAULT_VERSION) {
    throw new DossierError(
      'USAGE',
      `This vault was made by a newer Dossier (format ${result.data.version}). Update Dossier to open it.`,
    );
  }
  return result.data as VaultHeader;
}

function damaged(path: string, detail: string): DossierError {
  return new DossierError(
    'CORRUPT',
    `The vault header (dossier.json) is damaged: ${detail}. Restore ${path} from a backup; without a sound header the vault cannot be opened. Nothing was changed.`,
  );
}

export async function writeHeader(path: string, header: VaultHeader): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(header, null, 2)}\n`);
}
