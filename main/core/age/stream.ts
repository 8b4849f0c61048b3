/**
 * The payload (spec section "Payload"): a 16-byte nonce, then STREAM: 64 KiB chunks
 * sealed with ChaCha20-Poly1305 under HKDF(file key, nonce, "payload"), each chunk's
 * nonce being an 11-byte big-endian counter and a last-chunk flag byte.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AgeError } from './errors';
import { hkdf, TAG_SIZE, wipe } from './primitives';

export const NONCE_SIZE = 16;
export const CHUNK_SIZE = 64 * 1024;
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
const EMPTY = Buffer.alloc(0);
// The counter is 11 bytes; we write only the low 6 (2^48 chunks = 16 EiB), the rest stay 0.
const MAX_CHUNKS = 2 ** 48;

export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return hkdf(fileKey, nonce, 'payload');
}

/** One reusable 12-byte chunk nonce, rewritten in place per chunk. */
function setChunkNonce(nonce: Buffer, index: number, last: boolean): Buffer {
  if (index >= MAX_CHUNKS) throw new RangeError('age: too many chunks');
  nonce.writeUIntBE(index, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** How a sealed payload of a given length splits into chunks. */
export interface PayloadLayout {
  chunkCount: number;
  plainSize: number;
}

/**
 * Derives the chunk count and plaintext size from the sealed length alone. Every chunk
 * but the last is full, and the last is empty only when the whole plaintext is.
 */
export function payloadLayout(sealedSize: number): PayloadLayout {
  if (sealedSize === 0) {
    throw new AgeError('TRUNCATED', 'The file is truncated: it ends right after its header.');
  }
  const full = Math.floor(sealedSize / SEALED_CHUNK_SIZE);
  const rem = sealedSize % SEALED_CHUNK_SIZE;
  if (rem === 0) return { chunkCount: full, plainSize: full * CHUNK_SIZE };
  if (rem < TAG_SIZE) {
    throw new AgeError('TRUNCATED', 'The file is truncated: it ends partway through a chunk.');
  }
  if (rem === TAG_SIZE && full > 0) {
    throw new AgeError('PAYLOAD', 'The file is damaged: it ends with an empty chunk.');
  }
  return { chunkCount: full + 1, plainSize: full * CHUNK_SIZE + rem - TAG_SIZE };
}

function tryOpen(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | null {
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const plain = d.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    d.final();
  } catch {
    return null;
  }
  return plain;
}

/** Opens chunks by index, so a reader can start anywhere. */
export class PayloadOpener {
  private readonly nonce = Buffer.alloc(12);

  constructor(
    private readonly key: Buffer,
    readonly layout: PayloadLayout,
  ) {}

  /** Zeroes the payload key: no chunk opens afterwards. */
  wipe(): void {
    wipe(this.key);
  }

  /** Returns the chunk's plaintext only after its tag (and last flag) verified. */
  open(index: number, sealed: Buffer): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.chunkCount) {
      throw new RangeError(`age: chunk ${index} out of range`);
    }
    const last = index === this.layout.chunkCount - 1;
    const sizeOk = last
      ? sealed.length >= TAG_SIZE && sealed.length <= SEALED_CHUNK_SIZE
      : sealed.length === SEALED_CHUNK_SIZE;
    if (!sizeOk) {
      throw new AgeError('TRUNCATED', 'The file is truncated, or changed while being read.');
    }
    const plain = tryOpen(this.key, setChunkNonce(this.nonce, index, last), sealed);
    if (plain !== null) return plain;
    // Diagnose only on failure: a flipped flag means truncation or appended chunks.
    const asOther = tryOpen(this.key, setChunkNonce(this.nonce, index, !last), sealed);
    if (asOther !== null && last) {
      throw new AgeError(
        'TRUNCATED',
        'The file is truncated: it ends at a chunk boundary, before its final chunk.',
      );
    }
    if (asOther !== null) {
      throw new AgeError('PAYLOAD', 'The file is damaged: it has data after its final chunk.');
    }
    throw new AgeError(
      'PAYLOAD',
      `The file is damaged or was tampered with: chunk ${index + 1} failed authentication.`,
    );
  }
}

/**
 * Seals `plain` as consecutive STREAM chunks numbered from `firstIndex` (64 KiB each, the
 * last one possibly shorter) into `out` at `offset`; the chunk numbered `lastIndex` carries
 * the last-chunk flag. Returns the offset after the last tag. The seal thread
 * (threads/seal.ts) imports this same function, so there is one implementation of the format.
 */
export function sealChunks(
  cipher: typeof createCipheriv,
  key: Uint8Array,
  firstIndex: number,
  lastIndex: number,
  plain: Uint8Array,
  out: Uint8Array,
  offset: number,
): number {
  const chunk = 65536;
  const nonce = new Uint8Array(12);
  let at = 0;
  let index = firstIndex;
  do {
    const piece = plain.subarray(at, at + chunk);
    // 11-byte big-endian counter (we use the low 6 bytes), then the flag byte.
    let n = index;
    for (let b = 10; b >= 5; b--) {
      nonce[b] = n % 256;
      n = Math.floor(n / 256);
    }
    nonce[11] = index === lastIndex ? 1 : 0;
    const c = cipher('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    const ct = c.update(piece);
    c.final();
    out.set(ct, offset);
    out.set(c.getAuthTag(), offset + ct.length);
    offset += ct.length + 16;
    at += chunk;
    index++;
  } while (at < plain.length);
  return offset;
}

/**
 * Seals a payload pushed in pieces of any size. It holds back the last full chunk until
 * more data or final(), because only then is it known whether it is the last one.
 */
export class PayloadSealer {
  private readonly pending = Buffer.allocUnsafe(CHUNK_SIZE);
  private pendingLen = 0;
  private counter = 0;
  private finished = false;

  constructor(private readonly key: Buffer) {}

  private seal(plain: Buffer, last: boolean, out: Buffer, offset: number): number {
    const index = this.counter++;
    if (index >= MAX_CHUNKS) throw new RangeError('age: too many chunks');
    return sealChunks(createCipheriv, this.key, index, last ? index : -1, plain, out, offset);
  }

  push(data: Buffer): Buffer {
    if (this.finished) throw new Error('age: push() after final()');
    const total = this.pendingLen + data.length;
    let chunks = total === 0 ? 0 : Math.floor((total - 1) / CHUNK_SIZE);
    if (chunks === 0) {
      data.copy(this.pending, this.pendingLen);
      this.pendingLen += data.length;
      return EMPTY;
    }
    const out = Buffer.allocUnsafe(chunks * SEALED_CHUNK_SIZE);
    let offset = 0;
    let used = 0;
    if (this.pendingLen > 0) {
      used = CHUNK_SIZE - this.pendingLen;
      data.copy(this.pending, this.pendingLen, 0, used);
      offset = this.seal(this.pending, false, out, offset);
      this.pendingLen = 0;
      chunks--;
    }
    // Whole chunks straight from the caller's buffer: no copy.
    for (; chunks > 0; chunks--) {
      offset = this.seal(data.subarray(used, used + CHUNK_SIZE), false, out, offset);
      used += CHUNK_SIZE;
    }
    this.pendingLen = data.copy(this.pending, 0, used);
    return out;
  }

  final(): Buffer {
    if (this.finished) throw new Error('age: final() called twice');
    this.finished = true;
    const out = Buffer.allocUnsafe(this.pendingLen + TAG_SIZE);
    this.seal(this.pending.subarray(0, this.pendingLen), true, out, 0);
    return out;
  }
}
