// A redacted copy of an email or a text file (docs/redaction.md): the rendering the person
// sees (shared/redaction-text.ts), each covered passage replaced by "[REDACTED: reason]",
// under a short heading, written as a new UTF-8 text file. Nothing of the original travels
// into the copy but the words of the rendering outside the covered passages.
import { decodeCharset, readEmailMessage } from '../../../shared/email';
import { kindOfMime } from '../../../shared/item-kind';
import {
  emailRendering,
  MAX_REDACTION_TEXT,
  redactText,
  sortedSpans,
  spansProblem,
  textRendering,
  visibleText,
  type RedactionSpan,
} from '../../../shared/redaction-text';
import { DossierError } from '../errors';

export type RedactableKind = 'email' | 'outlook' | 'text';

/** The rendering a person selects passages in, and what the copy leaves out of the original. */
export interface TextForRedaction {
  kind: 'email' | 'text';
  text: string;
  /** Attachments of the email (pictures shown in its body too): never in the copy. */
  attachments: number;
}

/**
 * How an item is redacted as text, or why it is not, in words. `kind` is the item's kind as
 * the vault stores it (a chat export read as a conversation is "conversation").
 */
export function textRedactionKind(
  item: { name: string; mime: string; kind: string },
  shownName: string,
): RedactableKind {
  const mime = item.mime.split(';')[0]!.trim().toLowerCase();
  if (item.kind === 'conversation') {
    throw new DossierError(
      'USAGE',
      `"${shownName}" is read as a conversation; Dossier cannot yet make a redacted copy of a conversation. Only an email or a text file can be redacted as text.`,
    );
  }
  if (mime === 'message/rfc822') return 'email';
  if (mime === 'application/vnd.ms-outlook') return 'outlook';
  if (kindOfMime(mime) === 'text') return 'text';
  const what =
    mime === 'application/mbox'
      ? 'a mailbox (many emails)'
      : mime.startsWith('image/')
        ? 'a picture: cover its areas with boxes instead'
        : mime === 'application/pdf'
          ? 'a PDF, which Dossier cannot yet redact'
          : `${mime}, which Dossier cannot redact as text`;
  throw new DossierError(
    'USAGE',
    `"${shownName}" is ${what}. Only an email or a text file can be redacted as text.`,
  );
}

/** The rendering of an original's bytes; refused in words when too long to select in. */
export async function textForRedaction(
  bytes: Uint8Array,
  mime: string,
  kind: RedactableKind,
): Promise<TextForRedaction> {
  let out: TextForRedaction;
  if (kind === 'text') {
    const charset = /charset=([^;]+)/i.exec(mime)?.[1];
    out = { kind: 'text', text: textRendering(decodeCharset(bytes, charset)), attachments: 0 };
  } else {
    const email =
      kind === 'outlook'
        ? await (await import('../../../shared/outlook-msg')).readOutlookMessage(bytes)
        : await readEmailMessage(bytes);
    out = {
      kind: 'email',
      text: emailRendering(email),
      attachments: email.attachments.length + email.inlineImages.size,
    };
  }
  if (out.text.length > MAX_REDACTION_TEXT) {
    throw new DossierError(
      'USAGE',
      `The text of this ${out.kind === 'email' ? 'email' : 'file'} is ${Math.ceil(out.text.length / 1024 / 1024)} million characters long; Dossier redacts texts up to ${MAX_REDACTION_TEXT / 1024 / 1024} million characters. Nothing was written.`,
    );
  }
  return out;
}

/** Refuses bad spans, in words, before anything is read or written. */
export function assertSpans(text: string | null, spans: readonly RedactionSpan[]): void {
  const problem = spansProblem(text, spans);
  if (problem) throw new DossierError('USAGE', `${problem} Nothing was written.`);
}

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * The copy's bytes: a heading that says what it is (of which original, its SHA-256, how many
 * passages are covered, what of the original is not in it), a rule, then the redacted text.
 * Nothing in it depends on when it is made: the same copy made twice is the same bytes.
 */
export function redactedTextCopy(
  rendering: TextForRedaction,
  spans: readonly RedactionSpan[],
  original: { name: string; sha256: string },
): Buffer {
  const left =
    rendering.kind === 'email'
      ? `Not in this copy: the email's other headers, its formatting${rendering.attachments > 0 ? `, and its ${plural(rendering.attachments, 'attachment', 'attachments')} (withheld)` : ''}.`
      : null;
  const heading = [
    'REDACTED COPY, made with Dossier',
    `Of: ${visibleText(original.name, true)}`,
    `Original's SHA-256: ${original.sha256}`,
    `${plural(spans.length, 'passage', 'passages')} covered, each shown as [REDACTED: its reason].`,
    ...(left ? [left] : []),
    '—'.repeat(40),
    '',
  ];
  const body = redactText(rendering.text, sortedSpans(spans));
  return Buffer.from(`${heading.join('\n')}${body}${body.endsWith('\n') ? '' : '\n'}`, 'utf8');
}
