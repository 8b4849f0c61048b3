import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CSP } from './security';

/**
 * Serves the built renderer under app://dossier/ (file: is blocked for the renderer).
 * Only files inside the renderer folder, only known types; everything else is a 404.
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

export async function appFileResponse(rendererDir: string, url: string): Promise<Response> {
  let path: string;
  try {
    const u = new URL(url);
    if (u.host !== 'dossier') return notFound();
    path = decodeURIComponent(u.pathname);
  } catch {
    return notFound();
  }
  if (path === '/' || path === '') path = '/index.html';
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
