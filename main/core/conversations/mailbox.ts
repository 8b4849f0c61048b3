// A mailbox read as a conversation: each message the splitter (mbox.ts) finds is read with
// the email reader and becomes a ConversationMessage that points back at its exact span
// (docs/conversations.md, "mbox").
//
// Attachments: with `withFiles`, each yielded message carries `files`, the decoded bytes of
// its attachments (and of the pictures shown inside its HTML body), from the same parse that
// read its text. Ingest stores them as items derived from the mailbox as the messages come,
// so no message is parsed twice and no more than one message's files are held at a time.
import { addressParser, decodeWords } from 'postal-mime';
import { readEmailMessage, type ParsedEmail } from '../../../shared/email';
import { displayName } from '../../../shared/display-name';
import { htmlToText } from '../../../shared/email-text';
import { emailDateIso } from '../evidence/text';
import { splitMbox, type MboxSplitSummary, type SplitOptions } from './mbox';
import {
  CONVERSATION_LIMITS,
  type AttachedFile,
  type ConversationProblem,
  type ConversationReader,
  type ConversationSummary,
  type ExportFile,
  type OpenedConversation,
  type ReadMessage,
} from './types';

export const MAILBOX_READER = 'dossier-mbox 1';

export interface MailboxOptions extends SplitOptions {
  /** The file's name, for the title only. */
  name?: string;
  /** Yield each message's attachments with their bytes (`files`). */
  withFiles?: boolean;
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
/** A header block read for In-Reply-To and Gmail's headers stops here. */
const MAX_HEADER_BLOCK = 256 * 1024;
/** One header value is cut here (RFC 5322 lines are at most 998 characters). */
const MAX_HEADER_VALUE = 64 * 1024;
/** A sender shown longer than this is cut. */
const MAX_SENDER_CHARS = 500;

/** The few headers the email reader does not give, from the top of the raw message. */
export function mailboxHeaders(raw: Uint8Array): Map<string, string> {
  const wanted = new Set(['in-reply-to', 'x-gmail-labels', 'x-gm-thrid']);
  const found = new Map<string, string>();
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, MAX_HEADER_BLOCK));
  let name: string | null = null;
  let value = '';
  const keep = () => {
    if (name !== null && !found.has(name)) found.set(name, value.slice(0, MAX_HEADER_VALUE).trim());
    name = null;
  };
  for (let start = 0; start < bytes.length;) {
    let nl = bytes.indexOf(0x0a, start);
    if (nl < 0) nl = bytes.length;
    let lineEnd = nl;
    if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    if (lineEnd === start) break; // the empty line that ends the headers
    const first = bytes[start]!;
    if (first === 0x20 || first === 0x09) {
      // A folded line continues the header before it.
      if (name !== null && value.length < MAX_HEADER_VALUE) {
        value += bytes.toString('utf8', start, Math.min(lineEnd, start + MAX_HEADER_VALUE));
      }
    } else {
      keep();
      const colon = bytes.indexOf(0x3a, start);
      if (colon > start && colon < lineEnd && colon - start <= 64) {
        const key = bytes.toString('latin1', start, colon).trim().toLowerCase();
        if (wanted.has(key) && !found.has(key)) {
          name = key;
          value = bytes.toString(
            'utf8',
            colon + 1,
            Math.min(lineEnd, colon + 1 + MAX_HEADER_VALUE),
          );
        }
      }
    }
    start = nl + 1;
  }
  keep();
  return found;
}

/**
 * X-Gmail-Labels as Google Takeout writes it: labels separated by commas; a label with a
 * comma or a quote in it is in double quotes (with \" and \\ inside); a non-ASCII label may
 * be an RFC 2047 encoded word. Empty and repeated labels are dropped; the order is kept.
 */
export function splitGmailLabels(value: string): string[] {
  const labels: string[] = [];
  let current = '';
  let quoted = false;
  const push = () => {
    const label = decodeWords(current.trim()).trim();
    if (label && !labels.includes(label)) labels.push(label);
    current = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') push();
    else current += c;
  }
  push();
  return labels;
}

/** The first `<…>` of a Message-ID or In-Reply-To, or the first word when there is none. */
export function messageIdOf(value: string): string | null {
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open + 1);
    if (close > open + 1) return value.slice(open, close + 1);
  }
  const word = value.trim().split(/\s+/, 1)[0] ?? '';
  return word || null;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** The sender as shown (the name, else the address) and the address in lower case. */
export function senderOf(from: string): { sender: string; senderId: string | null } {
  const first = addressParser(from.slice(0, MAX_HEADER_VALUE), { flatten: true })[0];
  const address = first?.address?.trim() ?? '';
  const senderId = address.includes('@') ? address.toLowerCase() : null;
  const sender = first?.name?.trim() || address || from.trim();
  return { sender: cut(sender, MAX_SENDER_CHARS), senderId };
}

/** Subject and body as one text: what is searched and shown. */
function textOf(email: ParsedEmail): string {
  const body = email.text ?? (email.html !== null ? htmlToText(email.html) : '');
  return [email.subject.trim(), body].filter((s) => s.length > 0).join('\n\n');
}

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
  let count = 0;
  let done: MboxSplitSummary;
  for (;;) {
    const next = await split.next();
    if (next.done) {
      done = next.value;
      break;
    }
    const m = next.value;
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
      ...(opts.withFiles === true && { files: [] }),
    };
    for (const p of m.problems) note(p);
    if (m.raw !== null) {
      let email: ParsedEmail | null = null;
      try {
        email = await readEmailMessage(m.raw, {
          withAttachmentBytes: opts.withFiles === true,
          listInlineImages: true,
        });
      } catch (e) {
        note({
          ...where,
          message: `This message could not be read as an email (${e instanceof Error ? e.message : String(e)}); its bytes are kept in the mailbox.`,
        });
      }
      if (email)
        fill(message, email, m.raw, opts.withFiles === true, (text) =>
          note({ ...where, message: text }),
        );
    }
    count++;
    yield message;
  }
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

/** The parsed email's facts on the message. */
function fill(
  message: MailboxMessage,
  email: ParsedEmail,
  raw: Uint8Array,
  withFiles: boolean,
  note: (text: string) => void,
): void {
  for (const p of email.problems) note(p);
  const { sender, senderId } = senderOf(email.from);
  message.sender = sender;
  message.senderId = senderId;
  if (!email.date.trim()) {
    note('This message has no Date header, so it has no time; it keeps its place in the mailbox.');
  } else {
    const time = emailDateIso(email.date);
    if (time === null) {
      note(
        `This message's Date header ("${displayName(cut(email.date.trim(), 80))}") could not be read, so it has no time; it keeps its place in the mailbox.`,
      );
    } else {
      message.time = time;
      message.timeSource = 'email-date';
    }
  }
  let text = textOf(email);
  if (text.length > CONVERSATION_LIMITS.maxMessageChars) {
    note(
      `This message's text is longer than ${CONVERSATION_LIMITS.maxMessageChars.toLocaleString('en')} characters; the rest is in the mailbox, not in search.`,
    );
    text = text.slice(0, CONVERSATION_LIMITS.maxMessageChars);
  }
  message.text = text;
  const headers = mailboxHeaders(raw);
  message.externalId = messageIdOf(email.messageId);
  message.replyTo = messageIdOf(headers.get('in-reply-to') ?? '');
  const labels = headers.has('x-gmail-labels')
    ? splitGmailLabels(headers.get('x-gmail-labels')!)
    : [];
  message.details = {
    subject: email.subject,
    from: email.from,
    to: email.to,
    cc: email.cc,
    date: email.date,
    labels,
    threadId: headers.get('x-gm-thrid') || null,
  };
  message.attachments = email.attachments.map((a) => ({ name: a.name, omitted: false }));
  if (withFiles) {
    const files: AttachedFile[] = [];
    for (const a of email.attachments) {
      if (a.bytes) files.push({ name: a.name, mime: a.mime, bytes: a.bytes });
    }
    message.files = files;
  }
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
      const reading = readMailbox(file.chunks(), { name: file.name, withFiles: true });
      for (;;) {
        const next = await reading.next();
        if (next.done) {
          summary = next.value;
          return;
        }
        yield next.value;
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
