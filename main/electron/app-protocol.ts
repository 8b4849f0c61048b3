import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Vault } from '../core/vault/vault';
import { evidenceResponse } from '../core/serve/evidence-response';
import { CSP } from './security';

/**
 * Everything the window loads comes through app://dossier/ (file: is blocked):
 * - /evidence/<id>/original|thumbnail: decrypted on the fly from the vault, with Range
 *   support (main/core/serve); same origin as the page, so the evidence headers'
 *   Cross-Origin-Resource-Policy: same-origin holds and the CSP needs no extra source;
 * - anything else: a file of the built renderer, of a known type, inside its folder.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const EVIDENCE_PATH = /^\/evidence\/([^/]+)\/(original|thumbnail)$/;

export async function appResponse(
  rendererDir: string,
  vault: () => Vault | null,
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
    const r = await evidenceResponse(
      vault(),
      evidence[1]!,
      evidence[2] as 'original' | 'thumbnail',
      request.headers.get('range'),
    );
    const body = r.body ? ReadableStream.from(r.body) : null;
    return new Response(body, { status: r.status, headers: r.headers });
  }
  return appFileResponse(rendererDir, path);
}

export async function appFileResponse(rendererDir: string, pathname: string): Promise<Response> {
  const path = pathname === '/' || pathname === '' ? '/index.html' : pathname;
  const full = normalize(join(rendererDir, path));
  const type = TYPES[extname(full).toLowerCase()];
  if (!full.startsWith(normalize(rendererDir) + sep) || !type) return notFound();
  try {
    const body = await readFile(full);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    });
  } catch {
    return notFound();
  }
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
