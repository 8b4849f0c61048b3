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
  base64Of,
  emptyEmail,
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

/** A field msgreader read: text when it is text. A damaged file can give a number or a buffer. */
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
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
  const result = emptyEmail();
  if (!compoundFileIsSound(bytes)) {
    result.problems.push(
      `This Outlook message is damaged: its inner structure loops or points outside the file, so nothing in it could be read. ${KEPT}`,
    );
    return result;
  }
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

  try {
    await readFields(reader, data, result, opts);
  } catch {
    // msgreader hands back what a damaged file holds; anything it could not make sense of
    // is this message's damage, never an exception for the import.
    result.problems.push(
      `This Outlook message is damaged: some of its parts could not be read. ${KEPT}`,
    );
  }
  return result;
}

async function readFields(
  reader: MsgReader,
  data: FieldsData,
  result: ParsedEmail,
  opts: ParseEmailOptions,
): Promise<void> {
  const transport = await transportHeaders(str(data.headers));
  if (transport) {
    result.headers = transport.headers;
    result.problems.push(...transport.problems.filter((p) => !/does not start like/.test(p)));
  } else {
    result.problems.push(
      'This Outlook message has no headers from the mail servers it passed through (it may be a draft, a sent item or a copy saved by Outlook), so who sent it and when is as Outlook recorded it.',
    );
  }
  const recipients = (Array.isArray(data.recipients) ? data.recipients : []).map((r) => ({
    name: str(r.name),
    email: str(r.email),
    smtpAddress: str(r.smtpAddress),
    recipType: str(r.recipType),
  }));
  const sender = addressLine([
    {
      name: str(data.senderName),
      email: str(data.senderEmail),
      smtpAddress: str(data.senderSmtpAddress),
    },
  ]);
  result.from = transport?.from || sender;
  result.to = transport?.to || addressLine(recipients.filter((r) => r.recipType === 'to'));
  result.cc = transport?.cc || addressLine(recipients.filter((r) => r.recipType === 'cc'));
  result.subject = str(data.subject) || transport?.subject || '';
  result.date =
    transport?.date || str(data.clientSubmitTime) || str(data.messageDeliveryTime) || '';
  result.messageId = transport?.messageId || str(data.messageId) || '';
  // Without transport headers, the From the person sees is the sender Outlook recorded.
  if (!transport && sender) result.headers = [{ key: 'From', value: sender }];

  result.text = typeof data.body === 'string' ? data.body : null;
  if (str(data.bodyHtml)) result.html = str(data.bodyHtml);
  else if (data.html instanceof Uint8Array)
    result.html = new TextDecoder('utf-8').decode(data.html);

  let unreadable = 0;
  for (const a of Array.isArray(data.attachments) ? data.attachments : []) {
    const embedded = a.innerMsgContent === true;
    const name =
      str(a.fileName) ||
      str(a.fileNameShort) ||
      str(a.name) ||
      (embedded ? EMBEDDED_NAME : '(no name)');
    const mime = embedded
      ? 'application/vnd.ms-outlook'
      : str(a.attachMimeTag) || 'application/octet-stream';
    let content: Uint8Array | null = null;
    if (!embedded) {
      try {
        const got: unknown = reader.getAttachment(a).content;
        content = got instanceof Uint8Array ? got : null;
      } catch {
        unreadable++;
      }
    }
    const size = content?.length ?? (typeof a.contentLength === 'number' ? a.contentLength : 0);
    const cid = str(a.pidContentId).trim().replace(/^<|>$/g, '');
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
}

// ---------------------------------------------------------------------------------------
// msgreader follows the Compound File's sector chains and directory tree without bounds: a
// chain that loops back on itself makes it run forever, and a stream size from the file can
// ask it for gigabytes. So the structure is checked first, in time linear in the file: every
// chain ends, the directory tree visits each entry once, and no stream is bigger than the
// file. The rules read the file as msgreader does (MS-CFB; sector size from byte 30).

const FREE = 0xffffffff;
const END = 0xfffffffe;

/** Whether msgreader can read this Compound File in bounded time and memory. */
export function compoundFileIsSound(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u32 = (at: number) => (at >= 0 && at + 4 <= b.length ? dv.getUint32(at, true) : END);
  const size = b[30] === 12 ? 4096 : 512;
  const per = size / 4;
  const sectors = Math.ceil((b.length - size) / size);
  const at = (sector: number) => (sector + 1) * size;
  const batCount = u32(0x2c);
  const sbatCount = u32(0x40);
  const xbatCount = u32(0x48);
  if (batCount > sectors || sbatCount > sectors || xbatCount > sectors) return false;

  // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
  const bat: number[] = [];
  for (let i = 0; i < Math.min(batCount, 109); i++) bat.push(u32(0x4c + 4 * i));
  let remaining = batCount - bat.length;
  let next = u32(0x44);
  for (let i = 0; i < xbatCount && remaining > 0; i++) {
    if (next >= sectors) return false;
    const n = Math.min(remaining, per - 1);
    for (let j = 0; j < n; j++) {
      const v = u32(at(next) + 4 * j);
      if (v === FREE || v === END) break;
      bat.push(v);
    }
    remaining -= n;
    next = u32(at(next) + 4 * (per - 1));
    if (next === FREE || next === END) break;
  }
  if (bat.some((s) => s >= sectors)) return false;
  const fat = new Uint32Array(bat.length * per);
  bat.forEach((s, i) => {
    for (let j = 0; j < per; j++) fat[i * per + j] = u32(at(s) + 4 * j);
  });
  if (hasLoop(fat)) return false;

  const chain = (start: number, max: number): number[] | null => {
    const out: number[] = [];
    for (let s = start; s !== END && s !== FREE && out.length < max; s = fat[s] ?? END) {
      if (s >= sectors) return null;
      out.push(s);
    }
    return out;
  };
  const sbat = chain(u32(0x3c), sbatCount);
  if (!sbat) return false;
  const minifat = new Uint32Array(sbat.length * per);
  sbat.forEach((s, i) => {
    for (let j = 0; j < per; j++) minifat[i * per + j] = u32(at(s) + 4 * j);
  });
  if (hasLoop(minifat)) return false;

  const dir = chain(u32(0x30), sectors);
  if (!dir || dir.length === 0) return false;
  const entries = (dir.length * size) / 128;
  const entry = (i: number) => at(dir[Math.floor((i * 128) / size)]!) + ((i * 128) % size);
  // Each entry of the tree once, from the root's child down.
  const seen = new Uint8Array(entries);
  const todo = [u32(entry(0) + 0x4c)];
  while (todo.length) {
    const i = todo.pop()!;
    if (i === FREE) continue;
    if (i >= entries || seen[i]) return false;
    seen[i] = 1;
    const e = entry(i);
    todo.push(u32(e + 0x44), u32(e + 0x48));
    if (b[e + 0x42] === 1) todo.push(u32(e + 0x4c));
  }
  for (let i = 0; i < entries; i++) {
    const e = entry(i);
    const type = b[e + 0x42];
    const length = u32(e + 0x78);
    if ((type === 2 || type === 5) && length > b.length) return false;
  }
  return true;
}

/** Whether following next-pointers from any entry comes back to one already on the path. */
function hasLoop(next: Uint32Array): boolean {
  const state = new Uint8Array(next.length); // 0 new, 1 on the current path, 2 done
  const path: number[] = [];
  for (let i = 0; i < next.length; i++) {
    let v = i;
    while (v < next.length && state[v] === 0) {
      state[v] = 1;
      path.push(v);
      v = next[v]!;
    }
    if (v < next.length && state[v] === 1) return true;
    for (const p of path) state[p] = 2;
    path.length = 0;
  }
  return false;
}
