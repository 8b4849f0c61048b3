// A PNG without alpha, transparency or palette, embedded in a PDF as it is: its compressed
// rows copied with a predictor, exactly as pdfkit embeds one, but without pdfkit's PNG reader
// (png-js), which copies every compressed byte into a JavaScript array one at a time: for the
// court bundle's thousand screenshots that is gigabytes of short-lived heap, and the heap
// it leaves behind grows with the bundle. Anything else goes to pdfkit as before.

/** What pdfkit's image() asks of an image it did not open itself. */
export interface EmbeddableImage {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  obj: PDFKit.PDFKitReference | null;
  embed(doc: PDFKit.PDFDocument): void;
}

/** A pdfkit object: its dictionary, and end() to write it (with its stream, if given). */
interface Ref {
  data: Record<string, unknown>;
  end(stream?: Uint8Array): void;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The image pdfkit would make of `png`, or null when pdfkit must read it itself (alpha, a
 * palette, transparency, interlacing, or anything out of the ordinary, damage included).
 */
export function plainPng(png: Buffer, label: string): EmbeddableImage | null {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) return null;
  let header: { width: number; height: number; bits: number; colorType: number } | null = null;
  const idat: Buffer[] = [];
  let ended = false;
  for (let pos = 8; pos + 8 <= png.length;) {
    const size = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const start = pos + 8;
    const end = start + size;
    if (end + 4 > png.length) return null;
    if (type === 'IHDR') {
      if (header || size < 13) return null;
      const interlace = png[start + 12];
      if (interlace !== 0) return null;
      header = {
        width: png.readUInt32BE(start),
        height: png.readUInt32BE(start + 4),
        bits: png[start + 8]!,
        colorType: png[start + 9]!,
      };
    } else if (type === 'IDAT') {
      idat.push(png.subarray(start, end));
    } else if (type === 'PLTE' || type === 'tRNS') {
      return null;
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = end + 4; // the CRC
  }
  if (!ended || !header || idat.length === 0) return null;
  const { width, height, bits, colorType } = header;
  if (colorType !== 0 && colorType !== 2) return null;
  if (![1, 2, 4, 8, 16].includes(bits) || width < 1 || height < 1) return null;
  if (colorType === 2 && bits < 8) return null;
  const colors = colorType === 2 ? 3 : 1;
  return {
    label,
    width,
    height,
    obj: null,
    embed(doc) {
      if (this.obj) return;
      // The same objects, in the same order, as pdfkit's PNGImage.embed for such a picture.
      const ref = (data: Record<string, unknown>): Ref => doc.ref(data) as unknown as Ref;
      const obj = ref({
        Type: 'XObject',
        Subtype: 'Image',
        BitsPerComponent: bits,
        Width: width,
        Height: height,
        Filter: 'FlateDecode',
      });
      this.obj = obj as unknown as PDFKit.PDFKitReference;
      const params = ref({ Predictor: 15, Colors: colors, BitsPerComponent: bits, Columns: width });
      obj.data.DecodeParms = params;
      params.end();
      obj.data.ColorSpace = colors === 3 ? 'DeviceRGB' : 'DeviceGray';
      // The compressed rows handed over as they are, in one piece.
      obj.end(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
      idat.length = 0;
    },
  };
}
