import type { Db } from '../db/database';
import { tombstones, type Tombstone } from '../vault/removal';
import type { IngestRecord } from './ingest-record';
import type { CustodyEntry } from './log';

/**
 * Removals against the custody log. A removed item leaves its ingest entry in the log and
 * a tombstone in the database; the two must agree, and the removal must be logged. What
 * this finds: an item deleted outside Dossier (imported, gone, no removal logged), a
 * tombstone that is not what the log recorded, and something logged as removed that is
 * back in the vault.
 */
export function removalProblems(
  db: Db,
  entries: readonly CustodyEntry[],
  ingests: ReadonlyMap<string, IngestRecord>,
): { itemId?: string; itemName?: string; message: string }[] {
  const problems: { itemId?: string; itemName?: string; message: string }[] = [];
  const stones = new Map<string, Tombstone>(tombstones(db).map((t) => [t.id, t]));
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const live = (table: string, id: string): boolean =>
    db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
  const tableOf = { item: 'items', incident: 'incidents', person: 'people' } as const;

  for (const t of stones.values()) {
    const who = `${t.kind === 'item' ? 'Item' : t.kind === 'incident' ? 'Incident' : 'Person'} ${t.id} (${t.name})`;
    const e = bySeq.get(t.custodySeq);
    const logged =
      e?.action === 'delete' &&
      e.subjects.length === 1 &&
      e.subjects[0] === t.id &&
      e.details.what === `${t.kind} removed` &&
      (t.kind !== 'item' || e.details.sha256 === t.sha256);
    if (!logged) {
      problems.push({
        itemId: t.kind === 'item' ? t.id : undefined,
        itemName: t.kind === 'item' ? t.name : undefined,
        message: `${who}: its removal record points at custody entry ${t.custodySeq}, which does not record that removal. The record was changed outside Dossier.`,
      });
    }
    if (t.kind === 'item') {
      const ingest = ingests.get(t.id);
      if (!ingest || ingest.details.sha256 !== t.sha256) {
        problems.push({
          itemId: t.id,
          itemName: t.name,
          message: ingest
            ? `${who}: its removal record gives SHA-256 ${t.sha256 ?? 'none'}, but its ingest entry (entry ${ingest.seq}) records ${String(ingest.details.sha256)}. The record was changed outside Dossier.`
            : `${who}: it is recorded as removed, but the custody log has no ingest entry for it.`,
        });
      }
    }
    if (live(tableOf[t.kind], t.id)) {
      problems.push({
        itemId: t.kind === 'item' ? t.id : undefined,
        itemName: t.kind === 'item' ? t.name : undefined,
        message: `${who}: it is recorded as removed, but it is in the vault again. It was put back outside Dossier.`,
      });
    }
  }

  for (const e of entries) {
    if (e.action !== 'delete' || e.subjects.length !== 1) continue;
    const id = e.subjects[0]!;
    if (stones.has(id)) continue;
    problems.push({
      message: `Custody entry ${e.seq} records the removal of ${id}, but the vault has no record of that removal (its tombstone was deleted outside Dossier).`,
    });
  }

  const present = new Set(db.prepare('SELECT id FROM items').pluck().all() as string[]);
  for (const [id, r] of ingests) {
    if (present.has(id) || stones.has(id)) continue;
    problems.push({
      itemId: id,
      itemName: typeof r.name === 'string' ? r.name : undefined,
      message: `Item ${id} (${String(r.name)}) was imported (custody entry ${r.seq}) but is no longer in the vault, and no removal is logged. It was deleted outside Dossier.`,
    });
  }
  return problems;
}
