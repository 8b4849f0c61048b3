/** The checksum algorithms BagIt manifests name, and hashing several in one pass. */
import { createHash, type Hash } from 'node:crypto';

/** Manifest name → node:crypto name. Third-party bags still use md5 and sha1. */
const ALGORITHMS: Record<string, { node: string; label: string; hexLength: number }> = {
  md5: { node: 'md5', label: 'MD5', hexLength: 32 },
  sha1: { node: 'sha1', label: 'SHA-1', hexLength: 40 },
  sha224: { node: 'sha224', label: 'SHA-224', hexLength: 56 },
  sha256: { node: 'sha256', label: 'SHA-256', hexLength: 64 },
  sha384: { node: 'sha384', label: 'SHA-384', hexLength: 96 },
  sha512: { node: 'sha512', label: 'SHA-512', hexLength: 128 },
};

export function isSupportedAlgorithm(alg: string): boolean {
  return Object.hasOwn(ALGORITHMS, alg);
}

/** "SHA-256" for "sha256"; unknown names are shown as given. */
export function algorithmLabel(alg: string): string {
  return ALGORITHMS[alg]?.label ?? alg;
}

export function hexLength(alg: string): number | null {
  return ALGORITHMS[alg]?.hexLength ?? null;
}

/** Feeds each chunk to every requested algorithm, so a file is read once. */
export class MultiHasher {
  private readonly hashes: [string, Hash][];
  size = 0;

  constructor(algorithms: Iterable<string>) {
    this.hashes = [...new Set(algorithms)].map((a) => {
      const spec = ALGORITHMS[a];
      if (spec === undefined) throw new TypeError(`bagit: unsupported algorithm ${a}`);
      return [a, createHash(spec.node)];
    });
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    for (const [, h] of this.hashes) h.update(chunk);
  }

  /** Lower-case hex digests by algorithm name. */
  digest(): Map<string, string> {
    return new Map(this.hashes.map(([a, h]) => [a, h.digest('hex')]));
  }
}
