import { LOCATION_WITHHELD } from '../../../../../shared/location-fields';
import { facts, h, visible } from './dom';
import type { ViewerExhibit } from './viewer-data';

/**
 * Where a photo was taken can give away a home. As in the app, the location rows are hidden
 * until the reader asks for them, and hidden again from print unless shown.
 */
export function locationGroup(x: ViewerExhibit, i: number): HTMLElement | null {
  if (x.locationWithheld) return withheldGroup(x, i);
  if (!x.location.length) return null;
  const id = 'location-' + i;
  const rows = facts(x.location.map(([k, v]) => [visible(k), v]));
  rows.id = id;
  rows.hidden = true;
  const button = h(
    'button',
    { type: 'button', class: 'show-location', 'aria-expanded': 'false', 'aria-controls': id },
    'Show location',
  );
  button.addEventListener('click', () => {
    const show = rows.hidden;
    rows.hidden = !show;
    button.setAttribute('aria-expanded', String(show));
    button.textContent = show ? 'Hide location' : 'Show location';
  });
  return h('div', { class: 'sensitive', role: 'group', 'aria-labelledby': id + '-h' }, [
    h('h4', { id: id + '-h' }, '\u26a0 Sensitive: location'),
    x.sensitive.filter((s) => s.flag === 'gps').map((s) => h('p', null, s.text)),
    h(
      'p',
      null,
      'This file records where it was taken (' +
        x.location.length +
        (x.location.length === 1 ? ' detail' : ' details') +
        '). They are hidden here so they are not read over a shoulder or printed by accident; anyone with the original file can read them.',
    ),
    button,
    rows,
  ]);
}

/** The exporter chose to leave the location out: there is nothing to show, and it says so. */
function withheldGroup(x: ViewerExhibit, i: number): HTMLElement {
  const id = 'location-' + i;
  return h('div', { class: 'sensitive', role: 'group', 'aria-labelledby': id + '-h' }, [
    h('h4', { id: id + '-h' }, '\u26a0 Sensitive: location'),
    h('p', { class: 'location-withheld' }, LOCATION_WITHHELD + '.'),
    h(
      'p',
      null,
      'This file records where it was taken. The person who made this bundle chose to leave that location out of this page, the report and the metadata files. The original file in data/evidence is unchanged (its fingerprint is the point), so it still holds its own location: anyone who opens it with a photo tool can read it.',
    ),
  ]);
}
