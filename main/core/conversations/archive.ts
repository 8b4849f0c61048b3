// Reading an export that comes as a zip (WhatsApp, and later Telegram and Meta), as data:
// entry names are never used as paths, and nothing is written to disk. Hostile archives are
// refused entry by entry with a reason (docs/conversations.md, "Archives"): bombs (declared
// sizes, compression ratio, overlapping entries, actual bytes past the declared size), too
// many entries, traversal or absolute names, control characters, encrypted entries, links and
// duplicate names. What is refused is reported; everything else stays readable.

import { Buffer, isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { DossierError } from '../errors';
import { zipFromRanges, type RangeSource } from './byte-range-reader';
import type { ConversationProblem } from './types';

export interface ArchiveLimits {
  /** Entries in the central directory; past this the zip is not read at all. */
  maxEntries: number;
  /** One entry's uncompressed size. */
  maxEntryBytes: number;
  /** All entries' uncompressed sizes together. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 100_000,
  maxEntryBytes: 2 * 1024 * 1024 * 1024 - 1,
  maxTotalBytes: 64 * 1024 * 1024 * 1024,
  // Text compresses 3–10 times, photos and videos hardly; a zip bomb 1000 times.
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export interface ArchiveEntry {
  /** Position in the central directory. */
  index: number;
  /** The name as the zip writes it, decoded (data: never joined to a path). */
  name: string;
  /** Declared uncompressed and compressed sizes. */
  size: number;
  compressedSize: number;
  /** Why this entry is not read, or null when it can be. */
  refused: string | null;
}

export interface Archive {
  /** Every file entry (folders left out), in central-directory order. */
  entries: ArchiveEntry[];
  /** What was refused and why, in plain words with names escaped. */
  problems: ConversationProblem[];
  /** The readable entry with exactly this name. */
  find(name: string): ArchiveEntry | undefined;
  /**
   * An entry's bytes, refusing (CORRUPT) more than it declares, fewer, or a CRC-32 that does
   * not match; USAGE past `maxBytes` or for a refused entry.
   */
  read(entry: ArchiveEntry, maxBytes?: number): Promise<Uint8Array>;
  /** The same, but a CRC-32 mismatch is returned rather than thrown (the caller reports it). */
  readChecked(
    entry: ArchiveEntry,
    maxBytes?: number,
  ): Promise<{ bytes: Uint8Array; checksumMatches: boolean }>;
  close(): void;
}

/** A zip's local file header signature at the start ("PK\3\4"), or an empty zip's end record. */
export function isZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))
  );
}

/** A name shown in a message: quoted, with control and bidi characters escaped. */
export function shownName(name: string): string {
  const cut = name.length > 120 ? `${name.slice(0, 120)}…` : name;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function decodeName(e: yauzl.Entry): string {
  const raw = e.fileNameRaw;
  const flagged = (e.generalPurposeBitFlag & 0x800) !== 0;
  const unicodeExtra = e.extraFields.some((f) => f.id === 0x7075);
  // Many zip writers store UTF-8 without setting the flag; CP437 is the fallback.
  if (!flagged && !unicodeExtra && isUtf8(raw)) return raw.toString('utf8');
  return yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, true);
}

/** Why a name cannot be trusted, or null. The name is kept as data either way. */
export function unsafeNameReason(name: string): string | null {
  if (name === '') return 'it has no name';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'its name has control characters';
  if (/[\u202a-\u202e\u2066-\u2069]/.test(name)) return 'its name has text-direction overrides';
  if (/^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name)) return 'its name is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'its name climbs out of the archive ("..")';
  return null;
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.on('error', reject); // stays attached: a late error must not go unhandled
    zip.readEntry();
  });
}

const OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  decodeStrings: false,
  validateEntrySizes: true,
  strictFileNames: true,
};

/**
 * Opens a zip from its bytes or a file. Throws CORRUPT for a file that is not a readable zip,
 * USAGE past the entry limit; every other trouble is an entry refused with its reason.
 */
export async function openArchive(
  source: Uint8Array | { path: string } | RangeSource,
  label: string,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<Archive> {
  let zip: yauzl.ZipFile;
  try {
    zip =
      'path' in source
        ? await yauzl.openPromise(source.path, OPTIONS)
        : 'readRange' in source
          ? await zipFromRanges(source, OPTIONS)
          : await yauzl.fromBufferPromise(
              Buffer.isBuffer(source)
                ? source
                : Buffer.from(source.buffer, source.byteOffset, source.length),
              OPTIONS,
            );
  } catch (e) {
    throw new DossierError(
      'CORRUPT',
      `${label} is not a readable zip file, or it is damaged (${(e as Error).message}).`,
      { cause: e },
    );
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new DossierError(
      'USAGE',
      `${label} holds ${zip.entryCount.toLocaleString('en-GB')} files, more than the ${limits.maxEntries.toLocaleString('en-GB')} Dossier opens in one export. The zip is kept as a file.`,
    );
  }
  let raw: yauzl.Entry[];
  try {
    raw = await readEntries(zip);
  } catch (e) {
    zip.close();
    throw new DossierError(
      'CORRUPT',
      `${label} is damaged: its list of files cannot be read (${(e as Error).message}).`,
      { cause: e },
    );
  }

  const entries: ArchiveEntry[] = [];
  const byEntry = new Map<ArchiveEntry, yauzl.Entry>();
  const problems: ConversationProblem[] = [];
  const refuse = (entry: ArchiveEntry, reason: string): void => {
    if (entry.refused !== null) return;
    entry.refused = reason;
    problems.push({
      line: null,
      offset: null,
      message: `${shownName(entry.name)} in ${label} was not read: ${reason}.`,
    });
  };

  raw.forEach((e, index) => {
    const name = decodeName(e);
    const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
    if (name.endsWith('/') || (name.endsWith('\\') && e.uncompressedSize === 0)) return;
    if (mode === S_IFDIR && e.uncompressedSize === 0) return;
    const entry: ArchiveEntry = {
      index,
      name,
      size: e.uncompressedSize,
      compressedSize: e.compressedSize,
      refused: null,
    };
    entries.push(entry);
    byEntry.set(entry, e);
    const unsafe = unsafeNameReason(name);
    if (unsafe !== null) refuse(entry, unsafe);
    else if (e.isEncrypted()) refuse(entry, "it is encrypted with the zip format's own password");
    else if (mode === S_IFLNK) refuse(entry, 'it is a symbolic link, not a file');
    else if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
      refuse(
        entry,
        `it is compressed with method ${e.compressionMethod}, which Dossier does not read`,
      );
    } else if (e.uncompressedSize > limits.maxEntryBytes) {
      refuse(
        entry,
        `it declares ${e.uncompressedSize.toLocaleString('en-GB')} bytes, more than the ${limits.maxEntryBytes.toLocaleString('en-GB')} allowed for one file`,
      );
    } else if (
      e.uncompressedSize > limits.ratioFloorBytes &&
      e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize)
    ) {
      refuse(entry, `it would expand more than ${limits.maxRatio} times (a zip bomb)`);
    }
  });

  // The same name twice: which copy is the evidence is ambiguous, so neither is read.
  const seen = new Map<string, ArchiveEntry[]>();
  for (const entry of entries) {
    const key = entry.name.normalize('NFC');
    seen.set(key, [...(seen.get(key) ?? []), entry]);
  }
  for (const same of seen.values()) {
    if (same.length > 1) {
      for (const entry of same) refuse(entry, `the name appears ${same.length} times in the zip`);
    }
  }

  // Entries whose data overlap another's (a bomb that reuses one compressed stream).
  const byOffset = [...byEntry.entries()].sort(
    (x, y) => x[1].relativeOffsetOfLocalHeader - y[1].relativeOffsetOfLocalHeader,
  );
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    const cur = byOffset[i];
    if (prev === undefined || cur === undefined) continue;
    const prevEnd = prev[1].relativeOffsetOfLocalHeader + 30 + prev[1].compressedSize;
    if (cur[1].relativeOffsetOfLocalHeader < prevEnd) {
      refuse(prev[0], 'its data overlaps another file in the zip (a zip bomb)');
      refuse(cur[0], 'its data overlaps another file in the zip (a zip bomb)');
    }
  }

  let total = 0;
  for (const entry of entries) {
    if (entry.refused !== null) continue;
    total += entry.size;
    if (total > limits.maxTotalBytes) {
      refuse(
        entry,
        `the files before it already declare more than ${limits.maxTotalBytes.toLocaleString('en-GB')} bytes in all`,
      );
    }
  }

  const readable = new Map<string, ArchiveEntry>();
  for (const entry of entries) if (entry.refused === null) readable.set(entry.name, entry);

  async function readChecked(
    entry: ArchiveEntry,
    maxBytes = limits.maxEntryBytes,
  ): Promise<{ bytes: Uint8Array; checksumMatches: boolean }> {
    const e = byEntry.get(entry);
    if (e === undefined)
      throw new DossierError('NOT_FOUND', `${shownName(entry.name)} is not in ${label}.`);
    if (entry.refused !== null) {
      throw new DossierError(
        'USAGE',
        `${shownName(entry.name)} in ${label} is not read: ${entry.refused}.`,
      );
    }
    if (entry.size > maxBytes) {
      throw new DossierError(
        'USAGE',
        `${shownName(entry.name)} in ${label} is ${entry.size.toLocaleString('en-GB')} bytes, more than the ${maxBytes.toLocaleString('en-GB')} read here.`,
      );
    }
    const parts: Buffer[] = [];
    let got = 0;
    try {
      const stream = await zip.openReadStreamPromise(e);
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        got += b.length;
        if (got > entry.size) {
          stream.destroy();
          throw new Error('it holds more bytes than it declares');
        }
        parts.push(b);
      }
    } catch (err) {
      throw new DossierError(
        'CORRUPT',
        `${shownName(entry.name)} in ${label} is damaged or was tampered with: ${(err as Error).message}.`,
        { cause: err },
      );
    }
    if (got !== entry.size) {
      throw new DossierError(
        'CORRUPT',
        `${shownName(entry.name)} in ${label} holds ${got} bytes but declares ${entry.size}.`,
      );
    }
    const bytes = Buffer.concat(parts, got);
    // yauzl does not check CRC-32; a mismatch means the bytes changed after the zip was made.
    return { bytes, checksumMatches: crc32(bytes) === e.crc32 };
  }

  async function read(entry: ArchiveEntry, maxBytes?: number): Promise<Uint8Array> {
    const { bytes, checksumMatches } = await readChecked(entry, maxBytes);
    if (!checksumMatches) {
      throw new DossierError(
        'CORRUPT',
        `${shownName(entry.name)} in ${label} is damaged or was changed: its bytes do not match the checksum the zip records.`,
      );
    }
    return bytes;
  }

  return {
    entries,
    problems,
    find: (name) => readable.get(name),
    read,
    readChecked,
    close: () => zip.close(),
  };
}
