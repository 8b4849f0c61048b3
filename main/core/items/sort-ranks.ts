import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/database';

/** A library sort (the same four as items.query). */
export type RankedSort = 'sourceTime' | 'ingestedAt' | 'name' | 'size';

/** Each sort's index and order, exactly as the library's SQL pages use them. */
const ORDER: Record<RankedSort, { index: string; by: string }> = {
  sourceTime: { index: 'items_sort_time', by: 'sort_time, id' },
  ingestedAt: { index: 'items_ingested', by: 'ingested_at, id' },
  name: { index: 'items_name', by: 'name COLLATE NOCASE, id' },
  size: { index: 'items_size', by: 'size, id' },
};

interface Ranking {
  /** Position in ascending order, by search rowid (-1: no such item). */
  rankOf: Int32Array;
  /** The item's rowid at each position. */
  atRank: Int32Array;
}

/**
 * Every item's place in each sort order, held in memory by search rowid, so the matches of a
 * search (which FTS5 gives as rowids) are put in order without looking each one up. Taken
 * from the sort's own index, so ties and collation are SQLite's. Dropped when the items or
 * their sort keys change: triggers give library_state a new random version (migration 4).
 */
export class SortRanks {
  private readonly rankings = new Map<RankedSort, Ranking>();
  private version: bigint | null = null;
  private readonly versionStmt: Statement;

  constructor(private readonly db: Db) {
    this.versionStmt = db.prepare('SELECT version FROM library_state').safeIntegers();
  }

  /**
   * The page of the items with these search rowids in the sort's order (descending: the
   * reverse, as `key DESC, id DESC` is), as the items' rowids.
   */
  page(
    sort: RankedSort,
    descending: boolean,
    rowids: readonly number[],
    offset: number,
    limit: number,
  ): number[] {
    const { rankOf, atRank } = this.ranking(sort);
    const ranks = new Int32Array(rowids.length);
    let n = 0;
    for (const r of rowids) {
      const k = r < rankOf.length ? rankOf[r]! : -1;
      if (k >= 0) ranks[n++] = k;
    }
    const sorted = ranks.subarray(0, n).sort();
    const out: number[] = [];
    for (let i = offset; i < n && out.length < limit; i++) {
      out.push(atRank[sorted[descending ? n - 1 - i : i]!]!);
    }
    return out;
  }

  private ranking(sort: RankedSort): Ranking {
    const version = (this.versionStmt.get() as { version: bigint }).version;
    if (version !== this.version) {
      this.rankings.clear();
      this.version = version;
    }
    let r = this.rankings.get(sort);
    if (!r) {
      const { index, by } = ORDER[sort];
      const ordered = this.db
        .prepare(
          `SELECT search_rowid, rowid FROM items INDEXED BY ${index}
           WHERE search_rowid IS NOT NULL ORDER BY ${by}`,
        )
        .raw()
        .all() as [number, number][];
      const atRank = new Int32Array(ordered.length);
      const rankOf = new Int32Array(ordered.reduce((m, [s]) => Math.max(m, s), 0) + 1).fill(-1);
      ordered.forEach(([searchRowid, rowid], k) => {
        rankOf[searchRowid] = k;
        atRank[k] = rowid;
      });
      r = { rankOf, atRank };
      this.rankings.set(sort, r);
    }
    return r;
  }
}
