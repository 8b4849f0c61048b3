// Both PDFs are laid out twice: a first pass that writes nowhere counts the pages (for
// "Page X of Y", the contents and the index), then the real pass streams each block out as
// it is drawn, so memory stays bounded for thousands of exhibits.
import { setImmediate as tick } from 'node:timers/promises';
import type { PdfWriter } from './writer';

/** About how much is written at a time. */
const CHUNK = 64 * 1024;

/** One pass over a document: its writer, and its blocks (a yielded promise is work to await). */
export interface Pass<L> {
  readonly w: PdfWriter;
  blocks(): Generator<Promise<void> | undefined>;
  /** What the first pass learnt (page numbers) for the second. */
  layout(): L;
}

/**
 * Runs the counting pass, then streams the drawing pass in chunks of about 64 KiB.
 * `done` hears the first pass's layout before anything is streamed.
 */
export async function* twoPasses<L>(
  make: (planned: L | null) => Pass<L>,
  done?: (layout: L) => void,
): AsyncGenerator<Buffer> {
  const layout = await countingPass(make(null));
  done?.(layout);
  const pass = make(layout);
  const doc = pass.w.doc;
  const chunks: Buffer[] = [];
  let size = 0;
  doc.on('data', (c: Buffer) => {
    chunks.push(c);
    size += c.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  // pdfkit writes many small pieces (gathered into one) and a few big ones (a picture's data,
  // passed on as they are: a copy of every picture would only be more garbage to collect).
  const take = (): Buffer[] => {
    const out: Buffer[] = [];
    let small: Buffer[] = [];
    for (const c of chunks) {
      if (c.length < CHUNK) small.push(c);
      else {
        if (small.length) out.push(Buffer.concat(small));
        small = [];
        out.push(c);
      }
    }
    if (small.length) out.push(Buffer.concat(small));
    chunks.length = 0;
    size = 0;
    return out;
  };
  for (const pending of pass.blocks()) {
    if (pending) await pending;
    await tick(); // pdfkit emits 'data' asynchronously
    if (size >= CHUNK) yield* take();
  }
  doc.end();
  await ended;
  if (size > 0) yield* take();
}

/**
 * The first pass, in a function of its own so that its document (every page it counted) can
 * be collected before the second pass starts, rather than live on in the generator's scope.
 */
async function countingPass<L>(plan: Pass<L>): Promise<L> {
  for (const pending of plan.blocks()) {
    if (pending) await pending;
    // Yield the event loop now and then: the first pass is pure CPU.
    if (plan.w.blocks % 64 === 0) await tick();
  }
  return plan.layout();
}
