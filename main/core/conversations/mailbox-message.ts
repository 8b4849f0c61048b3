// One message of a mailbox read as an email: its sender, time, text, ids, Gmail labels and
// attachments (docs/conversations.md, "mbox"). Pure and self-contained, so that it runs on the
// email threads (threads/email.ts) as well as in the caller's thread: large mailboxes are
// read on other cores while ingest stores what came before.
import { addressParser, decodeWords } from 'postal-mime';
import { readEmailMessage, type ParsedEmail } from '../../../shared/email';
import { displayName } from '../../../shared/display-name';
import { htmlToText } from '../../../shared/email-text';
import { emailDateIso } from '../evidence/text';
import {
  CONVERSATION_LIMITS,
  type AttachedFile,
  type ConversationMessage,
  type TimeSource,
} from './types';

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

/** The problem for a message the email reader could not read (in this thread or another). */
export function unreadableEmail(e: unknown): string {
  return `This message could not be read as an email (${e instanceof Error ? e.message : String(e)}); its bytes are kept in the mailbox.`;
}

/** What one message's bytes say, and what was wrong with them (in words). */
export interface MailboxMessageFacts {
  sender: string;
  senderId: string | null;
  time: string | null;
  timeSource: TimeSource;
  text: string;
  externalId: string | null;
  replyTo: string | null;
  details: ConversationMessage['details'];
  attachments: ConversationMessage['attachments'];
  /** The attachments' bytes (and the pictures shown in the HTML body), with `withFiles`. */
  files?: AttachedFile[];
  problems: string[];
}

/**
 * Reads one message's raw bytes (From_ line and mboxrd quoting already removed). Never throws:
 * a message that cannot be read as an email says so in `problems`, with no sender or text.
 */
export async function readMailboxMessage(
  raw: Uint8Array,
  withFiles: boolean,
): Promise<MailboxMessageFacts> {
  const facts: MailboxMessageFacts = {
    sender: '',
    senderId: null,
    time: null,
    timeSource: 'none',
    text: '',
    externalId: null,
    replyTo: null,
    details: {},
    attachments: [],
    ...(withFiles && { files: [] }),
    problems: [],
  };
  let email: ParsedEmail;
  try {
    email = await readEmailMessage(raw, { withAttachmentBytes: withFiles, listInlineImages: true });
  } catch (e) {
    facts.problems.push(unreadableEmail(e));
    return facts;
  }
  facts.problems.push(...email.problems);
  const { sender, senderId } = senderOf(email.from);
  facts.sender = sender;
  facts.senderId = senderId;
  if (!email.date.trim()) {
    facts.problems.push(
      'This message has no Date header, so it has no time; it keeps its place in the mailbox.',
    );
  } else {
    const time = emailDateIso(email.date);
    if (time === null) {
      facts.problems.push(
        `This message's Date header ("${displayName(cut(email.date.trim(), 80))}") could not be read, so it has no time; it keeps its place in the mailbox.`,
      );
    } else {
      facts.time = time;
      facts.timeSource = 'email-date';
    }
  }
  let text = textOf(email);
  if (text.length > CONVERSATION_LIMITS.maxMessageChars) {
    facts.problems.push(
      `This message's text is longer than ${CONVERSATION_LIMITS.maxMessageChars.toLocaleString('en')} characters; the rest is in the mailbox, not in search.`,
    );
    text = text.slice(0, CONVERSATION_LIMITS.maxMessageChars);
  }
  facts.text = text;
  const headers = mailboxHeaders(raw);
  facts.externalId = messageIdOf(email.messageId);
  facts.replyTo = messageIdOf(headers.get('in-reply-to') ?? '');
  const labels = headers.has('x-gmail-labels')
    ? splitGmailLabels(headers.get('x-gmail-labels')!)
    : [];
  facts.details = {
    subject: email.subject,
    from: email.from,
    to: email.to,
    cc: email.cc,
    date: email.date,
    labels,
    threadId: headers.get('x-gm-thrid') || null,
  };
  if (!withFiles) {
    facts.attachments = email.attachments.map((a) => ({ name: a.name, omitted: false }));
    return facts;
  }
  // With their bytes, attachments are `files` (ingest stores each and lists it on the
  // message). A name listed as well would be looked for as a file beside the mailbox. One
  // whose bytes could not be decoded (said in problems) is listed as not there.
  facts.files = email.attachments.flatMap((a) =>
    a.bytes ? [{ name: a.name, mime: a.mime, bytes: a.bytes }] : [],
  );
  facts.attachments = email.attachments.flatMap((a) =>
    a.bytes ? [] : [{ name: a.name, omitted: true }],
  );
  return facts;
}
