/** The library grid's geometry: as many tiles across as fit, stretched to fill the width. */
export const MIN_TILE = 176; // px, a tile's narrowest
export const TILE_GAP = 8; // px between tiles

/** Tiles across a grid this wide (px); always at least one. */
export function gridColumns(width: number): number {
  return Math.max(1, Math.floor((width + TILE_GAP) / (MIN_TILE + TILE_GAP)));
}
