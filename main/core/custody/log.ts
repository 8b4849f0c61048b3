import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, canonicalJsonAsWritten, wellFormed } from '../../../shared/canonical-json';
import type { Db } from '../db/database';
import type { CustodyAction, CustodyDetails } from '../../../shared/custody-wording';
import { DossierError } from '../errors';

/**
 * The custody log: append-only and hash-chained. Each entry's hash is the SHA-256
 * of the canonical JSON of {seq, at, actor, action, subjects, details, prev}; `prev`
 * is the previous entry's hash (64 zeros for the first). Any edit, deletion or
 * reordering breaks the chain at a point verifyChain() names.
 */
export type { CustodyAction, CustodyDetails };

/**
 * The details argument of `append`: required, of the action's type, except for an action
 * whose details may be empty (lock).
 */
type DetailsArg<A extends CustodyAction> =
  Record<string, never> extends CustodyDetails[A]
    ? [details?: CustodyDetails[A]]
    : [details: CustodyDetails[A]];

export interface CustodyEntry {
  seq: number;
  at: string;
  actor: string;
  action: CustodyAction;
  subjects: string[];
  details: Record<string, unknown>;
  prev: string;
  hash: string;
}

export interface CustodyPage {
  /** Entries in the whole log. */
  total: number;
  entries: CustodyEntry[];
}

export const GENESIS_PREV = '0'.repeat(64);

function hashedBody(e: Omit<CustodyEntry, 'hash'>): Record<string, unknown> {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subjects: e.subjects,
    details: e.details,
    prev: e.prev,
  };
}

/**
 * Re-derives the hash of any entry ever written. Entries before schema version 9 may hold
 * fractions (region marks), hashed in JavaScript's number form; new entries cannot
 * (newEntryHash), so for them this is the canonical JSON a Python verifier also gets.
 */
export function entryHash(e: Omit<CustodyEntry, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJsonAsWritten(hashedBody(e)))
    .digest('hex');
}

/** The hash of an entry being written: its details must be canonical JSON (whole numbers). */
function newEntryHash(e: Omit<CustodyEntry, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson(hashedBody(e)))
    .digest('hex');
}

/** A custody_log row as stored (subjects and details as JSON text). */
export interface CustodyRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjects: string;
  details: string;
  prev: string;
  hash: string;
}

function fromRow(r: CustodyRow): CustodyEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action as CustodyAction,
    subjects: JSON.parse(r.subjects) as string[],
    details: JSON.parse(r.details) as Record<string, unknown>,
    prev: r.prev,
    hash: r.hash,
  };
}

/**
 * Entries that must each be the head of a signed checkpoint. A lock closes every session
 * that ends cleanly and an export sends a signed head out of the vault, so a log rewritten
 * and re-hashed by someone without the signing key leaves an unsigned lock or export behind.
 */
export const SIGNED_ACTIONS: readonly CustodyAction[] = ['lock', 'export'];

export interface CheckpointSigner {
  vaultId: string;
  signingKey: KeyObject;
}

export class CustodyLog {
  constructor(
    private readonly db: Db,
    private readonly actor: string,
    /** With a signer, every lock and export entry is signed in the transaction that writes it. */
    private readonly signer?: CheckpointSigner,
  ) {}

  private refusal: DossierError | null = null;

  /** From now on every append throws `reason`: a session whose unlock could not be logged changes nothing. */
  refuseWrites(reason: DossierError): void {
    this.refusal = reason;
  }

  /**
   * Appends one entry. Call inside the transaction that makes the change it records. The
   * details are typed by the action (shared/custody-wording.ts), which has words for each.
   */
  append<A extends CustodyAction>(
    action: A,
    subjects: string[],
    ...[given]: DetailsArg<A>
  ): CustodyEntry {
    const details: object = given ?? {};
    if (this.refusal) throw this.refusal;
    const signer = this.signer;
    if (signer && SIGNED_ACTIONS.includes(action)) {
      return this.db.transaction(() => {
        const entry = this.insert(action, subjects, details);
        this.checkpoint(signer.vaultId, signer.signingKey);
        return entry;
      })();
    }
    return this.insert(action, subjects, details);
  }

  private insert(action: CustodyAction, subjects: string[], details: object): CustodyEntry {
    const head = this.db
      .prepare('SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; hash: string } | undefined;
    const partial = {
      seq: (head?.seq ?? 0) + 1,
      at: new Date().toISOString(),
      actor: this.actor,
      action,
      subjects,
      // Round-trip so the hash covers exactly what is stored (no undefined, no class instances).
      details: wellFormed(JSON.parse(JSON.stringify(details)) as Record<string, unknown>),
      prev: head?.hash ?? GENESIS_PREV,
    };
    const entry = { ...partial, hash: newEntryHash(partial) };
    this.db
      .prepare(
        'INSERT INTO custody_log (seq, at, actor, action, subjects, details, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        JSON.stringify(entry.subjects),
        JSON.stringify(entry.details),
        entry.prev,
        entry.hash,
      );
    return entry;
  }

  entries(filter?: { subject?: string }): CustodyEntry[] {
    const rows = this.db.prepare('SELECT * FROM custody_log ORDER BY seq').all() as CustodyRow[];
    const all = rows.map(fromRow);
    return filter?.subject ? all.filter((e) => e.subjects.includes(filter.subject!)) : all;
  }

  /**
   * One page of the log, in seq order either way, and how many entries there are in all.
   * The log is append-only, so its seqs normally run 1..n without a hole: then a page is a
   * range of the primary key, found in O(log n) wherever it is. A log with holes (damaged,
   * which verifyChain reports) is still paged, by counting past `offset` entries.
   */
  page(opts: { offset: number; limit: number; order: 'asc' | 'desc' }): CustodyPage {
    const { offset, limit, order } = opts;
    return this.db.transaction((): CustodyPage => {
      const total = (
        this.db.prepare('SELECT count(*) AS n FROM custody_log').get() as {
          n: number;
        }
      ).n;
      if (total === 0 || offset >= total) return { total, entries: [] };
      const lo = (this.db.prepare('SELECT min(seq) AS s FROM custody_log').get() as { s: number })
        .s;
      const hi = (this.db.prepare('SELECT max(seq) AS s FROM custody_log').get() as { s: number })
        .s;
      let rows: CustodyRow[];
      if (hi - lo + 1 === total) {
        rows = (
          order === 'asc'
            ? this.db.prepare('SELECT * FROM custody_log WHERE seq >= ? ORDER BY seq LIMIT ?')
            : this.db.prepare('SELECT * FROM custody_log WHERE seq <= ? ORDER BY seq DESC LIMIT ?')
        ).all(order === 'asc' ? lo + offset : hi - offset, limit) as CustodyRow[];
      } else {
        rows = this.db
          .prepare(
            `SELECT * FROM custody_log ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
          )
          .all(limit, offset) as CustodyRow[];
      }
      return { total, entries: rows.map(fromRow) };
    })();
  }

  head(): { seq: number; hash: string } | null {
    return (
      (this.db.prepare('SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined) ?? null
    );
  }

  /** Signs the current head with the vault's Ed25519 key and stores the checkpoint. */
  checkpoint(vaultId: string, signingKey: KeyObject): Checkpoint | null {
    const head = this.head();
    if (!head) return null;
    const signedAt = new Date().toISOString();
    const statement = checkpointStatement({ vaultId, seq: head.seq, head: head.hash, signedAt });
    const signature = sign(null, statement, signingKey).toString('base64');
    this.db
      .prepare(
        'INSERT OR REPLACE INTO custody_checkpoints (seq, head, signed_at, signature) VALUES (?, ?, ?, ?)',
      )
      .run(head.seq, head.hash, signedAt, signature);
    return { seq: head.seq, head: head.hash, signedAt, signature };
  }

  /** The checkpoint with the highest seq, or null. */
  latestCheckpoint(): Checkpoint | null {
    return (
      (this.db
        .prepare(
          'SELECT seq, head, signed_at AS signedAt, signature FROM custody_checkpoints ORDER BY seq DESC LIMIT 1',
        )
        .get() as Checkpoint | undefined) ?? null
    );
  }

  /** One entry's hash, and whether a checkpoint signs it: two primary-key lookups. */
  signedEntry(seq: number): { hash: string | null; signed: boolean } {
    const e = this.db.prepare('SELECT hash FROM custody_log WHERE seq = ?').get(seq) as
      { hash: string } | undefined;
    const c = this.db.prepare('SELECT 1 FROM custody_checkpoints WHERE seq = ?').get(seq);
    return { hash: e?.hash ?? null, signed: c !== undefined };
  }

  /** Entries with one of these actions, in seq order. */
  entriesWith(actions: readonly CustodyAction[]): CustodyEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM custody_log WHERE action IN (${actions.map(() => '?').join(', ')}) ORDER BY seq`,
      )
      .all(...actions) as CustodyRow[];
    return rows.map(fromRow);
  }

  /** The highest checkpointed seq below `seq`, or 0. */
  signedBefore(seq: number): number {
    const r = this.db
      .prepare('SELECT max(seq) AS s FROM custody_checkpoints WHERE seq < ?')
      .get(seq) as { s: number | null };
    return r.s ?? 0;
  }

  /** The ingest entry of an item, through the partial index on ingest subjects. */
  ingestEntry(itemId: string): CustodyEntry | null {
    const row = this.db
      .prepare(
        "SELECT * FROM custody_log WHERE action = 'ingest' AND subjects = ? ORDER BY seq LIMIT 1",
      )
      .get(JSON.stringify([itemId])) as CustodyRow | undefined;
    return row ? fromRow(row) : null;
  }

  checkpoints(): Checkpoint[] {
    return this.db
      .prepare(
        'SELECT seq, head, signed_at AS signedAt, signature FROM custody_checkpoints ORDER BY seq',
      )
      .all() as Checkpoint[];
  }
}

export interface Checkpoint {
  seq: number;
  head: string;
  signedAt: string;
  signature: string;
}

export function checkpointStatement(c: {
  vaultId: string;
  seq: number;
  head: string;
  signedAt: string;
}): Buffer {
  return Buffer.from(
    canonicalJson({ vaultId: c.vaultId, seq: c.seq, head: c.head, signedAt: c.signedAt }),
  );
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  /** The first entry that does not verify, and why. */
  firstBroken: { seq: number; reason: string } | null;
}

/**
 * Re-derives every hash and link, and checks every checkpoint against its entry and its
 * signature. Every lock and export entry must be the head of a checkpoint, and a non-empty
 * log must have one: so a chain rewritten and re-hashed, with its checkpoints deleted,
 * fails. A tail cut back to an earlier checkpoint is caught by dossier.json's record of the
 * last one (custody/anchor.ts), not here.
 */
export function verifyChain(
  entries: readonly CustodyEntry[],
  checkpoints: readonly Checkpoint[] = [],
  check?: { vaultId: string; publicKey: KeyObject },
): ChainReport {
  let prev = GENESIS_PREV;
  const bySeq = new Map<number, CustodyEntry>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const broken = (reason: string): ChainReport => ({
      ok: false,
      entries: entries.length,
      firstBroken: { seq: e.seq, reason },
    });
    if (e.seq !== i + 1) return broken(`entry ${i + 1} is missing (found ${e.seq} in its place)`);
    if (e.prev !== prev) return broken('its link to the previous entry does not match');
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash)
      return broken('its content does not match its hash (it was changed)');
    prev = hash;
    bySeq.set(e.seq, e);
  }
  for (const c of checkpoints) {
    const e = bySeq.get(c.seq);
    if (!e) {
      return {
        ok: false,
        entries: entries.length,
        firstBroken: {
          seq: c.seq,
          reason: 'a signed checkpoint covers an entry that is missing (the log was cut short)',
        },
      };
    }
    if (e.hash !== c.head) {
      return {
        ok: false,
        entries: entries.length,
        firstBroken: { seq: c.seq, reason: 'the entry differs from the signed checkpoint' },
      };
    }
    if (check) {
      const statement = checkpointStatement({ vaultId: check.vaultId, ...c });
      if (!verify(null, statement, check.publicKey, Buffer.from(c.signature, 'base64'))) {
        return {
          ok: false,
          entries: entries.length,
          firstBroken: { seq: c.seq, reason: 'the checkpoint signature does not verify' },
        };
      }
    }
  }
  // A lock or export without its own checkpoint: the checkpoints were deleted, or the log
  // was rewritten and the signature that would have betrayed it was dropped.
  const signed = new Set(checkpoints.map((c) => c.seq));
  for (const e of entries) {
    if (SIGNED_ACTIONS.includes(e.action) && !signed.has(e.seq)) {
      return {
        ok: false,
        entries: entries.length,
        firstBroken: {
          seq: e.seq,
          reason: `this ${e.action} entry has no signed checkpoint, although every lock and export is signed when it is written: checkpoints were deleted, or the log was rewritten`,
        },
      };
    }
  }
  if (entries.length > 0 && checkpoints.length === 0) {
    return {
      ok: false,
      entries: entries.length,
      firstBroken: {
        seq: entries[0]!.seq,
        reason:
          'the log has no signed checkpoint at all, although one is written when the vault is created and at every lock: they were deleted',
      },
    };
  }
  return { ok: true, entries: entries.length, firstBroken: null };
}
