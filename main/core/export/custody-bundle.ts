import type { CustodyRecord, ExportModel } from './model';

/**
 * The custody log as a bundle shows it (data/metadata/custody.jsonl, docs/bundle-format.md).
 * Entries about what is in the bundle, and vault-wide events, are shown in full, exactly as
 * in the vault, so their hashes can be recomputed. Entries about other evidence are left
 * out: each run of them becomes one "withheld" line that counts them and carries the last
 * one's hash, with no times. An old entry that records a full source path is shown without
 * its details unless the exporter asked for full paths; its link (seq, prev, hash) stays.
 */
export type WithheldReason = 'not-in-bundle' | 'full-source-path';

export const WITHHELD_REASONS: readonly WithheldReason[] = ['not-in-bundle', 'full-source-path'];

/** An entry without its details: what a 'full-source-path' line shows. */
export type EntryLink = Omit<CustodyRecord, 'details' | 'withheld'>;

export interface WithheldLine {
  withheld: {
    fromSeq: number;
    toSeq: number;
    count: number;
    /** The hash of entry toSeq: the next shown entry's prev, or the checkpoint's head. */
    lastHash: string;
    reason: WithheldReason;
    /** Only for 'full-source-path' (one entry): the entry without its details. */
    entry?: EntryLink;
  };
}

export interface BundleCustody {
  lines: (CustodyRecord | WithheldLine)[];
  /** What the report and viewer list: full entries, and path-withheld ones with empty details. */
  shown: CustodyRecord[];
  /** Entries about evidence not in the bundle (counted, not shown). */
  leftOut: number;
  /** Entries shown without their details because they record a full source path. */
  pathWithheld: number;
}

/** True for an entry written before sources were recorded as digests (a full path inside). */
export function recordsFullSourcePath(e: CustodyRecord): boolean {
  const p = (e.details as { sourcePath?: unknown }).sourcePath;
  return typeof p === 'string' && p !== '';
}

export function bundleCustody(
  entries: readonly CustodyRecord[],
  keep: (e: CustodyRecord) => boolean,
  opts: { fullPaths: boolean },
): BundleCustody {
  const out: BundleCustody = { lines: [], shown: [], leftOut: 0, pathWithheld: 0 };
  let run: WithheldLine['withheld'] | null = null;
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (!keep(e)) {
      out.leftOut++;
      if (run && run.toSeq === e.seq - 1) {
        run.toSeq = e.seq;
        run.count++;
        run.lastHash = e.hash;
      } else {
        run = { fromSeq: e.seq, toSeq: e.seq, count: 1, lastHash: e.hash, reason: 'not-in-bundle' };
        out.lines.push({ withheld: run });
      }
      continue;
    }
    run = null;
    if (!opts.fullPaths && recordsFullSourcePath(e)) {
      const link: EntryLink = {
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subjects: e.subjects,
        prev: e.prev,
        hash: e.hash,
      };
      out.pathWithheld++;
      out.lines.push({
        withheld: {
          fromSeq: e.seq,
          toSeq: e.seq,
          count: 1,
          lastHash: e.hash,
          reason: 'full-source-path',
          entry: link,
        },
      });
      out.shown.push({ ...link, details: {}, withheld: 'full-source-path' });
      continue;
    }
    out.lines.push(e);
    out.shown.push(e);
  }
  return out;
}

/** custody.jsonl: one line per shown entry or withheld run, then the signed checkpoint. */
export function custodyJsonl(
  custody: Pick<BundleCustody, 'lines'>,
  checkpoint: (NonNullable<ExportModel['checkpoint']> & { vaultId: string }) | null,
): string {
  const lines = custody.lines.map((l) => JSON.stringify(l));
  lines.push(JSON.stringify({ checkpoint }));
  return `${lines.join('\n')}\n`;
}
