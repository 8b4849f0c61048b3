/**
 * `npm run web` (built to out/main/web.js): the vault service on a worker thread, the bridge
 * and the built renderer, for a plain browser (development and end-to-end tests). The vault
 * is DOSSIER_VAULT, or a fresh temporary folder removed on exit.
 * DOSSIER_BRIDGE_PORT picks the port (default: any free one) and DOSSIER_RENDERER_ORIGIN the
 * dev server's origin allowed to call it. Prints the URL (with the token) on one line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServiceWorkerHost } from '../core/api/worker-host';
import { startBridge } from './server';

async function main(): Promise<void> {
  const given = process.env.DOSSIER_VAULT;
  const scratch = given ? null : await mkdtemp(join(tmpdir(), 'dossier-web-'));
  const vaultDir = given ? resolve(given) : join(scratch!, 'vault');
  // Like the app: the vault on a worker thread, from the same build.
  const vault = new ServiceWorkerHost({
    workerFile: join(import.meta.dirname, 'service-worker.js'),
    vaultDir,
    actor: 'app',
  });
  const port = Number(process.env.DOSSIER_BRIDGE_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('DOSSIER_BRIDGE_PORT must be a port number.');
  }
  const bridge = await startBridge({
    vault,
    rendererDir: join(import.meta.dirname, '../renderer'),
    port,
    allowedOrigin: process.env.DOSSIER_RENDERER_ORIGIN || undefined,
  });
  process.stdout.write(
    `Dossier bridge: ${bridge.url}\nVault: ${vaultDir}\nOpen the address above in Chromium or Firefox; stop with Ctrl+C.\n`,
  );

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await vault.close();
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
