import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DossierError } from '../errors';
import { asIoError, writeFileAtomic } from '../fs-safety';
import type { KeySlot } from '../keys/slots';

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
      memoryKiB: z
        .number()
        .int()
        .min(8)
        .max(4 * 1024 * 1024),
      iterations: z.number().int().min(1).max(64),
      parallelism: z.number().int().min(1).max(64),
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
    throw new DossierError(
      'CORRUPT',
      `The vault's header file (${path}) is damaged: it is not valid JSON. Restore it from a backup; without it the vault cannot be opened.`,
    );
  }
  const result = headerSchema.safeParse(parsed);
  if (!result.success) {
    throw new DossierError(
      'CORRUPT',
      `The vault's header file (${path}) is damaged or not a Dossier vault header (${result.error.issues[0]?.path.join('.') ?? 'format'}). Restore it from a backup.`,
    );
  }
  if (result.data.version > VAULT_VERSION) {
    throw new DossierError(
      'USAGE',
      `This vault was made by a newer Dossier (format ${result.data.version}). Update Dossier to open it.`,
    );
  }
  return result.data as VaultHeader;
}

export async function writeHeader(path: string, header: VaultHeader): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(header, null, 2)}\n`);
}
