// `dossier verify`'s check of the transcripts: every message in data/metadata/messages.json is
// cut out of its exhibit in the bundle (of the chat file inside it, for a zip, read with the
// same archive reader the import uses) and its SHA-256 compared (docs/bundle-format.md,
// "Transcripts"). A changed message names itself, not only the file's hash.
import { createHash } from 'node:crypto';
import type { BagSource } from '../bagit/source';
import { openArchive, shownName } from '../conversations/archive';

export const MESSAGES = 'data/metadata/messages.json';

/** A message's record in messages.json, as far as the check needs it. */
export interface MessageSpan {
  n: number;
  exhibit: string;
  file: string;
  chatFile: string | null;
  offset: number;
  length: number;
  sha256: string;
  index: number;
  sender: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const EXHIBIT_FILE = /^data\/(evidence|derived)\/[^/]+$/;
/** A zip exhibit is read whole to reach its chat file: past this it is not checked (said so). */
const MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024 - 1;
/**
 * A hostile messages.json could list a million spans over a whole large file: past these the
 * spans are not checked, and that is an error (an export lists at most a few hundred thousand).
 */
export const MESSAGE_CHECK_LIMITS = { records: 1_000_000, bytes: 16 * 1024 * 1024 * 1024 };

/** The records of messages.json, or a problem in words for each one that is not a record. */
export function parseMessageSpans(raw: Buffer): { spans: MessageSpan[]; problems: string[] } {
  let list: unknown;
  try {
    list = JSON.parse(raw.toString('utf8'));
  } catch {
    return { spans: [], problems: [`${MESSAGES} is not valid JSON: it was changed or damaged.`] };
  }
  if (!Array.isArray(list))
    return { spans: [], problems: [`${MESSAGES} is not a list of messages.`] };
  const spans: MessageSpan[] = [];
  const problems: string[] = [];
  list.forEach((m: Record<string, unknown> | null, n) => {
    const ok =
      m !== null &&
      typeof m === 'object' &&
      typeof m.exhibit === 'string' &&
      typeof m.file === 'string' &&
      EXHIBIT_FILE.test(m.file) &&
      (m.chatFile === null || typeof m.chatFile === 'string') &&
      Number.isSafeInteger(m.offset) &&
      (m.offset as number) >= 0 &&
      Number.isSafeInteger(m.length) &&
      (m.length as number) >= 0 &&
      typeof m.sha256 === 'string' &&
      HEX64.test(m.sha256) &&
      Number.isSafeInteger(m.index);
    if (!ok) {
      problems.push(
        `Entry ${n + 1} of ${MESSAGES} is not a complete message record (exhibit, file under data/evidence or data/derived, chatFile, offset, length, sha256, index).`,
      );
      return;
    }
    spans.push({
      n,
      exhibit: m.exhibit as string,
      file: m.file as string,
      chatFile: m.chatFile as string | null,
      offset: m.offset as number,
      length: m.length as number,
      sha256: m.sha256 as string,
      index: m.index as number,
      sender: typeof m.sender === 'string' ? m.sender : '',
    });
  });
  return { spans, problems };
}

/** Which message, in words: its exhibit, place and sender (escaped). */
export function messageName(s: MessageSpan): string {
  return `Message ${s.index + 1} of exhibit ${shownName(s.exhibit)}${s.sender ? ` (from ${shownName(s.sender)})` : ''}`;
}

function where(s: MessageSpan): string {
  return `bytes ${s.offset}+${s.length} of ${s.chatFile === null ? s.file : `${shownName(s.chatFile)} inside ${s.file}`}`;
}

/**
 * Checks every span against the bundle's copy of its exhibit; calls `err` once per message
 * that differs or cannot be found, and per exhibit that cannot be read.
 */
export async function checkMessageSpans(
  source: BagSource,
  files: ReadonlySet<string>,
  raw: Buffer,
  err: (file: string | null, message: string) => void,
): Promise<void> {
  const { spans, problems } = parseMessageSpans(raw);
  for (const p of problems.slice(0, 100)) err(MESSAGES, p);
  if (problems.length > 100)
    err(MESSAGES, `… and ${problems.length - 100} more entries that are not message records.`);
  const bytes = spans.reduce((n, s) => n + s.length, 0);
  if (spans.length > MESSAGE_CHECK_LIMITS.records || bytes > MESSAGE_CHECK_LIMITS.bytes) {
    err(
      MESSAGES,
      `${MESSAGES} lists ${spans.length} messages covering ${bytes} bytes, more than Dossier checks (${MESSAGE_CHECK_LIMITS.records} messages, ${MESSAGE_CHECK_LIMITS.bytes} bytes); none of them were checked.`,
    );
    return;
  }
  const groups = new Map<string, MessageSpan[]>();
  for (const s of spans) {
    if (!files.has(s.file)) {
      err(MESSAGES, `${messageName(s)} points into ${s.file}, which is not in the bundle.`);
      continue;
    }
    const key = JSON.stringify([s.file, s.chatFile]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  for (const group of groups.values()) {
    const { file, chatFile } = group[0]!;
    const report = (got: Map<MessageSpan, string | null>): void => {
      for (const s of group) {
        const h = got.get(s) ?? null;
        if (h === null)
          err(
            file,
            `${messageName(s)} is not in its original: ${where(s)} runs past the end of the file.`,
          );
        else if (h !== s.sha256)
          err(
            file,
            `${messageName(s)} does not match its original: ${where(s)} have SHA-256 ${h}, but ${MESSAGES} says ${s.sha256}. The exhibit or the record was changed.`,
          );
      }
    };
    try {
      if (chatFile === null) {
        report(await hashSpans(source.read(file), group));
        continue;
      }
      const zip = await readAtMost(source.read(file), MAX_ZIP_BYTES);
      if (zip === null) {
        err(file, `${file} is too large to open here; its messages were not checked.`);
        continue;
      }
      const archive = await openArchive(zip, file);
      try {
        const entry = archive.find(chatFile);
        if (!entry) {
          err(
            file,
            `${shownName(chatFile)} is not a readable file inside ${file}, so ${group.length} message(s) of exhibit ${shownName(group[0]!.exhibit)} cannot be checked.`,
          );
          continue;
        }
        const bytes = await archive.read(entry);
        report(await hashSpans([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)], group));
      } finally {
        archive.close();
      }
    } catch (e) {
      err(
        file,
        `The messages of ${file} could not be checked: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}

/** The whole stream, or null once it passes `max` bytes (it stops reading there). */
async function readAtMost(chunks: AsyncIterable<Buffer>, max: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > max) return null;
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/**
 * The SHA-256 of each span of a stream read once, in order (null for a span that runs past
 * its end). Spans may overlap (JSON messages inside their thread).
 */
export async function hashSpans(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  spans: readonly MessageSpan[],
): Promise<Map<MessageSpan, string | null>> {
  const order = [...spans].sort((a, b) => a.offset - b.offset);
  const out = new Map<MessageSpan, string | null>();
  const open: { s: MessageSpan; h: ReturnType<typeof createHash>; end: number }[] = [];
  let next = 0;
  let pos = 0;
  const start = (upTo: number): void => {
    while (next < order.length && order[next]!.offset < upTo) {
      const s = order[next++]!;
      open.push({ s, h: createHash('sha256'), end: s.offset + s.length });
    }
  };
  for await (const chunk of chunks) {
    const endPos = pos + chunk.length;
    start(endPos);
    for (let i = 0; i < open.length; i++) {
      const o = open[i]!;
      const from = Math.max(o.s.offset, pos) - pos;
      const to = Math.min(o.end, endPos) - pos;
      if (to > from) o.h.update(chunk.subarray(from, to));
      if (o.end <= endPos) {
        out.set(o.s, o.h.digest('hex'));
        open.splice(i--, 1);
      }
    }
    pos = endPos;
  }
  // Empty spans at the very end, and spans past the end.
  start(Number.MAX_SAFE_INTEGER);
  for (const o of open) out.set(o.s, o.end <= pos ? o.h.digest('hex') : null);
  return out;
}
