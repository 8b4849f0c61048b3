import { bytesToBinary, parseEmail } from '../../../../../shared/email';
import { htmlToText } from '../../../../../shared/html-to-text';
import { add, facts, h } from './dom';
import { bytesText, plural } from './words';

/**
 * An email as text: its headers and its body, never rendered as HTML. An HTML body is turned
 * into text by shared/html-to-text.ts (a scanner, not a parser that builds elements), so
 * nothing in it is loaded and no script in it runs; remote images stay unfetched.
 */
export function emailView(bytes: Uint8Array): HTMLElement {
  const mail = parseEmail(bytesToBinary(bytes));
  // The plain text part when it says something; many senders leave it empty beside the HTML.
  const fromHtml = !mail.text?.trim() && mail.html !== null;
  const converted = fromHtml ? htmlToText(mail.html!) : null;
  const body = converted ? converted.text : (mail.text ?? '');
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
    converted?.truncated
      ? h('p', { class: 'muted' }, 'The text is cut short here; the whole email is in the file.')
      : null,
    mail.attachments.length
      ? [
          h('h5', null, 'Attachments (' + mail.attachments.length + ')'),
          h(
            'ul',
            { class: 'attachments' },
            mail.attachments.map((a) =>
              h('li', null, [
                h('code', null, a.name || '(no name)'),
                ' \u2014 ' + (a.mime || 'unknown type') + ', ' + bytesText(a.size),
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
