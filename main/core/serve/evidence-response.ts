/**
 * The answer to "give me item X's original (or preview), maybe a byte range of it", shared by
 * the Electron custom protocol and the loopback HTTP bridge. Plain Node, no Electron: each
 * transport turns an EvidenceResponse into its own response object and nothing more.
 *
 * What it promises:
 * - Nothing is served from a locked vault (423), and nothing but a full 26-character item id
 *   is looked up: no prefixes here, unlike the CLI (404 otherwise).
 * - Only types the window can show inline without running anything are served (see
 *   INLINE_TYPES); the rest get 403 and must be opened another way.
 * - Every response forbids caching, sniffing, script and cross-origin embedding, and carries no
 *   file name (names are evidence).
 * - The body is decrypted lazily from the age blob, touching only the 64 KiB chunks covering
 *   the range, each authenticated before a byte of it is sent. A damaged chunk ends the body
 *   with an error, never a short or altered body; so does locking the vault mid-stream.
 */
import type { AgeFileReader } from '../age';
import { DossierError, isDossierError } from '../errors';
import { ID_PATTERN } from '../ids';
import type { ItemDetail } from '../items/repository';
import type { Vault } from '../vault/vault';
import { parseRange } from './range';

export interface EvidenceResponse {
  status: 200 | 206 | 400 | 403 | 404 | 416 | 423;
  headers: Record<string, string>;
  /**
   * The body: decrypted bytes streamed chunk by chunk (authenticated per age chunk), or null
   * (every status but 200 and 206, and empty files). The blob is opened when iteration starts
   * and closed when it ends, fails, or is abandoned (`return()` on the iterator).
   */
  body: AsyncIterable<Buffer> | null;
  /**
   * Why there is no body, in plain words, for statuses other than 200 and 206. Not part of
   * the HTTP response (the body stays empty); for the transport's log or the window.
   */
  message?: string;
}

export type EvidenceKind = 'original' | 'thumbnail';

/**
 * Types served, mapped to the Content-Type sent. Images are raster only; SVG is a document
 * that can hold script, so it is refused like HTML. Audio and video are what Chromium's media
 * stack plays (file-type's names plus the common aliases). PDF is refused: in Electron it is
 * shown by the PDF viewer plugin (PDFium, with its own script engine) only when `plugins` are
 * enabled, which the window does not do; and the `sandbox` CSP below blocks plugins anyway.
 * A PDF preview belongs to the renderer's own viewer, fed page images, not to this protocol.
 */
const INLINE_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/png', 'image/png'],
  ['image/apng', 'image/apng'],
  ['image/jpeg', 'image/jpeg'],
  ['image/gif', 'image/gif'],
  ['image/webp', 'image/webp'],
  ['image/avif', 'image/avif'],
  ['image/bmp', 'image/bmp'],
  ['audio/mpeg', 'audio/mpeg'],
  ['audio/mp4', 'audio/mp4'],
  ['audio/x-m4a', 'audio/mp4'],
  ['audio/aac', 'audio/aac'],
  ['audio/ogg', 'audio/ogg'],
  ['audio/opus', 'audio/ogg'],
  ['audio/wav', 'audio/wav'],
  ['audio/x-wav', 'audio/wav'],
  ['audio/wave', 'audio/wav'],
  ['audio/flac', 'audio/flac'],
  ['audio/x-flac', 'audio/flac'],
  ['audio/webm', 'audio/webm'],
  ['video/mp4', 'video/mp4'],
  ['video/x-m4v', 'video/mp4'],
  ['video/webm', 'video/webm'],
  ['video/ogg', 'video/ogg'],
  ['video/quicktime', 'video/quicktime'],
  ['text/plain', 'text/plain; charset=utf-8'],
  // Read by the renderer as text (its email view parses and sanitises it): never rendered.
  ['message/rfc822', 'text/plain; charset=utf-8'],
  // An Outlook message is read as bytes by the same view (shared/outlook-msg.ts): never rendered.
  ['application/vnd.ms-outlook', 'application/octet-stream'],
  ['text/csv', 'text/plain; charset=utf-8'],
  ['text/markdown', 'text/plain; charset=utf-8'],
  ['text/calendar', 'text/plain; charset=utf-8'],
  ['text/vcard', 'text/plain; charset=utf-8'],
]);

/** Previews are always JPEG, made by sharp at import (see evidence/thumbnail.ts). */
export const THUMBNAIL_TYPE = 'image/jpeg';

const MESSAGE_TYPE = 'text/plain; charset=utf-8';

/** The Content-Type to serve for a stored MIME type, or null when it is not shown inline. */
export function inlineContentType(mime: string): string | null {
  // Stored types may carry parameters ("audio/ogg; codecs=opus"); judge the essence only.
  const essence = (mime.split(';')[0] ?? '').trim().toLowerCase();
  return INLINE_TYPES.get(essence) ?? null;
}

/** Sent with every response, whatever its status. */
function baseHeaders(): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // Opened as a document, a served file can never run script, load anything or submit.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Accept-Ranges': 'bytes',
  };
}

export function refusal(
  status: 400 | 403 | 404 | 416 | 423,
  message: string,
  extra: Record<string, string> = {},
): EvidenceResponse {
  return {
    status,
    headers: {
      ...baseHeaders(),
      'Content-Type': MESSAGE_TYPE,
      'Content-Length': '0',
      ...extra,
    },
    body: null,
    message,
  };
}

const LOCKED = 'The vault is locked. Unlock it to see evidence.';
const NOT_FOUND = 'There is no such item in this vault.';

/**
 * The item with exactly this id. `Vault.item` also accepts prefixes, so the id is checked
 * against the full pattern first and the answer against the id; null when there is none.
 * Throws LOCKED when the vault object has been locked.
 */
function exactItem(vault: Vault, itemId: string): ItemDetail | null {
  if (!ID_PATTERN.test(itemId)) return null;
  try {
    const item = vault.item(itemId);
    return item.id === itemId ? item : null;
  } catch (e) {
    if (isDossierError(e, 'NOT_FOUND') || isDossierError(e, 'USAGE')) return null;
    throw e;
  }
}

/**
 * Opens the blob once before answering, so a missing file, a damaged header or a wrong
 * length is a failure here rather than a 200 followed by a broken body. The size comes from
 * the file and is authenticated (the reader checks the final chunk on open).
 */
async function blobSize(vault: Vault, blobId: string, what: string): Promise<number> {
  let reader: AgeFileReader;
  try {
    reader = await vault.blobs.open(blobId);
  } catch (e) {
    throw new DossierError(
      'INTEGRITY',
      `The stored copy of ${what} is missing or damaged, so it was not opened (${(e as Error).message}). Run \`dossier check\` for a full report.`,
      { cause: e },
    );
  }
  const size = reader.size;
  await reader.close();
  return size;
}

/**
 * Decrypts [start, endExclusive) of a blob. The reader is opened on the first `next()` and
 * closed in `finally`, which runs when the body ends, fails, or is abandoned mid-way; an
 * iterator abandoned before its first `next()` never opened anything.
 */
async function* decrypt(
  vault: Vault,
  itemId: string,
  blobId: string,
  start: number,
  endExclusive: number,
): AsyncGenerator<Buffer, void, undefined> {
  vault.item(itemId); // throws LOCKED if the vault was locked since the response was made
  const reader = await vault.blobs.open(blobId);
  try {
    let sent = 0;
    for await (const piece of reader.stream({ start, end: endExclusive })) {
      // Locking the vault stops a body in flight (vault.item throws LOCKED once it is locked).
      vault.item(itemId);
      sent += piece.length;
      yield piece;
    }
    if (sent !== endExclusive - start) {
      throw new DossierError(
        'INTEGRITY',
        `The stored copy of item ${itemId} became shorter while being read (${sent} of ${endExclusive - start} bytes).`,
      );
    }
  } finally {
    await reader.close();
  }
}

/**
 * The response for `what` ('original' or 'thumbnail') of item `itemId`, honouring a single
 * byte range from `range` (the raw Range header value, or null).
 *
 * Rejects (the transport answers 500) when the blob is missing, its header is damaged, or
 * its length does not match the record; the body rejects on a damaged chunk.
 */
export async function evidenceResponse(
  vault: Vault | null,
  itemId: string,
  what: EvidenceKind,
  range: string | null,
): Promise<EvidenceResponse> {
  if (vault === null) return refusal(423, LOCKED);
  if ((what as string) !== 'original' && (what as string) !== 'thumbnail') {
    return refusal(400, 'Ask for "original" or "thumbnail".');
  }

  let item: ItemDetail | null;
  try {
    item = exactItem(vault, itemId);
  } catch (e) {
    if (isDossierError(e, 'LOCKED')) return refusal(423, LOCKED);
    throw e;
  }
  if (item === null) return refusal(404, NOT_FOUND);

  let blobId: string;
  let contentType: string;
  if (what === 'thumbnail') {
    if (item.thumbnailBlobId === null) return refusal(404, 'This item has no preview.');
    blobId = item.thumbnailBlobId;
    contentType = THUMBNAIL_TYPE;
  } else {
    const type = inlineContentType(item.mime);
    if (type === null) {
      return refusal(
        403,
        'This kind of file is not shown in the window, so that nothing in it can run. Open it another way, for example by exporting it.',
      );
    }
    // A row rewritten to match a forged blob no longer matches its ingest entry.
    vault.assertContentAsIngested(item.id, `the original of item ${item.id}`);
    blobId = item.blobId;
    contentType = type;
  }

  const label = `the ${what === 'thumbnail' ? 'preview' : 'original'} of item ${item.id}`;
  const size = await blobSize(vault, blobId, label);
  if (what === 'original' && size !== item.size) {
    throw new DossierError(
      'INTEGRITY',
      `The stored copy of ${label} is ${size} bytes, not the ${item.size} recorded at import, so it was not opened. Run \`dossier check\` for a full report.`,
    );
  }

  const id = item.id;
  return rangedResponse(size, range, contentType, (start, endExclusive) => ({
    [Symbol.asyncIterator]: () => decrypt(vault, id, blobId, start, endExclusive),
  }));
}

/**
 * A whole file or the byte range asked for (206), or 416 for a range outside it: the one
 * place the headers are made, for a vault's files and a bundle's under review alike.
 */
export function rangedResponse(
  size: number,
  range: string | null,
  contentType: string,
  body: (start: number, endExclusive: number) => AsyncIterable<Buffer>,
): EvidenceResponse {
  const wanted = parseRange(range, size);
  if (wanted.kind === 'unsatisfiable') {
    return refusal(416, 'The requested range is outside the file.', {
      'Content-Range': `bytes */${size}`,
    });
  }
  const [status, start, end] =
    wanted.kind === 'partial'
      ? ([206, wanted.start, wanted.end] as const)
      : ([200, 0, size - 1] as const);
  const length = end - start + 1;
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'Content-Type': contentType,
    'Content-Length': String(length),
    // No file name: names are evidence and must not leak into headers or downloads.
    'Content-Disposition': 'inline',
  };
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  return { status, headers, body: length <= 0 ? null : body(start, end + 1) };
}
