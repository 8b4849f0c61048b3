/**
 * What the export itself said: the court bundle's length, and its warnings (e.g. the bundle
 * is longer than family courts accept, or an interrupted export's leftovers were removed),
 * the same lines the CLI prints.
 */
export function ExportNotes({
  warnings,
  bundlePages,
}: {
  warnings: readonly string[];
  bundlePages: number;
}) {
  return (
    <>
      {bundlePages > 0 && (
        <p>
          The court bundle, ready to file or print, is <code>data/report/bundle.pdf</code>:{' '}
          {bundlePages.toLocaleString('en-GB')} page{bundlePages === 1 ? '' : 's'}.
        </p>
      )}
      {warnings.length > 0 && (
        <div className="notice export-notes" role="status">
          <p>
            <strong>About this export:</strong>
          </p>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
