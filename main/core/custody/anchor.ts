import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { verifyChain, type ChainReport, type Checkpoint, type CustodyEntry } from './log';

/**
 * The custody anchor: dossier.json's record of the last signed checkpoint (its seq and head
 * hash), authenticated with HMAC-SHA256 under a key derived from the master key. The log
 * lives in dossier.db; a tail cut back to an earlier checkpoint, or a database replaced by an
 * older copy, still verifies on its own. The anchor lives in the other file, so the log must
 * still hold the entry it names, with that hash.
 *
 * Someone with the revealed keys can open the database but cannot compute this MAC (the key
 * comes from the master key, which only the passphrase or the recovery code unlocks).
 */
export interface CustodyAnchor {
  seq: number;
  head: string;
  /** Lower-case hex HMAC-SHA256 over canonical JSON of {vaultId, seq, head}. */
  mac: string;
}

/**
 * Key in the details of a `create` or `unlock` entry: the seq of the anchor that was in
 * dossier.json then. Once the log says so, dossier.json without an anchor has been tampered with.
 */
export const ANCHOR_MARK = 'custodyAnchor';

export type AnchorState =
  | { kind: 'absent' }
  | { kind: 'valid'; seq: number; head: string }
  | { kind: 'invalid'; why: string };

function mac(key: Buffer, vaultId: string, seq: number, head: string): Buffer {
  return createHmac('sha256', key).update(canonicalJson({ vaultId, seq, head })).digest();
}

export function makeAnchor(
  key: Buffer,
  vaultId: string,
  at: { seq: number; head: string },
): CustodyAnchor {
  return { seq: at.seq, head: at.head, mac: mac(key, vaultId, at.seq, at.head).toString('hex') };
}

/** Reads the header's `custodyAnchor` field, whatever shape it arrives in. */
export function readAnchor(raw: unknown, key: Buffer, vaultId: string): AnchorState {
  if (raw === undefined) return { kind: 'absent' };
  const a = raw as Partial<Record<keyof CustodyAnchor, unknown>> | null;
  if (
    typeof a !== 'object' ||
    a === null ||
    typeof a.seq !== 'number' ||
    !Number.isSafeInteger(a.seq) ||
    a.seq < 1 ||
    typeof a.head !== 'string' ||
    !/^[0-9a-f]{64}$/.test(a.head) ||
    typeof a.mac !== 'string' ||
    !/^[0-9a-f]{64}$/.test(a.mac)
  ) {
    return { kind: 'invalid', why: 'it is not in the form Dossier writes' };
  }
  if (!timingSafeEqual(mac(key, vaultId, a.seq, a.head), Buffer.from(a.mac, 'hex'))) {
    return { kind: 'invalid', why: 'its authentication code does not match' };
  }
  return { kind: 'valid', seq: a.seq, head: a.head };
}

/** The latest seq that a create or unlock entry says was anchored, or null. */
export function anchorMarked(
  entries: readonly { seq: number; action: string; details: Record<string, unknown> }[],
): number | null {
  let seen: number | null = null;
  for (const e of entries) {
    if ((e.action === 'create' || e.action === 'unlock') && ANCHOR_MARK in e.details) seen = e.seq;
  }
  return seen;
}

/** How anchorProblem reads the log. */
export interface AnchorLookup {
  /** The entry at `seq`: its hash (null when there is none) and whether a checkpoint signs it. */
  entry: (seq: number) => { hash: string | null; signed: boolean };
  /** The highest checkpointed seq below `seq`, or 0: where the signed, intact log ends. */
  signedBefore: (seq: number) => number;
  /** The last seq of the log (0 when empty). */
  lastSeq: number;
  /** The latest create or unlock entry marked as anchored (see ANCHOR_MARK), or null. */
  markedAt: () => number | null;
}

/** What is wrong between dossier.json's anchor and the log, or null. */
export function anchorProblem(
  state: AnchorState,
  log: AnchorLookup,
): { seq: number; reason: string } | null {
  if (state.kind === 'invalid') {
    return {
      seq: log.lastSeq,
      reason: `dossier.json's record of the last signed checkpoint was altered (${state.why}): the file was tampered with`,
    };
  }
  if (state.kind === 'absent') {
    const marked = log.markedAt();
    return marked === null
      ? null // a vault from before the anchor: accepted; the next lock writes one
      : {
          seq: marked,
          reason: `dossier.json no longer holds its record of the last signed checkpoint, although the custody log shows it held one: the record was removed, or dossier.json was replaced by an older copy`,
        };
  }
  const e = log.entry(state.seq);
  if (e.hash === null) {
    return {
      seq: state.seq,
      reason: `the custody log is shorter than the last signed checkpoint recorded in dossier.json: entries after ${log.signedBefore(state.seq)} were removed, or the database was replaced by an older copy`,
    };
  }
  if (e.hash !== state.head) {
    return {
      seq: state.seq,
      reason:
        'this entry differs from the last signed checkpoint recorded in dossier.json: the log was rewritten, or the database was replaced by another copy',
    };
  }
  if (!e.signed) {
    return {
      seq: state.seq,
      reason:
        'the signed checkpoint of this entry, recorded in dossier.json, is missing from the database: checkpoints were deleted',
    };
  }
  return null;
}

/** verifyChain, then the anchor: the whole verdict on a vault's custody log. */
export function verifyVaultCustody(
  entries: readonly CustodyEntry[],
  checkpoints: readonly Checkpoint[],
  check: { vaultId: string; publicKey: KeyObject; anchor: AnchorState },
): ChainReport {
  const chain = verifyChain(entries, checkpoints, check);
  if (!chain.ok) return chain;
  const bySeq = new Map(entries.map((e) => [e.seq, e.hash]));
  const signed = new Set(checkpoints.map((c) => c.seq));
  const problem = anchorProblem(check.anchor, {
    entry: (seq) => ({ hash: bySeq.get(seq) ?? null, signed: signed.has(seq) }),
    signedBefore: (seq) => Math.max(0, ...checkpoints.filter((c) => c.seq < seq).map((c) => c.seq)),
    lastSeq: entries.at(-1)?.seq ?? 0,
    markedAt: () => anchorMarked(entries),
  });
  return problem ? { ok: false, entries: entries.length, firstBroken: problem } : chain;
}
