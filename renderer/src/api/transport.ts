import { bridgeTransport } from '../../../shared/bridge-transport';
import { createClient, type DossierClient, type Transport } from '../../../shared/client';
import type { Envelope, EventName, MethodName } from '../../../shared/contract';

/**
 * The one way the renderer reaches the vault: the typed client over the preload
 * (window.dossier, in the desktop app) or over the loopback bridge (a plain browser, for
 * development and end-to-end tests). Stores call it; components never do.
 */
interface PreloadApi {
  call(name: MethodName, args: unknown, jobId: string | null): Promise<Envelope<unknown>>;
  cancel(jobId: string): void;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    dossier?: PreloadApi;
  }
}

export type Surface = 'desktop' | 'browser';

interface Connection {
  client: DossierClient;
  surface: Surface;
  /** Where the window loads an item's original or preview (same origin as the page). */
  evidenceUrl(id: string, kind: 'original' | 'thumbnail'): string;
  /** A dropped file's path on disk, in the desktop app; null in a browser or for pasted data. */
  pathForFile(file: File): string | null;
}

const TOKEN_KEY = 'dossier.bridge-token';

function connect(): Connection {
  const preload = window.dossier;
  if (preload) {
    const transport: Transport = {
      call: (m, args, jobId) => preload.call(m, args, jobId),
      cancel: async (jobId) => preload.cancel(jobId),
      on: (event, listener) => preload.on(event, listener),
    };
    return {
      client: createClient(transport),
      surface: 'desktop',
      evidenceUrl: (id, kind) => `/evidence/${encodeURIComponent(id)}/${kind}`,
      pathForFile: (file) => preload.pathForFile(file) || null,
    };
  }
  // The bridge prints ?token=…; keep it for reloads of this tab only, and out of the address bar.
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  return {
    client: createClient(bridgeTransport(window.location.origin, token)),
    surface: 'browser',
    evidenceUrl: (id, kind) =>
      `/evidence/${encodeURIComponent(id)}/${kind}?token=${encodeURIComponent(token)}`,
    pathForFile: () => null,
  };
}

export const connection = connect();
export const api = connection.client;
