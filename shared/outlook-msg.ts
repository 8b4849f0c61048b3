/**
 * Reads an Outlook message file (.msg, a Compound File holding MAPI properties) into the
 * same ParsedEmail the .eml reader gives, so the item view, search, the sent time and the
 * sender work alike. The reading is @kenjiuno/msgreader's. The transport headers Outlook
 * kept (PR_TRANSPORT_MESSAGE_HEADERS: Received, DKIM-Signature, …) are read as headers, in
 * order; the body is as the file gives it. Never throws: what could not be read is in
 * `problems`. The file's bytes are evidence; nothing here changes them.
 */
import MsgReader from '@kenjiuno/msgreader';
import type { FieldsData } from '@kenjiuno/msgreader';
import {
  readEmailMessage,
  type EmailAttachment,
  type ParsedEmail,
  type ParseEmailOptions,
} from './email';

const KEPT = 'The file itself is stored whole.';

/** Outlook sets PR_ATTACH_METHOD 5 (an embedded message) with no file name. */
const EMBEDDED_NAME = 'Attached Outlook message';

function addressLine(list: { name?: string; email?: string; smtpAddress?: string }[]): string {
  return list
    .map((r) => {
      const address = r.smtpAddress || r.email || '';
      const name = r.name && r.name !== address ? r.name : '';
      return name && address ? `${name} <${address}>` : name || address;
    })
    .filter(Boolean)
    .join(', ');
}

/** The transport headers read by the .eml reader: a header block and nothing after it. */
async function transportHeaders(text: string): Promise<ParsedEmail | null> {
  if (!text.trim()) return null;
  const block = `${text.replace(/(\r?\n)+$/, '')}\r\n\r\n`;
  return readEmailMessage(new TextEncoder().encode(block));
}

export async function readOutlookMessage(
  bytes: Uint8Array,
  opts: ParseEmailOptions = {},
): Promise<ParsedEmail> {
  const result: ParsedEmail = {
    from: '',
    to: '',
    cc: '',
    subject: '',
    date: '',
    messageId: '',
    headers: [],
    text: null,
    html: null,
    inlineImages: new Map(),
    attachments: [],
    problems: [],
  };
  let reader: MsgReader;
  let data: FieldsData;
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    reader = new MsgReader(view);
    data = reader.getFileData();
  } catch {
    result.problems.push(
      `This Outlook message is damaged: its parts could not be found, so nothing in it could be read. ${KEPT}`,
    );
    return result;
  }
  if ((data as { error?: string }).error) {
    result.problems.push(
      `This file is not an Outlook message that can be read, so nothing in it could be read. ${KEPT}`,
    );
    return result;
  }

  const transport = await transportHeaders(data.headers ?? '');
  if (transport) {
    result.headers = transport.headers;
    result.problems.push(...transport.problems.filter((p) => !/does not start like/.test(p)));
  } else {
    result.problems.push(
      'This Outlook message has no headers from the mail servers it passed through (it may be a draft, a sent item or a copy saved by Outlook), so who sent it and when is as Outlook recorded it.',
    );
  }
  const recipients = data.recipients ?? [];
  const sender = addressLine([
    { name: data.senderName, email: data.senderEmail, smtpAddress: data.senderSmtpAddress },
  ]);
  result.from = transport?.from || sender;
  result.to = transport?.to || addressLine(recipients.filter((r) => r.recipType === 'to'));
  result.cc = transport?.cc || addressLine(recipients.filter((r) => r.recipType === 'cc'));
  result.subject = data.subject ?? transport?.subject ?? '';
  result.date = transport?.date || data.clientSubmitTime || data.messageDeliveryTime || '';
  result.messageId = transport?.messageId || data.messageId || '';
  // Without transport headers, the From the person sees is the sender Outlook recorded.
  if (!transport && sender) result.headers = [{ key: 'From', value: sender }];

  result.text = data.body ?? null;
  if (data.bodyHtml) result.html = data.bodyHtml;
  else if (data.html) result.html = new TextDecoder('utf-8').decode(data.html);

  let unreadable = 0;
  for (const a of data.attachments ?? []) {
    const embedded = a.innerMsgContent === true;
    const name =
      a.fileName || a.fileNameShort || a.name || (embedded ? EMBEDDED_NAME : '(no name)');
    const mime = embedded
      ? 'application/vnd.ms-outlook'
      : a.attachMimeTag || 'application/octet-stream';
    let content: Uint8Array | null = null;
    if (!embedded) {
      try {
        content = reader.getAttachment(a).content;
      } catch {
        unreadable++;
      }
    }
    const size = content?.length ?? a.contentLength ?? 0;
    const cid = (a.pidContentId ?? '').trim().replace(/^<|>$/g, '');
    if (cid && content && /^image\/(png|jpeg|gif|webp|bmp|avif)$/.test(mime)) {
      result.inlineImages.set(cid, `data:${mime};base64,${base64Of(content)}`);
    }
    const attachment: EmailAttachment = { name, mime, size };
    if (content && opts.digest) attachment.digest = opts.digest(content);
    if (content && opts.withAttachmentBytes) attachment.bytes = content;
    result.attachments.push(attachment);
    if (embedded) {
      result.problems.push(
        `This Outlook message holds another Outlook message; it is listed among the attachments but not read here. ${KEPT}`,
      );
    }
  }
  if (unreadable) {
    result.problems.push(
      `${unreadable === 1 ? 'An attachment' : `${unreadable} attachments`} of this Outlook message could not be read. ${KEPT}`,
    );
  }
  if (!result.from && !result.subject && result.text === null && result.html === null) {
    result.problems.push('This Outlook message has no sender, subject or text that could be read.');
  }
  return result;
}

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000) as unknown as number[]);
  }
  return btoa(binary);
}
