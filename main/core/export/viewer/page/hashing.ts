import { Sha256 } from './sha256';

/** Bigger files are hashed in pieces by the page's own SHA-256. */
export const WEBCRYPTO_MAX = 512 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;

export function readBuffer(blob: Blob): Promise<ArrayBuffer> {
  if (blob.arrayBuffer) return blob.arrayBuffer();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as ArrayBuffer);
    r.onerror = () => reject(r.error);
    r.readAsArrayBuffer(blob);
  });
}

export function toHex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/** WebCrypto, where this browser offers it here (file:// pages may not be a secure context). */
export function webCrypto(): SubtleCrypto | undefined {
  const c = (window as { crypto?: Crypto }).crypto;
  return c && c.subtle ? c.subtle : undefined;
}

export interface FileHash {
  hex: string;
  how: 'Web Crypto' | 'in pieces';
}

/** The file's SHA-256, or null when stopped. Reports bytes read as it goes. */
export async function hashFile(
  file: Blob,
  onBytes: (n: number) => void,
  isStopped: () => boolean,
): Promise<FileHash | null> {
  const subtle = webCrypto();
  if (subtle && file.size <= WEBCRYPTO_MAX) {
    try {
      const buf = await readBuffer(file);
      const hex = toHex(await subtle.digest('SHA-256', buf));
      onBytes(file.size);
      return { hex, how: 'Web Crypto' };
    } catch (e) {
      if (e && (e as Error).name === 'NotReadableError') throw e;
      // out of memory or no WebCrypto here: fall through to the streaming code
    }
  }
  const s = new Sha256();
  for (let at = 0; at < file.size; at += CHUNK) {
    if (isStopped()) return null;
    const part = new Uint8Array(await readBuffer(file.slice(at, Math.min(file.size, at + CHUNK))));
    s.update(part);
    onBytes(part.length);
  }
  return { hex: s.hex(), how: 'in pieces' };
}
