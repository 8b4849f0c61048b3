// Pictures of known text, drawn by sharp from SVG, for the text-recognition tests.
import sharp from 'sharp';

/** The lines of a phone-like screenshot: threats with a handle, a school and a time. */
export const SCREENSHOT_LINES = [
  'I know where your children go to school',
  'You should be careful walking home tonight',
  'Reply from darkstar77 at 21:14 yesterday',
  'Everyone will see the photos on Monday',
  'Delete your account or you will regret it',
  'The meeting is at Hollybush Primary School',
  'Nobody will believe anything you say',
  'Kestrel Lane is not far from your house',
];

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A PNG of `lines`, black on white (DejaVu Sans), one line every `gap` pixels. */
export async function textPicture(
  lines: readonly string[],
  { width = 1170, height = 2532, size = 40, gap = 150 } = {},
): Promise<Buffer> {
  const text = lines
    .map(
      (l, i) =>
        `<text x="50" y="${250 + i * gap}" font-family="DejaVu Sans" font-size="${size}" fill="#111">${escape(l)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Words of a text as compared for accuracy: letters and digits, lower case. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(Boolean);
}

/** The share of the expected words read (each counted as often as it appears). */
export function wordAccuracy(expected: readonly string[], read: string): number {
  const have = new Map<string, number>();
  for (const w of wordsOf(read)) have.set(w, (have.get(w) ?? 0) + 1);
  const want = expected.flatMap(wordsOf);
  let hit = 0;
  for (const w of want) {
    const n = have.get(w) ?? 0;
    if (n > 0) {
      hit++;
      have.set(w, n - 1);
    }
  }
  return hit / want.length;
}
