// The export wizard's result screen shows what the export itself said, e.g. that the court
// bundle is longer than the 350 pages family courts accept (issue 11, part 1).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExportNotes } from '../../../renderer/src/screens/export/ExportNotes';

describe('the export result screen', () => {
  it('shows every warning of the export, as text', () => {
    const long =
      'The court bundle (data/report/bundle.pdf) has 412 pages. Family courts cap bundles at 350 pages (Practice Direction 27A).';
    const html = renderToStaticMarkup(
      createElement(ExportNotes, { warnings: [long, 'An <b>interrupted</b> export was removed.'] }),
    );
    expect(html).toContain('role="status"');
    expect(html).toContain('has 412 pages');
    expect(html).toContain('Practice Direction 27A');
    expect(html).toContain('An &lt;b&gt;interrupted&lt;/b&gt; export was removed.'); // text, not markup
  });

  it('shows nothing when the export had nothing to say', () => {
    expect(renderToStaticMarkup(createElement(ExportNotes, { warnings: [] }))).toBe('');
  });
});
