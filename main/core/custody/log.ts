import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Db } from '../db/database';

/**
 * The custody log: append-only and hash-chained. Each entry's hash is the SHA-256
 * of the canonical JSON of {seq, at, actor, action, subjects, details, prev}; `prev`
 * is the previous entry's hash (64 zeros for the first). Any edit, deletion or
 * reordering breaks the chain at a point verifyChain() names.
 */
export type CustodyAction =
  | 'create'
  | 'unlock'
  | 'lock'
  | 'ingest'
  | 'duplicate'
  | 'annotate'
  | 'edit-metadata'
  | 'derive'
  | 'export'
  | 'verify'
  | 'delete-request'
  | 'delete'
  | 'key-change'
  | 'repair'
  | 'reveal-keys'
  | 'settings-change';

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

export function entryHash(e: Omit<CustodyEntry, 'hash'>): string {
  const body = {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subjects: e.subjects,
    details: e.details,
    prev: e.prev,
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjects: string;
  details: string;
  prev: string;
  hash: string;
}

function fromRow(r: Row): CustodyEntry {
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

export class CustodyLog {
  constructor(
    private readonly db: Db,
    private readonly actor: string,
  ) {}

  /** Appends one entry. Call inside the transaction that makes the change it records. */
  append(
    action: CustodyAction,
    subjects: string[],
    details: Record<string, unknown> = {},
  ): CustodyEntry {
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
      details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
      prev: head?.hash ?? GENESIS_PREV,
    };
    const entry = { ...partial, hash: entryHash(partial) };
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
    const rows = this.db.prepare('SELECT * FROM custody_log ORDER BY seq').all() as Row[];
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
      let rows: Row[];
      if (hi - lo + 1 === total) {
        rows = (
          order === 'asc'
            ? this.db.prepare('SELECT * FROM custody_log WHERE seq >= ? ORDER BY seq LIMIT ?')
            : this.db.prepare('SELECT * FROM custody_log WHERE seq <= ? ORDER BY seq DESC LIMIT ?')
        ).all(order === 'asc' ? lo + offset : hi - offset, limit) as Row[];
      } else {
        rows = this.db
          .prepare(
            `SELECT * FROM custody_log ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
          )
          .all(limit, offset) as Row[];
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
 * Re-derives every hash and link. Signed checkpoints also catch a log cut short
 * after the last checkpoint's entry, and a rewritten chain (the signature would not match).
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
  return { ok: true, entries: entries.length, firstBroken: null };
}
