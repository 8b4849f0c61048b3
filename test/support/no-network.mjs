// Preloaded with `node --import` (and so in every worker thread): any attempt to reach the
// network, by socket, DNS, HTTP(S), TLS or fetch, is refused and recorded in the file
// NO_NETWORK_LOG, one line each. Each thread that loads this also writes a "loaded" line.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import process from 'node:process';
import { isMainThread, threadId } from 'node:worker_threads';

const log = process.env.NO_NETWORK_LOG;
const note = (line) => {
  if (log) appendFileSync(log, `${line}\n`);
};
note(`loaded ${isMainThread ? 'main' : `worker ${threadId}`}`);

function refuse(what) {
  return function refused(...args) {
    note(`attempt ${what} ${String(args[0]?.href ?? args[0]?.host ?? args[0]).slice(0, 200)}`);
    throw new Error(`network blocked in this test: ${what}`);
  };
}

for (const [mod, names, label] of [
  [net, ['connect', 'createConnection'], 'net'],
  [tls, ['connect'], 'tls'],
  [http, ['request', 'get'], 'http'],
  [https, ['request', 'get'], 'https'],
  [dns, ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'], 'dns'],
  [dns.promises, ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'], 'dns'],
]) {
  for (const name of names) mod[name] = refuse(`${label}.${name}`);
}
net.Socket.prototype.connect = refuse('net.Socket.connect');
globalThis.fetch = async (url) => refuse('fetch')(url);
