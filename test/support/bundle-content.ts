// Hand-made ExhibitContent for court-bundle tests: a picture cut into page-sized slices the
// way the readers' contract says (fit the box at up to 300 dpi, never enlarged; a picture
// too tall for that is split with overlap), with its region marks mapped onto each slice.
import sharp from 'sharp';
import type {
  ImageBox,
  ImageContent,
  ImageSlice,
} from '../../main/core/export/bundle/exhibit-content';
import type { ExhibitRegion } from '../../main/core/export/model';
import { BUNDLE_IMAGE_BOX } from '../../main/core/export/pdf/bundle';

const MIN_SCALE = 0.24; // points per pixel at 300 dpi

export async function pictureContent(
  png: Buffer,
  regions: readonly ExhibitRegion[],
  pixels: boolean,
  /** The box the bundle asks for (smaller for a picture with marks); default the whole one. */
  box: ImageBox = BUNDLE_IMAGE_BOX,
): Promise<ImageContent> {
  const { width = 0, height = 0 } = await sharp(png).metadata();
  const fit = Math.min(box.width / width, box.height / height);
  const scale = fit >= MIN_SCALE ? Math.min(fit, 0.75) : Math.min(box.width / width, 0.75);
  const rowsPerSlice = fit >= MIN_SCALE ? height : Math.floor(box.height / scale);
  const overlap = Math.floor(rowsPerSlice * 0.06);
  const slices: ImageSlice[] = [];
  for (let top = 0; ; top += rowsPerSlice - overlap) {
    const rows = Math.min(rowsPerSlice, height - top);
    const image = !pixels
      ? null
      : rows === height
        ? png
        : await sharp(png).extract({ left: 0, top, width, height: rows }).png().toBuffer();
    slices.push({
      top,
      rows,
      drawWidth: width * scale,
      drawHeight: rows * scale,
      image,
      regions: regions.flatMap((r) => {
        const y0 = (r.y / 1e6) * height;
        const y1 = ((r.y + r.h) / 1e6) * height;
        const a = Math.max(y0, top);
        const b = Math.min(y1, top + rows);
        if (b <= a) return [];
        return [
          {
            number: r.number,
            x: r.x / 1e6,
            y: (a - top) / rows,
            w: r.w / 1e6,
            h: (b - a) / rows,
            clipped: a > y0 || b < y1,
          },
        ];
      }),
    });
    if (top + rows >= height) break;
  }
  return { kind: 'image', width, height, slices };
}
