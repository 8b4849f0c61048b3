import { code, facts, h, section, visible, type Kid } from './dom';
import type { ViewerScheduleEntry } from './viewer-data';

/**
 * A bundle made for disclosure: each original withheld, by its SHA-256, with the copy exhibited
 * for it and every area covered with its reason (docs/redaction.md, "Disclosure").
 */
export function scheduleSection(
  schedule: ViewerScheduleEntry[],
  exhibitLink: (n: string) => Kid,
): HTMLElement {
  return section('schedule', 'Redaction schedule', [
    h(
      'p',
      null,
      'This bundle was made for disclosure. Each exhibit below is a copy: a redacted copy, in which each area listed is covered (burned in: nothing of what is covered is in the copy), or a copy without its location and device details. The original is withheld and kept unchanged; its SHA-256 is given, so that if it is ordered, anyone can check it is the one withheld. The same schedule is in data/metadata/redactions.csv.',
    ),
    ...schedule.map((s) =>
      h('div', { class: 'card' }, [
        h('h3', null, ['Exhibit ', exhibitLink(s.exhibit)]),
        facts([
          ['Exhibited', visible(s.copyText)],
          ['Copy SHA-256', code(s.copySha256, 'hash')],
          ['Original withheld, SHA-256', code(s.originalSha256, 'hash')],
          [
            'Areas covered',
            s.areas.length
              ? h(
                  'ol',
                  null,
                  s.areas.map((a) => h('li', null, visible(a))),
                )
              : null,
          ],
          ['Taken out', s.removed ? visible(s.removed) : null],
          ['Made', visible(s.made)],
        ]),
      ]),
    ),
  ]);
}
