import type { Db } from './db/database';
import { DossierError } from './errors';

/**
 * Ids as typed on the command line: the whole id, or a prefix of at least
 * SHORT_ID_MIN characters that only one row's id starts with. Items, incidents and people
 * resolve the same way, with the same words; an ambiguous prefix lists the rows it fits.
 */
export const SHORT_ID_MIN = 4;

/** What a kind of id is called, and which command lists them. */
export interface IdKind {
  noun: 'item' | 'incident' | 'person';
  plural: string;
  list: string;
}

export const ITEM_IDS: IdKind = { noun: 'item', plural: 'items', list: '`dossier ls`' };
export const INCIDENT_IDS: IdKind = {
  noun: 'incident',
  plural: 'incidents',
  list: '`dossier incident ls`',
};
export const PERSON_IDS: IdKind = { noun: 'person', plural: 'people', list: '`dossier person ls`' };

// Fixed SQL per kind (never built from input): the table, and a few words to tell rows apart.
const LOOKUP: Record<IdKind['noun'], string> = {
  item: 'SELECT id, name AS label FROM items',
  incident: "SELECT id, substr(occurred_at, 1, 10) || ' ' || summary AS label FROM incidents",
  person: 'SELECT id, name AS label FROM people',
};

const SHOWN = 5;

export function resolveShortId(db: Db, kind: IdKind, typed: string): string {
  const prefix = typed.trim().toLowerCase();
  if (prefix.length < SHORT_ID_MIN || prefix.length > 26 || !/^[0-9a-z]+$/.test(prefix)) {
    throw new DossierError(
      'USAGE',
      `"${typed}" is not ${article(kind.noun)} ${kind.noun} id. Use the id shown by ${kind.list} (at least its first ${SHORT_ID_MIN} characters).`,
    );
  }
  const rows = db
    .prepare(`${LOOKUP[kind.noun]} WHERE id >= ? AND id < ? || '~' ORDER BY id LIMIT ?`)
    .all(prefix, prefix, SHOWN + 1) as { id: string; label: string | null }[];
  if (rows.length === 0)
    throw new DossierError(
      'NOT_FOUND',
      `There is no ${kind.noun} with id ${typed}. List ${kind.plural} with ${kind.list}.`,
    );
  if (rows.length > 1) {
    const shown = rows.slice(0, SHOWN).map((r) => `${r.id} (${oneLine(r.label)})`);
    const more = rows.length > SHOWN ? ', and more' : '';
    throw new DossierError(
      'USAGE',
      `More than one ${kind.noun} starts with ${typed}: ${shown.join(', ')}${more}. Type more of the id.`,
    );
  }
  return rows[0]!.id;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}

/** A label on one short line; control characters are escaped later by the CLI's output. */
function oneLine(label: string | null): string {
  const text = (label ?? '').replace(/\s+/g, ' ').trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text || 'no name';
}
