// What the item view says of copies made for disclosure (docs/redaction.md): whether an item
// is one (of which original, what it covers or left out), and which copies an item has.
import type { RedactionBox } from '../../../shared/redaction';
import type { RedactionSpan } from '../../../shared/redaction-text';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { REGION_SCALE } from '../items/annotations';

export type CopyKind = 'redacted' | 'without-location';

export interface CopyOf {
  kind: CopyKind;
  originalId: string;
  originalName: string | null;
  originalSha256: string | null;
  /** Covered areas in fractions (0–1) of the picture as shown, with their reasons. */
  areas: RedactionBox[];
  /**
   * Covered passages of an email or text file: UTF-16 offsets in the original's rendering
   * (shared/redaction-text.ts), with their reasons; empty for a picture.
   */
  spans: RedactionSpan[];
  removed: string[];
  lossless: boolean;
  madeAt: string;
}

export interface CopyListed {
  id: string;
  name: string;
  kind: CopyKind;
  madeAt: string;
}

const KIND: Record<string, CopyKind> = {
  picture: 'redacted',
  text: 'redacted',
  location: 'without-location',
};

/** A box in fractions (as the API takes it) to whole millionths, refused if past an edge. */
export function redactionBoxInMillionths(
  b: Omit<RedactionBox, 'otherReason'> & { otherReason?: string | null },
  n: number,
): RedactionBox {
  const x = Math.round(b.x * REGION_SCALE);
  const y = Math.round(b.y * REGION_SCALE);
  let w = Math.round(b.w * REGION_SCALE);
  let h = Math.round(b.h * REGION_SCALE);
  // Rounding to millionths may reach one past an edge the fractions touch (the contract has
  // already refused a box past it): only that millionth is taken back.
  if (x + w === REGION_SCALE + 1) w -= 1;
  if (y + h === REGION_SCALE + 1) h -= 1;
  if (x < 0 || y < 0 || x + w > REGION_SCALE || y + h > REGION_SCALE) {
    throw new DossierError('USAGE', `Box ${n} goes past the edge of the picture.`);
  }
  if (w < 1 || h < 1) {
    throw new DossierError(
      'USAGE',
      `Box ${n} is too small to cover anything (under a millionth of the picture).`,
    );
  }
  return { x, y, w, h, reason: b.reason, otherReason: b.otherReason ?? null };
}

interface Row {
  original_id: string;
  kind: string;
  areas: string;
  removed: string;
  lossless: number;
  made_at: string;
}

/** The copy record of `itemId`, or null when it is not a copy made for disclosure. */
export function copyOf(db: Db, itemId: string): CopyOf | null {
  const r = db
    .prepare(
      'SELECT original_id, kind, areas, removed, lossless, made_at FROM redactions WHERE item_id = ?',
    )
    .get(itemId) as Row | undefined;
  if (!r) return null;
  const original = db.prepare('SELECT name, sha256 FROM items WHERE id = ?').get(r.original_id) as
    { name: string; sha256: string } | undefined;
  const f = (v: number): number => v / REGION_SCALE;
  const text = r.kind === 'text';
  return {
    kind: KIND[r.kind] ?? 'redacted',
    originalId: r.original_id,
    originalName: original?.name ?? null,
    originalSha256: original?.sha256 ?? null,
    spans: text
      ? (JSON.parse(r.areas) as RedactionSpan[]).map((s) => ({
          start: s.start,
          end: s.end,
          reason: s.reason,
          otherReason: s.otherReason ?? null,
        }))
      : [],
    areas: (text ? [] : (JSON.parse(r.areas) as RedactionBox[])).map((a) => ({
      x: f(a.x),
      y: f(a.y),
      w: f(a.w),
      h: f(a.h),
      reason: a.reason,
      otherReason: a.otherReason ?? null,
    })),
    removed: JSON.parse(r.removed) as string[],
    lossless: r.lossless === 1,
    madeAt: r.made_at,
  };
}

/** The copies made of `itemId` that are still in the vault, oldest first. */
export function copiesOf(db: Db, itemId: string): CopyListed[] {
  const rows = db
    .prepare(
      `SELECT r.item_id AS id, i.name AS name, r.kind AS kind, r.made_at AS madeAt
       FROM redactions r JOIN items i ON i.id = r.item_id
       WHERE r.original_id = ? ORDER BY r.made_at, r.item_id`,
    )
    .all(itemId) as { id: string; name: string; kind: string; madeAt: string }[];
  return rows.map((r) => ({ ...r, kind: KIND[r.kind] ?? 'redacted' }));
}
