// `dossier verify`'s check of a disclosure bundle's redaction schedule (docs/redaction.md,
// "Disclosure"): each row of data/metadata/redactions.csv must name an exhibit as items.json
// has it (file and SHA-256), and say what the copy's `derive` entry in custody.jsonl, part of
// the signed hash chain, recorded: the copy and its SHA-256, the original withheld and its
// SHA-256, and each area with its reason. A schedule that claims other reasons or another
// original than the log is an error, naming the row.
import { isDeepStrictEqual } from 'node:util';
import { REDACTION_REASONS, redactionReasonText } from '../../../shared/redaction';
import {
  redactionAreaPlace,
  SCHEDULE_COLUMNS,
  type RedactionArea,
} from '../../../shared/redaction-schedule';
import { parseCsv } from '../review/bundle-records';

export const REDACTIONS = 'data/metadata/redactions.csv';
const CUSTODY = 'data/metadata/custody.jsonl';

interface Exhibit {
  number?: unknown;
  bagPath?: unknown;
  itemId?: unknown;
  sha256?: unknown;
}

interface Entry {
  seq: number;
  action: string;
  subjects: unknown[];
  details: {
    original?: { sha256?: unknown };
    copy?: { sha256?: unknown };
    boxes?: unknown;
    spans?: unknown;
    areas?: unknown;
  };
}

/** The full entries of custody.jsonl by seq (withheld runs and the checkpoint skipped). */
function entriesOf(custody: Buffer): Map<number, Entry> {
  const out = new Map<number, Entry>();
  for (const line of custody.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue; // checkCustody says so
    }
    const r = e as Partial<Entry> | null;
    if (
      r &&
      typeof r === 'object' &&
      Number.isSafeInteger(r.seq) &&
      typeof r.action === 'string' &&
      Array.isArray(r.subjects) &&
      r.details &&
      typeof r.details === 'object'
    )
      out.set(r.seq!, r as Entry);
  }
  return out;
}

function isArea(a: unknown): a is RedactionArea {
  const r = a as Record<string, unknown> | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    (REDACTION_REASONS as readonly unknown[]).includes(r.reason) &&
    (r.otherReason === null || typeof r.otherReason === 'string' || r.otherReason === undefined) &&
    ((['x', 'y', 'w', 'h'] as const).every((k) => Number.isSafeInteger(r[k])) ||
      (['start', 'end'] as const).every((k) => Number.isSafeInteger(r[k])))
  );
}

export function checkSchedule(
  raw: { schedule: Buffer; items: Buffer | null; custody: Buffer | null },
  err: (file: string | null, message: string) => void,
): void {
  const [header, ...rows] = parseCsv(raw.schedule.toString('utf8'));
  if (!header || !isDeepStrictEqual(header, [...SCHEDULE_COLUMNS])) {
    err(REDACTIONS, `${REDACTIONS} does not have the redaction schedule’s columns.`);
    return;
  }
  let exhibits: Exhibit[] = [];
  try {
    const parsed: unknown = raw.items ? JSON.parse(raw.items.toString('utf8')) : [];
    if (Array.isArray(parsed)) exhibits = parsed as Exhibit[];
  } catch {
    // checkExhibits says so
  }
  const byNumber = new Map(exhibits.map((e) => [e.number, e]));
  const entries = raw.custody ? entriesOf(raw.custody) : new Map<number, Entry>();
  rows
    .filter((r) => r.some((c) => c !== ''))
    .forEach((cells, i) => {
      const r = Object.fromEntries(SCHEDULE_COLUMNS.map((c, k) => [c, cells[k] ?? ''])) as Record<
        (typeof SCHEDULE_COLUMNS)[number],
        string
      >;
      const row = `Row ${i + 1} of ${REDACTIONS} (exhibit "${r.exhibit.slice(0, 40)}")`;
      const bad = (why: string): void => err(REDACTIONS, `${row} ${why}`);
      const exhibit = byNumber.get(r.exhibit);
      if (!exhibit) return bad('names no exhibit of items.json.');
      if (exhibit.bagPath !== r.file || exhibit.sha256 !== r.copy_sha256)
        return bad('does not give the file and SHA-256 items.json gives that exhibit.');
      if (!/^[0-9a-f]{64}$/.test(r.original_sha256))
        return bad('does not give the withheld original’s SHA-256.');
      const entry = entries.get(Number(r.custody_entry));
      const d = entry?.details;
      if (
        !entry ||
        !/^\d+$/.test(r.custody_entry) ||
        entry.action !== 'derive' ||
        entry.subjects[1] !== exhibit.itemId ||
        d?.copy?.sha256 !== r.copy_sha256
      )
        return bad(
          `points at custody entry ${r.custody_entry.slice(0, 20)}, which does not record this copy in custody.jsonl.`,
        );
      // A copy made from the original itself: the entry names the original and its hash, and
      // each area. (A copy of a copy: that entry names the copy in between, which is withheld.)
      if (entry.subjects[0] !== r.original_item_id) return;
      if (d.original?.sha256 !== r.original_sha256)
        return bad('gives another SHA-256 for the original than its custody entry records.');
      if (r.area === '') return;
      const logged = d.boxes ?? d.spans ?? d.areas;
      const area = Array.isArray(logged) ? (logged[Number(r.area) - 1] as unknown) : undefined;
      if (
        !/^\d+$/.test(r.area) ||
        !isArea(area) ||
        redactionReasonText(area) !== r.reason ||
        redactionAreaPlace(area) !== r.where
      )
        bad(`says area ${r.area.slice(0, 10)} is not what its custody entry records.`);
    });
  if (raw.custody === null)
    err(REDACTIONS, `${REDACTIONS} cannot be checked: the bundle has no ${CUSTODY}.`);
}
