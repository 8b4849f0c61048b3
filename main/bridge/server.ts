/**
 * The loopback HTTP bridge: the same API as the Electron IPC, for the renderer in a plain
 * browser (dev and end-to-end tests). Routes come from looping over the contract.
 *
 * What it promises:
 * - It binds a loopback address only (127.0.0.0/8 or ::1), never 0.0.0.0 or a LAN address.
 * - Every request carries the token (`Authorization: Bearer`, or `?token=` on GET for
 *   `<img>`, `<video>` and EventSource, which cannot send headers), compared in constant time.
 * - A Host header other than this address (DNS rebinding) and an Origin other than the
 *   allowed one are refused with 403 before the token is looked at.
 * - Answers never carry stack traces; API answers are never cached or sniffed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import {
  api,
  methodNames,
  type EventName,
  type MethodName,
  type Progress,
} from '../../shared/contract';
import type { ApiHost } from '../core/api/host';
import { rendererFileResponse } from '../core/serve/renderer-files';

export interface BridgeOptions {
  /** The vault side: a ServiceWorkerHost (npm run web) or an in-process DossierService. */
  vault: ApiHost;
  /** The built renderer, served at / without the token (it holds no secret); none if unset. */
  rendererDir?: string;
  /** A loopback address: 127.0.0.0/8 or ::1. Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** The renderer dev server's origin, e.g. http://127.0.0.1:5173; other Origins get 403. */
  allowedOrigin?: string;
  /** Largest JSON body accepted on /api (default 1 MiB; larger gets 413). */
  maxBodyBytes?: number;
}

export interface Bridge {
  /** http://127.0.0.1:PORT/?token=... */
  url: string;
  token: string;
  port: number;
  /** Sends a contract event to every /events listener. */
  emit(event: EventName, payload: unknown): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
/** Methods that carry file bytes (`upload` in the contract): 64 MiB as base64, plus room. */
const UPLOAD_MAX_BODY = 96 * 1024 * 1024;

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  // The token can be in the URL: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
};

/** True for an IP literal in 127.0.0.0/8 or ::1 (names such as "localhost" are refused). */
export function isLoopbackAddress(host: string): boolean {
  const kind = isIP(host);
  if (kind === 4) return host.split('.')[0] === '127';
  if (kind === 6) return isIpv6One(host);
  return false;
}

function isIpv6One(host: string): boolean {
  // Expand "::" and check every group is 0 except a final 1.
  const [head = '', tail] = host.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.length === 8 && groups.every((g, i) => parseInt(g, 16) === (i === 7 ? 1 : 0));
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) {
    throw new Error(
      `The bridge only listens on this computer (a loopback address such as 127.0.0.1 or ::1), not on "${host}".`,
    );
  }
  const token = opts.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The bridge token must be at least 16 characters long.');
  const tokenDigest = digest(token);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const vault = opts.vault;
  const routes = new Map<string, MethodName>(methodNames.map((m) => [`/api/${m}`, m]));
  const listeners = new Set<ServerResponse>();
  let port = 0;
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;

  const emit = (event: EventName, payload: unknown): void => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of listeners) if (!res.destroyed) res.write(frame);
  };
  const onProgress = (p: Progress): void => emit('progress', p);

  const allowedHosts = (): Set<string> =>
    new Set([`${hostPart}:${port}`, `localhost:${port}`].map((h) => h.toLowerCase()));
  const ownOrigin = (): string => `http://${hostPart}:${port}`;

  const tokenOk = (req: IncomingMessage, url: URL): boolean => {
    const auth = req.headers.authorization;
    let given: string | null = null;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) given = auth.slice(7);
    else if (req.method === 'GET') given = url.searchParams.get('token');
    if (given === null) return false;
    return timingSafeEqual(digest(given), tokenDigest);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still says Host: evil.example.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().has(hostHeader)) {
      return sendJson(res, 403, fail('FORBIDDEN', 'Refused: this address is not the bridge.'));
    }
    const origin = req.headers.origin;
    const allowed = opts.allowedOrigin ?? ownOrigin();
    if (origin !== undefined && origin !== allowed && origin !== ownOrigin()) {
      return sendJson(res, 403, fail('FORBIDDEN', 'Refused: this page may not use the bridge.'));
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      // CORS preflight (it never carries the token): allow only what the renderer needs.
      res.writeHead(204, {
        ...COMMON_HEADERS,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Range',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }

    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const isApi =
      url.pathname.startsWith('/api/') ||
      url.pathname === '/events' ||
      url.pathname.startsWith('/evidence/');
    if (!isApi && opts.rendererDir && (req.method === 'GET' || req.method === 'HEAD')) {
      // The page and its scripts: public build output. The token guards what they call.
      const file = await rendererFileResponse(opts.rendererDir, url.pathname);
      res.writeHead(file.status, {
        ...COMMON_HEADERS,
        ...Object.fromEntries(file.headers),
      });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await file.arrayBuffer()));
      return;
    }
    if (!tokenOk(req, url)) {
      return sendJson(
        res,
        401,
        fail('UNAUTHORIZED', 'Refused: the bridge token is missing or wrong.'),
      );
    }

    const path = url.pathname;
    if (path === '/api/jobs.cancel' || routes.has(path)) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      const method = routes.get(path);
      const limit = method && api[method].upload ? Math.max(maxBody, UPLOAD_MAX_BODY) : maxBody;
      const body = await readJson(req, limit);
      if (body.kind === 'too-large') {
        res.setHeader('Connection', 'close');
        return sendJson(res, 413, fail('TOO_LARGE', `The request is larger than ${limit} bytes.`));
      }
      if (body.kind === 'invalid') {
        return sendJson(res, 400, fail('USAGE', 'The request body is not valid JSON.'));
      }
      const { args, jobId } = (isRecord(body.value) ? body.value : {}) as {
        args?: unknown;
        jobId?: unknown;
      };
      const job = typeof jobId === 'string' ? jobId.slice(0, 100) : null;
      if (path === '/api/jobs.cancel') {
        if (job) vault.cancel(job);
        return sendJson(res, 200, { ok: true, value: {} });
      }
      const reply = await vault.call(method!, args, job, onProgress);
      return sendJson(res, 200, reply);
    }

    if (path === '/events') {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      listeners.add(res);
      res.on('close', () => listeners.delete(res));
      return;
    }

    const evidence = /^\/evidence\/([^/]{1,64})\/(original|thumbnail)$/.exec(path);
    if (evidence) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      const range = req.headers.range ?? null;
      const answer = await vault.evidence(
        evidence[1]!,
        evidence[2] as 'original' | 'thumbnail',
        range,
      );
      res.writeHead(answer.status, { ...COMMON_HEADERS, ...answer.headers });
      if (answer.body === null) {
        res.end();
        return;
      }
      await streamBody(req, res, answer.body);
      return;
    }

    if (path.startsWith('/api/')) {
      return sendJson(res, 404, fail('NOT_FOUND', 'There is no such method.'));
    }
    return sendJson(res, 404, fail('NOT_FOUND', 'Nothing is here.'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          fail('INTERNAL', 'Something went wrong that Dossier did not expect. Please try again.'),
        );
      } else {
        // The status line already went out: a cut connection is the only honest answer.
        res.destroy();
      }
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const stopEvents = vault.onEvent(emit);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${hostPart}:${port}/?token=${encodeURIComponent(token)}`,
    token,
    port,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        stopEvents();
        for (const res of listeners) res.end();
        listeners.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes the body, waiting for the socket to drain; stops (closing the blob) if the client goes away. */
async function streamBody(
  req: IncomingMessage,
  res: ServerResponse,
  body: AsyncIterable<Buffer>,
): Promise<void> {
  let gone = false;
  const onClose = (): void => {
    gone = true;
  };
  res.on('close', onClose);
  try {
    for await (const chunk of body) {
      if (gone || res.destroyed) break; // `break` runs the generator's finally: the reader closes
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    if (!gone && !res.destroyed) res.end();
  } catch {
    // A damaged chunk or a lock mid-stream, after the headers: never a short "complete" body.
    res.destroy();
    req.socket.destroy();
  } finally {
    res.off('close', onClose);
  }
}

type BodyResult = { kind: 'ok'; value: unknown } | { kind: 'too-large' } | { kind: 'invalid' };

async function readJson(req: IncomingMessage, max: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    req.resume(); // discard, so the client can read the answer
    return { kind: 'too-large' };
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume();
      return { kind: 'too-large' };
    }
    parts.push(chunk);
  }
  if (size === 0) return { kind: 'ok', value: {} };
  try {
    const text = Buffer.concat(parts).toString('utf8');
    return { kind: 'ok', value: JSON.parse(text, decodeBytes) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

/** The other half of shared/bridge-transport.ts encodeBytes: {"$bytes": base64} is bytes. */
function decodeBytes(_key: string, value: unknown): unknown {
  if (!isRecord(value) || typeof value.$bytes !== 'string' || Object.keys(value).length !== 1) {
    return value;
  }
  return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, fail('USAGE', `Use ${allow} here.`));
}

function fail(
  code: string,
  message: string,
): { ok: false; error: { code: string; message: string } } {
  return { ok: false, error: { code, message } };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
