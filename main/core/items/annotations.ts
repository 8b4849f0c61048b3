import type { Db } from '../db/database';
import { DossierError } from '../errors';

/** Notes, tags and region marks: records that point at items. The originals never change. */
export interface Note {
  id: string;
  itemId: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Region geometry is stored and logged in whole millionths of the picture's width and height:
 * the custody log's canonical JSON holds no fractions (docs/vault-format.md §8).
 */
export const REGION_SCALE = 1_000_000;

/** Left, top, width and height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A region mark as stored: its box in millionths (0..REGION_SCALE) of the image. */
export interface Region extends Box {
  id: string;
  itemId: string;
  comment: string;
  createdAt: string;
}

/** A region mark as the API shows it: its box in fractions (0..1) of the image. */
export type RegionView = Region;

/**
 * A box in fractions to the nearest millionths, kept inside the picture and at least one
 * millionth wide and tall (the API allows 1e-9 of slack at the edges).
 */
export function boxInMillionths(b: Box): Box {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const x = clamp(Math.round(b.x * REGION_SCALE), 0, REGION_SCALE - 1);
  const y = clamp(Math.round(b.y * REGION_SCALE), 0, REGION_SCALE - 1);
  return {
    x,
    y,
    w: clamp(Math.round(b.w * REGION_SCALE), 1, REGION_SCALE - x),
    h: clamp(Math.round(b.h * REGION_SCALE), 1, REGION_SCALE - y),
  };
}

export function regionView(r: Region): RegionView {
  const f = (v: number): number => v / REGION_SCALE;
  return { ...r, x: f(r.x), y: f(r.y), w: f(r.w), h: f(r.h) };
}

export class AnnotationRepository {
  constructor(private readonly db: Db) {}

  note(noteId: string): Note {
    const n = this.db
      .prepare(
        'SELECT id, item_id AS itemId, body, created_at AS createdAt, updated_at AS updatedAt FROM notes WHERE id = ?',
      )
      .get(noteId) as Note | undefined;
    if (!n) {
      throw new DossierError(
        'NOT_FOUND',
        'That note is no longer in the vault. Reload the item to see its notes.',
      );
    }
    return n;
  }

  updateNote(noteId: string, body: string, at: string): void {
    this.db.prepare('UPDATE notes SET body = ?, updated_at = ? WHERE id = ?').run(body, at, noteId);
  }

  /** Replaces the item's tags; returns what was added and removed. */
  setTags(
    itemId: string,
    tags: readonly string[],
    addTags: (itemId: string, tags: readonly string[]) => string[],
  ): { added: string[]; removed: string[] } {
    const wanted = new Set(tags.map((t) => t.toLowerCase()));
    const current = this.db
      .prepare(
        'SELECT t.id, t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_id = ?',
      )
      .all(itemId) as { id: number; name: string }[];
    const removed: string[] = [];
    for (const t of current) {
      if (wanted.has(t.name.toLowerCase())) continue;
      this.db.prepare('DELETE FROM item_tags WHERE item_id = ? AND tag_id = ?').run(itemId, t.id);
      removed.push(t.name);
    }
    return { added: addTags(itemId, tags), removed };
  }

  insertRegion(r: Region): void {
    this.db
      .prepare(
        'INSERT INTO regions (id, item_id, x, y, w, h, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(r.id, r.itemId, r.x, r.y, r.w, r.h, r.comment, r.createdAt);
  }

  region(regionId: string): Region {
    const r = this.db
      .prepare(
        'SELECT id, item_id AS itemId, x, y, w, h, comment, created_at AS createdAt FROM regions WHERE id = ?',
      )
      .get(regionId) as Region | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That region mark is no longer in the vault. Reload the item to see its marks.',
      );
    }
    return r;
  }

  regionsOf(itemId: string): Region[] {
    return this.db
      .prepare(
        'SELECT id, item_id AS itemId, x, y, w, h, comment, created_at AS createdAt FROM regions WHERE item_id = ? ORDER BY created_at, rowid',
      )
      .all(itemId) as Region[];
  }

  deleteRegion(regionId: string): void {
    this.db.prepare('DELETE FROM regions WHERE id = ?').run(regionId);
  }
}
