import { describe, expect, it } from 'vitest';
import {
  MAX_ZOOM,
  clampPan,
  describeRect,
  fitScale,
  inOffset,
  isTooSmall,
  percentToRect,
  pointToFraction,
  rectFromCorners,
  rectToPercentStyle,
  zoomIn,
  zoomOut,
} from '../../../renderer/src/screens/item/geometry';

describe('region fractions', () => {
  it('maps screen points to fractions of the shown image, zoom included', () => {
    // A 400×200 image shown at 2× (800×400) starting at (100, 50).
    const box = { left: 100, top: 50, width: 800, height: 400 };
    expect(pointToFraction({ x: 500, y: 250 }, box)).toEqual({ x: 0.5, y: 0.5 });
    expect(pointToFraction({ x: 100, y: 50 }, box)).toEqual({ x: 0, y: 0 });
    // Outside the image: held to its edge.
    expect(pointToFraction({ x: 2000, y: -10 }, box)).toEqual({ x: 1, y: 0 });
  });

  it('makes a rectangle from corners in any order, inside the image', () => {
    expect(rectFromCorners({ x: 0.6, y: 0.8 }, { x: 0.2, y: 0.3 })).toEqual({
      x: 0.2,
      y: 0.3,
      w: 0.39999999999999997,
      h: 0.5,
    });
    const r = rectFromCorners({ x: -1, y: 0.5 }, { x: 2, y: 0.5 });
    expect(r).toEqual({ x: 0, y: 0.5, w: 1, h: 0 });
    expect(isTooSmall(r)).toBe(true);
  });

  it('draws a region as CSS percentages', () => {
    expect(rectToPercentStyle({ x: 0.1, y: 0.25, w: 0.5, h: 0.125 })).toEqual({
      left: '10%',
      top: '25%',
      width: '50%',
      height: '12.5%',
    });
  });

  it('reads typed percentages or says why not', () => {
    expect(percentToRect({ x: '10', y: '20,5', w: '30', h: '40' })).toEqual({
      rect: { x: 0.1, y: 0.205, w: 0.3, h: 0.4 },
    });
    expect(percentToRect({ x: '70', y: '0', w: '30', h: '100' })).toHaveProperty('rect');
    expect(percentToRect({ x: '', y: '0', w: '1', h: '1' })).toHaveProperty('error');
    expect(percentToRect({ x: 'a', y: '0', w: '1', h: '1' })).toHaveProperty('error');
    expect(percentToRect({ x: '80', y: '0', w: '30', h: '10' })).toEqual({
      error: expect.stringMatching(/past the edge/),
    });
    expect(percentToRect({ x: '0', y: '0', w: '0', h: '10' })).toHaveProperty('error');
    expect(percentToRect({ x: '-1', y: '0', w: '5', h: '10' })).toHaveProperty('error');
  });

  it('describes a region in words', () => {
    expect(describeRect({ x: 0.1, y: 0.2, w: 0.333, h: 0.5 })).toBe(
      '10% from the left, 20% from the top, 33.3% wide, 50% high',
    );
  });
});

describe('zoom and pan', () => {
  it('steps zoom within its limits', () => {
    expect(zoomOut(1)).toBe(1);
    expect(zoomIn(1)).toBe(1.25);
    let z = 1;
    for (let i = 0; i < 50; i++) z = zoomIn(z);
    expect(z).toBe(MAX_ZOOM);
  });

  it('fits without enlarging', () => {
    expect(fitScale({ w: 2000, h: 1000 }, { w: 1000, h: 1000 })).toBe(0.5);
    expect(fitScale({ w: 100, h: 100 }, { w: 1000, h: 1000 })).toBe(1);
    expect(fitScale({ w: 0, h: 0 }, { w: 1000, h: 1000 })).toBe(1);
  });

  it('keeps the zoomed image covering the frame', () => {
    const shown = { w: 400, h: 300 };
    const frame = { w: 400, h: 300 };
    expect(clampPan({ x: 500, y: -500 }, shown, 2, frame)).toEqual({ x: 200, y: -150 });
    expect(clampPan({ x: 50, y: 50 }, shown, 1, frame)).toEqual({ x: 0, y: 0 });
  });
});

describe('times in the zone they were recorded in', () => {
  it('rewrites a UTC time in a fixed offset', () => {
    expect(inOffset('2026-03-12T13:03:00.000Z', 60)).toBe('2026-03-12T14:03:00+01:00');
    expect(inOffset('2026-03-12T01:30:00Z', -330)).toBe('2026-03-11T20:00:00-05:30');
    expect(inOffset('2026-03-12T01:30:00Z', 0)).toBe('2026-03-12T01:30:00+00:00');
    expect(inOffset('not a time', 60)).toBe('not a time');
  });
});
