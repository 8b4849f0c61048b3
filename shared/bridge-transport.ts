import type { Envelope, EventName, MethodName } from './contract';
import type { Transport } from './client';

/**
 * The client side of the loopback bridge (development and browser tests): each call is a
 * POST to /api/<method> with the token as a bearer header; events arrive as Server-Sent
 * Events on /events, read with fetch so it works the same in a browser and in Node.
 */
export function bridgeTransport(baseUrl: string, token: string): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | null = null;

  const post = async (path: string, body: unknown): Promise<Envelope<unknown>> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body, encodeBytes),
      });
    } catch {
      return {
        ok: false,
        error: { code: 'IO', message: 'Dossier is not reachable: is `npm run web` still running?' },
      };
    }
    try {
      return (await res.json()) as Envelope<unknown>;
    } catch {
      return {
        ok: false,
        error: { code: 'IO', message: `The bridge answered ${res.status} without a result.` },
      };
    }
  };

  const listen = (): void => {
    if (stream) return;
    const controller = new AbortController();
    stream = controller;
    void (async () => {
      try {
        const res = await fetch(`${base}/events?token=${encodeURIComponent(token)}`, {
          signal: controller.signal,
        });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.+)$/m.exec(block)?.[1] as EventName | undefined;
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!name || data === undefined) continue;
            const payload = JSON.parse(data) as unknown;
            for (const l of listeners.get(name) ?? []) l(payload);
          }
        }
      } catch {
        // Closed by the last unsubscribe, or the bridge went away.
      } finally {
        if (stream === controller) stream = null;
      }
    })();
  };

  return {
    call: (method: MethodName, args: unknown, jobId: string | null) =>
      post(`/api/${method}`, { args, jobId }),
    cancel: async (jobId: string) => {
      await post('/api/jobs.cancel', { jobId });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      listen();
      return () => {
        set!.delete(listener);
        if ([...listeners.values()].every((s) => s.size === 0)) {
          stream?.abort();
          stream = null;
        }
      };
    },
  };
}

/**
 * JSON has no bytes: a Uint8Array argument (a pasted image, a file dropped into the browser)
 * travels as {"$bytes": base64}, which the bridge turns back into bytes before validation.
 */
export function encodeBytes(_key: string, value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  let binary = '';
  const step = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < value.length; i += step) {
    binary += String.fromCharCode(...value.subarray(i, i + step));
  }
  return { $bytes: btoa(binary) };
}
