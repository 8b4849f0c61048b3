import { custodyEntryText, type CustodyEntryLike } from '../../../../shared/custody-wording';
import { displayName } from '../../../../shared/display-name';

/**
 * Custody log entries in plain words: the wording is shared/custody-wording.ts, the same the
 * viewer and the PDF report use. Every string taken from an entry is made safe there.
 */
export function actionText(entry: CustodyEntryLike): string {
  return custodyEntryText(entry);
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
