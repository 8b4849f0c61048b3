import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';

/**
 * Where an imported file came from, as its custody entry records it: the file name, the
 * name of the folder it was in, and a salted digest of the full path. The full path and
 * the salt stay in the encrypted database (item_sources), so a bundle shows no home folder
 * or user name unless the exporter asks for full paths; then the path and salt are given
 * and anyone can check them against the digest.
 */
export interface SourceRef {
  name: string;
  folder: string;
  /** Hex SHA-256 of the salt's 16 bytes followed by the full path in UTF-8. */
  pathDigest: string;
}

export function pathDigest(saltHex: string, path: string): string {
  return createHash('sha256')
    .update(Buffer.from(saltHex, 'hex'))
    .update(Buffer.from(path, 'utf8'))
    .digest('hex');
}

/** A fresh salt and the custody form of a source path; both null for bytes given directly. */
export function sourceOrigin(sourcePath: string | null): {
  salt: string | null;
  ref: SourceRef | null;
} {
  if (sourcePath === null) return { salt: null, ref: null };
  const salt = randomBytes(16).toString('hex');
  return {
    salt,
    ref: {
      name: basename(sourcePath),
      folder: basename(dirname(sourcePath)),
      pathDigest: pathDigest(salt, sourcePath),
    },
  };
}
