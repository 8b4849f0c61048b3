// The one EXIF fact a copy without metadata keeps: which way up the picture is shown
// (docs/redaction.md). Without it a portrait photo would be shown on its side.

/** Orientation (EXIF tag 0x0112, 1–8) in a TIFF structure, or null when it has none. */
export function tiffOrientation(tiff: Uint8Array): number | null {
  const b = Buffer.from(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (b.length < 8) return null;
  const order = b.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > b.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > b.length) return null;
    if (u16(at) !== 0x0112) continue;
    // SHORT, one value, held in the first two bytes of the value field.
    if (u16(at + 2) !== 3 || u32(at + 4) !== 1) return null;
    const v = u16(at + 8);
    return v >= 1 && v <= 8 ? v : null;
  }
  return null;
}

/** A TIFF structure holding the orientation and nothing else (26 bytes, big-endian). */
export function orientationOnlyTiff(orientation: number): Buffer {
  const b = Buffer.alloc(26);
  b.write('MM', 0, 'latin1');
  b.writeUInt16BE(42, 2);
  b.writeUInt32BE(8, 4); // IFD0 right after the header
  b.writeUInt16BE(1, 8); // one entry
  b.writeUInt16BE(0x0112, 10);
  b.writeUInt16BE(3, 12); // SHORT
  b.writeUInt32BE(1, 14);
  b.writeUInt16BE(orientation, 18);
  b.writeUInt32BE(0, 22); // no next IFD
  return b;
}
