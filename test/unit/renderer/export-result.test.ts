// The export wizard's result screen says how long the court bundle is, and shows what the
// export itself said, e.g. that it is longer than the 350 pages family courts accept.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExportNotes } from '../../../renderer/src/screens/export/ExportNotes';

describe('the export result screen', () => {
  it('shows every warning of the export, as text', () => {
    const long =
      'The court bundle (data/report/bundle.pdf) has 412 pages. Family courts cap bundles at 350 pages (Practice Direction 27A).';
    const html = renderToStaticMarkup(
      createElement(ExportNotes, {
        warnings: [long, 'An <b>interrupted</b> export was removed.'],
        bundlePages: 412,
      }),
    );
    expect(html).toContain('role="status"');
    expect(html).toContain('<code>data/report/bundle.pdf</code>: 412 pages.');
    expect(html).toContain('has 412 pages');
    expect(html).toContain('Practice Direction 27A');
    expect(html).toContain('An &lt;b&gt;interrupted&lt;/b&gt; export was removed.'); // text, not markup
  });

  it('says how long the court bundle is, and nothing else when there is no warning', () => {
    const html = renderToStaticMarkup(createElement(ExportNotes, { warnings: [], bundlePages: 1 }));
    expect(html).toBe(
      '<p>The court bundle, ready to file or print, is <code>data/report/bundle.pdf</code>: 1 page.</p>',
    );
    // A result from before the court bundle existed (bundlePages defaults to 0).
    expect(renderToStaticMarkup(createElement(ExportNotes, { warnings: [], bundlePages: 0 }))).toBe(
      '',
    );
  });
});
