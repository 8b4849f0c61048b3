/**
 * Pure maths for the image viewer: zoom steps, panning limits, and region marks stored as
 * fractions (0..1) of the image's width and height, so they fit any size it is shown at.
 */

export interface FractionRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 8;
const STEP = 1.25;

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export function zoomIn(zoom: number): number {
  return clamp(Math.round(zoom * STEP * 100) / 100, MIN_ZOOM, MAX_ZOOM);
}

export function zoomOut(zoom: number): number {
  return clamp(Math.round((zoom / STEP) * 100) / 100, MIN_ZOOM, MAX_ZOOM);
}

/** The largest scale (at most 1: never blown up) at which the image fits the frame. */
export function fitScale(natural: { w: number; h: number }, frame: { w: number; h: number }) {
  if (natural.w <= 0 || natural.h <= 0 || frame.w <= 0 || frame.h <= 0) return 1;
  return Math.min(1, frame.w / natural.w, frame.h / natural.h);
}

/**
 * Keeps a pan (the image centre's offset from the frame centre, in screen pixels) within
 * what lets no edge of the zoomed image come inside the frame; zero when it fits.
 */
export function clampPan(
  pan: { x: number; y: number },
  shown: { w: number; h: number },
  zoom: number,
  frame: { w: number; h: number },
): { x: number; y: number } {
  const maxX = Math.max(0, (shown.w * zoom - frame.w) / 2);
  const maxY = Math.max(0, (shown.h * zoom - frame.h) / 2);
  return { x: clamp(pan.x, -maxX, maxX), y: clamp(pan.y, -maxY, maxY) };
}

/** A point on screen as a fraction of the image's box on screen (zoom and pan included). */
export function pointToFraction(
  point: { x: number; y: number },
  box: Box,
): { x: number; y: number } {
  if (box.width <= 0 || box.height <= 0) return { x: 0, y: 0 };
  return {
    x: clamp((point.x - box.left) / box.width, 0, 1),
    y: clamp((point.y - box.top) / box.height, 0, 1),
  };
}

/** The rectangle between two corners (in any order), inside the image. */
export function rectFromCorners(a: { x: number; y: number }, b: { x: number; y: number }) {
  const x = clamp(Math.min(a.x, b.x), 0, 1);
  const y = clamp(Math.min(a.y, b.y), 0, 1);
  return {
    x,
    y,
    w: clamp(Math.max(a.x, b.x), 0, 1) - x,
    h: clamp(Math.max(a.y, b.y), 0, 1) - y,
  };
}

/** Too small to mean anything (a click rather than a drag): under 0.5% either way. */
export function isTooSmall(r: FractionRect): boolean {
  return r.w < 0.005 || r.h < 0.005;
}

/** CSS percentages for drawing a region over the image. */
export function rectToPercentStyle(r: FractionRect) {
  return {
    left: `${r.x * 100}%`,
    top: `${r.y * 100}%`,
    width: `${r.w * 100}%`,
    height: `${r.h * 100}%`,
  };
}

/**
 * Typed percentages (the keyboard way to mark a region) to a region, or a plain-words reason
 * why they do not make one.
 */
export function percentToRect(input: {
  x: string;
  y: string;
  w: string;
  h: string;
}): { rect: FractionRect } | { error: string } {
  const nums = [input.x, input.y, input.w, input.h].map((s) => Number(s.trim().replace(',', '.')));
  if (
    nums.some(
      (n, i) => !Number.isFinite(n) || [input.x, input.y, input.w, input.h][i]!.trim() === '',
    )
  )
    return { error: 'Enter four numbers, each a percentage from 0 to 100.' };
  const [x, y, w, h] = nums as [number, number, number, number];
  if (x < 0 || y < 0 || x > 100 || y > 100)
    return { error: 'From the left and from the top must be between 0 and 100.' };
  if (w <= 0 || h <= 0) return { error: 'Width and height must be more than 0.' };
  if (x + w > 100.0001 || y + h > 100.0001)
    return { error: 'The region goes past the edge of the image: make it smaller or move it.' };
  const rect = { x: x / 100, y: y / 100, w: w / 100, h: h / 100 };
  if (isTooSmall(rect))
    return { error: 'The region is too small: make it at least 0.5% each way.' };
  return { rect };
}

/** "32% from the left, 10% from the top, 20% × 15%", for the region list and screen readers. */
export function describeRect(r: FractionRect): string {
  const p = (v: number) => `${Math.round(v * 1000) / 10}%`;
  return `${p(r.x)} from the left, ${p(r.y)} from the top, ${p(r.w)} wide, ${p(r.h)} high`;
}

/** An ISO UTC time ("…Z") re-written in a fixed offset, so timeText says that zone. */
export function inOffset(isoUtc: string, offsetMinutes: number): string {
  const ms = Date.parse(isoUtc);
  if (!Number.isFinite(ms)) return isoUtc;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
