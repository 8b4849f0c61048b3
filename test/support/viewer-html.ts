import type { ExportModel } from '../../main/core/export/model';
import { renderViewerHtml, type ViewerOptions } from '../../main/core/export/viewer';

/** The viewer page (renderViewerHtml streams it) as one string, for tests that read it. */
export async function viewerHtml(
  model: ExportModel,
  manifest: { path: string; sha256: string }[],
  options?: ViewerOptions,
): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of renderViewerHtml(model, manifest, options)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
