import { code, facts, h, joinNodes, section, visible, type Kid } from './dom';
import type { ViewerData } from './viewer-data';

/** The incidents in time order, with the course of conduct worked out by the exporter. */
export function timelineSection(data: ViewerData, exhibitLink: (n: string) => Kid): HTMLElement {
  const n = data.incidents.length;
  return section('timeline', 'Timeline of incidents', [
    data.conduct.text.map((t) => h('p', null, t)),
    n
      ? h(
          'ol',
          { class: 'timeline' },
          data.incidents.map((inc, i) =>
            h('li', { class: 'card', id: 'incident-' + i, 'data-id': inc.id }, [
              inc.gapText ? h('p', { class: 'gap' }, inc.gapText) : null,
              h('h3', null, 'Incident ' + (i + 1) + ' of ' + n + ': ' + inc.whenText),
              facts([
                ['Until', inc.untilText],
                [
                  'What happened',
                  inc.summary ? h('span', { class: 'note' }, inc.summary) : 'Not described',
                ],
                ['Where or on what platform', inc.place],
                ['Impact', inc.impact ? h('span', { class: 'note' }, inc.impact) : null],
                ['Witnesses', inc.witnesses],
                ['Police reference', inc.policeRef ? code(inc.policeRef) : null],
                ['Platform reference', inc.platformRef ? code(inc.platformRef) : null],
                [
                  'Exhibits',
                  inc.exhibitNumbers.length ? joinNodes(inc.exhibitNumbers.map(exhibitLink)) : null,
                ],
                [
                  'Messages',
                  inc.messages && inc.messages.length
                    ? h(
                        'ul',
                        null,
                        inc.messages.map((m) =>
                          h('li', null, [
                            exhibitLink(m.exhibit),
                            ' message ' + m.number + ' \u00b7 ' + visible(m.sender) + ': ',
                            visible(m.excerpt),
                          ]),
                        ),
                      )
                    : null,
                ],
                [
                  'People',
                  inc.people.length
                    ? joinNodes(
                        inc.people.map(
                          (p) => visible(p.name) + (p.role ? ' (' + p.role + ')' : ''),
                        ),
                      )
                    : null,
                ],
              ]),
            ]),
          ),
        )
      : null,
  ]);
}
