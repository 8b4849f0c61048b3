// A conversation exhibit's transcript, in both PDFs (the report under the exhibit's block, the
// court bundle after its cover sheet and content): each message linked to an exported
// incident or chosen by the person, with its sender, its time and where that time came from,
// its text, and its exact place in the exhibit ("JD4, _chat.txt line 120–122, bytes 10234+181,
// SHA-256 …"), which anyone can check (data/metadata/messages.json, VERIFY.txt). Each message
// is a named destination (messageDest) the incidents link to.
import type { Exhibit, TranscriptMessage } from '../../model';
import { messageReference, timeSourceWords } from '../../transcript-text';
import { plural } from '../../report/text';
import type { CaseFacts } from '../facts';
import { CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter } from '../writer';

/** Longest message text printed, in characters; the whole is in the exhibit and messages.json. */
export const MESSAGE_TEXT_MAX = 20_000;
const INDENT = 14;
const REF_SIZE = 7;

/** The named destination of a message's place in a transcript. */
export function messageDest(id: string): string {
  return `message-${id}`;
}

/** The transcript of one conversation exhibit: a heading, a note, then each message. */
export function* transcriptPages(
  w: PdfWriter,
  f: CaseFacts,
  e: Exhibit,
  messages: readonly TranscriptMessage[],
  label: string,
  /** Called where the transcript starts (its page is current): a bookmark. */
  onStart?: (y: number) => void,
): Generator<undefined> {
  if (messages.length === 0) return;
  const c = e.conversation;
  const title = `${label} · Transcript of ${plural(messages.length, 'message')}`;
  const about =
    `${c ? `${w.t(c.title, { max: 200 }) || 'A conversation'}: ${plural(c.messageCount, 'message')} in all, read by ${w.t(c.reader, { max: 60 })}. ` : ''}` +
    'Printed here are the messages linked to the incidents in this bundle and those chosen for it, ' +
    'in the order of the conversation. Each is read from the original, and its reference gives its ' +
    'exact place there: the byte span (offset + length) and the SHA-256 of those bytes, which ' +
    'data/metadata/messages.json lists and VERIFY.txt explains how to check. Characters that would ' +
    'be invisible are shown as [U+XXXX]. Where this page and the original seem to differ, the ' +
    'original is the evidence.';
  w.gap(14);
  w.keep(w.headingHeight(title, 13, 0) + w.height('R', SMALL, about, CONTENT_W) + 60);
  onStart?.(w.y);
  w.heading(title, 13, 0);
  w.rule();
  w.gap(4);
  w.para(about, { size: SMALL, color: SOFT });
  w.gap(6);
  for (const m of messages) {
    yield* messageBlock(w, f, m, c?.timeZone ?? null);
  }
}

function* messageBlock(
  w: PdfWriter,
  f: CaseFacts,
  m: TranscriptMessage,
  zone: string | null,
): Generator<undefined> {
  const who =
    w.t(m.sender, { max: 200 }) +
    (m.senderId && m.senderId !== m.sender ? ` (${w.t(m.senderId, { max: 200 })})` : '');
  const head = `Message ${m.index + 1} · ${who || '(no sender)'}`;
  const when = m.time
    ? `${f.when(m.time)} — ${timeSourceWords(m.timeSource, zone)}`
    : timeSourceWords('none', zone);
  const cut = m.text.length > MESSAGE_TEXT_MAX || m.textCut === true;
  const text =
    w.t(m.text, { multiline: true, max: MESSAGE_TEXT_MAX }) +
    (cut ? `\n[… cut: the whole message is in the exhibit at the span below]` : '');
  const ref = w.t(messageReference(m), { max: 600 });
  const extra: string[] = [];
  const incidents = m.incidentIds
    .map((id) => f.incidentNo.get(id)?.n)
    .filter((n) => n !== undefined)
    .sort((a, b) => a - b);
  if (incidents.length) extra.push(`Incident ${incidents.join(', ')}`);
  if (m.tags.length) extra.push(`Tags: ${f.list(m.tags, 20)}`);
  for (const n of m.notes.slice(0, 10))
    extra.push(`Note: ${w.t(n.body, { multiline: true, max: 1500 })}`);
  if (m.notes.length > 10) extra.push(`… and ${m.notes.length - 10} more notes (messages.json)`);
  const firstLines = w.height('R', 9, text.split('\n').slice(0, 3).join('\n'), CONTENT_W - INDENT);
  w.keep(
    w.height('B', 9.5, head, CONTENT_W) + w.height('R', SMALL, when, CONTENT_W) + firstLines + 8,
  );
  w.gap(6);
  const top = w.y;
  w.destination(messageDest(m.id), top);
  w.use('B', 9.5);
  w.doc.text(head, MARGIN.left, w.y, { width: CONTENT_W, lineGap: 1 });
  w.use('R', SMALL, SOFT);
  w.doc.text(when, MARGIN.left, w.y, { width: CONTENT_W, lineGap: 1 });
  w.gap(2);
  yield* w.flow(text || '(no text)', { x: MARGIN.left + INDENT, size: 9 });
  w.gap(1);
  w.use('M', REF_SIZE, SOFT);
  w.doc.text(ref, MARGIN.left + INDENT, w.y, { width: CONTENT_W - INDENT, lineGap: 1 });
  if (extra.length) {
    w.use('R', SMALL, SOFT);
    w.doc.text(extra.join('\n'), MARGIN.left + INDENT, w.y, {
      width: CONTENT_W - INDENT,
      lineGap: 1,
    });
  }
  yield w.tick();
}

/**
 * Under an incident: each of its messages in one line (exhibit, place, sender, start of the
 * text), linked to the message in the transcript.
 */
export function incidentMessageLines(
  w: PdfWriter,
  f: CaseFacts,
  ids: readonly string[],
  byId: ReadonlyMap<string, TranscriptMessage>,
): void {
  const list = ids.map((id) => byId.get(id)).filter((m) => m !== undefined);
  if (list.length === 0) return;
  const x = MARGIN.left + 108;
  const width = CONTENT_W - 108;
  w.use('R', SMALL, SOFT);
  w.doc.text('Messages', MARGIN.left, w.y + 1.2, { width: 100, lineBreak: false });
  for (const m of list) {
    const first = m.text.split('\n', 1)[0] ?? '';
    const line = w.t(
      `${m.exhibit} message ${m.index + 1} · ${m.sender || '(no sender)'}${m.time ? ` · ${f.when(m.time, true)}` : ''}: ${first.length > 90 ? `${first.slice(0, 90)}…` : first}`,
      { max: 200 },
    );
    w.use('R', 9);
    const h = w.height('R', 9, line, width);
    if (w.y + h > w.maxY) w.newPage();
    const y = w.y;
    w.doc.text(line, x, y, { width, lineGap: 1.5 });
    w.linkTo(messageDest(m.id), x, y, width, w.y - y);
    w.gap(2);
  }
  w.use('R', SMALL, SOFT);
  w.doc.text('(each is printed in full in its exhibit’s transcript)', x, w.y, { width });
}
