import { readEmailMessage } from '../../../../../shared/email';
import { htmlToText } from '../../../../../shared/email-text';
import { add, code, facts, h } from './dom';
import { Sha256 } from './sha256';
import { MAX_SHOWN_CHARS } from './text-decoding';
import { bytesText, plural } from './words';

/**
 * An email as text: its headers, its body and its attachments, never rendered as HTML. The
 * body is chosen as the court bundle chooses it (main/core/export/bundle/email-content.ts):
 * the HTML version as a mail program shows it, turned into text by shared/email-text.ts (a
 * scanner that builds no elements, so nothing in it is loaded and no script in it runs),
 * else the text version. Attachments, and pictures shown inside the body, are listed with
 * the SHA-256 of their decoded bytes, as in the court bundle.
 */

function sha256Of(bytes: Uint8Array): string {
  return new Sha256().update(bytes).hex();
}

export async function emailView(bytes: Uint8Array): Promise<HTMLElement> {
  const mail = await readEmailMessage(bytes, { digest: sha256Of, listInlineImages: true });
  // Unnamed pictures in the body are numbered, so "[picture in the email: picture 2]" says
  // which line of the list below it is (the court bundle names them the same way).
  let unnamed = 0;
  const names = mail.attachments.map((a) =>
    a.contentId && a.name === '(no name)' ? 'picture ' + ++unnamed : a.name,
  );
  const pictureNames = new Map<string, string>();
  mail.attachments.forEach((a, i) => {
    if (a.contentId) pictureNames.set(a.contentId, names[i]!);
  });
  const html = mail.html === null ? '' : htmlToText(mail.html, { pictureNames });
  const fromHtml = html.trim() !== '';
  let body = fromHtml ? html : mail.text?.trim() ? mail.text! : '';
  const cut = body.length > MAX_SHOWN_CHARS;
  if (cut) body = body.slice(0, MAX_SHOWN_CHARS);

  const box = h('div', { class: 'email' });
  add(box, [
    facts([
      ['From', mail.from || '(none)'],
      ['To', mail.to || '(none)'],
      ['Cc', mail.cc || null],
      ['Date', mail.date || '(none)'],
      ['Subject', mail.subject || '(none)'],
      ['Message-ID', mail.messageId ? h('code', null, mail.messageId) : '(none)'],
    ]),
    fromHtml
      ? h(
          'p',
          { class: 'muted' },
          'This email was written as a web page (HTML). It is shown here as text: nothing in it was loaded or run, so no tracking image or link was opened.',
        )
      : null,
    body
      ? h('pre', { class: 'email-body', tabindex: '0', 'aria-label': 'Message text' }, body)
      : h('p', { class: 'muted' }, 'This email has no text.'),
    cut
      ? h('p', { class: 'muted' }, 'The text is cut short here; the whole email is in the file.')
      : null,
    mail.attachments.length
      ? [
          h('h5', null, 'Attachments (' + mail.attachments.length + ')'),
          h(
            'ul',
            { class: 'attachments' },
            mail.attachments.map((a, i) =>
              h('li', null, [
                h('code', null, names[i]!),
                a.contentId ? ' (shown in the email)' : '',
                ' \u2014 ' + (a.mime || 'unknown type') + ', ' + bytesText(a.size),
                a.digest ? [h('br'), 'SHA-256 ', h('span', { class: 'hash' }, a.digest)] : null,
              ]),
            ),
          ),
          h(
            'p',
            { class: 'muted' },
            'Attachments are inside the email file; this page lists them but does not open them.',
          ),
        ]
      : null,
    mail.headers.length
      ? h('details', { class: 'email-headers' }, [
          h('summary', null, 'Headers (' + mail.headers.length + ')'),
          h(
            'p',
            { class: 'muted' },
            'Every header line as the email has it, in order. The Received lines are the servers it passed through, newest first; DKIM-Signature, ARC and Authentication-Results are how a mail server checked who sent it.',
          ),
          h(
            'div',
            { class: 'table-wrap' },
            h('table', null, [
              h(
                'thead',
                null,
                h('tr', null, [
                  h('th', { scope: 'col' }, 'Header'),
                  h('th', { scope: 'col' }, 'Value'),
                ]),
              ),
              h(
                'tbody',
                null,
                mail.headers.map((x) =>
                  h('tr', null, [h('td', null, code(x.key)), h('td', null, code(x.value))]),
                ),
              ),
            ]),
          ),
        ])
      : null,
    mail.problems.length
      ? [
          h('h5', null, plural(mail.problems.length, 'problem') + ' reading this email'),
          h(
            'ul',
            null,
            mail.problems.map((p) => h('li', null, p)),
          ),
        ]
      : null,
  ]);
  return box;
}
