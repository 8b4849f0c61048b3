import { conversationIncidents, deleteConversationRows } from '../conversations/store';
import { itemNameProblem, itemNameText } from '../../../shared/item-name';
import type { BlobStore } from '../blobs/store';
import type { CaseRepository } from '../cases/repository';
import { incidentLabel } from '../custody/subjects';
import type { CustodyLog } from '../custody/log';
import { ConversationRepository } from '../conversations/repository';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { fsyncDir } from '../fs-safety';
import type { ItemRepository } from '../items/repository';
import { dirname } from 'node:path';

/**
 * Removing what was added by mistake (an item, an incident, a person) and renaming items.
 * A removal is one transaction that logs a `delete` entry and writes a tombstone (what was
 * removed, when, why) in place of the row and its links; an item's encrypted files are
 * deleted only after it commits. A crash in between leaves files under a tombstone, which
 * the next unlock deletes (vault/leftovers.ts): never quarantined, never "missing".
 */
export type RemovedKind = 'item' | 'incident' | 'person';

export interface Tombstone {
  id: string;
  kind: RemovedKind;
  name: string;
  originalName: string | null;
  sha256: string | null;
  size: number | null;
  blobId: string | null;
  thumbBlobId: string | null;
  reason: string;
  removedAt: string;
  custodySeq: number;
}

export interface RemovalResult {
  id: string;
  kind: RemovedKind;
  name: string;
  reason: string;
  removedAt: string;
  /** Said to the person when an item's encrypted files could not be deleted now. */
  warnings: string[];
}

export interface RemovalDeps {
  db: Db;
  items: ItemRepository;
  cases: CaseRepository;
  custody: CustodyLog;
  blobs: BlobStore;
}

export const MAX_REASON_CHARS = 2000;

/** The reason for a removal: required, trimmed, of a sensible length. */
export function removalReason(reason: string): string {
  const r = reason.trim();
  if (r === '') {
    throw new DossierError(
      'USAGE',
      'Say why it is being removed (for example "imported by mistake"): the reason is kept in the custody log.',
    );
  }
  if (r.length > MAX_REASON_CHARS) {
    throw new DossierError(
      'USAGE',
      `The reason is too long: ${MAX_REASON_CHARS} characters at most (this one has ${r.length}).`,
    );
  }
  return r;
}

const TOMBSTONE_SQL = `SELECT id, kind, name, original_name AS originalName, sha256, size,
  blob_id AS blobId, thumb_blob_id AS thumbBlobId, reason, removed_at AS removedAt,
  custody_seq AS custodySeq FROM tombstones`;

export function tombstones(db: Db): Tombstone[] {
  return db.prepare(`${TOMBSTONE_SQL} ORDER BY custody_seq`).all() as Tombstone[];
}

export function tombstone(db: Db, id: string): Tombstone | null {
  return (db.prepare(`${TOMBSTONE_SQL} WHERE id = ?`).get(id) as Tombstone | undefined) ?? null;
}

/**
 * Blob ids of removed items, whose files are deleted at unlock if still there. Only those
 * the removal's own custody entry names: a tombstone written by hand (with the revealed
 * database key) cannot get an encrypted file deleted instead of quarantined.
 */
export function removedBlobIds(db: Db): Set<string> {
  const rows = db
    .prepare(
      `SELECT t.blob_id FROM tombstones t JOIN custody_log c ON c.seq = t.custody_seq
         WHERE t.blob_id IS NOT NULL AND c.action = 'delete'
           AND json_extract(c.details, '$.blob') = t.blob_id
       UNION
       SELECT t.thumb_blob_id FROM tombstones t JOIN custody_log c ON c.seq = t.custody_seq
         WHERE t.thumb_blob_id IS NOT NULL AND c.action = 'delete'
           AND json_extract(c.details, '$.thumbnail') = t.thumb_blob_id`,
    )
    .pluck()
    .all() as string[];
  return new Set(rows);
}

function insertTombstone(db: Db, t: Tombstone): void {
  db.prepare(
    `INSERT INTO tombstones (id, kind, name, original_name, sha256, size, blob_id, thumb_blob_id,
       reason, removed_at, custody_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    t.id,
    t.kind,
    t.name,
    t.originalName,
    t.sha256,
    t.size,
    t.blobId,
    t.thumbBlobId,
    t.reason,
    t.removedAt,
    t.custodySeq,
  );
}

/** NOT_FOUND for an id that names something already removed, saying when and why. */
export function alreadyRemoved(t: Tombstone): DossierError {
  const what = t.kind === 'item' ? `Item ${t.id} (${t.name})` : `That ${t.kind} (${t.name})`;
  return new DossierError(
    'NOT_FOUND',
    `${what} was removed on ${t.removedAt.slice(0, 10)} (reason: ${t.reason}). It is no longer in the vault; the custody log keeps the record.`,
  );
}

/** The removed item a typed id or prefix names, if it names exactly one. */
export function removedItemByPrefix(db: Db, typed: string): Tombstone | null {
  const prefix = typed.trim().toLowerCase();
  if (prefix.length < 4 || !/^[0-9a-z]+$/.test(prefix)) return null;
  const rows = db
    .prepare(`${TOMBSTONE_SQL} WHERE kind = 'item' AND id >= ? AND id < ? || '~' LIMIT 2`)
    .all(prefix, prefix) as Tombstone[];
  return rows.length === 1 ? rows[0]! : null;
}

/**
 * Removes an item: logs it, writes its tombstone, unlinks it from incidents and people,
 * drops its notes, marks, tags, sources and search row, then deletes its encrypted files.
 */
export async function removeItem(
  deps: RemovalDeps,
  itemId: string,
  reasonGiven: string,
): Promise<RemovalResult> {
  const reason = removalReason(reasonGiven);
  const item = deps.items.get(itemId);
  const { db } = deps;
  const derived = db.prepare('SELECT id FROM items WHERE parent_id = ?').pluck().all(item.id);
  if (derived.length) {
    throw new DossierError(
      'USAGE',
      `Item ${item.id} cannot be removed while ${derived.length} item(s) made from it (redactions or copies) are in the vault: ${derived.join(', ')}. Remove those first.`,
    );
  }
  const original = item.originalName;
  const removedAt = new Date().toISOString();
  // A conversation's messages may be linked to incidents too: those links go with it.
  const incidents = [
    ...new Set([...deps.cases.incidentsOfItem(item.id), ...conversationIncidents(db, item.id)]),
  ].sort();
  const people = deps.cases.peopleOfItem(item.id).sort();
  const conversation = new ConversationRepository(db);
  db.transaction(() => {
    // A conversation's messages are derived from the item: they go with it (counted in the log).
    const derivedRows = conversation.removeDerived(item.id);
    const entry = deps.custody.append('delete', [item.id], {
      what: 'item removed',
      reason,
      name: item.name,
      ...(original === null ? {} : { originalName: original }),
      sha256: item.sha256,
      size: item.size,
      blob: item.blobId,
      thumbnail: item.thumbnailBlobId,
      unlinked: {
        incidents,
        people,
        ...(derivedRows.messages
          ? { messages: derivedRows.messages, messageIncidents: derivedRows.incidents }
          : {}),
      },
    });
    insertTombstone(db, {
      id: item.id,
      kind: 'item',
      name: item.name,
      originalName: original,
      sha256: item.sha256,
      size: item.size,
      blobId: item.blobId,
      thumbBlobId: item.thumbnailBlobId,
      reason,
      removedAt,
      custodySeq: entry.seq,
    });
    const searchRowid = db
      .prepare('SELECT search_rowid FROM items WHERE id = ?')
      .pluck()
      .get(item.id) as number | null;
    if (searchRowid !== null)
      db.prepare('DELETE FROM item_search WHERE rowid = ?').run(searchRowid);
    for (const table of [
      'incident_items',
      'item_people',
      'item_tags',
      'notes',
      'regions',
      'item_sources',
      'ocr',
      'redactions',
    ]) {
      db.prepare(`DELETE FROM ${table} WHERE item_id = ?`).run(item.id);
    }
    deleteConversationRows(db, item.id);
    db.prepare('DELETE FROM items WHERE id = ?').run(item.id);
    db.prepare('DELETE FROM blobs WHERE id IN (?, ?)').run(item.blobId, item.thumbnailBlobId);
  })();
  const warnings = await deleteFiles(deps.blobs, [item.blobId, item.thumbnailBlobId]);
  return { id: item.id, kind: 'item', name: item.name, reason, removedAt, warnings };
}

/**
 * Deletes the encrypted files of a removed item (after its tombstone is committed). A file
 * that cannot be deleted now is left for the next unlock, and the person is told.
 */
export async function deleteFiles(
  blobs: BlobStore,
  ids: readonly (string | null)[],
): Promise<string[]> {
  const failed: string[] = [];
  for (const id of ids) {
    if (!id) continue;
    try {
      await blobs.remove(id);
      await fsyncDir(dirname(blobs.path(id)));
    } catch {
      failed.push(blobs.relativePath(id));
    }
  }
  return failed.length
    ? [
        `The removal is recorded, but the encrypted file(s) ${failed.join(', ')} could not be deleted yet. They are deleted when the vault next opens.`,
      ]
    : [];
}

/** Removes an incident and its links to items and people; the items and people stay. */
export function removeIncident(
  deps: RemovalDeps,
  incidentId: string,
  reasonGiven: string,
): RemovalResult {
  const reason = removalReason(reasonGiven);
  const inc = deps.cases.incident(incidentId);
  const name = incidentLabel(inc.occurredAt, inc.place);
  const removedAt = new Date().toISOString();
  deps.db.transaction(() => {
    const entry = deps.custody.append('delete', [inc.id], {
      what: 'incident removed',
      reason,
      incident: {
        occurredAt: inc.occurredAt,
        occurredUntil: inc.occurredUntil,
        place: inc.place,
        summary: inc.summary,
        impact: inc.impact,
        witnesses: inc.witnesses,
        policeRef: inc.policeRef,
        platformRef: inc.platformRef,
      },
      unlinked: {
        items: inc.itemIds,
        people: inc.personIds,
        ...(inc.messages.length ? { messages: inc.messages.map((m) => m.id) } : {}),
      },
    });
    insertTombstone(deps.db, {
      ...EMPTY_ITEM_FIELDS,
      id: inc.id,
      kind: 'incident',
      name,
      reason,
      removedAt,
      custodySeq: entry.seq,
    });
    deps.db.prepare('DELETE FROM incident_items WHERE incident_id = ?').run(inc.id);
    deps.db.prepare('DELETE FROM incident_people WHERE incident_id = ?').run(inc.id);
    deps.db.prepare('DELETE FROM incident_messages WHERE incident_id = ?').run(inc.id);
    deps.db.prepare('DELETE FROM incidents WHERE id = ?').run(inc.id);
  })();
  return { id: inc.id, kind: 'incident', name, reason, removedAt, warnings: [] };
}

/** Removes a person, their identifiers and their links; the items and incidents stay. */
export function removePerson(
  deps: RemovalDeps,
  personId: string,
  reasonGiven: string,
): RemovalResult {
  const reason = removalReason(reasonGiven);
  const p = deps.cases.person(personId);
  const removedAt = new Date().toISOString();
  deps.db.transaction(() => {
    const entry = deps.custody.append('delete', [p.id], {
      what: 'person removed',
      reason,
      person: { name: p.name, role: p.role, notes: p.notes, identifiers: p.identifiers },
      unlinked: { items: p.itemIds, incidents: p.incidentIds },
    });
    insertTombstone(deps.db, {
      ...EMPTY_ITEM_FIELDS,
      id: p.id,
      kind: 'person',
      name: p.name,
      reason,
      removedAt,
      custodySeq: entry.seq,
    });
    for (const table of ['person_identifiers', 'item_people', 'incident_people'])
      deps.db.prepare(`DELETE FROM ${table} WHERE person_id = ?`).run(p.id);
    deps.db.prepare('DELETE FROM people WHERE id = ?').run(p.id);
  })();
  return { id: p.id, kind: 'person', name: p.name, reason, removedAt, warnings: [] };
}

const EMPTY_ITEM_FIELDS = {
  originalName: null,
  sha256: null,
  size: null,
  blobId: null,
  thumbBlobId: null,
} as const;

/**
 * Gives an item a new name. The name it was imported with is kept (items.original_name)
 * and the change is logged; the original file and its hash never change.
 */
export function renameItem(
  deps: Pick<RemovalDeps, 'db' | 'items' | 'custody'>,
  itemId: string,
  given: string,
): { changed: boolean } {
  const name = itemNameText(given);
  const problem = itemNameProblem(name);
  if (problem) throw new DossierError('USAGE', `The new name ${problem}.`);
  const item = deps.items.require(itemId);
  if (name === item.name) return { changed: false };
  deps.db.transaction(() => {
    deps.custody.append('edit-metadata', [item.id], {
      what: 'item renamed',
      before: item.name,
      after: name,
    });
    deps.db
      .prepare(
        'UPDATE items SET original_name = coalesce(original_name, name), name = ? WHERE id = ?',
      )
      .run(name, item.id);
    deps.items.refreshSearch(item.id);
  })();
  return { changed: true };
}
