import { join } from 'node:path';
import { DossierService } from '../../main/core/api/service';
import type { Vault } from '../../main/core';
import { tempDir } from './tmp';
import { PASSPHRASE, TEST_KDF } from './vault';

export type Reply =
  { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** A service on a new vault, and a `call` that returns its envelope. */
/** `readPictures`: run text recognition in the background, as the app does (off by default). */
export async function newService(opts: { readPictures?: boolean } = {}): Promise<{
  service: DossierService;
  vault: Vault;
  call: (method: string, args?: unknown) => Promise<Reply>;
}> {
  const service = new DossierService(join(await tempDir(), 'v'), {
    kdf: TEST_KDF,
    readPicturesInBackground: opts.readPictures === true,
  });
  const call = (method: string, args: unknown = {}) =>
    service.call(method, args, null, () => undefined) as Promise<Reply>;
  const created = await call('session.create', { passphrase: PASSPHRASE });
  if (!created.ok) throw new Error(created.error.message);
  // The vault is usable once its recovery code is confirmed (type back its last group).
  const { recoveryCode } = created.value as { recoveryCode: string };
  await ok(call('session.confirmRecoveryCode', { group: 8, typed: recoveryCode.slice(-4) }));
  return { service, vault: service.unlocked!, call };
}

/** The value of a call that must succeed. */
export async function ok<T = unknown>(reply: Promise<Reply>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** The error of a call that must fail. */
export async function failure(reply: Promise<Reply>): Promise<{ code: string; message: string }> {
  const r = await reply;
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}
