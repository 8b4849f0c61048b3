/**
 * Image types read for text: those sharp decodes with its own bundled libraries. SVG is
 * not among them (a drawing, whose text is in the file already) nor HEIC (not decodable).
 */
export const OCR_MIMES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
];

/** The language pictures are read in unless the person chose another. */
export const DEFAULT_LANGUAGE = 'eng';
