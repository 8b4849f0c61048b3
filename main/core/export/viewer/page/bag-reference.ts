import type { ReviewBundleRef } from '../../../../../shared/review';
import { Sha256 } from './sha256';

/**
 * The bundle a review is about, named as docs/review-format.md says: the SHA-256 of its
 * tagmanifest-sha256.txt, and bag-info.txt's External-Identifier, Case-Name and
 * Signing-Key-Fingerprint. The page cannot carry that hash (the tag manifest covers the page
 * itself), so it is read from the folder the reader chose, and that folder must be the
 * bundle this page describes: the tag manifest must list the folder's bag-info.txt and
 * manifest-sha256.txt as they are, and manifest-sha256.txt must list exactly the files in
 * this page's own list with the same fingerprints. Otherwise the review would name another
 * bundle (an older export of the same case, say), and the client's import would refuse it
 * or, worse, put the comments beside the wrong evidence. No DOM: unit-tested in Node.
 */

/** Tag files are small; these caps keep a hostile folder from making the page read gigabytes. */
export const MAX_TAG_FILE_BYTES = 1024 * 1024;
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface BagTagFiles {
  tagManifest: Uint8Array;
  bagInfo: Uint8Array;
  manifest: Uint8Array;
}

export interface IslandFacts {
  signingKeyFingerprint: string;
  /** The payload files the page lists (every one but the page itself). */
  manifest: readonly { path: string; sha256: string }[];
}

export type BundleReference = { ref: ReviewBundleRef } | { problem: string };

function sha256Hex(bytes: Uint8Array): string {
  return new Sha256().update(bytes).hex();
}

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} in the folder you chose is not UTF-8 text.`);
  }
}

/** BagIt manifest lines, "<hex>  <path>", as a map of path to lower-case hex. */
export function parseManifest(text: string, name: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line === '') return;
    const m = /^([0-9a-fA-F]{64})[ \t]+(.+)$/.exec(line);
    if (!m) throw new Error(`Line ${i + 1} of ${name} is not "<SHA-256>  <path>".`);
    // RFC 8493 §2.1.3: CR, LF and % in a path are percent-encoded.
    const path = m[2]!.replace(/%0A|%0D|%25/gi, (c) =>
      c === '%25' ? '%' : c.toUpperCase() === '%0A' ? '\n' : '\r',
    );
    if (out.has(path)) throw new Error(`${name} lists ${path} twice.`);
    out.set(path, m[1]!.toLowerCase());
  });
  return out;
}

/** bag-info.txt's first value for a label (labels without regard to case; indented lines continue it). */
export function bagInfoValue(text: string, label: string): string | null {
  const want = label.toLowerCase();
  let value: string | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const continued = /^[ \t]/.test(line);
    if (value !== null) {
      if (!continued) return value;
      if (line.trim() !== '') value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (!continued && colon > 0 && line.slice(0, colon).trim().toLowerCase() === want) {
      value = line.slice(colon + 1).trim();
    }
  }
  return value;
}

export function bundleReference(files: BagTagFiles, island: IslandFacts): BundleReference {
  try {
    return { ref: reference(files, island) };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

const OTHER_BUNDLE =
  'The folder you chose is not the bundle this page came from, or it was changed since it was made';

function reference(files: BagTagFiles, island: IslandFacts): ReviewBundleRef {
  const tagManifestSha256 = sha256Hex(files.tagManifest);
  const tags = parseManifest(
    utf8(files.tagManifest, 'tagmanifest-sha256.txt'),
    'tagmanifest-sha256.txt',
  );
  for (const [name, bytes] of [
    ['bag-info.txt', files.bagInfo],
    ['manifest-sha256.txt', files.manifest],
  ] as const) {
    const listed = tags.get(name);
    if (listed === undefined) {
      throw new Error(`tagmanifest-sha256.txt in the folder you chose does not list ${name}.`);
    }
    if (listed !== sha256Hex(bytes)) {
      throw new Error(
        `${OTHER_BUNDLE}: its ${name} is not the one its tagmanifest-sha256.txt lists.`,
      );
    }
  }
  const info = utf8(files.bagInfo, 'bag-info.txt');
  const fingerprint = bagInfoValue(info, 'Signing-Key-Fingerprint');
  if (fingerprint !== island.signingKeyFingerprint) {
    throw new Error(
      `${OTHER_BUNDLE}: its bag-info.txt names the signing key ${fingerprint === null ? '(none)' : JSON.stringify(fingerprint)}, and this page ${JSON.stringify(island.signingKeyFingerprint)}.`,
    );
  }
  const payload = parseManifest(utf8(files.manifest, 'manifest-sha256.txt'), 'manifest-sha256.txt');
  const mine = new Map(island.manifest.map((m) => [m.path, m.sha256]));
  for (const [path, sha] of mine) {
    const listed = payload.get(path);
    if (listed !== sha) {
      throw new Error(
        `${OTHER_BUNDLE}: ${listed === undefined ? `its manifest-sha256.txt does not list ${path}` : `its manifest-sha256.txt lists ${path} with another fingerprint`}, which this page lists.`,
      );
    }
  }
  for (const path of payload.keys()) {
    if (!mine.has(path) && path !== 'data/viewer/index.html') {
      throw new Error(
        `${OTHER_BUNDLE}: its manifest-sha256.txt lists ${path}, which this page does not.`,
      );
    }
  }
  return {
    tagManifestSha256,
    bagName: bagInfoValue(info, 'External-Identifier') ?? '',
    caseName: bagInfoValue(info, 'Case-Name') ?? '',
    signingKeyFingerprint: fingerprint,
  };
}
