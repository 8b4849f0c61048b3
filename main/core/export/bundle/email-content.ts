// An email exhibit as text for the court bundle: the six headers a reader looks for, the body
// as a mail program shows it (the HTML version, converted to text, when there is one),
// attachments with the SHA-256 of their decoded bytes, and the full header block for the
// appendix. Nothing remote is loaded and no script from the email runs: it is text only.
import { createHash } from 'node:crypto';
import { readEmailMessage } from '../../../../shared/email';
import { readOutlookMessage } from '../../../../shared/outlook-msg';
import { htmlToText } from '../../../../shared/email-text';
import type { EmailContent } from './exhibit-content';
import { MAX_TEXT_CHARS, visibleText } from './text-content';

/** The header block shown in the appendix is cut after this many characters (a real one is < 20 KB). */
export const MAX_RAW_HEADER_CHARS = 256 * 1024;
/** The body is cut after this many characters, as a text file is. */
export const MAX_BODY_CHARS = MAX_TEXT_CHARS;

const KEPT = 'The email itself is in the bundle whole.';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads an email for the bundle. `size` is the whole file's size: when `bytes` is only its
 * start (a very large email), the bundle says so. Never throws: damage is in `problems`.
 */
export async function emailContent(
  bytes: Uint8Array,
  size = bytes.length,
  format: 'eml' | 'msg' = 'eml',
): Promise<EmailContent> {
  const opts = { digest: sha256, listInlineImages: true };
  const parsed =
    format === 'msg' ? await readOutlookMessage(bytes, opts) : await readEmailMessage(bytes, opts);
  const problems = [...parsed.problems];
  if (size > bytes.length) {
    problems.push(
      `This email is ${mib(size)}; only its first ${mib(bytes.length)} were read for this page. ${KEPT}`,
    );
  }

  // Pictures shown inside the body are listed and hashed too; unnamed ones are numbered, so
  // the body's "[picture in the email: picture 2]" says which line of the list it is.
  let unnamed = 0;
  const names = parsed.attachments.map((a) =>
    a.contentId && a.name === '(no name)' ? `picture ${++unnamed}` : a.name,
  );
  const pictureNames = new Map(
    parsed.attachments.flatMap((a, i) => (a.contentId ? [[a.contentId, names[i]!]] : [])),
  );
  const html = parsed.html === null ? '' : htmlToText(parsed.html, { pictureNames });
  // A mail program shows the HTML version when there is one, so the bundle does too.
  const [rawBody, bodyFrom]: [string, EmailContent['bodyFrom']] = html.trim()
    ? [html, 'html']
    : parsed.text?.trim()
      ? [parsed.text, 'text']
      : ['', 'none'];
  const body = visibleText(rawBody, MAX_BODY_CHARS);
  if (body.cut) {
    problems.push(
      `The body of this email is long; only its first ${MAX_BODY_CHARS.toLocaleString('en')} ` +
        `characters are shown here. ${KEPT}`,
    );
  }

  // An Outlook message keeps the transport headers apart from its own bytes.
  const raw =
    format === 'msg'
      ? parsed.headers.map((x) => `${x.key}: ${x.value}`).join('\n')
      : headerBlock(bytes);
  const shownHeaders = visibleText(raw, MAX_RAW_HEADER_CHARS);
  let rawHeaders = shownHeaders.text;
  if (shownHeaders.cut) {
    const more = (raw.length - shownHeaders.read).toLocaleString('en');
    rawHeaders += `\n[… ${more} more characters of headers are not shown here. ${KEPT}]`;
    problems.push(`The headers of this email are very long; only their start is shown. ${KEPT}`);
  }

  return {
    kind: 'email',
    headers: [
      { name: 'From', value: oneLine(parsed.from) },
      { name: 'To', value: oneLine(parsed.to) },
      { name: 'Cc', value: oneLine(parsed.cc) },
      { name: 'Date', value: oneLine(parsed.date) },
      { name: 'Subject', value: oneLine(parsed.subject) },
      { name: 'Message-ID', value: oneLine(parsed.messageId) },
    ],
    body: body.text,
    bodyFrom,
    attachments: parsed.attachments.map((a, i) => ({
      name: oneLine(a.contentId ? `${names[i]!} (shown in the email)` : a.name),
      mime: oneLine(a.mime),
      size: a.size,
      sha256: a.digest!,
    })),
    rawHeaders,
    problems,
  };
}

/** A header value on one line, with nothing hidden in it (values are capped by readEmailMessage). */
function oneLine(value: string): string {
  return visibleText(value, Number.MAX_SAFE_INTEGER).text.replace(/[\n\t]/g, ' ');
}

/**
 * The message's own header block as received: up to the first empty line, folded lines
 * joined, read as UTF-8 (RFC 6532) or, when that fails, as Latin-1 (older mailers).
 */
export function headerBlock(bytes: Uint8Array): string {
  const binary = Buffer.from(bytes.buffer, bytes.byteOffset, headEnd(bytes)).toString('latin1');
  const head = binary.replace(/\r?\n[ \t]+/g, ' ');
  if (!/[\u0080-\u00ff]/.test(head)) return head;
  const unfolded = Uint8Array.from(head, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(unfolded);
  } catch {
    return new TextDecoder('windows-1252').decode(unfolded);
  }
}

/** Where the first empty line starts (the header block's end), or the end of the bytes. */
function headEnd(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
    const blank = bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a);
    if (blank) return i > 0 && bytes[i - 1] === 0x0d ? i - 1 : i;
  }
  return bytes.length;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}
