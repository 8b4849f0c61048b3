// A mailbox read as a conversation: each message the splitter (mbox.ts) finds is read with
// the email reader and becomes a ConversationMessage that points back at its exact span
// (docs/conversations.md, "mbox").
//
// Attachments: with `withFiles`, each yielded message carries `files`, the decoded bytes of
// its attachments (and of the pictures shown inside its HTML body), from the same parse that
// read its text. Ingest stores them as items derived from the mailbox as the messages come,
// so no message is parsed twice. A large mailbox is read on email threads (email-threads.ts),
// a few messages ahead of the one being stored; what is held ahead is bounded in bytes.
import { availableParallelism } from 'node:os';
import { EmailThreads, IN_THIS_THREAD, type EmailReading } from './email-threads';
import { unreadableEmail, type MailboxMessageFacts } from './mailbox-message';
import { splitMbox, type MboxMessage, type MboxSplitSummary, type SplitOptions } from './mbox';
import type {
  ConversationProblem,
  ConversationReader,
  ConversationSummary,
  ExportFile,
  OpenedConversation,
  ReadMessage,
} from './types';

export const MAILBOX_READER = 'dossier-mbox 1';

export interface MailboxOptions extends SplitOptions {
  /** The file's name, for the title only. */
  name?: string;
  /** Yield each message's attachments with their bytes (`files`). */
  withFiles?: boolean;
  /** Where messages are read as emails (default: in this thread, one at a time). */
  reading?: EmailReading;
}

/** A message as the mailbox reader yields it. */
export interface MailboxMessage extends ReadMessage {
  /** SHA-256 (hex) of the message's span in the file, so ingest need not hash it again. */
  sha256: string;
}

export interface MailboxSummary extends ConversationSummary {
  /** How the file was split (recorded with the reading in the custody log). */
  mbox: Omit<MboxSplitSummary, 'problems' | 'messageCount'>;
}

/** Past this many, problems are counted, not listed. */
export const MAX_LISTED_PROBLEMS = 1000;
/** Bytes of messages read ahead of the one being yielded (one message is always allowed). */
const MAX_AHEAD_BYTES = 32 * 1024 * 1024;
/** A mailbox smaller than this is read in the caller's thread: starting threads costs more. */
export const THREADS_FROM_BYTES = 8 * 1024 * 1024;

/** A title from the file's name: "All mail Including Spam and Trash.mbox" → without ".mbox". */
function titleOf(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const bare = base.replace(/\.(mbox|mbx|mboxrd)$/i, '').trim();
  return bare || 'Mailbox';
}

/**
 * The messages of a mailbox, in file order, each with its span, sender, time and text;
 * returns the summary when done. Never throws on a hostile mailbox (what could not be read
 * is in the problems); an error reading `chunks` is thrown on.
 */
export async function* readMailbox(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: MailboxOptions = {},
): AsyncGenerator<MailboxMessage, MailboxSummary, undefined> {
  const problems: ConversationProblem[] = [];
  let unlisted = 0;
  const note = (p: ConversationProblem) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
    else unlisted++;
  };
  const split = splitMbox(chunks, opts);
  const reading = opts.reading ?? IN_THIS_THREAD;
  const withFiles = opts.withFiles === true;
  // Messages split and handed to the reader, in file order, waiting to be yielded. Bounded by
  // count and bytes, so memory does not grow with the mailbox.
  type Outcome = { facts: MailboxMessageFacts } | { error: unknown };
  const queue: { m: MboxMessage; outcome: Promise<Outcome> | null }[] = [];
  let queuedBytes = 0;
  let done: MboxSplitSummary | null = null;
  let count = 0;
  for (;;) {
    while (
      done === null &&
      queue.length < Math.max(1, reading.ahead) &&
      (queue.length === 0 || queuedBytes < MAX_AHEAD_BYTES)
    ) {
      const next = await split.next();
      if (next.done) {
        done = next.value;
        break;
      }
      const m = next.value;
      // Settled at once into a value, so a failure waiting in the queue is never unhandled.
      const outcome =
        m.raw === null
          ? null
          : reading.read(m.raw, withFiles).then(
              (facts): Outcome => ({ facts }),
              (error: unknown): Outcome => ({ error }),
            );
      queue.push({ m, outcome });
      queuedBytes += m.raw?.byteLength ?? 0;
    }
    const head = queue.shift();
    if (!head) break;
    const { m } = head;
    queuedBytes -= m.raw?.byteLength ?? 0;
    const where = { line: m.line, offset: m.offset };
    const message: MailboxMessage = {
      index: m.index,
      kind: 'message',
      sender: '',
      senderId: null,
      time: null,
      timeSource: 'none',
      text: '',
      edited: false,
      offset: m.offset,
      length: m.length,
      line: m.line,
      lineEnd: m.lineEnd,
      attachments: [],
      externalId: null,
      replyTo: null,
      details: {},
      sha256: m.sha256,
      ...(withFiles && { files: [] }),
    };
    for (const p of m.problems) note(p);
    const outcome = head.outcome ? await head.outcome : null;
    if (outcome && 'facts' in outcome) {
      const { problems: found, ...facts } = outcome.facts;
      for (const text of found) note({ ...where, message: text });
      Object.assign(message, facts);
    } else if (outcome) {
      note({ ...where, message: unreadableEmail(outcome.error) });
    }
    count++;
    yield message;
  }
  if (done === null) throw new Error('The mailbox splitter stopped before its end.');
  if (unlisted > 0) {
    problems.push({
      line: null,
      offset: null,
      message:
        unlisted === 1
          ? '1 more problem was found and not listed.'
          : `${unlisted} more problems were found and not listed.`,
    });
  }
  const { variant, variantSource, variantReason, lineEnding, bytes, leading, rest } = done;
  return {
    format: 'mbox',
    reader: MAILBOX_READER,
    chatFile: null,
    title: titleOf(opts.name),
    messageCount: count,
    dateOrder: null,
    dateOrderSource: null,
    timeZone: null,
    timeZoneSource: null,
    problems: [...done.problems, ...problems],
    mbox: { variant, variantSource, variantReason, lineEnding, bytes, leading, rest },
  };
}

const MBOX_NAME = /\.(mbox|mbx|mboxrd)$/i;
/** Names of single emails and other formats, never read as a mailbox. */
const NOT_MBOX_NAME = /\.(eml|emlx|msg|txt|json|zip|html?|csv)$/i;

/** Whether `head` starts (after blank lines) with a From_ line followed by a header field. */
export function looksLikeMbox(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  let i = 0;
  while (i < b.length && (b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x20 || b[i] === 0x09)) i++;
  if (b.toString('latin1', i, i + 5) !== 'From ') return false;
  const nl = b.indexOf(0x0a, i);
  if (nl < 0 || nl - i > 1000) return false;
  // "From " then a sender (or "-", as Thunderbird writes) and a date.
  const fromLine = b.toString('latin1', i + 5, nl).trim();
  if (!/^\S+\s+\S/.test(fromLine)) return false;
  const next = b.toString('latin1', nl + 1, Math.min(b.length, nl + 1 + 80));
  return /^[!-9;-~]+:/.test(next) || next.startsWith('From ');
}

/** The mbox reader for ingest's registry (conversations/readers.ts). */
export const mailboxReader: ConversationReader = {
  format: 'mbox',
  detect(head, name, mime) {
    if (NOT_MBOX_NAME.test(name)) return false;
    if (looksLikeMbox(head)) return true;
    // A file named as a mailbox (or typed so) that has a From_ line in its first bytes.
    const named = MBOX_NAME.test(name) || mime === 'application/mbox';
    return named && Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes('\nFrom ');
  },
  open(file: ExportFile): Promise<OpenedConversation> {
    let summary: MailboxSummary | null = null;
    async function* messages(): AsyncGenerator<MailboxMessage> {
      const threads =
        file.size >= THREADS_FROM_BYTES && availableParallelism() > 1
          ? EmailThreads.forThisMachine()
          : null;
      try {
        const reading = readMailbox(file.chunks(), {
          name: file.name,
          withFiles: true,
          ...(threads && { reading: threads }),
        });
        for (;;) {
          const next = await reading.next();
          if (next.done) {
            summary = next.value;
            return;
          }
          yield next.value;
        }
      } finally {
        await threads?.close();
      }
    }
    return Promise.resolve({
      // The offsets count into the mailbox itself; summary() is only known at the end.
      chatFile: null,
      messages: messages(),
      media: [],
      summary() {
        if (!summary) throw new Error('The mailbox has not been read to its end yet.');
        return summary;
      },
    });
  },
};
