// The export wizard says how many pages the court bundle will have before the person presses
// "Start export", and warns (it will still be written) when that is over the 350 pages family
// courts accept (PD 27A).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  BundlePagesLine,
  BundlePagesWarning,
  type PageCount,
} from '../../../renderer/src/screens/export/BundlePages';
import {
  bundlePagesArgs,
  EMPTY_DRAFT,
  exportArgs,
} from '../../../renderer/src/screens/export/wizard';

const html = (count: PageCount): string =>
  renderToStaticMarkup(createElement('ul', null, createElement(BundlePagesLine, { count }))) +
  renderToStaticMarkup(createElement(BundlePagesWarning, { count }));

describe('the export wizard, before exporting', () => {
  it('warns with the page count when the bundle will pass the cap, and says it is still written', () => {
    const out = html({ state: 'counted', pages: 1412, cap: 350 });
    expect(out).toContain('Court bundle: 1,412 pages');
    expect(out).toContain('role="status"');
    expect(out).toContain('The court bundle (data/report/bundle.pdf) will have 1,412 pages.');
    expect(out).toContain('Family courts accept at most 350 pages (Practice Direction 27A)');
    expect(out).toContain('The bundle will still be written in full.');
  });

  it('says the length only, with no warning, at or under the cap', () => {
    for (const pages of [1, 350]) {
      const out = html({ state: 'counted', pages, cap: 350 });
      expect(out).toContain(`Court bundle: ${pages} page${pages === 1 ? '' : 's'}`);
      expect(out).not.toContain('Family courts');
    }
    // The cap is the server's: a lower one warns sooner.
    expect(html({ state: 'counted', pages: 12, cap: 10 })).toContain('will have 12 pages');
  });

  it('says when it is still counting, or could not count', () => {
    expect(html({ state: 'counting' })).toContain('Court bundle: counting its pages…');
    const failed = html({ state: 'failed', error: 'The vault is <locked>.' });
    expect(failed).toContain('its pages could not be counted (The vault is &lt;locked&gt;.)');
    expect(failed).not.toContain('Family courts');
  });

  it('counts the bundle of exactly the choices the export will be made with', () => {
    const draft = {
      ...EMPTY_DRAFT,
      scope: 'tags' as const,
      tags: ['threat'],
      exhibitPrefix: ' jd ',
      caseName: ' Doe v Doe ',
      out: '/home/me',
    };
    const { out, format, encryptPassphrase, ...rest } = exportArgs(draft, []);
    void out;
    void format;
    void encryptPassphrase;
    expect(bundlePagesArgs(draft, [])).toEqual(rest);
    expect(rest.selection).toEqual({ tags: ['threat'] });
  });

  it('counts with the chosen messages, as the export is made with them', () => {
    const draft = { ...EMPTY_DRAFT, scope: 'messages' as const, out: '/home/me' };
    const chosen = [
      { id: 'm1', conversationId: 'c1' },
      { id: 'm2', conversationId: 'c1' },
    ];
    const { out, format, encryptPassphrase, ...rest } = exportArgs(draft, [], chosen);
    void out;
    void format;
    void encryptPassphrase;
    expect(bundlePagesArgs(draft, [], chosen)).toEqual(rest);
    expect(rest).toMatchObject({ selection: { itemIds: ['c1'] }, messageIds: ['m1', 'm2'] });
  });
});
