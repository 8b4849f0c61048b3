// The `redactions` rows a disclosure export reads (docs/redaction.md, "Disclosure"): every copy
// still in the vault, with what it covers or took out, as stored (boxes in millionths, spans in
// characters), so that the schedule says exactly what the vault recorded.
import type { RedactionArea } from '../../../shared/redaction-schedule';
import type { Db } from '../db/database';
import { DossierError } from '../errors';

export interface CopyRow {
  /** The copy. */
  itemId: string;
  /** The item it was made from (itself a copy, sometimes). */
  originalId: string;
  /** 'picture' (redacted picture), 'location' (without location), 'text' (redacted text). */
  kind: string;
  areas: RedactionArea[];
  removed: string[];
  madeAt: string;
  /** Its `derive` entry. */
  custodySeq: number;
}

interface Row {
  item_id: string;
  original_id: string;
  kind: string;
  areas: string;
  removed: string;
  made_at: string;
  custody_seq: number;
}

/** Every copy made for disclosure that is in the vault. */
export function copyRows(db: Db): CopyRow[] {
  const rows = db
    .prepare(
      `SELECT r.item_id, r.original_id, r.kind, r.areas, r.removed, r.made_at, r.custody_seq
       FROM redactions r JOIN items i ON i.id = r.item_id ORDER BY r.made_at, r.item_id`,
    )
    .all() as Row[];
  return rows.map((r) => {
    const list = <T>(json: string): T[] => {
      let v: unknown;
      try {
        v = JSON.parse(json);
      } catch {
        v = null;
      }
      if (!Array.isArray(v))
        throw new DossierError(
          'INTEGRITY',
          `The record of a copy made for disclosure (item ${r.item_id}) is damaged, so its redaction schedule cannot be made. Nothing was exported; run \`dossier check\`.`,
        );
      return v as T[];
    };
    return {
      itemId: r.item_id,
      originalId: r.original_id,
      kind: r.kind,
      areas: list<RedactionArea>(r.areas),
      removed: list<string>(r.removed),
      madeAt: r.made_at,
      custodySeq: r.custody_seq,
    };
  });
}
