import { dateText } from '../../../shared/date-text';
import type { Db } from '../db/database';

/**
 * What a custody entry is about, in words. Entries name their subjects by id (items,
 * incidents, people, messages, notes, regions); the log screen shows names instead. Labels are read
 * fresh, so a renamed person shows their current name; an id that names nothing (a note,
 * a region) is shown as it is; something removed is named from its tombstone.
 */
export type SubjectKind = 'item' | 'incident' | 'person' | 'other';

export interface SubjectLabel {
  id: string;
  kind: SubjectKind;
  label: string;
}

/**
 * Subjects labelled per entry, from the first. An export's entry names every exhibit (up
 * to the whole vault); a reader is shown the first few and a count of the rest.
 */
export const LABELLED_SUBJECTS = 100;

/** The label of an incident: "the incident on 9 Mar 2024 (outside work)". */
export function incidentLabel(occurredAt: string, place: string): string {
  const where = place.trim();
  return `the incident on ${dateText(occurredAt)}${where ? ` (${where})` : ''}`;
}

/** Labels for every id given, read in one query per kind. */
export function subjectLabels(db: Db, ids: Iterable<string>): Map<string, SubjectLabel> {
  const unique = [...new Set(ids)];
  const out = new Map<string, SubjectLabel>();
  if (unique.length === 0) return out;
  const list = JSON.stringify(unique);
  const IN = 'IN (SELECT value FROM json_each(?))';
  for (const r of db.prepare(`SELECT id, name FROM items WHERE id ${IN}`).all(list) as {
    id: string;
    name: string;
  }[]) {
    out.set(r.id, { id: r.id, kind: 'item', label: r.name });
  }
  for (const r of db
    .prepare(`SELECT id, occurred_at AS occurredAt, place FROM incidents WHERE id ${IN}`)
    .all(list) as { id: string; occurredAt: string; place: string }[]) {
    out.set(r.id, { id: r.id, kind: 'incident', label: incidentLabel(r.occurredAt, r.place) });
  }
  for (const r of db.prepare(`SELECT id, name FROM people WHERE id ${IN}`).all(list) as {
    id: string;
    name: string;
  }[]) {
    out.set(r.id, { id: r.id, kind: 'person', label: r.name });
  }
  // A message of a conversation (schema 10): its place in the item it was read from.
  for (const r of db
    .prepare(
      `SELECT m.id, m.idx, i.name FROM messages m JOIN items i ON i.id = m.item_id WHERE m.id ${IN}`,
    )
    .all(list) as { id: string; idx: number; name: string }[]) {
    out.set(r.id, { id: r.id, kind: 'other', label: `message #${r.idx} in ${r.name}` });
  }
  // Something removed keeps its name in its tombstone (vault/removal.ts).
  for (const r of db.prepare(`SELECT id, kind, name FROM tombstones WHERE id ${IN}`).all(list) as {
    id: string;
    kind: SubjectKind;
    name: string;
  }[]) {
    if (!out.has(r.id)) out.set(r.id, { id: r.id, kind: r.kind, label: `${r.name} (removed)` });
  }
  for (const id of unique) if (!out.has(id)) out.set(id, { id, kind: 'other', label: id });
  return out;
}
