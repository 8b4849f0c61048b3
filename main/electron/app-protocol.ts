import type { ApiHost } from '../core/api/host';
import { rendererFileResponse } from '../core/serve/renderer-files';

/**
 * Everything the window loads comes through app://dossier/ (file: is blocked):
 * - /evidence/<id>/original|thumbnail: decrypted on the fly from the vault, with Range
 *   support (main/core/serve); same origin as the page, so the evidence headers'
 *   Cross-Origin-Resource-Policy: same-origin holds and the CSP needs no extra source;
 * - anything else: a file of the built renderer, of a known type, inside its folder.
 */

const EVIDENCE_PATH = /^\/evidence\/([^/]+)\/(original|thumbnail)$/;

export async function appResponse(
  rendererDir: string,
  host: Pick<ApiHost, 'evidence'>,
  request: { url: string; headers: { get(name: string): string | null } },
): Promise<Response> {
  let path: string;
  try {
    const u = new URL(request.url);
    if (u.host !== 'dossier') return notFound();
    path = decodeURIComponent(u.pathname);
  } catch {
    return notFound();
  }
  const evidence = EVIDENCE_PATH.exec(path);
  if (evidence) {
    const r = await host.evidence(
      evidence[1]!,
      evidence[2] as 'original' | 'thumbnail',
      request.headers.get('range'),
    );
    const body = r.body ? ReadableStream.from(r.body) : null;
    return new Response(body, { status: r.status, headers: r.headers });
  }
  return rendererFileResponse(rendererDir, path);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
