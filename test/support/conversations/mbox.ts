// Mailboxes made by the tests and the bench: emails with attachments and Gmail labels, put
// together as mboxo, mboxrd, mboxcl or mboxcl2, with LF or CRLF, in memory or streamed.
// Each builder also says where every message is, so a test can check the reader's spans.

export type FixtureVariant = 'mboxo' | 'mboxrd' | 'mboxcl' | 'mboxcl2';

export interface FixtureAttachment {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface FixtureEmail {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  /** RFC 5322 date, e.g. "Tue, 05 Mar 2024 21:14:00 -0500". */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  /** The plain-text body (UTF-8). */
  text?: string;
  /** An HTML body, instead of or as well as the text. */
  html?: string;
  attachments?: FixtureAttachment[];
  /** X-Gmail-Labels, written as Takeout writes it (quoted when a label has a comma or quote). */
  labels?: string[];
  /** X-GM-THRID. */
  threadId?: string;
  /** More header lines, as written. */
  headers?: string[];
  /** Line ending of the whole message. */
  crlf?: boolean;
}

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\n');
}

/** A label list as Takeout writes X-Gmail-Labels. */
export function gmailLabelsHeader(labels: string[]): string {
  return labels
    .map((l) => (/[",\\]/.test(l) ? `"${l.replace(/[\\"]/g, (c) => `\\${c}`)}"` : l))
    .join(',');
}

/** One email's bytes (a complete message/rfc822). */
export function emailBytes(e: FixtureEmail): Uint8Array {
  const head: string[] = [];
  if (e.labels) head.push(`X-Gmail-Labels: ${gmailLabelsHeader(e.labels)}`);
  if (e.threadId) head.push(`X-GM-THRID: ${e.threadId}`);
  head.push(`From: ${e.from ?? 'Sender <sender@example.net>'}`);
  head.push(`To: ${e.to ?? 'Person <person@example.org>'}`);
  if (e.cc) head.push(`Cc: ${e.cc}`);
  head.push(`Subject: ${e.subject ?? 'Hello'}`);
  if (e.date !== '') head.push(`Date: ${e.date ?? 'Tue, 05 Mar 2024 21:14:00 +0000'}`);
  if (e.messageId) head.push(`Message-ID: ${e.messageId}`);
  if (e.inReplyTo) head.push(`In-Reply-To: ${e.inReplyTo}`);
  head.push(...(e.headers ?? []));
  head.push('MIME-Version: 1.0');
  const text = e.text ?? 'Hello.';
  const attachments = e.attachments ?? [];
  let body: string;
  if (attachments.length === 0 && e.html === undefined) {
    head.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
    body = text;
  } else {
    const boundary = 'dossier-fixture-boundary';
    head.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
    const parts: string[] = [];
    const plain = `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}`;
    if (e.html !== undefined) {
      // Text and HTML as alternatives of one body, as webmail sends them.
      const alt = 'dossier-fixture-alternative';
      const html = `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${e.html}`;
      parts.push(
        `Content-Type: multipart/alternative; boundary="${alt}"\n\n` +
          `--${alt}\n${plain}\n--${alt}\n${html}\n--${alt}--\n`,
      );
    } else {
      parts.push(plain);
    }
    for (const a of attachments) {
      parts.push(
        `Content-Type: ${a.mime}; name="${a.name}"\nContent-Disposition: attachment; filename="${a.name}"\n` +
          `Content-Transfer-Encoding: base64\n\n${base64Lines(a.bytes)}`,
      );
    }
    body = parts.map((p) => `--${boundary}\n${p}\n`).join('') + `--${boundary}--\n`;
  }
  let all = `${head.join('\n')}\n\n${body}`;
  if (!all.endsWith('\n')) all += '\n';
  if (e.crlf) all = all.replace(/\r?\n/g, '\r\n');
  return enc.encode(all);
}

/** Each line matching `pattern` at a line start gets a ">" in front. */
function quoteLines(msg: Uint8Array, rd: boolean): Uint8Array {
  const s = Buffer.from(msg).toString('latin1');
  const quoted = s.replace(rd ? /^(>*From )/gm : /^(From )/gm, '>$1');
  return Buffer.from(quoted, 'latin1');
}

/** mboxo quoting: "From " lines become ">From " (">From " lines are left alone). */
export const mboxoQuote = (msg: Uint8Array) => quoteLines(msg, false);
/** mboxrd quoting: every /^>*From / line gets one more ">". */
export const mboxrdQuote = (msg: Uint8Array) => quoteLines(msg, true);

export interface BuildOptions {
  variant?: FixtureVariant;
  /** The From_ line's text after "From " (default: Takeout's shape). */
  fromLine?: (index: number) => string;
  /** Line ending of the From_ lines and the separating empty lines. */
  crlf?: boolean;
}

export interface BuiltMailbox {
  bytes: Uint8Array;
  /** Each message's span (its From_ line through its separating empty line). */
  spans: Array<{ offset: number; length: number }>;
}

/** A default From_ line, as Google Takeout writes one. */
export const takeoutFromLine = (i: number) =>
  `${1780000000000000000n + BigInt(i)}@xxx Tue Mar 05 21:14:00 +0000 2024`;

/** The bytes of message `msg` as it is written into a mailbox (From_ line, quoting, separator). */
export function mboxEntry(msg: Uint8Array, index: number, opts: BuildOptions = {}): Uint8Array {
  const variant = opts.variant ?? 'mboxrd';
  const nl = opts.crlf ? '\r\n' : '\n';
  const body =
    variant === 'mboxrd' ? mboxrdQuote(msg) : variant === 'mboxcl2' ? msg : mboxoQuote(msg);
  let text = body;
  if (variant === 'mboxcl' || variant === 'mboxcl2') {
    // Content-Length counts the body: the bytes after the header block's empty line.
    const s = Buffer.from(body);
    const lf = s.indexOf('\n\n');
    const crlf = s.indexOf('\r\n\r\n');
    const isCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
    const headEnd = isCrlf ? crlf + 2 : lf >= 0 ? lf + 1 : s.length;
    const bodyStart = Math.min(s.length, headEnd + (isCrlf ? 2 : 1));
    text = concat([
      s.subarray(0, headEnd),
      enc.encode(`Content-Length: ${s.length - bodyStart}${isCrlf ? '\r\n' : '\n'}`),
      s.subarray(headEnd),
    ]);
  }
  const ends = text.length > 0 && text[text.length - 1] === 0x0a;
  const from = opts.fromLine ? opts.fromLine(index) : takeoutFromLine(index);
  return concat([enc.encode(`From ${from}${nl}`), text, enc.encode(ends ? nl : `${nl}${nl}`)]);
}

/** A mailbox of these messages. */
export function buildMbox(messages: Uint8Array[], opts: BuildOptions = {}): BuiltMailbox {
  const parts = messages.map((m, i) => mboxEntry(m, i, opts));
  const spans: BuiltMailbox['spans'] = [];
  let at = 0;
  for (const p of parts) {
    spans.push({ offset: at, length: p.length });
    at += p.length;
  }
  return { bytes: concat(parts), spans };
}

/** A small deterministic random number generator (mulberry32), so fixtures are repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'you know where I live and I will be there tonight again stop ignoring me this is not over ' +
  'everyone will see what you did From the start I said so >From now on'
).split(' ');

export interface GeneratedOptions {
  /** About how many bytes of body text. */
  bodyBytes?: number;
  /** Attach a file of this many bytes to every `attachEvery`-th message. */
  attachmentBytes?: number;
  attachEvery?: number;
  /** Gmail labels on every message (Takeout). */
  labels?: boolean;
  /** Every `htmlEvery`-th message also has an HTML body (multipart, as webmail sends). */
  htmlEvery?: number;
  seed?: number;
}

/** The `i`-th message of a generated harassment mailbox (Takeout-like). */
export function generatedEmail(i: number, opts: GeneratedOptions = {}): FixtureEmail {
  const rand = seeded((opts.seed ?? 1) * 1_000_003 + i);
  const words: string[] = [];
  let n = 0;
  const want = opts.bodyBytes ?? 600;
  while (n < want) {
    const w = WORDS[Math.floor(rand() * WORDS.length)]!;
    // Every so often a line break, sometimes before a word an mbox must quote.
    const sep = rand() < 0.1 ? '\n' : ' ';
    words.push(w, sep);
    n += w.length + 1;
  }
  const day = 1 + (i % 28);
  const minute = i % 60;
  const attach = opts.attachEvery && opts.attachmentBytes && i % opts.attachEvery === 0;
  // Filled only when attached (the last use of rand: the messages stay the same either way).
  const payload = new Uint8Array(attach ? opts.attachmentBytes! : 0);
  for (let k = 0; k < payload.length; k++) payload[k] = Math.floor(rand() * 256);
  const text = words.join('').trim();
  const html = opts.htmlEvery && i % opts.htmlEvery === 0;
  return {
    from: `Sender ${i % 7} <sender${i % 7}@example.net>`,
    subject: `Message ${i}`,
    date: `Tue, ${String(day).padStart(2, '0')} Mar 2024 21:${String(minute).padStart(2, '0')}:00 -0500`,
    messageId: `<m${i}@example.net>`,
    ...(i > 0 && { inReplyTo: `<m${i - 1}@example.net>` }),
    text,
    ...(html && {
      html: `<html><body><div dir="ltr">${text
        .split('\n')
        .map(
          (l) => `<p>${l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
        )
        .join('\n')}</div></body></html>`,
    }),
    ...(attach && {
      attachments: [{ name: `photo-${i}.bin`, mime: 'application/octet-stream', bytes: payload }],
    }),
    ...(opts.labels && {
      labels: ['Inbox', 'Category Personal', i % 3 === 0 ? 'Threats, kept' : 'Opened'],
      threadId: String(1780000000000000000n + BigInt(Math.floor(i / 3))),
    }),
  };
}

/** A generated mailbox in memory. */
export function generatedMbox(
  count: number,
  opts: GeneratedOptions & BuildOptions = {},
): BuiltMailbox {
  const messages: Uint8Array[] = [];
  for (let i = 0; i < count; i++) messages.push(emailBytes(generatedEmail(i, opts)));
  return buildMbox(messages, opts);
}

/**
 * A generated mailbox as chunks of about `chunkBytes`, made as they are read: a 1 GiB mailbox
 * never exists in memory (the bench writes it to a file this way).
 */
export async function* generatedMboxChunks(
  count: number,
  opts: GeneratedOptions & BuildOptions & { chunkBytes?: number } = {},
): AsyncGenerator<Uint8Array> {
  const chunkBytes = opts.chunkBytes ?? 1024 * 1024;
  let pending: Uint8Array[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const entry = mboxEntry(emailBytes(generatedEmail(i, opts)), i, opts);
    pending.push(entry);
    size += entry.length;
    if (size >= chunkBytes) {
      yield concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield concat(pending);
}

/** `bytes` cut into chunks of the given sizes, repeated (a size list of [1] gives single bytes). */
export function chunksOf(bytes: Uint8Array, sizes: number | number[]): Uint8Array[] {
  const list = Array.isArray(sizes) ? sizes : [sizes];
  const out: Uint8Array[] = [];
  let k = 0;
  for (let i = 0; i < bytes.length;) {
    const n = Math.max(1, list[k++ % list.length]!);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** Everything an async generator yields, and what it returns. */
export async function drain<T, R>(gen: AsyncGenerator<T, R>): Promise<{ items: T[]; result: R }> {
  const items: T[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { items, result: next.value };
    items.push(next.value);
  }
}
