import { add, clear, code, facts, h, visible } from './dom';
import type { ViewerData } from './viewer-data';

/** The top of the page: what this bundle is, who made it, and the contents. */
export function overview(data: ViewerData, lede: HTMLElement | null): HTMLElement {
  if (lede) {
    clear(lede);
    add(
      lede,
      'This page lists the evidence in this bundle, what was written about it, and when things happened. ' +
        'It can also check, on this computer, that none of the files has changed since the bundle was made. ' +
        'Nothing is sent anywhere: this page works offline.',
    );
  }
  const link = (href: string, text: string): HTMLElement => h('li', null, h('a', { href }, text));
  return h('div', { class: 'card' }, [
    facts([
      ['Bundle made', data.exportedText],
      ['Made by', data.exporter ? visible(data.exporter) : 'Not given'],
      ['Exhibits', String(data.exhibits.length)],
      data.schedule
        ? [
            'Made for disclosure',
            data.schedule.length +
              (data.schedule.length === 1 ? ' original is' : ' originals are') +
              ' withheld, each exhibited as a copy (redacted, or without location)',
          ]
        : null,
      ['Incidents described', String(data.incidents.length)],
      ['People named', String(data.people.length)],
      ['Files listed for checking', String(data.manifest.length)],
      ['Signing key fingerprint', code(data.signingKeyFingerprint, 'hash')],
      ['Made with', visible(data.software.name + ' ' + data.software.version)],
    ]),
    h(
      'nav',
      { class: 'toc no-print', 'aria-label': 'Contents' },
      h('ul', null, [
        link('#check', 'Check the files'),
        link('#review', 'Your review'),
        link('#exhibits', 'Exhibits (' + data.exhibits.length + ')'),
        data.schedule
          ? link('#schedule', 'Redaction schedule (' + data.schedule.length + ')')
          : null,
        link('#timeline', 'Timeline (' + data.incidents.length + ')'),
        link('#people', 'People (' + data.people.length + ')'),
        link('#custody', 'Custody log'),
        link('#about', 'What the check proves'),
      ]),
    ),
  ]);
}
