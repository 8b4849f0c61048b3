import { facts, h, section } from './dom';
import type { ViewerData } from './viewer-data';
import { plural } from './words';

/** The custody log in summary: how many entries, what they record, and the signed head. */
export function custodySection(data: ViewerData): HTMLElement {
  const cu = data.custody;
  return section('custody', 'Custody log', [
    h(
      'p',
      null,
      'Dossier records everything done with the evidence (imports, notes, exports, unlocking the vault) in a log ' +
        'where each entry carries the fingerprint of the one before, so an entry cannot be changed or removed without it showing.',
    ),
    cu.entries
      ? facts([
          [
            'Entries in this bundle',
            cu.entries + ' (numbers #' + cu.firstSeq + ' to #' + cu.lastSeq + ')',
          ],
          ['First', cu.firstText],
          ['Last', cu.lastText],
        ])
      : h('p', null, 'This bundle has no custody log entries.'),
    cu.actions.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h('table', null, [
            h('caption', null, 'What the entries record'),
            h(
              'thead',
              null,
              h('tr', null, [
                h('th', { scope: 'col' }, 'What happened'),
                h('th', { scope: 'col' }, 'Times'),
              ]),
            ),
            h(
              'tbody',
              null,
              cu.actions.map((a) =>
                h('tr', null, [h('td', null, a.text), h('td', null, String(a.count))]),
              ),
            ),
          ]),
        )
      : null,
    cu.checkpoint
      ? h('p', null, [
          'At export, the latest entry (#' + cu.checkpoint.seq + ') had the fingerprint ',
          h('span', { class: 'hash' }, cu.checkpoint.head),
          '. That was signed on ' +
            cu.checkpoint.signedText +
            ' with the bundle\u2019s signing key, so a later change to the log would show.',
        ])
      : null,
    cu.leftOut
      ? h(
          'p',
          null,
          plural(cu.leftOut, 'entry', 'entries') +
            ' about evidence that is not in this bundle ' +
            (cu.leftOut === 1 ? 'is' : 'are') +
            ' left out: custody.jsonl counts them, without their times, and the chain still checks across them.',
        )
      : null,
    cu.pathWithheld
      ? h(
          'p',
          null,
          plural(cu.pathWithheld, 'entry has its', 'entries have their') +
            ' details withheld because ' +
            'they record the full path a file was imported from (which can name a home folder). Their place in the chain is kept.',
        )
      : null,
    h(
      'p',
      { class: 'muted' },
      'The bundle includes the entries about its exhibits, incidents and people, plus vault-wide events ' +
        '(vault created, unlocked, locked, key changes, exports). Every entry in full is in data/metadata/custody.jsonl, and the report ' +
        '(data/report/report.pdf) lists them. The command \u201cdossier verify\u201d checks the chain and the signature.',
    ),
  ]);
}
