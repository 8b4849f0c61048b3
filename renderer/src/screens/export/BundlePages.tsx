import { bundlePagesWarning } from '../../../../shared/bundle-pages';

/** The court bundle's page count for the wizard's choices, before anything is exported. */
export type PageCount =
  | { state: 'counting' }
  | { state: 'counted'; pages: number; cap: number }
  | { state: 'failed'; error: string };

/** The summary's line about the court bundle's length. */
export function BundlePagesLine({ count }: { count: PageCount }) {
  return (
    <li id="bundle-pages">
      Court bundle:{' '}
      {count.state === 'counting'
        ? 'counting its pages…'
        : count.state === 'failed'
          ? `its pages could not be counted (${count.error})`
          : `${count.pages.toLocaleString('en-GB')} page${count.pages === 1 ? '' : 's'}`}
    </li>
  );
}

/** Said before the export starts: a bundle longer than family courts accept (PD 27A). */
export function BundlePagesWarning({ count }: { count: PageCount }) {
  const text =
    count.state === 'counted' ? bundlePagesWarning(count.pages, 'before', count.cap) : null;
  if (!text) return null;
  return (
    <p className="notice" role="status" id="bundle-pages-warning">
      {text}
    </p>
  );
}
