/**
 * Paths inside a bag: how manifests spell them (RFC 8493 §2.1.3 percent-encoding), how
 * names compare across file systems (Unicode NFC, case folding), and which are unsafe.
 */

/** Manifests and fetch.txt must percent-encode CR, LF and % (and only those). */
export function encodeManifestPath(path: string): string {
  return path.replace(/[%\r\n]/g, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'));
}

/** The inverse of encodeManifestPath; any other `%xx` stays literal (as the RFC requires). */
export function decodeManifestPath(path: string): string {
  return path.replace(/%(0[aAdD]|25)/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/**
 * Keys under which two names are "the same file" on some system: macOS normalises
 * Unicode, Windows and macOS ignore case. Several keys, because no single case mapping
 * catches every pair (ß/SS, the Kelvin sign, dotless i).
 */
export function sameNameKeys(name: string): string[] {
  const nfc = name.normalize('NFC');
  const lower = nfc.toLowerCase();
  const folded = nfc.toUpperCase().toLowerCase().normalize('NFC');
  return lower === folded ? [lower] : [lower, folded];
}

/** One key for grouping; sameNameKeys is the stricter test for uniqueness. */
export function foldKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Why a path cannot be trusted to stay inside the bag, or null when it can. */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL character';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    return 'it is an absolute path, outside the bag';
  }
  if (path.startsWith('~')) return 'it starts with "~" (a home folder), outside the bag';
  if (path.split(/[/\\]/).includes('..')) return 'it uses ".." to point outside the bag';
  return null;
}

/** Paths our writer produces: plain relative paths with "/" and nothing surprising. */
export function checkWritablePath(path: string): void {
  const reason = unsafePathReason(path);
  if (reason !== null) throw new TypeError(`bagit: unsafe path ${JSON.stringify(path)}: ${reason}`);
  if (path.includes('\\')) {
    throw new TypeError(`bagit: unsafe path ${JSON.stringify(path)}: backslash`);
  }
  if (path.split('/').some((s) => s === '' || s === '.')) {
    throw new TypeError(`bagit: unsafe path ${JSON.stringify(path)}: empty or "." segment`);
  }
}

/** Byte order of UTF-8, as `LC_ALL=C sort` gives: the same on every machine and locale. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
