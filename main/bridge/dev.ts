/**
 * `npm run web`: the bridge on one vault folder, for the renderer in a plain browser (dev and
 * end-to-end tests). The vault is DOSSIER_VAULT, or a fresh temporary folder removed on exit.
 * DOSSIER_BRIDGE_PORT picks the port (default: any free one) and DOSSIER_RENDERER_ORIGIN the
 * dev server's origin allowed to call it. Prints the URL (with the token) on one line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DossierService } from '../core/api/service';
import { startBridge } from './server';

async function main(): Promise<void> {
  const given = process.env.DOSSIER_VAULT;
  const scratch = given ? null : await mkdtemp(join(tmpdir(), 'dossier-web-'));
  const vaultDir = given ? resolve(given) : join(scratch!, 'vault');
  const service = new DossierService(vaultDir, { actor: 'app' });
  const port = Number(process.env.DOSSIER_BRIDGE_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('DOSSIER_BRIDGE_PORT must be a port number.');
  }
  const bridge = await startBridge({
    service,
    port,
    allowedOrigin: process.env.DOSSIER_RENDERER_ORIGIN || undefined,
  });
  process.stdout.write(`Dossier bridge: ${bridge.url}\nVault: ${vaultDir}\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await service.lock();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
