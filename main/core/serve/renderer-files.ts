import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The built renderer's files, served to the window (app://dossier/) and to a plain browser
 * (the loopback bridge) the same way: only files of a known type inside the renderer folder,
 * each with the page's CSP, never cached.
 */

/** No remote origin anywhere: the page, its evidence and its API are all its own origin. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export async function rendererFileResponse(
  rendererDir: string,
  pathname: string,
): Promise<Response> {
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
