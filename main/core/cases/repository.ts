import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { INCIDENT_IDS, PERSON_IDS, resolveShortId } from '../short-id';
import { normaliseIdentifier, type IdentifierKind } from '../../../shared/identifiers';

export { normaliseIdentifier, type IdentifierKind };

/** Incidents (what happened, when) and people (who), and their links to items. SQL stays here. */
export type PersonRole = 'harasser' | 'witness' | 'official' | 'other';

export interface IncidentInput {
  occurredAt: string;
  occurredUntil?: string | null;
  place?: string;
  summary?: string;
  impact?: string;
  witnesses?: string;
  policeRef?: string;
  platformRef?: string;
}

/** A message an incident points at, as the incident and the timeline show it. */
export interface IncidentMessage {
  id: string;
  /** The conversation (the export item) it is in, and its place there. */
  conversationId: string;
  index: number;
  sender: string;
  senderId: string | null;
  /** The person the sender is an identifier of, when one is recorded. */
  personId: string | null;
  time: string | null;
  /** The start of its text (at most EXCERPT_CHARS characters; the whole is in the conversation). */
  excerpt: string;
}

/** How much of a linked message's text an incident carries. */
export const EXCERPT_CHARS = 280;

export interface Incident extends Required<Omit<IncidentInput, 'occurredUntil'>> {
  id: string;
  occurredUntil: string | null;
  itemIds: string[];
  personIds: string[];
  /** Messages linked to it, in conversation and message order. */
  messages: IncidentMessage[];
  createdAt: string;
  updatedAt: string;
}

export interface PersonInput {
  name: string;
  role: PersonRole;
  notes?: string;
  identifiers?: { kind: IdentifierKind; value: string }[];
}

export interface Person {
  id: string;
  name: string;
  role: PersonRole;
  notes: string;
  identifiers: { kind: IdentifierKind; value: string }[];
  itemIds: string[];
  incidentIds: string[];
}

interface IncidentRow {
  id: string;
  occurred_at: string;
  occurred_until: string | null;
  place: string;
  summary: string;
  impact: string;
  witnesses: string;
  police_ref: string;
  platform_ref: string;
  created_at: string;
  updated_at: string;
}

export class CaseRepository {
  constructor(private readonly db: Db) {}

  insertIncident(id: string, input: IncidentInput, at: string): void {
    assertDate(input.occurredAt);
    this.db
      .prepare(
        `INSERT INTO incidents (id, occurred_at, occurred_until, place, summary, impact, witnesses, police_ref, platform_ref, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.occurredAt,
        input.occurredUntil ?? null,
        input.place ?? '',
        input.summary ?? '',
        input.impact ?? '',
        input.witnesses ?? '',
        input.policeRef ?? '',
        input.platformRef ?? '',
        at,
        at,
      );
  }

  /** Changes the given fields only. */
  updateIncident(id: string, patch: Partial<IncidentInput>, at: string): void {
    if (patch.occurredAt !== undefined) assertDate(patch.occurredAt);
    if (patch.occurredUntil) assertDate(patch.occurredUntil);
    const columns: Record<keyof IncidentInput, string> = {
      occurredAt: 'occurred_at',
      occurredUntil: 'occurred_until',
      place: 'place',
      summary: 'summary',
      impact: 'impact',
      witnesses: 'witnesses',
      policeRef: 'police_ref',
      platformRef: 'platform_ref',
    };
    const keys = (Object.keys(columns) as (keyof IncidentInput)[]).filter(
      (k) => patch[k] !== undefined,
    );
    this.db
      .prepare(
        `UPDATE incidents SET ${[...keys.map((k) => `${columns[k]} = ?`), 'updated_at = ?'].join(', ')} WHERE id = ?`,
      )
      .run(...keys.map((k) => patch[k] ?? null), at, id);
  }

  unlinkIncidentItem(incidentId: string, itemId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM incident_items WHERE incident_id = ? AND item_id = ?')
        .run(incidentId, itemId).changes > 0
    );
  }

  unlinkIncidentPerson(incidentId: string, personId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM incident_people WHERE incident_id = ? AND person_id = ?')
        .run(incidentId, personId).changes > 0
    );
  }

  /** Removes every link (whatever the relation) between an item and a person. */
  unlinkItemPerson(itemId: string, personId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM item_people WHERE item_id = ? AND person_id = ?')
        .run(itemId, personId).changes > 0
    );
  }

  updatePerson(id: string, patch: { name?: string; role?: PersonRole; notes?: string }): void {
    if (patch.name !== undefined && !patch.name.trim())
      throw new DossierError('USAGE', 'A person needs a name (it can be a nickname or a handle).');
    if (patch.name !== undefined)
      this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(patch.name.trim(), id);
    if (patch.role !== undefined)
      this.db.prepare('UPDATE people SET role = ? WHERE id = ?').run(patch.role, id);
    if (patch.notes !== undefined)
      this.db.prepare('UPDATE people SET notes = ? WHERE id = ?').run(patch.notes, id);
  }

  /** Replaces a person's emails, handles and phone numbers. */
  replaceIdentifiers(id: string, identifiers: { kind: IdentifierKind; value: string }[]): void {
    this.db.prepare('DELETE FROM person_identifiers WHERE person_id = ?').run(id);
    for (const ident of identifiers) this.addIdentifier(id, ident.kind, ident.value);
  }

  linkIncidentItem(incidentId: string, itemId: string): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO incident_items (incident_id, item_id) VALUES (?, ?)')
        .run(incidentId, itemId).changes > 0
    );
  }

  linkIncidentPerson(incidentId: string, personId: string): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO incident_people (incident_id, person_id) VALUES (?, ?)')
        .run(incidentId, personId).changes > 0
    );
  }

  linkItemPerson(itemId: string, personId: string, relation: string): boolean {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO item_people (item_id, person_id, relation) VALUES (?, ?, ?)',
        )
        .run(itemId, personId, relation).changes > 0
    );
  }

  /** A full incident id, or a unique prefix of 4+ characters, as typed on the command line. */
  resolveIncidentId(typed: string): string {
    return resolveShortId(this.db, INCIDENT_IDS, typed);
  }

  /** A full person id, or a unique prefix of 4+ characters, as typed on the command line. */
  resolvePersonId(typed: string): string {
    return resolveShortId(this.db, PERSON_IDS, typed);
  }

  incident(id: string): Incident {
    const r = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as
      IncidentRow | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That incident is not in this vault (it may have been deleted). Reload and try again.',
      );
    }
    return this.incidentFromRow(r);
  }

  incidents(): Incident[] {
    const rows = this.db
      .prepare('SELECT * FROM incidents ORDER BY occurred_at, id')
      .all() as IncidentRow[];
    return rows.map((r) => this.incidentFromRow(r));
  }

  private incidentFromRow(r: IncidentRow): Incident {
    const ids = (sql: string): string[] =>
      (this.db.prepare(sql).all(r.id) as { id: string }[]).map((x) => x.id);
    return {
      id: r.id,
      occurredAt: r.occurred_at,
      occurredUntil: r.occurred_until,
      place: r.place,
      summary: r.summary,
      impact: r.impact,
      witnesses: r.witnesses,
      policeRef: r.police_ref,
      platformRef: r.platform_ref,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      itemIds: ids(
        'SELECT item_id AS id FROM incident_items WHERE incident_id = ? ORDER BY item_id',
      ),
      personIds: ids(
        'SELECT person_id AS id FROM incident_people WHERE incident_id = ? ORDER BY person_id',
      ),
      messages: this.messagesOfIncident(r.id),
    };
  }

  /** The messages linked to an incident, with an excerpt of each. */
  messagesOfIncident(incidentId: string): IncidentMessage[] {
    return this.db
      .prepare(
        `SELECT m.id, m.item_id AS conversationId, m.idx AS "index", m.sender, m.sender_id AS senderId,
           (SELECT pi.person_id FROM person_identifiers pi
             WHERE pi.kind = substr(m.sender_key, 1, instr(m.sender_key, ':') - 1)
               AND pi.value = substr(m.sender_key, instr(m.sender_key, ':') + 1)) AS personId,
           m.time, substr(m.text, 1, ${EXCERPT_CHARS}) AS excerpt
         FROM incident_messages im JOIN messages m ON m.id = im.message_id
         WHERE im.incident_id = ? ORDER BY m.item_id, m.idx`,
      )
      .all(incidentId) as IncidentMessage[];
  }

  linkIncidentMessage(incidentId: string, messageId: string): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO incident_messages (incident_id, message_id) VALUES (?, ?)')
        .run(incidentId, messageId).changes > 0
    );
  }

  unlinkIncidentMessage(incidentId: string, messageId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM incident_messages WHERE incident_id = ? AND message_id = ?')
        .run(incidentId, messageId).changes > 0
    );
  }

  insertPerson(id: string, input: PersonInput, at: string): void {
    if (!input.name.trim())
      throw new DossierError('USAGE', 'A person needs a name (it can be a nickname or a handle).');
    this.db
      .prepare('INSERT INTO people (id, name, role, notes, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, input.name.trim(), input.role, input.notes ?? '', at);
    for (const ident of input.identifiers ?? []) this.addIdentifier(id, ident.kind, ident.value);
  }

  addIdentifier(personId: string, kind: IdentifierKind, value: string): void {
    const norm = normaliseIdentifier(kind, value);
    const owner = this.personByIdentifier(kind, norm);
    if (owner && owner !== personId) {
      throw new DossierError(
        'USAGE',
        `The ${kind} ${value} already belongs to another person in this vault.`,
      );
    }
    this.db
      .prepare('INSERT OR IGNORE INTO person_identifiers (person_id, kind, value) VALUES (?, ?, ?)')
      .run(personId, kind, norm);
  }

  personByIdentifier(kind: IdentifierKind, value: string): string | null {
    const r = this.db
      .prepare('SELECT person_id AS id FROM person_identifiers WHERE kind = ? AND value = ?')
      .get(kind, normaliseIdentifier(kind, value)) as { id: string } | undefined;
    return r?.id ?? null;
  }

  person(id: string): Person {
    const r = this.db.prepare('SELECT id, name, role, notes FROM people WHERE id = ?').get(id) as
      { id: string; name: string; role: PersonRole; notes: string } | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That person is not in this vault (they may have been removed). Reload and try again.',
      );
    }
    return {
      ...r,
      identifiers: this.db
        .prepare(
          'SELECT kind, value FROM person_identifiers WHERE person_id = ? ORDER BY kind, value',
        )
        .all(id) as { kind: IdentifierKind; value: string }[],
      itemIds: (
        this.db
          .prepare(
            'SELECT DISTINCT item_id AS id FROM item_people WHERE person_id = ? ORDER BY item_id',
          )
          .all(id) as { id: string }[]
      ).map((x) => x.id),
      incidentIds: (
        this.db
          .prepare(
            'SELECT incident_id AS id FROM incident_people WHERE person_id = ? ORDER BY incident_id',
          )
          .all(id) as { id: string }[]
      ).map((x) => x.id),
    };
  }

  people(): Person[] {
    return (
      this.db.prepare('SELECT id FROM people ORDER BY name, id').all() as { id: string }[]
    ).map((r) => this.person(r.id));
  }

  /** The items of these incidents, and the conversations their messages are in (the exhibit). */
  itemsOfIncidents(incidentIds: readonly string[]): string[] {
    const out = new Set<string>();
    for (const id of incidentIds) {
      const incident = this.incident(id);
      for (const item of incident.itemIds) out.add(item);
      for (const m of incident.messages) out.add(m.conversationId);
    }
    return [...out];
  }

  itemsWithTags(tags: readonly string[]): string[] {
    if (tags.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT DISTINCT it.item_id AS id FROM item_tags it JOIN tags t ON t.id = it.tag_id
         WHERE t.name IN (${tags.map(() => '?').join(',')}) COLLATE NOCASE ORDER BY it.item_id`,
      )
      .all(...tags) as { id: string }[];
    return rows.map((r) => r.id);
  }

  incidentsOfItem(itemId: string): string[] {
    return (
      this.db
        .prepare('SELECT incident_id AS id FROM incident_items WHERE item_id = ?')
        .all(itemId) as { id: string }[]
    ).map((r) => r.id);
  }

  peopleOfItem(itemId: string): string[] {
    return (
      this.db
        .prepare('SELECT DISTINCT person_id AS id FROM item_people WHERE item_id = ?')
        .all(itemId) as { id: string }[]
    ).map((r) => r.id);
  }
}

function assertDate(typed: string): void {
  if (Number.isNaN(Date.parse(typed))) {
    throw new DossierError(
      'USAGE',
      `"${typed}" is not a date. Use a form like 2026-03-09 or 2026-03-09T21:30.`,
    );
  }
}
