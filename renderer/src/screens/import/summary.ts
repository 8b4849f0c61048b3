import type { AddResult } from '../../stores/jobs';

/** What happened to the files of an import, each file counted once. */
export interface ImportCounts {
  /** Stored, with or without a warning. */
  added: number;
  /** Of those added, the ones with a warning (damaged, empty, unreadable metadata…). */
  withWarnings: number;
  duplicates: number;
  /** Could not be stored. */
  failed: number;
  /** Left out on purpose (e.g. a system file such as .DS_Store). */
  skipped: number;
  /** Everything a person should look at: failed, left out, or added with a warning. */
  problems: number;
}

export function importCounts(results: readonly AddResult[]): ImportCounts {
  const c = { added: 0, withWarnings: 0, duplicates: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'added') {
      c.added++;
      if (r.warnings.length > 0) c.withWarnings++;
    } else if (r.status === 'duplicate') c.duplicates++;
    else if (r.status === 'failed') c.failed++;
    else c.skipped++;
  }
  return { ...c, problems: c.withWarnings + c.failed + c.skipped };
}

/** "4 added · 1 already in the vault · 2 with problems (1 added with a warning, 1 not added)". */
export function importSummaryText(c: ImportCounts): string {
  const parts = [
    c.withWarnings > 0 &&
      `${c.withWarnings} added with ${c.withWarnings === 1 ? 'a warning' : 'warnings'}`,
    c.failed > 0 && `${c.failed} not added`,
    c.skipped > 0 && `${c.skipped} left out`,
  ].filter(Boolean);
  const problems =
    c.problems === 0
      ? 'no problems'
      : `${c.problems} with ${c.problems === 1 ? 'a problem' : 'problems'} (${parts.join(', ')})`;
  return `${c.added} added · ${c.duplicates} already in the vault · ${problems}`;
}
