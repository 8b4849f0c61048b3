// The court bundle's length against the family courts' cap, in the same words in the export
// wizard (before and after exporting), `dossier export` and the export result.

/** Family courts' limit on a bundle's length (Practice Direction 27A, para 5.1). */
export const FAMILY_BUNDLE_PAGE_CAP = 350;

function pagesText(pages: number): string {
  return `${pages.toLocaleString('en-GB')} page${pages === 1 ? '' : 's'}`;
}

/**
 * What to tell the person about a bundle of `pages` pages, or null when it is within the cap:
 * `before` an export ("will have"), or after it ("has").
 */
export function bundlePagesWarning(
  pages: number,
  when: 'before' | 'after',
  cap: number = FAMILY_BUNDLE_PAGE_CAP,
): string | null {
  if (!Number.isFinite(pages) || pages <= cap) return null;
  const capText = `Family courts accept at most ${cap.toLocaleString('en-GB')} pages (Practice Direction 27A), so a family court may ask for a shorter one: export fewer items, by tag or by incident, for it.`;
  return when === 'before'
    ? `The court bundle (data/report/bundle.pdf) will have ${pagesText(pages)}. ${capText} The bundle will still be written in full.`
    : `The court bundle (data/report/bundle.pdf) has ${pagesText(pages)}. ${capText} The bundle was still written in full.`;
}
