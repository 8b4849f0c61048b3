// The disclosure export (docs/redaction.md, "Disclosure"): each exported item that has a copy
// made for disclosure is represented by that copy, and the original is withheld, listed in the
// redaction schedule with its SHA-256 (a court can order it, and the hash proves which it was).
import type { RedactionArea } from '../../../shared/redaction-schedule';
import { DossierError } from '../errors';
import type { ItemDetail } from '../items/repository';
import type { CopyRow } from '../redaction/disclosure-records';

/** One withheld original and the copy that stands for it, as the schedule lists them. */
export interface ScheduleSource {
  copyId: string;
  /** The original withheld (the first item of the chain: a copy may be made from a copy). */
  original: { id: string; sha256: string };
  /** 'redacted' when any step covered areas, else 'without-location'. */
  kind: 'redacted' | 'without-location';
  /** Every area covered, in the order made (boxes in millionths, spans in characters). */
  areas: RedactionArea[];
  /** What was taken out without covering (location and device details), in words. */
  removed: string[];
  /** When the copy was made (its last step), and that step's derive entry. */
  madeAt: string;
  custodySeq: number;
  /** The steps from the original to the copy, each a copy made from the one before. */
  steps: CopyRow[];
}

export interface DisclosureChoice {
  /** The items to export: each original with copies replaced by its chosen copy, in place. */
  items: ItemDetail[];
  /** Each withheld item (originals, and copies passed over) → the copy exported for it. */
  standsFor: Map<string, string>;
  /** The other way: each exported copy → the items it stands for. */
  withheldFor: Map<string, string[]>;
  /** By copy id. */
  schedule: Map<string, ScheduleSource>;
}

const REDACTED_KINDS = new Set(['picture', 'text']);

/**
 * The copy that represents an original: among its copies (and copies of copies) the person
 * chose in the selection if any, else all of them: the newest redacted copy, else the newest
 * copy without location. A redacted copy comes first because a copy without location shows
 * everything the redacted one covers.
 */
export function chooseCopy(candidates: readonly CopyRow[]): CopyRow {
  const newest = (rows: CopyRow[]): CopyRow =>
    rows.reduce((a, b) =>
      b.madeAt > a.madeAt || (b.madeAt === a.madeAt && b.itemId > a.itemId) ? b : a,
    );
  const redacted = candidates.filter((c) => REDACTED_KINDS.has(c.kind));
  return newest(redacted.length ? redacted : [...candidates]);
}

/** Replaces each selected original that has copies by its chosen copy (see chooseCopy). */
export function disclosureChoice(
  selected: readonly ItemDetail[],
  rows: readonly CopyRow[],
  get: (id: string) => ItemDetail,
): DisclosureChoice {
  const byCopy = new Map(rows.map((r) => [r.itemId, r]));
  const byOriginal = new Map<string, CopyRow[]>();
  for (const r of rows) {
    let list = byOriginal.get(r.originalId);
    if (!list) byOriginal.set(r.originalId, (list = []));
    list.push(r);
  }
  const rootOf = (id: string): string => {
    const seen = new Set<string>();
    let at = id;
    for (let r = byCopy.get(at); r && !seen.has(at); r = byCopy.get(at)) {
      seen.add(at);
      at = r.originalId;
    }
    return at;
  };
  const descendants = (root: string): CopyRow[] => {
    const out: CopyRow[] = [];
    const seen = new Set<string>([root]);
    const walk = (id: string): void => {
      for (const r of byOriginal.get(id) ?? []) {
        if (seen.has(r.itemId)) continue;
        seen.add(r.itemId);
        out.push(r);
        walk(r.itemId);
      }
    };
    walk(root);
    return out;
  };
  const selectedIds = new Set(selected.map((i) => i.id));
  // The first place any member of a family (an original and its copies) takes in the order,
  // the original's own place when it was selected.
  const place = new Map<string, number>();
  selected.forEach((item, i) => {
    const root = rootOf(item.id);
    if (item.id === root || !place.has(root)) place.set(root, item.id === root ? i : i + 0.5);
  });
  const out: { at: number; item: ItemDetail }[] = [];
  const standsFor = new Map<string, string>();
  const schedule = new Map<string, ScheduleSource>();
  for (const [root, at] of place) {
    const family = descendants(root);
    if (family.length === 0) {
      out.push({ at, item: get(root) });
      continue;
    }
    const chosenInSelection = family.filter((r) => selectedIds.has(r.itemId));
    const copy = chooseCopy(chosenInSelection.length ? chosenInSelection : family);
    // The steps from the original to the chosen copy.
    const chain: CopyRow[] = [];
    for (let r: CopyRow | undefined = copy; r; r = byCopy.get(r.originalId)) {
      chain.unshift(r);
      if (r.originalId === root || chain.length > family.length) break;
    }
    const original = get(root);
    standsFor.set(root, copy.itemId);
    for (const r of family) if (r.itemId !== copy.itemId) standsFor.set(r.itemId, copy.itemId);
    const areas = chain.flatMap((r) => r.areas);
    schedule.set(copy.itemId, {
      copyId: copy.itemId,
      original: { id: original.id, sha256: original.sha256 },
      kind: chain.some((r) => REDACTED_KINDS.has(r.kind)) ? 'redacted' : 'without-location',
      areas,
      removed: chain.flatMap((r) => r.removed),
      madeAt: copy.madeAt,
      custodySeq: copy.custodySeq,
      steps: chain,
    });
    out.push({ at, item: get(copy.itemId) });
  }
  const items = out.sort((a, b) => a.at - b.at).map((x) => x.item);
  const withheldFor = new Map<string, string[]>();
  for (const [withheld, copy] of standsFor) {
    let list = withheldFor.get(copy);
    if (!list) withheldFor.set(copy, (list = []));
    list.push(withheld);
  }
  if (items.length === 0)
    throw new DossierError('USAGE', 'Nothing to export: the selection matched no items.');
  return { items, standsFor, withheldFor, schedule };
}

/**
 * Exported files that came inside an original withheld for disclosure (an email's attachments,
 * a chat's photos): they go out whole, as selected, which the person may not expect after
 * redacting the email that carried them. Said in the export's warnings, by name.
 */
export function filesOfWithheldOriginals(
  choice: DisclosureChoice,
  get: (id: string) => ItemDetail,
): { item: ItemDetail; parent: ItemDetail }[] {
  const out: { item: ItemDetail; parent: ItemDetail }[] = [];
  for (const item of choice.items) {
    const from = item.derivedFrom;
    if (!from || (from.operation !== 'attachment' && from.operation !== 'media')) continue;
    if (choice.standsFor.has(from.parentId)) out.push({ item, parent: get(from.parentId) });
  }
  return out;
}
