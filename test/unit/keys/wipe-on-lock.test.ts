// Issue 10, point 4: on lock, every copy of a secret is overwritten. Every Buffer that
// Buffer.from/concat/alloc* makes during a session is recorded; after lock none of them may
// still hold a key. A new copy that is not wiped (as X25519Identity's copy of the age secret
// was) fails this test without anyone having to remember to list it.
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { unlockHeader } from '../../../main/core/age/age';
import { parseHeader } from '../../../main/core/age/format';
import { NONCE_SIZE, payloadKey } from '../../../main/core/age/stream';
import { X25519Identity } from '../../../main/core/age/x25519';
import { deriveVaultKeys, INFO } from '../../../main/core/keys/derive';
import { parseRecoveryCode } from '../../../main/core/keys/recovery-code';
import {
  openPassphraseSlot,
  type PassphraseSlot,
  type RecoverySlot,
} from '../../../main/core/keys/slots';
import { readHeader } from '../../../main/core/vault/header';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, TEST_KDF } from '../../support/vault';

type Factory = 'from' | 'concat' | 'alloc' | 'allocUnsafe' | 'allocUnsafeSlow';
const FACTORIES: Factory[] = ['from', 'concat', 'alloc', 'allocUnsafe', 'allocUnsafeSlow'];

/** Records every Buffer the Buffer factories return until stop(). */
function recordBuffers(): { made: Uint8Array[]; stop: () => void } {
  const made: Uint8Array[] = [];
  const saved = new Map(FACTORIES.map((f) => [f, Buffer[f]] as const));
  for (const [name, original] of saved) {
    const wrapped = (...args: unknown[]): Buffer => {
      const b = (original as (...a: unknown[]) => Buffer).apply(Buffer, args);
      made.push(b);
      return b;
    };
    Object.defineProperty(Buffer, name, { value: wrapped, configurable: true, writable: true });
  }
  return {
    made,
    stop: () => {
      for (const [name, original] of saved)
        Object.defineProperty(Buffer, name, {
          value: original,
          configurable: true,
          writable: true,
        });
    },
  };
}

const sub = (mk: Buffer, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', mk, Buffer.alloc(0), info, 32));

/** The file key and STREAM key of an age file, worked out independently of the vault. */
async function blobKeys(path: string, ageSecret: Buffer): Promise<Buffer[]> {
  const file = await readFile(path);
  const header = parseHeader(file)!;
  const identity = X25519Identity.fromSecret(ageSecret);
  const fileKey = unlockHeader(header, [identity]);
  const nonce = file.subarray(header.length, header.length + NONCE_SIZE);
  return [Buffer.from(fileKey), payloadKey(fileKey, nonce)];
}

/** Which of `secrets` some recorded buffer still holds, by name. */
function survivors(made: readonly Uint8Array[], secrets: Record<string, Buffer>): string[] {
  const found = new Set<string>();
  for (const b of made) {
    const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    for (const [name, secret] of Object.entries(secrets)) {
      if (view.includes(secret)) found.add(name);
    }
  }
  return [...found];
}

describe('lock wipes every copy of a key', () => {
  it('VaultKeys.wipe zeroes each key buffer and lets go of the signing key', () => {
    const keys = deriveVaultKeys(randomBytes(32));
    const buffers = [keys.sqlcipherKey, keys.ageSecret, keys.anchorKey];
    keys.wipe();
    for (const b of buffers) expect(b.every((x) => x === 0)).toBe(true);
    expect(() => keys.signingKey).toThrow(/locked/);
  });

  it('X25519Identity.wipe zeroes its own copy of the secret and refuses to be used after', () => {
    const rec = recordBuffers();
    let identity: X25519Identity;
    const secret = randomBytes(32);
    try {
      identity = X25519Identity.fromSecret(secret);
    } finally {
      rec.stop();
    }
    expect(survivors(rec.made, { secret })).toEqual(['secret']); // the copy it owns
    identity.wipe();
    expect(survivors(rec.made, { secret })).toEqual([]);
    expect(() => identity.toString()).toThrow(/wiped/);
    expect(() =>
      identity.unwrap([{ type: 'X25519', args: ['A'.repeat(43)], body: Buffer.alloc(32) }]),
    ).toThrow(/wiped/);
  });

  it('after lock, no buffer made during the session still holds a key', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault: created, recoveryCode } = await newVault(dir);
    await writeFile(join(root, 'before.txt'), 'evidence from before');
    const [before] = (await created.add([join(root, 'before.txt')])).results;
    if (before?.status !== 'added') throw new Error('the first file was not added');
    const beforeBlob = created.items.get(before.id).blobId;
    await created.lock();

    // Every key of this vault, worked out from the passphrase and the header alone.
    const header = await readHeader(join(dir, 'dossier.json'));
    const slot = header.slots.find((s): s is PassphraseSlot => s.type === 'passphrase')!;
    const recoverySlot = header.slots.find((s): s is RecoverySlot => s.type === 'recovery')!;
    const mk = (await openPassphraseSlot(header.vaultId, slot, PASSPHRASE))!;
    const recoverySecret = parseRecoveryCode(recoveryCode);
    const ageSecret = sub(mk, INFO.ageIdentity);
    const blobPath = (id: string): string => join(dir, 'blobs', id.slice(0, 2), `${id}.age`);
    const items = (v: Vault): { id: string; name: string; blobId: string }[] =>
      v.items.list().map((i) => ({ ...i, blobId: v.items.get(i.id).blobId }));
    const [oldFileKey, oldPayloadKey] = await blobKeys(blobPath(beforeBlob), ageSecret);
    const secrets: Record<string, Buffer> = {
      'master key': mk,
      'database key': sub(mk, INFO.sqlcipher),
      'age secret': ageSecret,
      'signing seed': sub(mk, INFO.signing),
      'anchor key': sub(mk, INFO.custodyAnchor),
      'recovery secret': recoverySecret,
      'recovery KEK': Buffer.from(
        hkdfSync(
          'sha256',
          recoverySecret,
          Buffer.from(recoverySlot.kdf.salt, 'base64'),
          'dossier/v1/recovery-kek',
          32,
        ),
      ),
      'file key of a blob read': oldFileKey!,
      'STREAM key of a blob read': oldPayloadKey!,
    };
    // Big enough for the hash and seal workers (4 MiB or more), and a small one.
    await writeFile(join(root, 'big.bin'), randomBytes(4 * 1024 * 1024 + 100));
    await writeFile(join(root, 'small.txt'), 'evidence added in the session');

    const rec = recordBuffers();
    let ids: { id: string; name: string; blobId: string }[];
    try {
      const vault = await Vault.unlock(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
      for await (const chunk of vault.verifiedContent(before.id)) expect(chunk.length).toBe(20);
      await vault.add([join(root, 'big.bin'), join(root, 'small.txt')]);
      vault.revealKeys();
      ids = items(vault);
      await vault.lock();
      const again = await Vault.unlockWithRecoveryCode(dir, recoveryCode, { actor: 'test' });
      await again.lock();
    } finally {
      rec.stop();
    }
    // The blobs written in the session: their keys, worked out the same way.
    for (const { name, blobId } of ids.filter((i) => i.name !== 'before.txt')) {
      const [fileKey, stream] = await blobKeys(blobPath(blobId), ageSecret);
      secrets[`file key of ${name}`] = fileKey!;
      secrets[`STREAM key of ${name}`] = stream!;
    }
    expect(Object.keys(secrets)).toHaveLength(13);
    expect(rec.made.length).toBeGreaterThan(100);
    expect(survivors(rec.made, secrets)).toEqual([]);
  });
});
