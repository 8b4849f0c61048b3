/**
 * The exhibits of a Dossier bundle against the bundle's other records: items.json must
 * agree with manifest-sha256.txt (the files really in the bundle) and with the ingest
 * entries of custody.jsonl (what the vault recorded when each item was imported). A vault
 * row rewritten after import (name, hash, size, times) shows up as a difference here.
 */
import { parseManifest } from '../bagit/manifest';

export interface ExhibitProblem {
  file: string;
  message: string;
  /** A warning leaves the bundle verified (an import entry withheld for its full path). */
  severity?: 'warning';
}

const ITEMS = 'data/metadata/items.json';
const CUSTODY = 'data/metadata/custody.jsonl';
/** The item row's import time is taken just before its ingest entry is written. */
const IMPORT_TIME_SLACK_MS = 5 * 60 * 1000;

interface ExhibitRecord {
  number?: unknown;
  bagPath?: unknown;
  itemId?: unknown;
  originalName?: unknown;
  /** The name in the vault (absent in bundles from before renaming existed). */
  name?: unknown;
  sha256?: unknown;
  size?: unknown;
  mime?: unknown;
  ingestedAt?: unknown;
  sourceTimes?: { mtime?: unknown } | null;
}

interface IngestEntry {
  seq: number;
  at: string;
  /** null: the entry is withheld for the full source path it holds (verify-custody.ts). */
  details: Record<string, unknown> | null;
}

/** items.json as a list of exhibit records, or a problem saying why it is not one. */
export function parseExhibits(raw: Buffer): ExhibitRecord[] | ExhibitProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { file: ITEMS, message: 'items.json is not valid JSON (it was damaged or edited).' };
  }
  if (!Array.isArray(parsed) || !parsed.every((e) => typeof e === 'object' && e !== null)) {
    return { file: ITEMS, message: 'items.json is not a list of exhibits.' };
  }
  return parsed as ExhibitRecord[];
}

function label(e: ExhibitRecord, i: number): string {
  const number = typeof e.number === 'string' ? e.number : `number ${i + 1} in items.json`;
  return `Exhibit ${number}`;
}

/** Every exhibit's file is in manifest-sha256.txt with the SHA-256 items.json gives. */
export function exhibitsAgainstManifest(
  exhibits: readonly ExhibitRecord[],
  manifestText: string,
): ExhibitProblem[] {
  const listed = new Map<string, string>();
  for (const e of parseManifest(manifestText, true).entries) listed.set(e.path, e.checksum);
  const problems: ExhibitProblem[] = [];
  exhibits.forEach((e, i) => {
    if (typeof e.bagPath !== 'string' || typeof e.sha256 !== 'string') {
      problems.push({
        file: ITEMS,
        message: `${label(e, i)}: items.json does not give its file and SHA-256.`,
      });
      return;
    }
    const sha = listed.get(e.bagPath);
    if (sha === undefined) {
      problems.push({
        file: e.bagPath,
        message: `${label(e, i)}: its file is not in manifest-sha256.txt.`,
      });
    } else if (sha !== e.sha256.toLowerCase()) {
      problems.push({
        file: e.bagPath,
        message: `${label(e, i)}: items.json and manifest-sha256.txt disagree about its SHA-256.`,
      });
    }
  });
  return problems;
}

/**
 * The ingest entries of custody.jsonl by item id. Only full entries count; lines that are
 * not (left-out entries, the checkpoint, damaged lines) are skipped here: the custody
 * chain check reports on those.
 */
function ingestEntries(custodyText: string): Map<string, IngestEntry[]> {
  const byItem = new Map<string, IngestEntry[]>();
  for (const line of custodyText.split('\n')) {
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    const withheld = withheldIngest(e);
    if (withheld) {
      byItem.set(withheld.id, [...(byItem.get(withheld.id) ?? []), withheld.entry]);
      continue;
    }
    if (!isFullEntry(e) || e.action !== 'ingest') continue;
    const id = e.subjects[0];
    if (typeof id !== 'string') continue;
    byItem.set(id, [...(byItem.get(id) ?? []), { seq: e.seq, at: e.at, details: e.details }]);
  }
  return byItem;
}

/**
 * An old ingest entry withheld because it records the full source path: its place in the
 * chain (seq, action, subjects, hash) is shown, its details are not.
 */
function withheldIngest(e: unknown): { id: string; entry: IngestEntry } | null {
  if (typeof e !== 'object' || e === null || !('withheld' in e)) return null;
  const w = (e as { withheld: unknown }).withheld as Record<string, unknown> | null;
  if (typeof w !== 'object' || w === null || w.reason !== 'full-source-path') return null;
  const link = w.entry as Record<string, unknown> | null;
  if (typeof link !== 'object' || link === null || link.action !== 'ingest') return null;
  const id = Array.isArray(link.subjects) ? link.subjects[0] : undefined;
  if (typeof id !== 'string' || typeof link.seq !== 'number') return null;
  return {
    id,
    entry: { seq: link.seq, at: typeof link.at === 'string' ? link.at : '', details: null },
  };
}

/** Each item's last rename in custody.jsonl (full entries only): the name given, and where. */
function lastRenames(custodyText: string): Map<string, { seq: number; after: unknown }> {
  const out = new Map<string, { seq: number; after: unknown }>();
  for (const line of custodyText.split('\n')) {
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isFullEntry(e) || e.action !== 'edit-metadata' || e.details.what !== 'item renamed')
      continue;
    const id = e.subjects[0];
    if (typeof id === 'string' && e.subjects.length === 1)
      out.set(id, { seq: e.seq, after: e.details.after });
  }
  return out;
}

function isFullEntry(e: unknown): e is {
  seq: number;
  at: string;
  action: string;
  subjects: unknown[];
  details: Record<string, unknown>;
} {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.seq === 'number' &&
    typeof r.at === 'string' &&
    typeof r.action === 'string' &&
    Array.isArray(r.subjects) &&
    typeof r.details === 'object' &&
    r.details !== null &&
    !Array.isArray(r.details) &&
    typeof r.hash === 'string' &&
    r.redacted !== true
  );
}

function shown(v: unknown): string {
  return v === null || v === undefined ? 'none' : typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * Each exhibit against its ingest entry: SHA-256, size, name, MIME type, the file's
 * modification time, and the import time. Only fields the entry records are compared
 * (the source path is not in items.json; old and new forms of it are both accepted).
 */
export function exhibitsAgainstCustody(
  exhibits: readonly ExhibitRecord[],
  custodyText: string,
): ExhibitProblem[] {
  const ingests = ingestEntries(custodyText);
  const renames = lastRenames(custodyText);
  const problems: ExhibitProblem[] = [];
  exhibits.forEach((e, i) => {
    const who = label(e, i);
    const entries = typeof e.itemId === 'string' ? (ingests.get(e.itemId) ?? []) : [];
    if (entries.length === 0) {
      problems.push({
        file: CUSTODY,
        message: `${who}: the custody log has no import entry for it, so nothing shows where it came from or that it is what was imported.`,
      });
      return;
    }
    if (entries.length > 1) {
      problems.push({
        file: CUSTODY,
        message: `${who}: the custody log has ${entries.length} import entries for it (entries ${entries.map((x) => x.seq).join(', ')}); an item is imported once.`,
      });
    }
    const entry = entries[0]!;
    if (entry.details === null) {
      problems.push({
        file: CUSTODY,
        severity: 'warning',
        message: `${who}: its import entry (entry ${entry.seq}) is withheld in this bundle because it records the full path the file came from, so this bundle cannot show that the exhibit is what was imported (the exporting vault checked it before export). A bundle exported with full paths shows the entry.`,
      });
      return;
    }
    const d = entry.details;
    const differ = (field: string, inItems: unknown, inLog: unknown): void => {
      problems.push({
        file: ITEMS,
        message: `${who}: items.json gives its ${field} as ${shown(inItems)}, but the custody log recorded ${shown(inLog)} when it was imported (entry ${entry.seq}). The vault's record of this item was changed after import; do not rely on this exhibit.`,
      });
    };
    const compare = (field: string, key: string, inItems: unknown): void => {
      if (!(key in d)) return;
      const logged = d[key];
      const same =
        typeof logged === 'string' && typeof inItems === 'string' && key === 'sha256'
          ? logged.toLowerCase() === inItems.toLowerCase()
          : (logged ?? null) === (inItems ?? null);
      if (!same) differ(field, inItems, logged);
    };
    compare('SHA-256', 'sha256', e.sha256);
    compare('size in bytes', 'size', e.size);
    compare('original name', 'name', e.originalName);
    // The name in the vault: the original one, or the last rename the log records.
    if ('name' in e) {
      const renamed = typeof e.itemId === 'string' ? renames.get(e.itemId) : undefined;
      const expected = renamed ? renamed.after : e.originalName;
      if (e.name !== expected) {
        problems.push({
          file: ITEMS,
          message: `${who}: items.json gives its name in the vault as ${shown(e.name)}, but the custody log ${renamed ? `records that it was last renamed to ${shown(renamed.after)} (entry ${renamed.seq})` : `records no rename from ${shown(e.originalName)}`}. Do not rely on this exhibit's name.`,
        });
      }
    }
    compare('MIME type', 'mime', e.mime);
    compare('file modification time', 'sourceMtime', e.sourceTimes?.mtime ?? null);
    if (!('sha256' in d) || !('size' in d) || !('name' in d)) {
      problems.push({
        file: CUSTODY,
        message: `${who}: its import entry (entry ${entry.seq}) does not record the name, SHA-256 and size, so it cannot vouch for the exhibit.`,
      });
    }
    const imported = typeof e.ingestedAt === 'string' ? Date.parse(e.ingestedAt) : NaN;
    const logged = Date.parse(entry.at);
    if (
      !Number.isFinite(imported) ||
      !Number.isFinite(logged) ||
      Math.abs(logged - imported) > IMPORT_TIME_SLACK_MS
    ) {
      differ('import time', e.ingestedAt, entry.at);
    }
  });
  return problems;
}
