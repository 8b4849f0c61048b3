import { code, facts, h, joinNodes, section, visible, type Kid } from './dom';
import type { ViewerData } from './viewer-data';

const KIND: Record<string, string> = { email: 'Email', handle: 'Handle', phone: 'Phone' };

/** The people named in the bundle, how they are known, and where they appear. */
export function peopleSection(data: ViewerData, exhibitLink: (n: string) => Kid): HTMLElement {
  return section(
    'people',
    'People',
    data.people.length
      ? data.people.map((p) =>
          h('div', { class: 'card' }, [
            h('h3', null, visible(p.name) + ' \u2014 ' + p.roleText),
            facts([
              [
                'Known as',
                p.identifiers.length
                  ? h(
                      'ul',
                      null,
                      p.identifiers.map((d) =>
                        h('li', null, [(KIND[d.kind] ?? visible(d.kind)) + ': ', code(d.value)]),
                      ),
                    )
                  : null,
              ],
              ['Notes', p.notes ? h('span', { class: 'note' }, p.notes) : null],
              [
                'In exhibits',
                p.exhibitNumbers.length ? joinNodes(p.exhibitNumbers.map(exhibitLink)) : null,
              ],
              ['In incidents', p.incidentCount ? String(p.incidentCount) : null],
            ]),
          ]),
        )
      : [h('p', null, 'No people are named in this bundle.')],
  );
}
