import { displayName } from '../../../../shared/display-name';

/**
 * Custody log entries in plain words. The actions are the ones main/core appends
 * (custody/log.ts CustodyAction); an action this screen does not know is shown as it is.
 * Every string taken from an entry's details is untrusted and goes through displayName.
 */
interface EntryLike {
  action: string;
  subjects: readonly string[];
  details: Record<string, unknown>;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? displayName(v.trim()) : null;
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function quoted(name: string | null, fallback: string): string {
  return name ? `“${name}”` : fallback;
}

function annotateText(d: Record<string, unknown>): string {
  const what = str(d.what);
  switch (what) {
    case 'incident created':
      return 'An incident was recorded.';
    case 'incident updated':
      return 'An incident’s details were changed.';
    case 'incident linked': {
      const parts = [
        count(d.items) && plural(count(d.items), 'item'),
        count(d.people) && plural(count(d.people), 'person'),
      ].filter(Boolean);
      return parts.length
        ? `${parts.join(' and ')} linked to an incident.`.replace(/^./, (c) => c.toUpperCase())
        : 'Items or people were linked to an incident.';
    }
    case 'incident unlinked':
      return 'Items or people were unlinked from an incident.';
    case 'person created':
      return 'A person was added.';
    case 'person updated':
      return 'A person’s details were changed.';
    case 'person linked to item':
    case 'person linked to items':
      return 'A person was linked to evidence.';
    case 'person unlinked from item':
    case 'person unlinked from items':
      return 'A person was unlinked from evidence.';
    case 'note':
    case 'note added':
      return 'A note was added.';
    case 'tag':
    case 'tags added':
      return 'A tag was added.';
    case null:
      return 'A note, tag or link was added.';
    default:
      return `${what.charAt(0).toUpperCase()}${what.slice(1)}.`;
  }
}

/** One sentence saying what happened. */
export function actionText(entry: EntryLike): string {
  const d = entry.details;
  switch (entry.action) {
    case 'create':
      return 'The vault was created.';
    case 'unlock': {
      const method = str(d.method);
      return method ? `The vault was unlocked with the ${method}.` : 'The vault was unlocked.';
    }
    case 'lock':
      return 'The vault was locked.';
    case 'ingest':
      return `${quoted(str(d.name), 'A file')} was added to the vault.`;
    case 'duplicate':
      return `${quoted(str(d.name), 'A file')} was added again. It is the same file as one already in the vault, so it was linked, not stored twice.`;
    case 'annotate':
      return annotateText(d);
    case 'note':
      return 'A note was added.';
    case 'edit-metadata':
      if (d.what === 'item renamed')
        return `An item was renamed from ${quoted(str(d.before), 'its old name')} to ${quoted(str(d.after), 'a new name')}. The file itself is never changed.`;
      return 'Details of an item were edited. The file itself is never changed.';
    case 'derive':
      return 'A copy was made from an item (for example, a redaction). The original is kept unchanged.';
    case 'export': {
      const n = count(d.exhibits) || entry.subjects.length;
      const bundle = str(d.bundle);
      return `${plural(n, 'item')} exported in a bundle${bundle ? ` (${bundle})` : ''}.`;
    }
    case 'verify':
      if (d.ok === true) return 'The vault was checked: every file matched its fingerprint.';
      if (d.ok === false) return 'The vault was checked and problems were found.';
      return 'The vault was checked.';
    case 'delete-request':
      return 'Deleting an item was asked for.';
    case 'delete':
      return removalText(d);
    case 'key-change':
      if (d.slot === 'recovery' && str(d.change)?.startsWith('confirmed'))
        return 'The recovery code was confirmed as written down; the copy kept until then was removed.';
      if (d.slot === 'recovery')
        return 'A new recovery code was made; the old one no longer opens the vault.';
      return 'The passphrase was changed.';
    case 'repair': {
      const reason = str(d.reason);
      return `Dossier tidied up after a problem${reason ? `: ${reason}` : ''}.`;
    }
    case 'reveal-keys':
      return 'The vault’s keys were shown, so it can be opened with standard tools.';
    default:
      return displayName(entry.action);
  }
}

/** A removal ('delete' entry): what was removed, and the reason given. */
function removalText(d: Record<string, unknown>): string {
  const reason = str(d.reason);
  const why = reason ? ` Reason given: ${reason}.` : '';
  switch (d.what) {
    case 'item removed':
      return `${quoted(str(d.name), 'An item')} was removed from the vault and its encrypted file deleted. Its fingerprint stays in this log.${why}`;
    case 'incident removed':
      return `An incident was removed, with its links to items and people.${why}`;
    case 'person removed': {
      const person = d.person as { name?: unknown } | null | undefined;
      const name = str(person?.name);
      return `${name ?? 'A person'} was removed, with their links to items and incidents.${why}`;
    }
    default:
      return `An item was deleted. Its fingerprint stays in this log.${why}`;
  }
}

interface LabelLike {
  kind: string;
  label: string;
}

/**
 * What an entry is about, in words: an item by its file name in quotes, an incident by its
 * day (and place), a person by name. Anything else (a note, a mark, something since deleted)
 * keeps its id. Labels come from the vault and go through displayName.
 */
export function subjectText(subject: LabelLike): string {
  const label = displayName(subject.label);
  switch (subject.kind) {
    case 'item':
      return `“${label}”`;
    case 'person':
      return `${label} (person)`;
    default:
      return label;
  }
}
