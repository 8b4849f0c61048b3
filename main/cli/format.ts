import { custodyEntryText } from '../../shared/custody-wording';
import { shortSize } from '../../shared/size-text';
import type {
  AddProgress,
  AddResult,
  BundleReport,
  CustodyEntry,
  Incident,
  IntegrityReport,
  ItemDetail,
  ItemSummary,
  Person,
  RemovalResult,
} from '../core';
import type { ConversationView, MessageView } from '../core/conversations/repository';
import type { LibraryRow } from '../core/items/library';
import type { MarkedText } from './output';
import { terminalSafe as safe } from './terminal-text';

/**
 * Human output for a terminal. JSON output is the objects themselves. Every string that
 * came from a file, an email, a bundle or a person's typing goes through `safe`, which
 * also escapes line breaks, so it stays on its own line and cannot forge another.
 */

export function addResultLine(r: AddResult): string {
  switch (r.status) {
    case 'added': {
      const warn = r.warnings.length ? `\n         note: ${safe(r.warnings.join(' '))}` : '';
      return `added      ${r.id}  ${r.sha256.slice(0, 16)}…  ${safe(r.name)}${warn}`;
    }
    case 'duplicate':
      return `duplicate  ${r.id}  ${r.sha256.slice(0, 16)}…  ${safe(r.name)} (same bytes as "${safe(r.existingName)}", already in the vault; not stored twice)`;
    case 'skipped':
      return `skipped    ${safe(r.error)}`;
    case 'failed':
      return `FAILED     ${safe(r.path)}: ${safe(r.error)}`;
  }
}

export function addResultJson(r: AddResult): Record<string, unknown> {
  if (r.status === 'added' || r.status === 'duplicate') return { ...r };
  return {
    status: r.status,
    id: null,
    sha256: null,
    name: r.name,
    path: r.path,
    duplicate: false,
    error: r.error,
  };
}

export function itemLine(i: ItemSummary): string {
  const tags = i.tags.length ? `  [${i.tags.map(safe).join(', ')}]` : '';
  return `${i.id}  ${i.ingestedAt.slice(0, 19).replace('T', ' ')}Z  ${shortSize(i.size).padStart(10)}  ${safe(i.mime).padEnd(24)}  ${safe(i.name)}${tags}`;
}

export function itemDetailText(i: ItemDetail): string {
  const offset = `${i.ingestedOffsetMinutes >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(i.ingestedOffsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(i.ingestedOffsetMinutes) % 60).padStart(2, '0')}`;
  const lines = [
    `Item        ${i.id}`,
    `Name        ${safe(i.name)}`,
    ...(i.originalName == null
      ? []
      : [`Original    ${safe(i.originalName)} (the name it was imported with)`]),
    `SHA-256     ${i.sha256}`,
    `Size        ${shortSize(i.size)} (${i.size} bytes)`,
    `Type        ${safe(i.mime)}`,
    `Imported    ${i.ingestedAt} (UTC; local offset then ${offset})`,
    `File time   ${i.sourceTimes.mtime ?? '—'} (UTC, the file's last-modified time)`,
  ];
  if (i.sourceTimes.exif)
    lines.push(
      `Taken       ${safe(i.sourceTimes.exif)} (from the photo's EXIF${/[zZ]|[+-]\d\d:\d\d$/.test(i.sourceTimes.exif) ? '' : '; camera local time, no time zone recorded'})`,
    );
  if (i.sourceTimes.email) lines.push(`Email date  ${safe(i.sourceTimes.email)}`);
  if (i.width && i.height) lines.push(`Image       ${i.width} × ${i.height} pixels`);
  if (i.sourcePath) lines.push(`From        ${safe(i.sourcePath)}`);
  lines.push(`Stored as   ${i.blob}`);
  if (i.thumbnail) lines.push(`Preview     ${i.thumbnail}`);
  if (i.tags.length) lines.push(`Tags        ${i.tags.map(safe).join(', ')}`);
  if (i.sensitive.length)
    lines.push(
      `Sensitive   ${safe(i.sensitive.join(', '))} (e.g. GPS shows where a photo was taken; think before sharing)`,
    );
  // A note keeps its own line breaks, each line indented under the label.
  for (const n of i.notes)
    lines.push(
      `Note        ${n.body
        .split('\n')
        .map(safe)
        .join(`\n${' '.repeat(12)}`)}`,
    );
  for (const e of i.metadataErrors) lines.push(`Problem     ${safe(e)}`);
  if (i.sources.length > 1) {
    lines.push(`Imported ${i.sources.length} times (identical bytes):`);
    for (const s of i.sources) lines.push(`  ${s.seenAt}  ${safe(s.sourcePath ?? s.name)}`);
  }
  return lines.join('\n');
}

/** One custody entry: its place, time, actor and action, then what it records in words. */
export function custodyLine(e: CustodyEntry): string {
  return `${String(e.seq).padStart(5)}  ${safe(e.at)}  ${safe(e.actor).padEnd(6)} ${safe(e.action).padEnd(15)} ${safe(custodyEntryText(e))}`;
}

/** One problem `dossier check` found; its message may quote an item's name. */
export function checkProblemLine(p: IntegrityReport['problems'][number]): string {
  return `  - ${safe(p.message)}`;
}

/** One problem `dossier verify` found; the file name and message come from the bundle. */
export function bundleProblemLine(p: BundleReport['problems'][number]): string {
  return `${p.severity === 'error' ? 'PROBLEM' : 'warning'}  ${p.file ? `${safe(p.file)}: ` : ''}${safe(p.message)}`;
}

export function incidentLine(i: Incident): string {
  const messages = i.messages.length ? `, ${i.messages.length} message(s)` : '';
  return `${i.id}  ${safe(i.occurredAt)}  ${safe(i.place || '—')}  ${safe(i.summary)}  (${i.itemIds.length} item(s)${messages})`;
}

const TIME_SOURCE_WORDS: Record<string, string> = {
  'export-instant': 'as the export gives it',
  'email-date': "from each email's Date header, in the sender's offset",
  'export-local-confirmed': 'as shown in the export, in the time zone given',
  'export-local-assumed': "as shown in the export, in this computer's time zone (not confirmed)",
  none: 'not given by the export',
};

/** `show` of an item read as a conversation: what it holds, and how its times were read. */
export function conversationText(c: ConversationView): string {
  const lines = [
    `Conversation ${safe(c.title)} (${safe(c.format)}, read by ${safe(c.reader)})`,
    `Messages    ${c.messageCount}`,
    `From        ${c.firstTime ?? '—'} to ${c.lastTime ?? '—'} (UTC)`,
  ];
  if (c.chatFile) lines.push(`Chat file   ${safe(c.chatFile)} (inside the export)`);
  if (c.timeSource)
    lines.push(
      `Times       ${TIME_SOURCE_WORDS[c.timeSource] ?? safe(c.timeSource)}${c.timeZone ? ` (${safe(c.timeZone)})` : ''}`,
    );
  if (c.dateOrder) lines.push(`Dates       ${c.dateOrder === 'dmy' ? 'day first' : 'month first'}`);
  // A mailbox can have thousands of senders: the busiest are shown (`--json` has them all).
  const SHOWN = 20;
  const busiest = [...c.participants].sort((a, b) => b.messages - a.messages).slice(0, SHOWN);
  for (const p of busiest)
    lines.push(
      `Sender      ${safe(p.sender || '(the platform)')}${p.senderId && p.senderId !== p.sender ? ` [${safe(p.senderId)}]` : ''}: ${p.messages} message(s)${p.personId ? `, person ${p.personId}` : ''}`,
    );
  if (c.participants.length > SHOWN)
    lines.push(`            and ${c.participants.length - SHOWN} more senders (see --json)`);
  for (const p of c.problems.slice(0, SHOWN))
    lines.push(`Problem     ${p.line === null ? '' : `line ${p.line}: `}${safe(p.message)}`);
  if (c.problems.length > SHOWN)
    lines.push(`            and ${c.problems.length - SHOWN} more problems (see --json)`);
  return lines.join('\n');
}

/** One message for a terminal: its index, time and sender, then its text, lines indented. */
export function messageLine(m: MessageView): string {
  const head = `#${m.index}  ${safe(m.time ?? '(no time)')}  ${safe(m.sender || '(the platform)')}${m.kind === 'message' ? '' : ` [${m.kind}]`}${m.edited ? ' (edited)' : ''}:`;
  const text = m.text
    .split('\n')
    .map(safe)
    .join(`\n${' '.repeat(4)}`);
  const files = m.attachments.map((a) =>
    a.omitted
      ? `\n    attached: ${a.name ? `${safe(a.name)} ` : 'a file '}(left out of the export by the app)`
      : `\n    attached: ${safe(a.name)}${a.itemId ? ` (item ${a.itemId})` : ' (not in the export)'}`,
  );
  return `${head}\n    ${text}${files.join('')}`;
}

/**
 * `messages --json`: exactly these fields. offset and length are bytes into the stored
 * original, or into the chat file inside it named by `file` (an archive's).
 */
export function messageJson(m: MessageView, chatFile: string | null): Record<string, unknown> {
  return {
    index: m.index,
    sender: m.sender,
    senderId: m.senderId,
    time: m.time,
    timeSource: m.timeSource,
    text: m.text,
    offset: m.offset,
    length: m.length,
    line: m.line,
    attachments: m.attachments.map((a) => ({ name: a.name, omitted: a.omitted, itemId: a.itemId })),
    ...(chatFile === null ? {} : { file: chatFile }),
  };
}

/**
 * One `dossier search` hit: id, name, where it matched and the snippet, for output.ts to
 * escape and mark. A conversation found by a message says which (its index, as
 * `dossier messages` numbers it). The snippet's line breaks and tabs read as spaces.
 */
export function searchHitParts(r: LibraryRow): MarkedText[] {
  const message = r.source === 'message' ? r.message : null;
  // A tag's snippet says "tag: …" itself.
  const where =
    r.source === 'tag' ? '' : `${message ? `message #${message.index}` : (r.source ?? 'match')}: `;
  const snippet = (message ? message.snippet : (r.snippet ?? [])).map((s) => ({
    text: s.text.replace(/[ \t\r\n]+/g, ' '),
    match: s.match,
  }));
  const first = snippet[0];
  const last = snippet[snippet.length - 1];
  if (first) first.text = first.text.trimStart();
  if (last) last.text = last.text.trimEnd();
  return [
    { text: `${r.id}  `, match: false },
    { text: r.name, match: false },
    { text: `  ${where}`, match: false },
    ...snippet,
  ];
}

/**
 * `search --json`: exactly these fields. The snippet is plain text, the matches unmarked
 * (items.query gives them as segments); a message hit's snippet is the message's.
 */
export function searchHitJson(r: LibraryRow): {
  id: string;
  name: string;
  kind: string;
  snippet: string;
  source: string | null;
} {
  const message = r.source === 'message' ? r.message : null;
  const snippet = message ? message.snippet : (r.snippet ?? []);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    snippet: snippet.map((s) => s.text).join(''),
    source: r.source ?? null,
  };
}

export function removalLine(r: RemovalResult): string {
  return `Removed ${r.kind} ${r.id} (${safe(r.name)}). The custody log records the removal and the reason: ${safe(r.reason)}`;
}

export function personLine(p: Person): string {
  return `${p.id}  ${safe(p.role).padEnd(9)} ${safe(p.name)}  ${p.identifiers.map((i) => safe(i.value)).join(', ')}`;
}

/**
 * What unlocking had to tell the person (files moved to quarantine, a custody entry that
 * could not be written), one line each on stderr. The words come from the vault, but they
 * may quote file names, so each is escaped like everything else.
 */
export function printNotices(
  notices: readonly string[],
  err: (text: string) => void = (t) => {
    if (!process.stderr.destroyed) process.stderr.write(`${t}\n`);
  },
): void {
  for (const n of notices) err(safe(n));
}

/** A one-line progress bar redrawn in place on stderr (only when stderr is a terminal). */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: AddProgress): void {
    const now = Date.now();
    if (now - this.last < 100 && p.itemsDone < p.itemsTotal) return;
    this.last = now;
    const frac =
      p.bytesTotal > 0
        ? p.bytesDone / p.bytesTotal
        : p.itemsTotal > 0
          ? p.itemsDone / p.itemsTotal
          : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0.01 && frac < 1 ? ` ETA ${Math.ceil((elapsed / frac) * (1 - frac))}s` : '';
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.itemsDone}/${p.itemsTotal} files, ${shortSize(p.bytesDone)} of ${shortSize(p.bytesTotal)}${eta}   `,
    );
  }

  clear(): void {
    this.stream.write('\r\x1b[K');
  }
}
