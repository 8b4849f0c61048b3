import {
  DEFAULT_EXHIBIT_STYLE,
  EXHIBIT_PREFIX_MAX,
  exhibitLabel,
  exhibitPrefixProblem,
  exhibitStyleProblem,
  type ExhibitStyle,
} from '../../../../shared/exhibit-prefix';
import type { LocationChoice } from '../../../../shared/location-fields';

/**
 * The export wizard's choices and the checks that let a person move on, kept free of React
 * and of the API so they can be tested on their own. Every message is a plain sentence that
 * says what to do next.
 */
export type Scope = 'all' | 'tags' | 'incidents' | 'selected' | 'messages';
export type BundleFormat = 'dir' | 'zip' | 'zip.age';

export interface Draft {
  scope: Scope;
  tags: string[];
  incidentIds: string[];
  exhibitPrefix: string;
  exhibitStyle: ExhibitStyle;
  caseName: string;
  exporter: string;
  format: BundleFormat;
  passphrase: string;
  passphraseAgain: string;
  out: string;
  /** What the bundle does with the location photos record; withheld unless the person says. */
  location: LocationChoice;
  /**
   * Export for disclosure (docs/redaction.md): items with a redacted copy or a copy without
   * location go out as that copy, the originals withheld and listed in the redaction schedule.
   */
  disclosure: boolean;
}

export const EMPTY_DRAFT: Draft = {
  scope: 'all',
  tags: [],
  incidentIds: [],
  exhibitPrefix: 'JD',
  exhibitStyle: DEFAULT_EXHIBIT_STYLE,
  caseName: '',
  exporter: '',
  format: 'dir',
  passphrase: '',
  passphraseAgain: '',
  out: '',
  location: 'withheld',
  disclosure: false,
};

/** The steps a person fills in; the export and its result follow them. */
export const STEPS = ['What', 'Details', 'Format and place', 'Export', 'Result'] as const;
export type FormStep = 1 | 2 | 3;

export const PASSPHRASE_MIN = 8;
export const PREFIX_MAX = EXHIBIT_PREFIX_MAX;
export const NAME_MAX = 200;

/** What the library and the case records hold, for counting and checking a choice. */
export interface Catalogue {
  total: number | null;
  tags: ReadonlyArray<{ name: string; count: number }>;
  incidents: ReadonlyArray<{ id: string; itemIds: readonly string[] }>;
  selected: ReadonlySet<string>;
  /** Messages chosen in conversations (stores/export-choice.ts); each brings its conversation. */
  chosen: readonly ChosenRef[];
}

/** A chosen message as the export needs it: its id, and the item it was read from. */
export interface ChosenRef {
  id: string;
  conversationId: string;
}

/** The contract's most messages in one export (`messageIds`). */
export const CHOSEN_MAX = 10_000;

function conversationsOf(chosen: readonly ChosenRef[]): string[] {
  return [...new Set(chosen.map((m) => m.conversationId))];
}

/** How many items a choice takes: exact, or an upper bound when several tags may overlap. */
export interface ItemCount {
  count: number;
  exact: boolean;
}

/** The items of a choice, with the conversations of the chosen messages (the export adds them). */
export function itemCount(draft: Draft, cat: Catalogue): ItemCount | null {
  const c = choiceCount(draft, cat);
  // For disclosure, an original and its copies become one exhibit: the count is a bound.
  return c && draft.disclosure ? { ...c, exact: false } : c;
}

function choiceCount(draft: Draft, cat: Catalogue): ItemCount | null {
  const conversations = conversationsOf(cat.chosen);
  switch (draft.scope) {
    case 'all':
      return cat.total === null ? null : { count: cat.total, exact: true };
    case 'messages':
      return { count: conversations.length, exact: true };
    case 'selected':
      return { count: new Set([...cat.selected, ...conversations]).size, exact: true };
    case 'incidents': {
      const ids = new Set<string>(conversations);
      for (const inc of cat.incidents) {
        if (draft.incidentIds.includes(inc.id)) for (const item of inc.itemIds) ids.add(item);
      }
      return { count: ids.size, exact: true };
    }
    case 'tags': {
      const counts = cat.tags.filter((t) => draft.tags.includes(t.name)).map((t) => t.count);
      // A chosen message's conversation may have one of the tags too: then it is a bound.
      const exact = conversations.length === 0 ? counts.length <= 1 : counts.length === 0;
      return { count: counts.reduce((a, b) => a + b, conversations.length), exact };
    }
  }
}

/** "12 items", "1 item", "up to 30 items". */
export function countText(c: ItemCount | null): string {
  if (!c) return 'Counting…';
  const items = `${c.count} item${c.count === 1 ? '' : 's'}`;
  return c.exact ? items : `up to ${items}`;
}

/**
 * How exhibits come out: numbered JD/1, JD/2… in the report (the usual way to cite an
 * exhibit), their files named JD-1_…, JD-2_… (a slash cannot be in a file name).
 */
export function exhibitExample(
  prefix: string,
  style: ExhibitStyle = DEFAULT_EXHIBIT_STYLE,
): { numbers: string; files: string } {
  const p = cleanPrefix(prefix) || 'JD';
  return {
    numbers: `${exhibitLabel(p, 1, style)}, ${exhibitLabel(p, 2, style)}…`,
    files: `${p}-001, ${p}-002…`,
  };
}

function cleanPrefix(prefix: string): string {
  return prefix.trim();
}

/**
 * What is wrong with the exhibit prefix as typed, shown beside the field while typing:
 * the API's own rule (shared/exhibit-prefix.ts), so what the wizard lets through, the
 * export accepts.
 */
export function prefixProblem(
  prefix: string,
  style: ExhibitStyle = DEFAULT_EXHIBIT_STYLE,
): string | null {
  const p = cleanPrefix(prefix);
  if (p === '') return 'Enter letters for the exhibit numbers, for example your initials.';
  return exhibitPrefixProblem(p) ?? exhibitStyleProblem(p, style);
}

/**
 * The wizard always names a folder to save in: a final separator tells the export so, and it
 * refuses a folder that does not exist rather than making the bundle under that name.
 */
function asFolder(path: string): string {
  if (/[\\/]$/.test(path)) return path;
  return `${path}${path.includes('\\') && !path.includes('/') ? '\\' : '/'}`;
}

/** A full path on Windows (C:\…, \\server\…) or elsewhere (/…). */
export function isFullPath(path: string): boolean {
  const p = path.trim();
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p);
}

/** Why a step cannot be left yet, or null when it can. */
export function stepProblem(step: FormStep, draft: Draft, cat: Catalogue): string | null {
  if (step === 1) {
    if (draft.scope === 'tags' && draft.tags.length === 0) {
      return 'Choose at least one tag, or choose another option.';
    }
    if (draft.scope === 'incidents' && draft.incidentIds.length === 0) {
      return 'Choose at least one incident, or choose another option.';
    }
    if (draft.scope === 'selected' && cat.selected.size === 0) {
      return 'No items are selected in the library. Choose another option, or select items in the library first.';
    }
    if (draft.scope === 'messages' && cat.chosen.length === 0) {
      return 'No messages are chosen. Choose another option, or select messages in a conversation and choose “Export these messages…”.';
    }
    if (cat.chosen.length > CHOSEN_MAX) {
      return `An export takes at most ${CHOSEN_MAX.toLocaleString('en-GB')} chosen messages, and ${cat.chosen.length.toLocaleString('en-GB')} are chosen. Remove some, or clear them and choose fewer.`;
    }
    const count = itemCount(draft, cat);
    if (count && count.count === 0) {
      return 'This choice has no items in it, so there would be nothing to export. Choose something else.';
    }
    return null;
  }
  if (step === 2) {
    const prefix = prefixProblem(draft.exhibitPrefix, draft.exhibitStyle);
    if (prefix) return prefix;
    if (draft.caseName.length > NAME_MAX) {
      return `Keep the case name to ${NAME_MAX} characters or fewer.`;
    }
    if (draft.exporter.length > NAME_MAX) {
      return `Keep your name to ${NAME_MAX} characters or fewer.`;
    }
    return null;
  }
  if (draft.format === 'zip.age') {
    if (draft.passphrase.length < PASSPHRASE_MIN) {
      return `Choose a passphrase for the zip file of at least ${PASSPHRASE_MIN} characters.`;
    }
    if (draft.passphrase !== draft.passphraseAgain) {
      return 'The two passphrases for the zip file are different. Type the same one twice.';
    }
  }
  if (draft.out.trim() === '') return 'Choose the folder to save the bundle in.';
  if (!isFullPath(draft.out)) {
    return 'Type the full path of the folder, for example /home/you/Documents or C:\\Users\\you\\Documents.';
  }
  return null;
}

/** The arguments for export.create, once every step is complete. */
export function exportArgs(
  draft: Draft,
  selectedIds: Iterable<string>,
  chosen: readonly ChosenRef[] = [],
) {
  return {
    out: asFolder(draft.out.trim()),
    format: draft.format === 'dir' ? ('dir' as const) : ('zip' as const),
    encryptPassphrase: draft.format === 'zip.age' ? draft.passphrase : undefined,
    ...bundlePagesArgs(draft, selectedIds, chosen),
  };
}

/** The choices export.located lists the located items of (those that decide their labels). */
export function locatedArgs(
  draft: Draft,
  selectedIds: Iterable<string>,
  chosen: readonly ChosenRef[] = [],
) {
  const { selection, messageIds, exhibitPrefix, exhibitStyle, disclosure } = bundlePagesArgs(
    draft,
    selectedIds,
    chosen,
  );
  return { selection, messageIds, exhibitPrefix, exhibitStyle, disclosure };
}

/**
 * What the wizard says of the original files, whatever is chosen: they are the evidence, so
 * they are exported unchanged, with the location they hold. `strippedCopies`: the vault can
 * make copies without location (issue 15's "Make a copy without location"); only then does
 * the wizard point to them.
 */
export function originalsKeepLocationText(strippedCopies: boolean): string {
  const base =
    'Either way, the original files are exported unchanged (they are the evidence, and their fingerprints prove it), so they still hold their own location: anyone who opens them with a photo tool can read it.';
  return strippedCopies
    ? `${base} To disclose a photo without it, make a copy without location in the item view and export the copy instead.`
    : base;
}

/**
 * The choices that decide the court bundle's pages (export.bundlePages), as the export makes
 * them. The chosen messages go with any choice; "Chosen messages" alone exports just their
 * conversations.
 */
export function bundlePagesArgs(
  draft: Draft,
  selectedIds: Iterable<string>,
  chosen: readonly ChosenRef[] = [],
) {
  const selection =
    draft.scope === 'all'
      ? { all: true as const }
      : draft.scope === 'tags'
        ? { tags: [...draft.tags] }
        : draft.scope === 'incidents'
          ? { incidentIds: [...draft.incidentIds] }
          : draft.scope === 'messages'
            ? { itemIds: conversationsOf(chosen) }
            : { itemIds: [...selectedIds] };
  const optional = (s: string) => (s.trim() === '' ? undefined : s.trim());
  return {
    selection,
    messageIds: chosen.length === 0 ? undefined : chosen.map((m) => m.id),
    exhibitPrefix: cleanPrefix(draft.exhibitPrefix),
    exhibitStyle: draft.exhibitStyle,
    caseName: optional(draft.caseName),
    exporter: optional(draft.exporter),
    // Sent whether or not an item records a location, so the export never has to ask again.
    location: draft.location,
    disclosure: draft.disclosure ? true : undefined,
  };
}
