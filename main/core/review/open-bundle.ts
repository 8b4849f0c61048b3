/**
 * Opening a bundle for review (issue 14): verify everything first (completeness, every hash,
 * the signature, the custody chain, the messages: export/verify-bundle.ts), then read its
 * records and load them into a read-only workspace. A bundle that fails verification still
 * opens; what failed is named, with its file, and the exhibits it concerns are marked.
 * Read in place: a folder's or zip's files are read where they are, a .zip.age is decrypted
 * range by range in memory; nothing is written into, beside, or outside the bundle.
 */
import { basename } from 'node:path';
import type { ReviewBundleRef } from '../../../shared/review';
import { openBagSource, type BagProblem, type BagSource } from '../bagit/verify';
import { DossierError } from '../errors';
import { verifyBundleSource, type BundleReport } from '../export/verify-bundle';
import { readBundleRecords, type BundleRecords } from './bundle-records';
import type { ReviewedBundle } from './reviewed-bundle';
import { ReviewWorkspace } from './workspace';

export interface ReviewProblem extends BagProblem {
  /** The exhibit labels this problem is about (its file is theirs), in bundle order. */
  exhibits: string[];
}

/** What the adviser is shown first: who made the bundle, and whether it verifies. */
export interface ReviewSummary {
  /** The bundle's file or folder name. */
  name: string;
  caseName: string;
  bagName: string;
  /** bag-info.txt's Contact-Name, or null when "Not given". */
  exporter: string | null;
  exportedAt: string | null;
  exhibits: number;
  incidents: number;
  people: number;
  messages: number;
  /** Of the key that signed (verified), else the one bag-info.txt declares, else null. */
  fingerprint: string | null;
  signed: boolean;
  /** Everything verified: complete, every hash, the signature, custody, the records. */
  verified: boolean;
  tagManifestSha256: string | null;
  /** Every problem, errors then warnings, each with its file and the exhibits it concerns. */
  problems: ReviewProblem[];
  /** Labels of the exhibits some error is about (their file or their record failed). */
  failingExhibits: string[];
}

export interface OpenedBundle {
  summary: ReviewSummary;
  /** verify's full report (the same as `dossier verify --json`). */
  report: BundleReport;
  /** The facts the review layer reads (review-format.md). */
  bundle: ReviewedBundle;
  workspace: ReviewWorkspace;
  close(): Promise<void>;
}

export interface OpenReviewOptions {
  passphrase?: string;
  signal?: AbortSignal;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number }) => void;
}

const info = (r: BundleRecords, label: string): string | null =>
  r.bagInfo.find((e) => e.label.toLowerCase() === label.toLowerCase())?.value ?? null;

/** Problems with their exhibits: a problem's file is an exhibit's file, or names its label. */
export function problemsWithExhibits(
  problems: readonly BagProblem[],
  exhibits: readonly { label: string; bagPath: string; itemId: string }[],
): ReviewProblem[] {
  const byPath = new Map(exhibits.map((e) => [e.bagPath, e.label]));
  const labels = exhibits.map((e) => e.label);
  const known = new Set(labels);
  return problems.map((p) => {
    const found = new Set<string>();
    const own = p.file === null ? undefined : byPath.get(p.file);
    if (own !== undefined) found.add(own);
    // A record's problem names the exhibit in words: "Exhibit JD3: …", "… of exhibit "JD3" …".
    // One pass over the words, looked up: never a pattern per exhibit (a bundle may hold many).
    for (const m of p.message.matchAll(/[Ee]xhibit "?([^\s",:;()]+)/g)) {
      let word = m[1]!;
      while (word.endsWith('.')) word = word.slice(0, -1); // the sentence's full stop
      if (known.has(word)) found.add(word);
    }
    return { ...p, exhibits: labels.filter((l) => found.has(l)) };
  });
}

export async function openBundleForReview(
  path: string,
  opts: OpenReviewOptions = {},
): Promise<OpenedBundle> {
  const source: BagSource = await openBagSource(path, { passphrase: opts.passphrase });
  let workspace: ReviewWorkspace | null = null;
  try {
    const report = await verifyBundleSource(source, {
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    if (!report.dossierBundle) {
      throw new DossierError(
        'USAGE',
        `${basename(path)} is a BagIt bag but not a Dossier evidence bundle (it has no signature, custody log or Dossier marks), so there is nothing to review in it. \`dossier verify\` checks it as a plain bag.`,
      );
    }
    if (opts.signal?.aborted) throw cancelled();
    const records = await readBundleRecords(source);
    if (opts.signal?.aborted) throw cancelled();
    workspace = await ReviewWorkspace.load(source, records, opts.signal);

    const seenProblem = new Set(report.problems.map((p) => `${p.file}\u0000${p.message}`));
    const all = [
      ...report.problems,
      // A record verify already named (e.g. a damaged items.json) is not said twice.
      ...records.problems.filter((p) => !seenProblem.has(`${p.file}\u0000${p.message}`)),
    ].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    const problems = problemsWithExhibits(all, records.exhibits);
    const failing = new Set(
      problems.filter((p) => p.severity === 'error').flatMap((p) => p.exhibits),
    );
    // A file with an error about it (changed, missing, unreadable) is not shown as evidence.
    workspace.distrust(
      problems.filter((p) => p.severity === 'error' && p.file !== null).map((p) => p.file!),
    );
    const contact = info(records, 'Contact-Name');
    const declared = info(records, 'Signing-Key-Fingerprint');
    const bagName = info(records, 'External-Identifier') ?? basename(path);
    const caseName = info(records, 'Case-Name') ?? '';
    const fingerprint = report.fingerprint ?? declared;
    const summary: ReviewSummary = {
      name: basename(path),
      caseName,
      bagName,
      exporter: contact === null || contact === 'Not given' ? null : contact,
      exportedAt: info(records, 'Bagging-Date'),
      exhibits: records.exhibits.length,
      incidents: records.incidents.length,
      people: records.people.length,
      messages: records.messages.length,
      fingerprint,
      signed: report.signed,
      verified: report.ok && !problems.some((p) => p.severity === 'error'),
      tagManifestSha256: records.tagManifestSha256,
      problems,
      failingExhibits: records.exhibits.map((e) => e.label).filter((l) => failing.has(l)),
    };
    const ref: ReviewBundleRef = {
      tagManifestSha256: records.tagManifestSha256 ?? '',
      bagName,
      caseName,
      // As docs/review-format.md says: bag-info.txt's (verify checked it names the key that signed).
      signingKeyFingerprint: declared ?? fingerprint ?? '',
    };
    const bundle: ReviewedBundle = {
      ref,
      exporter: summary.exporter,
      exhibits: records.exhibits.map((e) => ({
        label: e.label,
        itemId: e.itemId,
        sha256: e.sha256,
        name: e.name || e.originalName,
        mime: e.mime,
      })),
      incidents: records.incidents.map((i) => ({
        incidentId: i.id,
        occurredAt: i.occurredAt,
        whatHappened: i.summary,
      })),
      messages: records.messages.map((m) => ({
        messageId: m.messageId,
        exhibit: m.exhibit,
        index: m.index,
        sender: m.sender,
        time: m.time,
        text: m.text,
      })),
    };
    const ws = workspace;
    let closed = false;
    return {
      summary,
      report,
      bundle,
      workspace: ws,
      close: async () => {
        if (closed) return;
        closed = true;
        ws.close();
        await source.close();
      },
    };
  } catch (e) {
    workspace?.close();
    await source.close();
    if (opts.signal?.aborted && !(e instanceof DossierError)) throw cancelled();
    throw e;
  }
}

function cancelled(): DossierError {
  return new DossierError(
    'USAGE',
    'Opening the bundle was cancelled before it finished. Nothing was changed.',
  );
}
