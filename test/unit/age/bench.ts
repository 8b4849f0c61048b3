/**
 * Throughput check for the age module (not part of the test suite):
 *   npx tsx test/unit/age/bench.ts [MiB]
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { createCipheriv, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgeEncryptor, AgeFileReader, X25519Identity } from '../../../main/core/age/index';

const mib = Number(process.argv[2] ?? 1024);
const piece = randomBytes(1024 * 1024);
const id = X25519Identity.generate();
const path = join(tmpdir(), `age-bench-${process.pid}.age`);

function rate(bytes: number, ms: number): string {
  return `${(bytes / (1024 * 1024) / (ms / 1000)).toFixed(0)} MiB/s`;
}

// Baseline: Node's OpenSSL ChaCha20-Poly1305, one context, no framing.
let t = performance.now();
const raw = createCipheriv('chacha20-poly1305', randomBytes(32), Buffer.alloc(12), {
  authTagLength: 16,
});
for (let i = 0; i < mib; i++) raw.update(piece);
raw.final();
console.log(`raw chacha20-poly1305 ${mib} MiB: ${rate(mib * 2 ** 20, performance.now() - t)}`);

// Encrypt only (output discarded) to measure the cipher path.
t = performance.now();
let enc = new AgeEncryptor([id.recipient()]);
for (let i = 0; i < mib; i++) enc.push(piece);
enc.final();
console.log(`encrypt ${mib} MiB (no I/O): ${rate(mib * 2 ** 20, performance.now() - t)}`);

// Encrypt to a file, for the reader.
t = performance.now();
enc = new AgeEncryptor([id.recipient()]);
const fd = openSync(path, 'w');
writeSync(fd, enc.header);
for (let i = 0; i < mib; i++) writeSync(fd, enc.push(piece));
writeSync(fd, enc.final());
closeSync(fd);
console.log(`encrypt ${mib} MiB to file: ${rate(mib * 2 ** 20, performance.now() - t)}`);

try {
  const reader = await AgeFileReader.open(path, [id]);
  for (let run = 1; run <= 3; run++) {
    t = performance.now();
    let n = 0;
    for await (const b of reader.stream()) n += b.length;
    console.log(
      `AgeFileReader.stream ${n / 2 ** 20} MiB, run ${run}: ${rate(n, performance.now() - t)}`,
    );
  }
  await reader.close();
} finally {
  rmSync(path, { force: true });
}
