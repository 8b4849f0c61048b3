/**
 * What the export itself said (e.g. the court bundle is longer than family courts accept,
 * or an interrupted export's leftovers were removed): the same lines the CLI prints.
 */
export function ExportNotes({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
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
  );
}
