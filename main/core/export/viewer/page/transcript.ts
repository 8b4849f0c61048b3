import { add, clear, code, h, visible, visibleText } from './dom';
import { readBuffer } from './hashing';
import { Sha256 } from './sha256';
import type { ViewerExhibit, ViewerMessage } from './viewer-data';
import { plural } from './words';

/**
 * A conversation exhibit's transcript: its chosen messages as a chat, each with its byte
 * span in the original. Once the bundle folder is chosen, each span is cut from the file the
 * reader chose (for a zip, from its chat file, read here: stored or deflated entries) and
 * hashed with the page's own SHA-256, and the message says Matches or DIFFERENT.
 */

export interface TranscriptView {
  element: HTMLElement;
  reset(): void;
  missing(): void;
  check(file: File): void;
}

/** A chat file inside a zip bigger than this is not read into the page. */
const MAX_CHAT_BYTES = 256 * 1024 * 1024;

export function transcriptView(x: ViewerExhibit): TranscriptView | null {
  const messages = x.transcript ?? [];
  if (messages.length === 0) return null;
  const summary = h('p', { class: 'muted' });
  const marks: HTMLElement[] = [];
  const list = h(
    'ol',
    { class: 'chat', 'aria-label': 'Transcript of exhibit ' + visible(x.number) },
    messages.map((m, i) => {
      const mark = h('span', { class: 'status s-pending' });
      marks[i] = mark;
      return h('li', { class: 'chat-message', 'data-number': String(m.number) }, [
        h('p', { class: 'chat-head' }, [
          h('strong', null, visible(m.sender) || '(no sender)'),
          m.senderId && m.senderId !== m.sender ? ' (' + visible(m.senderId) + ')' : '',
          ' \u00b7 message ' + m.number,
        ]),
        h('p', { class: 'muted' }, m.timeText + (m.timeSource ? ' \u2014 ' + m.timeSource : '')),
        h('p', { class: 'chat-text' }, visibleText(m.text) || '(no text)'),
        m.textCut
          ? h(
              'p',
              { class: 'muted' },
              'Only the start is shown; the whole message is in the original, at the span below.',
            )
          : null,
        h('p', { class: 'chat-ref' }, [code(m.reference), ' ', mark]),
      ]);
    }),
  );
  const element = h('div', { class: 'transcript' }, [
    h('h4', null, 'Transcript: ' + plural(messages.length, 'message')),
    h(
      'p',
      { class: 'muted' },
      'The messages linked to the incidents in this bundle, or chosen for it. Each points at its exact bytes in the original' +
        (x.chatFile ? ' (in ' + visible(x.chatFile) + ', the chat file inside the zip)' : '') +
        '; once you choose the bundle folder, this page cuts those bytes out of the file and checks their SHA-256.',
    ),
    summary,
    list,
  ]);

  let generation = 0;
  function setAll(cls: string, text: string): void {
    for (const mark of marks) setMark(mark, cls, text);
  }
  function reset(): void {
    generation++;
    setAll('pending', '\u2014 Not checked yet');
    summary.textContent = '';
  }

  function check(file: File): void {
    const mine = ++generation;
    setAll('checking', '\u2026 Checking');
    summary.textContent = '';
    void (async () => {
      // A plain file is read a message at a time (a mailbox can be gigabytes); a zip's chat
      // file is unpacked once.
      let chat: Uint8Array | string | null = null;
      if (x.chatFile) {
        try {
          chat = await zipEntry(file, x.chatFile);
        } catch (e) {
          chat = 'the zip could not be read (' + ((e as Error | null)?.message || 'error') + ')';
        }
        if (mine !== generation) return;
        if (typeof chat === 'string') {
          setAll('unreadable', '\u2014 Not checked');
          summary.textContent = 'The messages could not be checked here: ' + chat + '.';
          return;
        }
      }
      let differ = 0;
      let unread = 0;
      for (const [i, m] of messages.entries()) {
        let ok: boolean;
        try {
          ok =
            chat !== null
              ? spanMatches(chat, m)
              : m.offset + m.length <= file.size &&
                spanMatches(
                  new Uint8Array(await readBuffer(file.slice(m.offset, m.offset + m.length))),
                  { ...m, offset: 0 },
                );
        } catch {
          if (mine !== generation) return;
          unread++;
          setMark(marks[i]!, 'unreadable', '\u2717 Could not be read');
          continue;
        }
        if (mine !== generation) return;
        if (!ok) differ++;
        setMark(marks[i]!, ok ? 'match' : 'different', ok ? '\u2713 Matches' : '\u2717 DIFFERENT');
      }
      summary.textContent = differ
        ? plural(differ, 'message') +
          ' DIFFERENT: the bytes at their place in the file you chose are not the ones this bundle recorded. Do not rely on them.'
        : unread
          ? plural(unread, 'message') + ' could not be read from the file you chose.'
          : 'Every message matches its bytes in the original.';
      summary.className = differ || unread ? 'flag' : 'muted';
    })();
  }

  reset();
  return {
    element,
    reset,
    missing: () => {
      generation++;
      setAll('missing', '\u2717 Not checked: file missing');
    },
    check,
  };
}

function setMark(mark: HTMLElement, cls: string, text: string): void {
  mark.className = 'status s-' + cls;
  clear(mark);
  add(mark, h('span', { class: 'pill' }, text));
}

/** Whether the span's bytes have the recorded SHA-256. */
export function spanMatches(
  bytes: Uint8Array,
  m: Pick<ViewerMessage, 'offset' | 'length' | 'sha256'>,
): boolean {
  if (m.offset + m.length > bytes.length) return false;
  const s = new Sha256();
  s.update(bytes.subarray(m.offset, m.offset + m.length));
  return s.hex() === m.sha256;
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) + u16(b, at + 2) * 65536) >>> 0;

/**
 * One entry of a zip, by its exact name: its bytes, or why it cannot be read here (ZIP64,
 * encrypted, a method other than stored or deflate, no DecompressionStream, too big).
 */
export async function zipEntry(file: Blob, name: string): Promise<Uint8Array | string> {
  const tailSize = Math.min(file.size, 65535 + 22);
  const tail = new Uint8Array(await readBuffer(file.slice(file.size - tailSize)));
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) {
      end = i;
      break;
    }
  }
  if (end < 0) return 'it is not a zip file this page can read';
  const cdSize = u32(tail, end + 12);
  const cdOffset = u32(tail, end + 16);
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff)
    return 'the zip is in the ZIP64 form, which this page does not read; use "dossier verify"';
  const cd = new Uint8Array(await readBuffer(file.slice(cdOffset, cdOffset + cdSize)));
  const want = new TextEncoder().encode(name);
  for (let at = 0; at + 46 <= cd.length;) {
    if (u32(cd, at) !== 0x02014b50) break;
    const flags = u16(cd, at + 8);
    const method = u16(cd, at + 10);
    const compressed = u32(cd, at + 20);
    const size = u32(cd, at + 24);
    const nameLen = u16(cd, at + 28);
    const next = at + 46 + nameLen + u16(cd, at + 30) + u16(cd, at + 32);
    const local = u32(cd, at + 42);
    const entryName = cd.subarray(at + 46, at + 46 + nameLen);
    at = next;
    if (entryName.length !== want.length || entryName.some((b, i) => b !== want[i])) continue;
    if (flags & 1) return 'the chat file is encrypted inside the zip';
    if (size > MAX_CHAT_BYTES || compressed === 0xffffffff)
      return 'the chat file is too big to read here; use "dossier verify"';
    const head = new Uint8Array(await readBuffer(file.slice(local, local + 30)));
    if (head.length < 30 || u32(head, 0) !== 0x04034b50) return 'the zip is damaged';
    const start = local + 30 + u16(head, 26) + u16(head, 28);
    const raw = new Uint8Array(await readBuffer(file.slice(start, start + compressed)));
    if (method === 0) return raw;
    if (method !== 8) return 'the chat file is compressed in a way this page does not read';
    const DS = (window as { DecompressionStream?: typeof DecompressionStream }).DecompressionStream;
    if (!DS)
      return 'this browser cannot unpack zip files (no DecompressionStream); use a current Chrome, Edge, Firefox or Safari, or "dossier verify"';
    const out = new Uint8Array(
      await new Response(new Blob([raw]).stream().pipeThrough(new DS('deflate-raw'))).arrayBuffer(),
    );
    return out.length === size ? out : 'the chat file inside the zip is damaged';
  }
  return 'the chat file ' + JSON.stringify(name) + ' is not in the zip';
}
