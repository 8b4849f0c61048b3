import type { ViewerData } from './viewer-data';

/**
 * The bundle's data, from the page's JSON island. The island is written by the exporter
 * (main/core/export/viewer.ts); a page whose island is missing or of another format says so
 * instead of drawing half a page.
 */
export function readData(doc: Document): ViewerData {
  const island = doc.getElementById('dossier-data');
  const parsed: unknown = JSON.parse(island?.textContent ?? 'null');
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { format?: unknown }).format !== 'dossier-viewer-1'
  ) {
    throw new Error('This page does not carry the data of a Dossier bundle (dossier-viewer-1).');
  }
  return parsed as ViewerData;
}
