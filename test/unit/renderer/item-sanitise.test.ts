import { describe, expect, it } from 'vitest';
import {
  EMAIL_FRAME_CSP,
  emailDocument,
  isInlineImageUrl,
  neutraliseCss,
} from '../../../renderer/src/screens/item/sanitize';

// sanitiseEmailHtml itself needs a DOM (DOMPurify); the project has no DOM for unit tests,
// so it is checked in the browser. These are the pure parts it relies on.
describe('email sanitising helpers', () => {
  it('neutralises every url() and @import in CSS', () => {
    const { css, removed } = neutraliseCss(
      '@import "https://t.example/x.css"; body { background: URL( "https://t.example/p.gif" ) } ' +
        'p { background-image: image-set("https://t.example/a.png" 1x) } ' +
        'i { background: \\75 rl(https://t.example/e.png) }',
    );
    expect(css).not.toMatch(/url\s*\(/i);
    expect(css).not.toMatch(/@import/i);
    expect(css).not.toMatch(/image-set\(/i);
    expect(removed).toBe(4);
  });

  it('leaves CSS without references alone', () => {
    expect(neutraliseCss('p { color: red; font-weight: bold }')).toEqual({
      css: 'p { color: red; font-weight: bold }',
      removed: 0,
    });
  });

  it('keeps only data: raster images as image sources', () => {
    expect(isInlineImageUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(isInlineImageUrl('https://tracker.example/pixel.gif')).toBe(false);
    expect(isInlineImageUrl('//tracker.example/pixel.gif')).toBe(false);
    expect(isInlineImageUrl('/evidence/01ABC/original')).toBe(false);
    expect(isInlineImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isInlineImageUrl('data:text/html;base64,PHNjcmlwdD4=')).toBe(false);
  });

  it('puts the body under a CSP that loads nothing remote', () => {
    const doc = emailDocument('<p>hi</p>');
    expect(doc).toContain(`content="${EMAIL_FRAME_CSP}"`);
    expect(EMAIL_FRAME_CSP).toMatch(/default-src 'none'/);
    expect(EMAIL_FRAME_CSP).not.toMatch(/script-src|http/);
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<body>'));
  });
});
