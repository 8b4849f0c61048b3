import { verify, type KeyObject } from 'node:crypto';
import { checkpointStatement, entryHash, GENESIS_PREV, type CustodyAction } from '../custody/log';
import { WITHHELD_REASONS, type WithheldReason } from './custody-bundle';
import type { CustodyRecord } from './model';

/**
 * Checks a bundle's custody.jsonl (format in docs/bundle-format.md): every shown entry's
 * hash, every link, each withheld run's numbering and count, and the signed checkpoint
 * over the last entry. A withheld run stands for entries whose content is not in the
 * bundle: the next entry's prev must be the run's lastHash, so a run cannot be removed,
 * shortened, lengthened or given another hash without breaking the chain.
 */

const FILE = 'data/metadata/custody.jsonl';
const HASH = /^[0-9a-f]{64}$/;

export interface CustodySummary {
  /** Entries the chain covers (1 to the checkpoint's seq). */
  entries: number;
  /** Shown in full. */
  full: number;
  /** Left out because they are about evidence not in the bundle. */
  leftOut: number;
  /** Shown without their details because they record a full source path. */
  pathWithheld: number;
}

interface Checkpoint {
  vaultId: string;
  seq: number;
  head: string;
  signedAt: string;
  signature: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/**
 * A line that is one whole custody entry, whose hash can be recomputed. Readers that
 * compare entries with other files (items.json) use only these and skip every other line.
 */
export function isFullEntry(line: unknown): line is CustodyRecord {
  return (
    isObj(line) &&
    isSeq(line.seq) &&
    typeof line.at === 'string' &&
    typeof line.actor === 'string' &&
    typeof line.action === 'string' &&
    Array.isArray(line.subjects) &&
    isObj(line.details) &&
    typeof line.prev === 'string' &&
    typeof line.hash === 'string' &&
    !('withheld' in line) &&
    !('redacted' in line)
  );
}

function hashOf(e: CustodyRecord): string | null {
  try {
    return entryHash({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action as CustodyAction,
      subjects: e.subjects,
      details: e.details,
      prev: e.prev,
    });
  } catch {
    return null; // a value canonical JSON cannot hold: the entry cannot be genuine
  }
}

/** Reports the first break through `err` (the chain cannot be trusted past it). */
export function checkCustody(
  text: Buffer,
  key: KeyObject,
  err: (file: string | null, message: string) => void,
): CustodySummary | null {
  const fail = (m: string): null => {
    err(FILE, m);
    return null;
  };
  const lines = text.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const summary: CustodySummary = { entries: 0, full: 0, leftOut: 0, pathWithheld: 0 };
  let prev = GENESIS_PREV;
  let lastSeq = 0;
  let checkpoint: Checkpoint | null = null;
  for (const [i, line] of lines.entries()) {
    const where = `Line ${i + 1} of the custody log`;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      return fail(`${where} is not valid JSON (the file was damaged or edited).`);
    }
    if (!isObj(e)) return fail(`${where} is not a custody entry.`);
    if (checkpoint) return fail(`${where} comes after the signed checkpoint, which must be last.`);
    if ('checkpoint' in e) {
      if (!isObj(e.checkpoint)) return fail('The custody log has no signed checkpoint.');
      checkpoint = e.checkpoint as unknown as Checkpoint;
      continue;
    }
    if ('withheld' in e) {
      const w = e.withheld;
      if (!isObj(w) || !isSeq(w.fromSeq) || !isSeq(w.toSeq) || !Number.isSafeInteger(w.count))
        return fail(
          `${where} is a withheld run without whole numbers for fromSeq, toSeq and count.`,
        );
      if (w.fromSeq !== lastSeq + 1)
        return fail(
          `Custody entry ${lastSeq + 1} is missing (a withheld run starts at ${w.fromSeq}).`,
        );
      if (w.toSeq < w.fromSeq || w.count !== w.toSeq - w.fromSeq + 1)
        return fail(
          `${where}: the withheld run from ${w.fromSeq} to ${w.toSeq} claims ${String(w.count)} entries, which does not match its range.`,
        );
      if (typeof w.lastHash !== 'string' || !HASH.test(w.lastHash))
        return fail(`${where}: the withheld run has no valid lastHash.`);
      if (!WITHHELD_REASONS.includes(w.reason as WithheldReason))
        return fail(`${where}: the withheld run gives no known reason.`);
      if (w.reason === 'full-source-path') {
        const link = w.entry;
        if (
          w.count !== 1 ||
          !isObj(link) ||
          link.seq !== w.fromSeq ||
          link.hash !== w.lastHash ||
          typeof link.action !== 'string'
        )
          return fail(
            `${where}: an entry withheld for its source path must show its own seq, action and hash.`,
          );
        if (link.prev !== prev)
          return fail(`Custody entry ${w.fromSeq} does not link to the entry before it.`);
        summary.pathWithheld++;
      } else {
        if ('entry' in w) return fail(`${where}: a run left out of the bundle shows no entry.`);
        summary.leftOut += w.count;
      }
      prev = w.lastHash;
      lastSeq = w.toSeq;
      continue;
    }
    // Bundles made before withheld runs: one redacted line per left-out entry.
    if (e.redacted === true) {
      if (e.seq !== lastSeq + 1)
        return fail(`Custody entry ${lastSeq + 1} is missing (found ${String(e.seq)}).`);
      if (e.prev !== prev)
        return fail(`Custody entry ${lastSeq + 1} does not link to the entry before it.`);
      if (typeof e.hash !== 'string' || !HASH.test(e.hash))
        return fail(`${where}: the redacted entry has no valid hash.`);
      summary.leftOut++;
      prev = e.hash;
      lastSeq++;
      continue;
    }
    if (e.seq !== lastSeq + 1)
      return fail(`Custody entry ${lastSeq + 1} is missing (found ${String(e.seq)}).`);
    if (!isFullEntry(e)) return fail(`Custody entry ${lastSeq + 1} is incomplete.`);
    if (e.prev !== prev)
      return fail(`Custody entry ${e.seq} does not link to the entry before it.`);
    if (hashOf(e) !== e.hash)
      return fail(`Custody entry ${e.seq} was changed: its content does not match its hash.`);
    summary.full++;
    prev = e.hash;
    lastSeq = e.seq;
  }
  if (!checkpoint) return fail('The custody log has no signed checkpoint.');
  if (lastSeq === 0 || checkpoint.seq !== lastSeq || checkpoint.head !== prev) {
    return fail(
      'The signed checkpoint does not match the last custody entry (the log was cut short or extended).',
    );
  }
  let good = false;
  try {
    good = verify(
      null,
      checkpointStatement(checkpoint),
      key,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    good = false;
  }
  if (!good) return fail('The custody checkpoint signature does not verify under the bundle key.');
  summary.entries = lastSeq;
  return summary;
}
