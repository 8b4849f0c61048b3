// A zip read in place from a store that can give byte ranges (the vault's encrypted blob), so
// an export of any size opens without being held in memory (docs/conversations.md, "Archives").
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Reads `[start, endExclusive)`; may return fewer bytes only at the end of the file. */
export type ReadRange = (start: number, endExclusive: number) => Promise<Uint8Array>;

export interface RangeSource {
  size: number;
  readRange: ReadRange;
}

const PIECE = 1024 * 1024;

/** yauzl's random-access reader over a ReadRange, in 1 MiB pieces. */
export class ByteRangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly readRange: ReadRange) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let at = start;
    const readRange = this.readRange;
    return new Readable({
      read() {
        if (at >= end) {
          this.push(null);
          return;
        }
        const stop = Math.min(end, at + PIECE);
        readRange(at, stop).then(
          (piece) => {
            if (piece.length === 0) {
              this.destroy(new Error(`the file ends before byte ${at}`));
              return;
            }
            at += piece.length;
            this.push(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
          },
          (e: unknown) => this.destroy(e instanceof Error ? e : new Error(String(e))),
        );
      },
    });
  }
}

/** Opens a zip from a RangeSource with yauzl's options. */
export function zipFromRanges(source: RangeSource, options: yauzl.Options): Promise<yauzl.ZipFile> {
  return yauzl.fromRandomAccessReaderPromise(
    new ByteRangeReader(source.readRange),
    source.size,
    options,
  );
}
