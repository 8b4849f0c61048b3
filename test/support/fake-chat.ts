// A made-up chat format for ingest's tests (the real readers are tested on their own).
//
//   FAKECHAT 1
//   #media NAME BASE64            a file inside the export (becomes a derived item)
//   TIME|SENDER|TEXT              one message; TEXT may end with " [att:NAME]" or " [file:NAME:BASE64]"
//   !choice                       the export needs a day/month order (NEEDS_CHOICE without one)
//   !crash                        the reader throws here (a reader's bug)
//   !badspan                      the next message claims bytes past the end of the file
//   !badkind                      the next message has a kind no reader may give
//
// Offsets count bytes of the file itself; line numbers from 1. A zip whose name ends in
// .fakezip holds the chat as chat.txt (offsets count into it) and media as other entries.
import yauzl from 'yauzl';
import yazl from 'yazl';
import { DossierError } from '../../main/core/errors';
import type {
  ConversationReader,
  ConversationSummary,
  MediaFile,
  ReadMessage,
} from '../../main/core/conversations/types';

export const FAKE_MAGIC = 'FAKECHAT 1\n';

export interface FakeHooks {
  /** Awaited before each message is yielded (to cancel or kill mid-read). */
  beforeMessage?: (index: number) => void | Promise<void>;
}

/** Builds a fake chat file from lines (the magic line is added). */
export function fakeChat(lines: string[]): Buffer {
  return Buffer.from(FAKE_MAGIC + lines.join('\n') + '\n', 'utf8');
}

/** A .fakezip: chat.txt and the given media entries. */
export function fakeZip(chat: Buffer, media: Record<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(chat, 'chat.txt');
  for (const [name, data] of Object.entries(media)) zip.addBuffer(data, name);
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
  });
}

function unzipAll(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      z.on('entry', (entry: yauzl.Entry) =>
        z.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no entry'));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(parts));
            z.readEntry();
          });
        }),
      );
      z.on('end', () => resolve(out));
      z.readEntry();
    });
  });
}

export function fakeChatReader(hooks: FakeHooks = {}): ConversationReader {
  return {
    format: 'whatsapp',
    detect: (head, name) =>
      Buffer.from(head.subarray(0, FAKE_MAGIC.length)).toString() === FAKE_MAGIC ||
      (name.endsWith('.fakezip') && head[0] === 0x50 && head[1] === 0x4b),
    async open(file, opts) {
      // A name ending in .fakestream is read through chunks(), as a mailbox reader does.
      let bytes: Buffer;
      if (file.name.endsWith('.fakestream')) {
        const parts: Buffer[] = [];
        for await (const c of file.chunks()) parts.push(Buffer.from(c));
        bytes = Buffer.concat(parts);
      } else bytes = Buffer.from(await file.bytes());
      let chatFile: string | null = null;
      const zipped = new Map<string, Buffer>();
      if (file.name.endsWith('.fakezip')) {
        for (const [k, v] of await unzipAll(bytes)) zipped.set(k, v);
        bytes = zipped.get('chat.txt')!;
        chatFile = 'chat.txt';
        zipped.delete('chat.txt');
      }
      const lines: { text: string; offset: number; length: number; line: number }[] = [];
      let at = 0;
      for (let n = 1; at < bytes.length; n++) {
        const end = bytes.indexOf(0x0a, at);
        const stop = end < 0 ? bytes.length : end;
        lines.push({
          text: bytes.subarray(at, stop).toString('utf8'),
          offset: at,
          length: stop - at,
          line: n,
        });
        at = stop + 1;
      }
      if (lines.some((l) => l.text === '!choice') && !opts.dateOrder) {
        throw new DossierError(
          'NEEDS_CHOICE',
          'The dates in this export could be day/month or month/day. Give --date-order dmy or mdy.',
        );
      }
      const media: MediaFile[] = [...zipped].map(([name, data]) => ({
        name,
        size: data.length,
        read: async () => data,
      }));
      for (const l of lines) {
        const m = /^#media (\S+) (\S*)$/.exec(l.text);
        if (m) {
          const data = Buffer.from(m[2]!, 'base64');
          media.push({ name: m[1]!, size: data.length, read: async () => data });
        }
      }
      let count = 0;
      let badSpan = false;
      let badKind = false;
      const problems: ConversationSummary['problems'] = [];
      async function* messages(): AsyncGenerator<ReadMessage> {
        for (const l of lines.slice(1)) {
          if (l.text === '!crash') throw new Error('fake reader: a bug at line ' + l.line);
          if (l.text === '!badspan') badSpan = true;
          if (l.text === '!badkind') badKind = true;
          if (l.text.startsWith('#') || l.text.startsWith('!') || l.text === '') continue;
          const parts = l.text.split('|');
          if (parts.length < 3) {
            problems.push({ line: l.line, offset: l.offset, message: 'not a message line' });
            continue;
          }
          const [time, sender, ...rest] = parts;
          let text = rest.join('|');
          const attachments: ReadMessage['attachments'] = [];
          const files: NonNullable<ReadMessage['files']> = [];
          text = text.replace(/ \[att:([^\]]+)\]/g, (_, name: string) => {
            attachments.push({ name, omitted: false });
            return '';
          });
          text = text.replace(/ \[file:([^:\]]+):([^\]]*)\]/g, (_, name: string, b64: string) => {
            files.push({
              name,
              mime: 'application/octet-stream',
              bytes: Buffer.from(b64, 'base64'),
            });
            return '';
          });
          await hooks.beforeMessage?.(count);
          yield {
            index: count++,
            kind: badKind ? ('bogus' as 'message') : 'message',
            sender: sender!,
            senderId: sender!,
            time: time!,
            timeSource: 'export-local-confirmed',
            text,
            edited: false,
            offset: badSpan ? bytes.length - 2 : l.offset,
            length: l.length,
            line: l.line,
            lineEnd: l.line,
            attachments,
            externalId: null,
            replyTo: null,
            details: {},
            ...(files.length ? { files } : {}),
          };
        }
      }
      return {
        chatFile,
        messages: messages(),
        media,
        summary: () => ({
          format: 'whatsapp',
          reader: 'fake-chat 1',
          chatFile,
          title: file.name,
          messageCount: count,
          dateOrder: opts.dateOrder ?? null,
          dateOrderSource: opts.dateOrder ? 'given' : null,
          timeZone: opts.timeZone ?? opts.defaultTimeZone,
          timeZoneSource: opts.timeZone ? 'given' : 'computer',
          problems,
        }),
      };
    },
  };
}
