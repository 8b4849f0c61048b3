/**
 * The bag declaration (bagit.txt, RFC 8493 §2.1.1), the metadata file (bag-info.txt,
 * §2.2.2) and the character encodings tag files may be written in.
 */

export const BAGIT_TXT = 'bagit.txt';
export const BAG_INFO_TXT = 'bag-info.txt';
export const FETCH_TXT = 'fetch.txt';

export const SUPPORTED_VERSIONS = ['0.93', '0.94', '0.95', '0.96', '0.97', '1.0'];

export function formatBagitTxt(): Buffer {
  return Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n', 'utf8');
}

export interface BagitTxt {
  version: string | null;
  encoding: string | null;
  /** Plain-words reasons the declaration breaks the RFC; empty when it is fine. */
  errors: string[];
}

/** bagit.txt must be UTF-8 without a BOM, exactly two lines in order, no stray spaces. */
export function parseBagitTxt(raw: Buffer): BagitTxt {
  const errors: string[] = [];
  let bytes = raw;
  if (bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) {
    errors.push('it starts with a byte-order mark (BOM), which BagIt forbids in bagit.txt');
    bytes = bytes.subarray(3);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    errors.push('it is not valid UTF-8 text');
    text = bytes.toString('latin1');
  }
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  let version: string | null = null;
  let encoding: string | null = null;
  const first = lines[0] ?? '';
  const v = /^BagIt-Version: (.*)$/.exec(first);
  if (v === null) {
    errors.push(
      lines.length === 0
        ? 'it is empty'
        : `its first line must be exactly "BagIt-Version: M.N", but it is ${JSON.stringify(first)}`,
    );
    // Still learn the version if only the spacing is wrong, to check the rest sensibly.
    version = /^\s*BagIt-Version\s*:\s*(\d+\.\d+)\s*$/.exec(first)?.[1] ?? null;
  } else if (!/^\d+\.\d+$/.test(v[1] ?? '')) {
    errors.push(`its version ${JSON.stringify(v[1])} is not of the form M.N`);
    version = /^\s*(\d+\.\d+)\s*$/.exec(v[1] ?? '')?.[1] ?? null;
  } else {
    version = v[1] ?? null;
    if (!SUPPORTED_VERSIONS.includes(version ?? '')) {
      errors.push(
        `BagIt version ${version} is not one this checker knows (${SUPPORTED_VERSIONS.join(', ')})`,
      );
    }
  }
  const second = lines[1];
  const e = second === undefined ? null : /^Tag-File-Character-Encoding: (\S.*)$/.exec(second);
  if (second === undefined) {
    errors.push('it does not say Tag-File-Character-Encoding (its required second line)');
  } else if (e === null) {
    errors.push(
      `its second line must be exactly "Tag-File-Character-Encoding: ENCODING", but it is ${JSON.stringify(second)}`,
    );
    encoding = /^\s*Tag-File-Character-Encoding\s*:\s*(\S+)\s*$/.exec(second)?.[1] ?? null;
  } else {
    encoding = (e[1] ?? '').trim();
    if (e[1] !== encoding) errors.push('its encoding name has trailing spaces');
  }
  if (lines.length > 2) {
    errors.push(`it has ${lines.length} lines; BagIt allows exactly two`);
  }
  return { version, encoding, errors };
}

/** A decoder for the declared tag-file encoding, or null when we cannot read it. */
export function tagDecoder(encoding: string): ((bytes: Buffer) => string) | null {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  if (name === 'iso-8859-1' || name === 'latin1' || name === 'latin-1') {
    // True ISO-8859-1; WHATWG's "iso-8859-1" label would mean windows-1252.
    return (b) => b.toString('latin1');
  }
  if (name === 'utf-16') {
    // No BOM means big-endian (RFC 2781); the decoder drops the BOM.
    return (b) => {
      const le = b[0] === 0xff && b[1] === 0xfe;
      return new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(b);
    };
  }
  try {
    const d = new TextDecoder(name, { fatal: true });
    return (b) => d.decode(b);
  } catch {
    return null;
  }
}

export interface BagInfoElement {
  label: string;
  value: string;
  line: number;
}

export interface BagInfoParse {
  elements: BagInfoElement[];
  malformed: { line: number; text: string }[];
}

/**
 * `Label: value` lines; a line starting with a space or tab continues the value above.
 * Labels may repeat and are compared without regard to case.
 */
export function parseBagInfo(text: string): BagInfoParse {
  const elements: BagInfoElement[] = [];
  const malformed: BagInfoParse['malformed'] = [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    const last = elements.at(-1);
    if (/^[ \t]/.test(l) && last !== undefined) {
      last.value += ` ${l.trim()}`;
      return;
    }
    const colon = l.indexOf(':');
    const label = colon > 0 ? l.slice(0, colon).trim() : '';
    if (label === '') {
      malformed.push({ line: i + 1, text: l });
      return;
    }
    elements.push({ label, value: l.slice(colon + 1).trim(), line: i + 1 });
  });
  return { elements, malformed };
}

/** bag-info.txt in UTF-8; a value with line breaks continues on indented lines. */
export function formatBagInfo(elements: readonly (readonly [string, string])[]): Buffer {
  const out: string[] = [];
  for (const [label, value] of elements) {
    if (!/^[^:\s\p{Cc}](?:[^:\p{Cc}]*[^:\s\p{Cc}])?$/u.test(label)) {
      throw new TypeError(`bagit: bad bag-info label ${JSON.stringify(label)}`);
    }
    const lines = value
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter((l, i) => i === 0 || l !== '');
    if (lines.some((l) => /\p{Cc}/u.test(l.replace(/\t/g, ' ')))) {
      throw new TypeError(`bagit: control character in bag-info value for ${label}`);
    }
    out.push(`${label}: ${lines[0] ?? ''}`.trimEnd(), ...lines.slice(1).map((l) => `  ${l}`));
  }
  return Buffer.from(out.map((l) => `${l}\n`).join(''), 'utf8');
}

/** Payload-Oxum is "<octets>.<file count>". */
export function parseOxum(value: string): { bytes: number; files: number } | null {
  const m = /^(\d+)\.(\d+)$/.exec(value.trim());
  if (m === null) return null;
  return { bytes: Number(m[1]), files: Number(m[2]) };
}
