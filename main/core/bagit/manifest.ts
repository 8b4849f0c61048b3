/**
 * Manifest files (RFC 8493 §2.1.3, §2.2.1): one `<checksum> <path>` line per file. We
 * write two spaces, so `sha256sum -c` reads them; we read any run of spaces or tabs.
 */
import { compareUtf8, decodeManifestPath, encodeManifestPath } from './paths';

export const PAYLOAD_MANIFEST = /^manifest-([a-z0-9]+)\.txt$/;
export const TAG_MANIFEST = /^tagmanifest-([a-z0-9]+)\.txt$/;

/** The manifest text for `entries` (path → hex digest), sorted by UTF-8 bytes. */
export function formatManifest(entries: Iterable<[path: string, hex: string]>): Buffer {
  const lines = [...entries]
    .sort(([a], [b]) => compareUtf8(a, b))
    .map(([path, hex]) => `${hex}  ${encodeManifestPath(path)}\n`);
  return Buffer.from(lines.join(''), 'utf8');
}

export interface ManifestLine {
  /** 1-based, for messages. */
  line: number;
  /** Lower-case hex. */
  checksum: string;
  /** The path after percent-decoding (BagIt 1.0) and without a leading "./". */
  path: string;
  /** The path as written. */
  raw: string;
  /** Written as md5sum's binary mode does: `<checksum> *<path>`. */
  binaryMarker: boolean;
  /** Written with a leading "./". */
  dotSlash: boolean;
}

export interface ManifestParse {
  entries: ManifestLine[];
  /** Lines that are not `<checksum> <path>`, with their numbers. */
  malformed: { line: number; text: string }[];
}

/**
 * Parses manifest text. `percentDecode` applies the BagIt 1.0 rule (%0A, %0D, %25);
 * earlier versions had no encoding, so their paths are taken literally.
 */
export function parseManifest(text: string, percentDecode: boolean): ManifestParse {
  const entries: ManifestLine[] = [];
  const malformed: ManifestParse['malformed'] = [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((lineText, i) => {
    const line = i + 1;
    if (lineText.trim() === '') return;
    const m = /^([0-9A-Fa-f]+)([ \t]+)(.+)$/.exec(lineText);
    if (m === null) {
      malformed.push({ line, text: lineText });
      return;
    }
    const [, checksum = '', gap = '', rawPath = ''] = m;
    let raw = rawPath;
    // md5sum writes "<sum> *<path>" in binary mode: one space, then the star.
    const binaryMarker = gap === ' ' && raw.startsWith('*');
    if (binaryMarker) raw = raw.slice(1);
    let path = percentDecode ? decodeManifestPath(raw) : raw;
    const dotSlash = path.startsWith('./');
    if (dotSlash) path = path.replace(/^(\.\/)+/, '');
    entries.push({
      line,
      checksum: checksum.toLowerCase(),
      path,
      raw: rawPath,
      binaryMarker,
      dotSlash,
    });
  });
  return { entries, malformed };
}
