import { createHash, sign, type KeyObject } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { partialName } from '../bagit/partial-name';
import { folderSink, zipSink, type BagSink } from '../bagit/sink';
import { BagWriter } from '../bagit/writer';
import type { BlobStore } from '../blobs/store';
import type { CaseRepository } from '../cases/repository';
import type { ConversationRepository } from '../conversations/repository';
import type { CustodyLog } from '../custody/log';
import { isAgeError } from '../age';
import { bundlePagesWarning } from '../../../shared/bundle-pages';
import { displayName } from '../../../shared/display-name';
import {
  hasLocationFields,
  withoutLocationFields,
  type LocationChoice,
} from '../../../shared/location-fields';
import { machineTimeZone } from '../../../shared/course-of-conduct';
import {
  DEFAULT_EXHIBIT_STYLE,
  exhibitLabel,
  exhibitPrefixProblem,
  exhibitStyleProblem,
  type ExhibitStyle,
} from '../../../shared/exhibit-prefix';
import { DossierError } from '../errors';
import { asIoError } from '../fs-safety';
import type { Region } from '../items/annotations';
import type { ItemDetail, ItemRepository } from '../items/repository';
import type { OcrReading } from '../ocr/queue';
import type { CopyRow } from '../redaction/disclosure-records';
import { bundleCustody, custodyJsonl } from './custody-bundle';
import { disclosureChoice, filesOfWithheldOriginals, type DisclosureChoice } from './disclosure';
import type { ExportsInProgress } from './in-progress';
import {
  annotationsJson,
  incidentsCsv,
  itemsCsv,
  itemsJson,
  messagesJson,
  peopleCsv,
  recognisedTextJson,
  redactionsCsv,
  sourcesJson,
} from './metadata-files';
import type {
  CustodyRecord,
  Exhibit,
  ExhibitPreview,
  ExhibitRecognisedText,
  ExportModel,
  ScheduleEntry,
  TranscriptMessage,
} from './model';
import { readExhibitContent, type OriginalReader } from './bundle/read-content';
import { countBundlePdfPages, renderBundlePdf, type BundleContent } from './pdf/bundle';
import { renderReportPdf } from './report-pdf';
import { exhibitFileStem, exhibitNumberWidth, SafeNamer } from './safe-name';
import { verifyText } from './verify-text';
import { renderViewerHtml } from './viewer';

export type ExportSelection =
  { all: true } | { itemIds: string[] } | { tags: string[] } | { incidentIds: string[] };

export interface ExportOptions {
  /** A folder to create the bundle in, or the bundle's own path. */
  out: string;
  format: 'dir' | 'zip';
  /** With format 'zip': encrypt the zip to this passphrase (age scrypt) as .zip.age. */
  encryptPassphrase?: string;
  selection: ExportSelection;
  /**
   * Messages to print in the transcripts besides those linked to the exported incidents; their
   * conversations are exported with them.
   */
  messageIds?: string[];
  exhibitPrefix?: string;
  /** "JD1" (the default, as courts expect) or "JD/1". */
  exhibitStyle?: ExhibitStyle;
  caseName?: string;
  exporter?: string;
  /**
   * Give the full paths the exhibits were imported from (data/metadata/sources.json, and old
   * custody entries that hold one). Default false: file and folder names only.
   */
  fullPaths?: boolean;
  /**
   * What to do with the location the exported items record (GPS in a photo's EXIF): leave it
   * out of everything Dossier writes about them, or print it. Required when any item records
   * one (NEEDS_CHOICE otherwise, before anything is written); the original files keep theirs.
   */
  location?: LocationChoice;
  /**
   * Export for disclosure (docs/redaction.md, "Disclosure"): each item with a copy made for
   * disclosure is represented by that copy, its original withheld and listed in the redaction
   * schedule. The location is then withheld unless `location` says otherwise.
   */
  disclosure?: boolean;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /**
   * What the court bundle (data/report/bundle.pdf) shows of each exhibit after its cover
   * sheet, read from the original (main/core/export/bundle/). Default: exhibitContentOf.
   */
  bundleContent?: BundleContent;
}

export interface ExportProgress {
  itemsDone: number;
  itemsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ExportResult {
  path: string;
  format: 'dir' | 'zip' | 'zip.age';
  exhibits: { number: string; itemId: string; sha256: string; bagPath: string }[];
  payloadBytes: number;
  tagManifestSha256: string;
  fingerprint: string;
  /** Plain-words notes for the person, e.g. an interrupted export's leftovers were removed. */
  warnings: string[];
  /** How many pages the court bundle (data/report/bundle.pdf) has. */
  bundlePages: number;
  /** How many messages the transcripts print (data/metadata/messages.json). */
  messages: number;
  /** How many exhibits record a location, and what was done with it (null: none did). */
  location: { items: number; choice: LocationChoice | null };
  /** A disclosure export: how many originals were withheld, each represented by a copy. */
  disclosure: { withheld: number } | null;
}

/** An item of an export that records where it was (located items), as the person sees it. */
export interface LocatedItem {
  itemId: string;
  /** Its exhibit label in the export, e.g. "JD3". */
  number: string;
  name: string;
}

export interface ExportDeps {
  items: ItemRepository;
  /** Region marks of an item, boxes in millionths, in the order they were made. */
  regionsOf: (itemId: string) => readonly Region[];
  /** The text recognised in a picture (ocr/queue.ts), or null for an item never queued. */
  readingOf: (itemId: string) => OcrReading | null;
  cases: CaseRepository;
  conversations: ConversationRepository;
  blobs: BlobStore;
  custody: CustodyLog;
  vaultId: string;
  signingKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
  software: { name: string; version: string };
  /** The vault folder: nothing is ever exported into it. */
  vaultDir: string;
  /** Throws INTEGRITY when an item's row no longer matches its ingest entry (a forged row). */
  assertAsIngested: (itemId: string, what: string) => void;
  exports: ExportsInProgress;
  /** The copies made for disclosure that are in the vault (a disclosure export reads them). */
  copyRows: () => CopyRow[];
}

// Letters, digits, dot, underscore and dash: a bag name that needs no quoting in a shell.
const NOT_NAME = /[^\p{L}\p{N}._-]+/gu;

/**
 * The items an export takes, in order, and for a disclosure export which copies stand for
 * which withheld originals.
 */
function exportedItems(
  deps: ExportDeps,
  opts: Pick<ExportOptions, 'selection' | 'messageIds' | 'disclosure'>,
): { items: ItemDetail[]; disclosure: DisclosureChoice | null } {
  const items = selectedItems(deps, opts.selection, opts.messageIds);
  if (!opts.disclosure) return { items, disclosure: null };
  const disclosure = disclosureChoice(items, deps.copyRows(), (id) => deps.items.get(id));
  assertScheduleAsLogged(deps, disclosure);
  return { items: disclosure.items, disclosure };
}

/**
 * The schedule says what each copy's `derive` entry recorded, or the export stops: a
 * `redactions` row changed behind Dossier's back (other reasons, other boxes, another original)
 * must never be certified to a court. Each step's entry must name the original and the copy
 * with their SHA-256s as they are, and the same areas (or what was taken out). The time of
 * each copy is its entry's.
 */
function assertScheduleAsLogged(deps: ExportDeps, disclosure: DisclosureChoice): void {
  if (disclosure.schedule.size === 0) return;
  const bySeq = new Map(deps.custody.entriesWith(['derive']).map((e) => [e.seq, e]));
  for (const s of disclosure.schedule.values()) {
    for (const step of s.steps) {
      const e = bySeq.get(step.custodySeq);
      const d = (e?.details ?? {}) as {
        original?: { sha256?: unknown };
        copy?: { sha256?: unknown };
        boxes?: unknown;
        spans?: unknown;
        areas?: unknown;
        removed?: unknown;
      };
      const copy = deps.items.get(step.itemId);
      const original = deps.items.get(step.originalId);
      const areas = d.boxes ?? d.spans ?? d.areas;
      const logged =
        e !== undefined &&
        e.subjects[0] === step.originalId &&
        e.subjects[1] === step.itemId &&
        d.original?.sha256 === original.sha256 &&
        d.copy?.sha256 === copy.sha256 &&
        (areas === undefined ? step.areas.length === 0 : isDeepStrictEqual(areas, step.areas)) &&
        (d.removed === undefined
          ? step.removed.length === 0
          : isDeepStrictEqual(d.removed, step.removed));
      if (!logged) {
        throw new DossierError(
          'INTEGRITY',
          `The record of the copy "${copy.name}" no longer matches the custody entry made with it, so its redaction schedule cannot be trusted. Nothing was exported; run \`dossier check\`.`,
        );
      }
      if (step === s.steps[s.steps.length - 1]) s.madeAt = e!.at;
    }
  }
}

/** The items an export takes; USAGE in words when the selection matched none. */
function selectedItems(
  deps: ExportDeps,
  selection: Parameters<typeof selectItems>[1],
  messageIds: Parameters<typeof selectItems>[2],
): ReturnType<typeof selectItems> {
  const items = selectItems(deps, selection, messageIds);
  if (items.length === 0) {
    throw new DossierError(
      'USAGE',
      'Nothing to export: the selection matched no items. Check the ids, tags or incidents.',
    );
  }
  return items;
}

/**
 * Builds the evidence bundle: byte-identical originals streamed out of their blobs and
 * checked against the SHA-256 recorded at import, metadata, the PDF report, the offline
 * viewer, BagIt manifests, and an Ed25519 signature over the tag manifest. It is written
 * under a temporary name and only renamed into place when complete; the export is then
 * recorded in the custody log with the tag-manifest hash.
 */
export async function exportBundle(deps: ExportDeps, opts: ExportOptions): Promise<ExportResult> {
  const { items, disclosure } = exportedItems(deps, opts);
  const now = new Date();
  const exportedAt = now.toISOString();
  const { caseName, prefix, style } = labelling(opts);
  const located = new Set(items.filter(recordsLocation).map((i) => i.id));
  // A disclosure bundle withholds the location unless the person chose to include it.
  const location = locationChoice(
    { location: opts.location ?? (opts.disclosure ? 'withheld' : undefined) },
    located.size,
  );
  const bagName = `${
    caseName
      .replace(NOT_NAME, '-')
      .replace(/^[-. ]+|[-. ]+$/g, '')
      .slice(0, 60) || 'Evidence'
  }-${exportedAt.slice(0, 10).replace(/-/g, '')}`;
  const { path, format } = await bundlePath(opts, bagName, deps.vaultDir);
  // What an interrupted export left in this folder goes before a new one starts.
  const warnings = await deps.exports.removeInterrupted({ folder: dirname(path) });

  let writer: BagWriter | null = null;
  const partialPath = partialName(path);
  deps.exports.begin(partialPath, path);
  let sink: BagSink;
  try {
    sink =
      opts.format === 'dir'
        ? await folderSink(path, { partialPath })
        : await zipSink(path, { encryptToPassphrase: opts.encryptPassphrase, partialPath });
  } catch (e) {
    deps.exports.end(partialPath);
    throw e;
  }
  let committed = false;
  try {
    const progress: ExportProgress = {
      itemsDone: 0,
      itemsTotal: items.length,
      bytesDone: 0,
      bytesTotal: items.reduce((n, i) => n + i.size, 0),
    };
    opts.onProgress?.({ ...progress });
    writer = new BagWriter(sink, {
      bagInfo: [
        ['Source-Organization', 'Dossier (self-produced evidence bundle)'],
        ['Contact-Name', opts.exporter?.trim() || 'Not given'],
        [
          'External-Description',
          `Evidence bundle for ${caseName}: ${items.length} exhibit(s) with report, metadata and custody log.`,
        ],
        ['External-Identifier', bagName],
        ['Bag-Software-Agent', `${deps.software.name} ${deps.software.version}`],
        ['Case-Name', caseName],
        ['Exhibit-Prefix', prefix],
        ['Signing-Key-Fingerprint', deps.fingerprint],
      ],
      baggingDate: exportedAt.slice(0, 10),
    });

    // 1. Originals, byte-identical, each re-checked against its import hash as it streams.
    const exhibits: Exhibit[] = [];
    const textHashes = recordedTextHashes(deps);
    const { numberOf, bagPaths } = exhibitPlaces(items, prefix, style);
    for (const [index, item] of items.entries()) {
      if (opts.signal?.aborted)
        throw new DossierError('USAGE', 'The export was cancelled; nothing was left behind.');
      const number = numberOf.get(item.id)!;
      const bagPath = bagPaths[index]!;
      const damaged = (e: unknown): DossierError =>
        new DossierError(
          'INTEGRITY',
          `Exhibit ${number} (${item.name}) could not be read from the vault: ${(e as Error).message}. Run \`dossier check\`; nothing was exported.`,
          { cause: e },
        );
      // A row rewritten with the revealed keys, and a forged file to match, is never exported.
      deps.assertAsIngested(item.id, `exhibit ${number} (${item.name})`);
      let reader;
      try {
        reader = await deps.blobs.open(item.blobId);
      } catch (e) {
        throw isAgeError(e) ? damaged(e) : asIoError(e, deps.blobs.path(item.blobId));
      }
      let hashes;
      try {
        // Big files are decrypted straight into the hash worker's shared slots: no copies.
        const slots = writer.payloadBuffers(item.size);
        hashes = await writer.addPayload(
          bagPath,
          countBytes(slots ? reader.streamInto(slots) : reader.stream(), (n) => {
            progress.bytesDone += n;
            opts.onProgress?.({ ...progress });
          }),
          item.size,
        );
      } catch (e) {
        // A damaged blob is an integrity problem; anything else (a full disk) is what it is.
        throw isAgeError(e) ? damaged(e) : asIoError(e, path);
      } finally {
        await reader.close();
      }
      if (hashes.sha256 !== item.sha256) {
        throw new DossierError(
          'INTEGRITY',
          `Exhibit ${number} (${item.name}) no longer matches the SHA-256 recorded at import. Nothing was exported; run \`dossier check\`.`,
        );
      }
      exhibits.push(
        await exhibitOf(
          deps,
          item,
          number,
          bagPath,
          hashes.sha512,
          numberOf,
          textHashes,
          location,
          disclosure,
        ),
      );
      progress.itemsDone++;
      opts.onProgress?.({ ...progress });
    }

    // 2. Metadata.
    const checkpoint = deps.custody.checkpoint(deps.vaultId, deps.signingKey);
    const items_json = itemsJson(exhibits);
    const { model, custody } = exportModel(deps, opts, {
      now,
      caseName,
      prefix,
      exhibits,
      numberOf,
      checkpoint,
      evidenceIndexSha256: createHash('sha256').update(items_json).digest('hex'),
      disclosure,
    });
    const manifest: { path: string; sha256: string }[] = exhibits.map((e) => ({
      path: e.bagPath,
      sha256: e.sha256,
    }));
    const addMeta = async (
      rel: string,
      text: string | Buffer | AsyncIterable<Buffer>,
    ): Promise<void> => {
      const data = typeof text === 'string' ? Buffer.from(text) : text;
      const h = await writer!.addPayload(rel, data);
      manifest.push({ path: rel, sha256: h.sha256 });
    };
    await addMeta('data/metadata/items.json', items_json);
    await addMeta('data/metadata/items.csv', itemsCsv(exhibits));
    await addMeta('data/metadata/incidents.csv', incidentsCsv(model));
    await addMeta('data/metadata/people.csv', peopleCsv(model));
    await addMeta('data/metadata/annotations.json', annotationsJson(exhibits));
    await addMeta('data/metadata/messages.json', messagesJson(model));
    await addMeta('data/metadata/recognised-text.json', recognisedTextJson(exhibits));
    if (model.disclosure)
      await addMeta('data/metadata/redactions.csv', redactionsCsv(model.disclosure.schedule));
    await addMeta(
      'data/metadata/custody.jsonl',
      custodyJsonl(custody, checkpoint && { ...checkpoint, vaultId: deps.vaultId }),
    );
    if (opts.fullPaths) {
      await addMeta(
        'data/metadata/sources.json',
        sourcesJson(
          exhibits.map((e) => ({
            exhibit: e.number,
            itemId: e.itemId,
            sources: deps.items.exportSources(e.itemId),
          })),
        ),
      );
    }
    // 3. The report and the viewer (last: it carries every other payload file's hash).
    await addMeta('data/report/report.pdf', renderReportPdf(model));
    const bundle = renderBundlePdf(model, {
      content: opts.bundleContent ?? exhibitContentOf(deps, items),
    });
    await addMeta('data/report/bundle.pdf', bundle.chunks);
    const bundlePages = bundle.pages ?? 0;
    if (model.disclosure?.schedule.length === 0)
      warnings.push(
        'Made for disclosure, but no exported item has a redacted copy or a copy without location, so every exhibit is an original and nothing was withheld. Make the copies in the item view first.',
      );
    if (disclosure) {
      const inside = filesOfWithheldOriginals(disclosure, (id) => deps.items.get(id));
      if (inside.length)
        warnings.push(
          `Made for disclosure, but ${inside.length === 1 ? '1 file that came inside a withheld original goes' : `${inside.length} files that came inside withheld originals go`} out whole, as selected: ${inside
            .slice(0, 5)
            .map((x) => `${displayName(x.item.name)} (from ${displayName(x.parent.name)})`)
            .join(
              ', ',
            )}${inside.length > 5 ? ', …' : ''}. Check them before sending the bundle; to disclose one covered, make a redacted copy of it and export again.`,
        );
    }
    const long = bundlePagesWarning(bundlePages, 'after');
    if (long) warnings.push(long);
    await addMeta('data/viewer/index.html', renderViewerHtml(model, manifest));

    // 4. Tag files, manifests, signature.
    await writer.addTagFile('signature/dossier-public-key.pem', Buffer.from(deps.publicKeyPem));
    await writer.addTagFile(
      'VERIFY.txt',
      Buffer.from(
        verifyText({
          caseName,
          bagName: basename(path).replace(/\.zip(\.age)?$/, ''),
          fingerprint: deps.fingerprint,
          exhibits: exhibits.length,
          exportedAt,
          messages: model.messages?.length ?? 0,
          location: { items: located.size, choice: location },
        }),
      ),
    );
    const { tagManifest, tagManifestSha256 } = await writer.finish();
    await writer.addUnlistedTagFile(
      'signature/tagmanifest-sha256.txt.sig',
      sign(null, tagManifest, deps.signingKey),
    );
    if (opts.signal?.aborted)
      throw new DossierError('USAGE', 'The export was cancelled; nothing was left behind.');
    const finalPath = await sink.commit();
    committed = true;
    try {
      deps.exports.end(partialPath);
    } catch {
      // The bundle is in place; a record left behind is dropped at the next unlock.
    }

    deps.custody.append(
      'export',
      items.map((i) => i.id),
      {
        bundle: basename(finalPath),
        format,
        exhibits: exhibits.map((e) => ({ number: e.number, item: e.itemId, sha256: e.sha256 })),
        tagManifestSha256,
        caseName,
        // The transcripts: how many messages, and the hash of the file that lists their spans.
        ...(model.messages?.length
          ? {
              messages: {
                count: model.messages.length,
                sha256: manifest.find((m) => m.path === 'data/metadata/messages.json')?.sha256,
              },
            }
          : {}),
        // Whether the report, metadata and viewer print the location some exhibits record.
        locatedItems: located.size,
        ...(location ? { location } : {}),
        // For disclosure: each original withheld (its hash) and the copy exported for it.
        ...(model.disclosure
          ? {
              disclosure: {
                withheld: model.disclosure.schedule.map((e) => ({
                  original: e.originalItemId,
                  sha256: e.originalSha256,
                  copy: e.itemId,
                  exhibit: e.exhibit,
                })),
                sha256: manifest.find((m) => m.path === 'data/metadata/redactions.csv')?.sha256,
              },
            }
          : {}),
      },
    ); // signed in the same transaction (CustodyLog: every export entry is)
    return {
      path: finalPath,
      format,
      exhibits: exhibits.map((e) => ({
        number: e.number,
        itemId: e.itemId,
        sha256: e.sha256,
        bagPath: e.bagPath,
      })),
      payloadBytes: progress.bytesDone,
      tagManifestSha256,
      fingerprint: deps.fingerprint,
      warnings,
      bundlePages,
      messages: model.messages?.length ?? 0,
      location: { items: located.size, choice: location },
      disclosure: model.disclosure ? { withheld: model.disclosure.schedule.length } : null,
    };
  } catch (e) {
    if (!committed) {
      // Forgotten only once it is gone; otherwise the next unlock removes it.
      const gone = await sink.abort().then(
        () => true,
        () => false,
      );
      if (gone) deps.exports.end(partialPath);
    }
    throw e;
  } finally {
    await writer?.dispose();
  }
}

/** What decides how many pages the court bundle has: the items chosen and how they are labelled. */
export type BundlePagesOptions = Pick<
  ExportOptions,
  | 'selection'
  | 'messageIds'
  | 'exhibitPrefix'
  | 'exhibitStyle'
  | 'caseName'
  | 'exporter'
  | 'fullPaths'
  | 'bundleContent'
  | 'location'
  | 'disclosure'
>;

/**
 * How many pages the court bundle of an export with these options would have, without writing
 * anything: the bundle's first (counting) pass, over the same model the export builds. Emails
 * and text files are read from their blobs (their length decides their pages); pictures are
 * not decoded, as their size is known. Hashes an export computes as it copies (SHA-512, the
 * evidence index's) are stood in for by strings of the same length, which lay out the same.
 */
export async function countBundlePages(
  deps: ExportDeps,
  opts: BundlePagesOptions,
): Promise<number> {
  const { items, disclosure } = exportedItems(deps, opts);
  const now = new Date();
  const { caseName, prefix, style } = labelling(opts);
  const { numberOf, bagPaths } = exhibitPlaces(items, prefix, style);
  const exhibits: Exhibit[] = [];
  const textHashes = recordedTextHashes(deps);
  for (const [index, item] of items.entries()) {
    const number = numberOf.get(item.id)!;
    exhibits.push(
      await exhibitOf(
        deps,
        item,
        number,
        bagPaths[index]!,
        '0'.repeat(128),
        numberOf,
        textHashes,
        // Counting needs no choice: without one it counts as withheld, the wizard's default.
        recordsLocation(item) ? (opts.location ?? 'withheld') : null,
        disclosure,
      ),
    );
  }
  // The export signs a checkpoint of the head; counting must write nothing, so it stands in
  // one of the same shape (an Ed25519 signature is always 64 bytes).
  const head = deps.custody.head();
  const checkpoint = head && {
    seq: head.seq,
    head: head.hash,
    signedAt: now.toISOString(),
    signature: Buffer.alloc(64).toString('base64'),
  };
  const { model } = exportModel(deps, opts, {
    now,
    caseName,
    prefix,
    exhibits,
    numberOf,
    checkpoint,
    evidenceIndexSha256: '0'.repeat(64),
    disclosure,
  });
  return countBundlePdfPages(model, {
    content: opts.bundleContent ?? exhibitContentOf(deps, items),
  });
}

/**
 * The items of an export with these choices that record where they were (GPS in a photo's
 * EXIF), with the labels the export would give them: what the person is asked about before
 * writing. Nothing is read but the vault's records.
 */
export function locatedItems(
  deps: ExportDeps,
  opts: Pick<
    ExportOptions,
    'selection' | 'messageIds' | 'exhibitPrefix' | 'exhibitStyle' | 'disclosure'
  >,
): LocatedItem[] {
  const { items } = exportedItems(deps, opts);
  const { prefix, style } = labelling(opts);
  const { numberOf } = exhibitPlaces(items, prefix, style);
  return items
    .filter(recordsLocation)
    .map((i) => ({ itemId: i.id, number: numberOf.get(i.id)!, name: i.name }));
}

/**
 * In a disclosure export: the exported copies whose originals record where they were (GPS),
 * with their labels. The originals are withheld and the copies hold no location: what the
 * person is told, so that she knows those photos go out without it.
 */
export function locatedOriginalsWithheld(
  deps: ExportDeps,
  opts: Pick<
    ExportOptions,
    'selection' | 'messageIds' | 'exhibitPrefix' | 'exhibitStyle' | 'disclosure'
  >,
): LocatedItem[] {
  const { items, disclosure } = exportedItems(deps, opts);
  if (!disclosure) return [];
  const { prefix, style } = labelling(opts);
  const { numberOf } = exhibitPlaces(items, prefix, style);
  return items
    .filter((i) => {
      const s = disclosure.schedule.get(i.id);
      return s !== undefined && recordsLocation(deps.items.get(s.original.id));
    })
    .map((i) => ({ itemId: i.id, number: numberOf.get(i.id)!, name: i.name }));
}

/**
 * Whether an item records where it was: flagged at import (a GPS position was read), or any
 * location field in its EXIF, as the app's item view decides (renderer Details).
 */
export function recordsLocation(item: ItemDetail): boolean {
  if (item.sensitive.includes('gps')) return true;
  return hasLocationFields(exifTagsOf(item));
}

function exifTagsOf(item: ItemDetail): Record<string, unknown> | null {
  const exif = (item.metadata as { exif?: { tags?: Record<string, unknown> } | null }).exif;
  return exif?.tags ?? null;
}

/** The choice an export makes for its located items; NEEDS_CHOICE when one is needed and missing. */
function locationChoice(
  opts: Pick<ExportOptions, 'location'>,
  located: number,
): LocationChoice | null {
  if (located === 0) return opts.location ?? null;
  if (opts.location) return opts.location;
  throw new DossierError(
    'NEEDS_CHOICE',
    `${located === 1 ? '1 item records' : `${located} items record`} where ${located === 1 ? 'it was' : 'they were'} taken (GPS). Choose whether the bundle's report, metadata and viewer leave the location out ("withheld") or print it ("included"). Nothing was exported.`,
  );
}

/** The case name, exhibit prefix and label style an export uses; a bad prefix is refused. */
function labelling(opts: Pick<ExportOptions, 'caseName' | 'exhibitPrefix' | 'exhibitStyle'>): {
  caseName: string;
  prefix: string;
  style: ExhibitStyle;
} {
  const caseName = (opts.caseName ?? '').trim() || 'Evidence';
  const prefix = exhibitPrefix(opts.exhibitPrefix);
  const style = opts.exhibitStyle ?? DEFAULT_EXHIBIT_STYLE;
  const styleProblem = exhibitStyleProblem(prefix, style);
  if (styleProblem) throw new DossierError('USAGE', styleProblem);
  return { caseName, prefix, style };
}

/**
 * Each item's exhibit label, and its file's path in the bag, in export order. A file taken out
 * of an exported item (an email's attachment, a chat's photo) is a sub-exhibit under its
 * parent's label: JD4.1, JD4.2 … (selectItems puts it right after its parent).
 */
function exhibitPlaces(
  items: readonly ItemDetail[],
  prefix: string,
  style: ExhibitStyle,
): { numberOf: Map<string, string>; bagPaths: string[] } {
  const namer = new SafeNamer();
  const numberOf = new Map<string, string>();
  const stemOf = new Map<string, string>();
  const children = new Map<string, number>();
  const ids = new Set(items.map((i) => i.id));
  const width = exhibitNumberWidth(items.filter((i) => subExhibitParent(i, ids) === null).length);
  let top = 0;
  const bagPaths = items.map((item) => {
    const parent = subExhibitParent(item, ids);
    let stem: string;
    if (parent !== null) {
      const k = (children.get(parent) ?? 0) + 1;
      children.set(parent, k);
      numberOf.set(item.id, `${numberOf.get(parent)!}.${k}`);
      stem = `${stemOf.get(parent)!}.${k}`;
    } else {
      top++;
      numberOf.set(item.id, exhibitLabel(prefix, top, style));
      stem = exhibitFileStem(`${prefix}/${top}`, width);
    }
    stemOf.set(item.id, stem);
    // Originals under data/evidence/, redactions and other derivatives under data/derived/.
    const folder = item.derivedFrom ? 'derived' : 'evidence';
    // Named from the original name, for fidelity; a later name given in the vault is in items.json.
    return `data/${folder}/${namer.name(`${stem}_`, item.originalName ?? item.name)}`;
  });
  return { numberOf, bagPaths };
}

/** Operations whose results are part of their parent (a file inside it), labelled under it. */
const SUB_EXHIBIT_OPS = new Set(['media', 'attachment']);

/** The exported item this one is a sub-exhibit of, or null. */
function subExhibitParent(item: ItemDetail, exported: ReadonlySet<string>): string | null {
  const d = item.derivedFrom;
  if (!d || !SUB_EXHIBIT_OPS.has(d.operation)) return null;
  return exported.has(d.parentId) ? d.parentId : null;
}

/** The export model (what the report, the court bundle and the viewer show) of these exhibits. */
function exportModel(
  deps: ExportDeps,
  opts: Pick<ExportOptions, 'selection' | 'messageIds' | 'exporter' | 'fullPaths'>,
  made: {
    now: Date;
    caseName: string;
    prefix: string;
    exhibits: Exhibit[];
    numberOf: Map<string, string>;
    checkpoint: ExportModel['checkpoint'];
    evidenceIndexSha256: string;
    disclosure: DisclosureChoice | null;
  },
): { model: ExportModel; custody: ReturnType<typeof bundleCustody> } {
  const { now, caseName, prefix, exhibits, checkpoint, disclosure } = made;
  const exportedAt = now.toISOString();
  // A withheld original is shown by the copy exported for it (its exhibit number).
  const numberOf = new Map(made.numberOf);
  for (const [withheld, copy] of disclosure?.standsFor ?? [])
    if (numberOf.has(copy)) numberOf.set(withheld, numberOf.get(copy)!);
  const exportedIds = new Set(numberOf.keys());
  // An incident is in the bundle when it points at an exported item, or at a message of an
  // exported conversation, or was chosen.
  const incidents = deps.cases
    .incidents()
    .filter(
      (inc) =>
        inc.itemIds.some((id) => exportedIds.has(id)) ||
        inc.messages.some((m) => exportedIds.has(m.conversationId)) ||
        ('incidentIds' in opts.selection && opts.selection.incidentIds.includes(inc.id)),
    );
  const messages = transcriptMessages(deps, exhibits, incidents, opts.messageIds ?? []);
  const inTranscript = new Set(messages.map((m) => m.id));
  const personIds = new Set([
    ...incidents.flatMap((i) => i.personIds),
    ...exhibits.flatMap((e) => e.personIds),
  ]);
  const people = deps.cases.people().filter((p) => personIds.has(p.id));
  // The custody log shows the exhibits' entries, never a withheld original's (its name, notes
  // and metadata are in them): only what is exported is visible.
  const visible = new Set<string>([
    ...exhibits.map((e) => e.itemId),
    ...incidents.map((i) => i.id),
    ...personIds,
  ]);
  const keep = (e: CustodyRecord): boolean =>
    e.subjects.some((s) => visible.has(s)) ||
    ['create', 'unlock', 'lock', 'key-change', 'export'].includes(e.action);
  const custody = bundleCustody(deps.custody.entries(), keep, {
    fullPaths: opts.fullPaths === true,
  });

  const model: ExportModel = {
    caseName,
    exportedAt,
    exportedOffsetMinutes: -now.getTimezoneOffset(),
    exportedTimeZone: machineTimeZone(),
    exporter: opts.exporter?.trim() ?? '',
    exhibitPrefix: prefix,
    signingKeyFingerprint: deps.fingerprint,
    signingPublicKeyPem: deps.publicKeyPem,
    evidenceIndexSha256: made.evidenceIndexSha256,
    exhibits,
    incidents: incidents.map((i) => ({
      id: i.id,
      occurredAt: i.occurredAt,
      occurredUntil: i.occurredUntil,
      place: i.place,
      summary: i.summary,
      impact: i.impact,
      witnesses: i.witnesses,
      policeRef: i.policeRef,
      platformRef: i.platformRef,
      // The items it points at, and the conversations its messages are in.
      exhibitNumbers: [
        ...new Set(
          [...i.itemIds, ...i.messages.map((m) => m.conversationId)]
            .filter((id) => numberOf.has(id))
            .map((id) => numberOf.get(id)!),
        ),
      ],
      personIds: i.personIds,
      messageIds: i.messages.filter((m) => inTranscript.has(m.id)).map((m) => m.id),
    })),
    messages,
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      identifiers: p.identifiers,
      notes: p.notes,
    })),
    custody: custody.shown,
    custodyLeftOut: custody.leftOut,
    checkpoint,
    software: deps.software,
    disclosure: disclosure && {
      schedule: exhibits.flatMap((e): ScheduleEntry[] => {
        const s = disclosure.schedule.get(e.itemId);
        if (!s) return [];
        return [
          {
            exhibit: e.number,
            bagPath: e.bagPath,
            itemId: e.itemId,
            copySha256: e.sha256,
            kind: s.kind,
            originalItemId: s.original.id,
            originalSha256: s.original.sha256,
            areas: s.areas,
            removed: s.removed,
            madeAt: s.madeAt,
            // A vault is one person's: whoever keeps it made its copies.
            madeBy: `The vault’s owner${opts.exporter?.trim() ? ` (${opts.exporter.trim()})` : ''}`,
            custodySeq: s.custodySeq,
          },
        ];
      }),
    },
  };
  return { model, custody };
}

/** A transcript message's text is kept up to here in the bundle; its span holds the whole. */
const TRANSCRIPT_TEXT_CHARS = 100_000;

/**
 * The messages printed as transcripts: those of the exported incidents, and those chosen, in
 * exhibit order then conversation order, each with its whole text, tags and notes.
 */
function transcriptMessages(
  deps: ExportDeps,
  exhibits: readonly Exhibit[],
  incidents: readonly { id: string; messages: { id: string; conversationId: string }[] }[],
  chosen: readonly string[],
): TranscriptMessage[] {
  const exhibitOfItem = new Map(exhibits.map((e, i) => [e.itemId, { e, i }]));
  const exported = new Set(incidents.map((i) => i.id));
  const wanted = new Map<string, boolean>();
  for (const inc of incidents)
    for (const m of inc.messages)
      if (exhibitOfItem.has(m.conversationId)) wanted.set(m.id, wanted.get(m.id) ?? false);
  for (const id of new Set(chosen)) wanted.set(id, true);
  const out: { order: number; m: TranscriptMessage }[] = [];
  for (const [id, selected] of wanted) {
    const m = deps.conversations.message(id);
    const at = exhibitOfItem.get(m.conversationId);
    if (!at) continue; // selectItems brings chosen messages' conversations; never reached
    out.push({
      order: at.i,
      m: {
        id: m.id,
        exhibit: at.e.number,
        itemId: m.conversationId,
        index: m.index,
        kind: m.kind,
        sender: m.sender,
        senderId: m.senderId,
        time: m.time,
        timeSource: m.timeSource,
        text:
          m.text.length > TRANSCRIPT_TEXT_CHARS ? m.text.slice(0, TRANSCRIPT_TEXT_CHARS) : m.text,
        textCut: m.text.length > TRANSCRIPT_TEXT_CHARS,
        offset: m.offset,
        length: m.length,
        sha256: m.sha256,
        line: m.line,
        lineEnd: m.lineEnd,
        chatFile: at.e.conversation?.chatFile ?? null,
        incidentIds: m.incidentIds.filter((i) => exported.has(i)),
        tags: m.tags,
        notes: m.notes.map((n) => ({ body: n.body, createdAt: n.createdAt })),
        selected,
      },
    });
  }
  return out.sort((a, b) => a.order - b.order || a.m.index - b.m.index).map((x) => x.m);
}

/**
 * The court bundle's reader of exhibit content: each exhibit read again from its blob
 * (./bundle/). What is drawn must be what was hashed: a file read whole is checked against
 * the SHA-256 recorded at import, and a blob that cannot be read is an integrity problem.
 */
function exhibitContentOf(deps: ExportDeps, items: readonly ItemDetail[]): BundleContent {
  const blobOf = new Map(items.map((i) => [i.id, i.blobId]));
  return (exhibit, opts) => {
    const blobId = blobOf.get(exhibit.itemId)!;
    const damaged = (e: unknown): DossierError =>
      new DossierError(
        'INTEGRITY',
        `Exhibit ${exhibit.number} (${exhibit.name}) could not be read again from the vault for the court bundle: ${(e as Error).message}. Run \`dossier check\`; nothing was exported.`,
        { cause: e },
      );
    const open = async (): Promise<OriginalReader> => {
      const reader = await deps.blobs.open(blobId).catch((e: unknown) => {
        throw isAgeError(e) ? damaged(e) : asIoError(e, deps.blobs.path(blobId));
      });
      return {
        size: reader.size,
        close: () => reader.close(),
        read: async (start, end) => {
          const bytes = await reader.read(start, end).catch((e: unknown) => {
            throw isAgeError(e) ? damaged(e) : asIoError(e, deps.blobs.path(blobId));
          });
          const whole = start === 0 && end >= reader.size && bytes.length === reader.size;
          if (whole && createHash('sha256').update(bytes).digest('hex') !== exhibit.sha256) {
            throw new DossierError(
              'INTEGRITY',
              `Exhibit ${exhibit.number} (${exhibit.name}) changed in the vault while it was being exported: it no longer matches the SHA-256 recorded at import. Nothing was exported; run \`dossier check\`.`,
            );
          }
          return bytes;
        },
      };
    };
    return readExhibitContent(exhibit, open, opts.box, { pixels: opts.pixels });
  };
}

async function* countBytes(
  source: AsyncIterable<Buffer>,
  onBytes: (n: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}

function selectItems(
  deps: ExportDeps,
  sel: ExportSelection,
  messageIds: readonly string[] = [],
): ItemDetail[] {
  let ids: string[];
  if ('all' in sel) ids = deps.items.list().map((i) => i.id);
  else if ('itemIds' in sel) ids = sel.itemIds.map((i) => deps.items.resolveId(i));
  else if ('tags' in sel) ids = deps.cases.itemsWithTags(sel.tags);
  else ids = deps.cases.itemsOfIncidents(sel.incidentIds);
  // A chosen message brings its conversation (the exhibit its transcript points into).
  if (messageIds.length) ids.push(...deps.conversations.refs(messageIds).map((m) => m.item));
  const details = [...new Set(ids)].map((id) => deps.items.get(id));
  // Exhibit numbers follow when things happened: source time first, then import time.
  const when = (i: ItemDetail): string =>
    i.sourceTimes.exif ?? i.sourceTimes.email ?? i.sourceTimes.mtime ?? i.ingestedAt;
  const sorted = details.sort((a, b) =>
    when(a) < when(b)
      ? -1
      : when(a) > when(b)
        ? 1
        : a.ingestedAt.localeCompare(b.ingestedAt) || a.id.localeCompare(b.id),
  );
  // Sub-exhibits (exhibitPlaces) come right after their parent, in the same order.
  const exported = new Set(sorted.map((i) => i.id));
  const under = new Map<string, ItemDetail[]>();
  for (const i of sorted) {
    const parent = subExhibitParent(i, exported);
    if (parent === null) continue;
    let list = under.get(parent);
    if (!list) under.set(parent, (list = []));
    list.push(i);
  }
  const out: ItemDetail[] = [];
  const put = (i: ItemDetail): void => {
    out.push(i);
    for (const c of under.get(i.id) ?? []) put(c);
  };
  for (const i of sorted) if (subExhibitParent(i, exported) === null) put(i);
  return out;
}

async function exhibitOf(
  deps: ExportDeps,
  item: ItemDetail,
  number: string,
  bagPath: string,
  sha512: string,
  numberOf: Map<string, string>,
  textHashes: ReadonlyMap<string, string>,
  location: LocationChoice | null,
  disclosure: DisclosureChoice | null,
): Promise<Exhibit> {
  const preview = item.thumbnailBlobId ? await previewOf(deps, item.thumbnailBlobId) : null;
  const tags = exifTagsOf(item);
  const located = recordsLocation(item);
  // Withheld: no location field reaches the model, so no renderer can print one.
  const withheld = located && location !== 'included';
  return {
    number,
    bagPath,
    itemId: item.id,
    originalName: item.originalName ?? item.name,
    name: item.name,
    sha256: item.sha256,
    sha512,
    size: item.size,
    mime: item.mime,
    ingestedAt: item.ingestedAt,
    ingestedOffsetMinutes: item.ingestedOffsetMinutes,
    sourceTimes: item.sourceTimes,
    width: item.width,
    height: item.height,
    tags: item.tags,
    notes: item.notes.map((n) => ({ body: n.body, createdAt: n.createdAt })),
    regions: deps.regionsOf(item.id).map((r, i) => ({
      number: i + 1,
      x: r.x,
      y: r.y,
      w: r.w,
      h: r.h,
      comment: r.comment,
      createdAt: r.createdAt,
    })),
    metadataProblems: item.metadataErrors,
    sensitive: item.sensitive,
    exif: tags && withheld ? withoutLocationFields(tags) : tags,
    location: located ? (withheld ? 'withheld' : 'included') : null,
    preview,
    incidentIds: incidentsOf(deps, item.id, disclosure),
    // A copy's own people only: a person linked to the original may be whom it covers.
    personIds: deps.cases.peopleOfItem(item.id),
    derivedFrom: item.derivedFrom
      ? {
          number: numberOf.get(item.derivedFrom.parentId) ?? null,
          sha256: deps.items.get(item.derivedFrom.parentId).sha256,
          operation: item.derivedFrom.operation,
          reason: item.derivedFrom.reason,
        }
      : null,
    conversation: conversationOf(deps, item.id),
    recognisedText: recognisedTextOf(deps.readingOf(item.id), textHashes.get(item.id)),
  };
}

/**
 * The incidents an exhibit points at. A copy exported for disclosure takes its original's
 * place in the course of conduct: the incidents of the original (and of any copy passed over)
 * are the copy's too.
 */
function incidentsOf(
  deps: ExportDeps,
  itemId: string,
  disclosure: DisclosureChoice | null,
): string[] {
  const ids = [itemId, ...(disclosure?.withheldFor.get(itemId) ?? [])];
  return [...new Set(ids.flatMap((id) => deps.cases.incidentsOfItem(id)))];
}

const READING_STATUS = {
  done: 'read',
  queued: 'not read yet',
  failed: 'could not be read',
} as const satisfies Record<OcrReading['state'], ExhibitRecognisedText['status']>;

/** Whether the words, in order, are the text's words (the engine writes both from one page). */
function spellsText(words: readonly { t: string }[], text: string): boolean {
  const tokens = text.split(/\s+/).filter(Boolean);
  const read = words.flatMap((w) => w.t.split(/\s+/).filter(Boolean));
  return tokens.length === read.length && tokens.every((t, i) => t === read[i]);
}

/**
 * The SHA-256 of each picture's text as its latest "text recognised" custody entry recorded it
 * (the entry is appended in the transaction that stores the text: ocr/queue.ts).
 */
function recordedTextHashes(deps: Pick<ExportDeps, 'custody'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of deps.custody.entriesWith(['derive'])) {
    const sha = e.details.textSha256;
    if (e.details.what === 'text recognised' && typeof sha === 'string' && e.subjects[0])
      out.set(e.subjects[0], sha);
  }
  return out;
}

/**
 * A picture's machine reading as the bundle gives it (recognised-text.json), or null. Stored
 * text that is not what its custody entry recorded (a database changed behind Dossier's back)
 * is never exported as a reading: the picture is "could not be read", and says why.
 */
export function recognisedTextOf(
  r: OcrReading | null,
  recordedSha256: string | undefined,
): ExhibitRecognisedText | null {
  if (!r) return null;
  const textSha256 =
    r.text === null ? null : createHash('sha256').update(r.text, 'utf8').digest('hex');
  if (textSha256 !== null && textSha256 !== recordedSha256) {
    return {
      status: 'could not be read',
      reason:
        'The stored text no longer matches the SHA-256 its custody entry recorded when it was read, so it was left out. Read the picture again.',
      language: r.language,
      reading: null,
    };
  }
  const status = READING_STATUS[r.state];
  return {
    status,
    reason: r.state === 'failed' ? r.reason : null,
    language: r.language,
    reading:
      r.text !== null && r.engine !== null && r.width !== null && r.height !== null
        ? {
            engine: r.engine,
            engineVersion: r.engineVersion ?? '',
            // finished_at is the latest attempt's: the time of this reading only when it is it.
            readAt: r.state === 'done' ? r.finishedAt : null,
            meanConfidence: r.confidence,
            width: r.width,
            height: r.height,
            text: r.text,
            textSha256: textSha256!,
            // The custody hash covers the text, not the words: words that do not spell the
            // text word for word are not exported (nor laid over the picture in bundle.pdf).
            words: spellsText(r.words, r.text)
              ? r.words.map((w) => ({ t: w.t, x: w.x, y: w.y, w: w.w, h: w.h, c: w.c }))
              : [],
          }
        : null,
  };
}

/** A conversation exhibit's summary, or null for any other item. */
function conversationOf(deps: ExportDeps, itemId: string): Exhibit['conversation'] {
  if (!deps.conversations.has(itemId)) return null;
  const c = deps.conversations.get(itemId);
  return {
    format: c.format,
    reader: c.reader,
    chatFile: c.chatFile,
    title: c.title,
    messageCount: c.messageCount,
    participants: c.participants.map((p) => ({
      sender: p.sender,
      senderId: p.senderId,
      messages: p.messages,
    })),
    firstTime: c.firstTime,
    lastTime: c.lastTime,
    dateOrder: c.dateOrder,
    timeZone: c.timeZone,
  };
}

/**
 * An item's stored preview, checked whole now (a damaged one must not stop the export of the
 * original: it is left out) but not kept: the report and the viewer read it again when they
 * draw it, so the export holds one preview at a time, not thousands.
 */
async function previewOf(deps: ExportDeps, blobId: string): Promise<ExhibitPreview | null> {
  const read = async (): Promise<Buffer> => {
    const reader = await deps.blobs.open(blobId);
    try {
      return await reader.read(0, reader.size);
    } finally {
      await reader.close();
    }
  };
  let bytes: Buffer;
  try {
    bytes = await read();
  } catch {
    return null;
  }
  // The import writes JPEG previews only; anything else is not one.
  if (!(bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff))
    return null;
  return { bytes: bytes.length, read };
}

/** An existing folder gets the bundle inside it; otherwise `out` is the bundle's own path. */
async function bundlePath(
  opts: ExportOptions,
  bagName: string,
  vaultDir: string,
): Promise<{ path: string; format: ExportResult['format'] }> {
  const path = await chooseBundlePath(opts, bagName);
  if (await isInside(path.path, vaultDir)) {
    throw new DossierError(
      'USAGE',
      `${path.path} is inside the vault folder (${vaultDir}). A bundle holds unencrypted copies of the evidence and must never be written into the encrypted vault. Choose a folder outside it.`,
    );
  }
  return path;
}

/**
 * True when `path` (which need not exist yet) is `dir` or lies anywhere under it, through
 * symlinks too: its nearest existing ancestor's real path is walked up and each folder is
 * compared with `dir` by device and inode, which also holds on case-insensitive disks.
 */
async function isInside(path: string, dir: string): Promise<boolean> {
  const target = await stat(dir).catch(() => null);
  if (!target) return false;
  let p = resolve(path);
  for (;;) {
    const real = await realpath(p).catch(() => null);
    if (real !== null) {
      for (let q = real; ; q = dirname(q)) {
        const s = await stat(q).catch(() => null);
        if (s && s.dev === target.dev && s.ino === target.ino) return true;
        if (dirname(q) === q) return false;
      }
    }
    if (dirname(p) === p) return false;
    p = dirname(p);
  }
}

/** The prefix as given (trimmed), or EX; one that breaks the rule is refused, never altered. */
function exhibitPrefix(given: string | undefined): string {
  const prefix = (given ?? '').trim();
  const problem = exhibitPrefixProblem(prefix);
  if (problem) throw new DossierError('USAGE', `${problem} "${prefix}" cannot be used.`);
  return prefix || 'EX';
}

const ZIP_NAME = /\.zip(\.age)?$/i;
/** `out` ending in a separator names a folder to save in, never the bundle's own name. */
const FOLDER_MEANT = /[\\/]$/;

/**
 * `out` that is not an existing folder is the bundle's own name, in a folder that must
 * exist (nothing is created above the bundle). A zip's own name ends in .zip: a folder typed
 * with a slip (`~/Documnets`) is refused rather than quietly becoming `Documnets.zip`.
 */
async function checkOwnName(out: string, format: ExportOptions['format']): Promise<void> {
  if (FOLDER_MEANT.test(out)) {
    const folder = out.replace(/[\\/]+$/, '') || out;
    const exists = await stat(folder).then(
      () => true,
      () => false,
    );
    throw new DossierError(
      exists ? 'USAGE' : 'IO',
      `${folder} ${exists ? 'is not a folder' : 'does not exist'}. Check the path and try again: the bundle is saved in a folder that exists.`,
    );
  }
  const parent = dirname(resolve(out));
  const parentIsFolder = await stat(parent).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!parentIsFolder)
    throw new DossierError(
      'IO',
      `${parent} does not exist. Check the path and try again: the bundle is saved in a folder that exists.`,
    );
  if (format === 'zip' && !ZIP_NAME.test(out)) {
    const exists = await stat(out).then(
      () => true,
      () => false,
    );
    throw new DossierError(
      exists ? 'USAGE' : 'IO',
      `${out} ${exists ? 'is not a folder' : 'does not exist'}. Check the path and try again: a zip is saved in a folder that exists, or give its own name ending in .zip.`,
    );
  }
}

async function chooseBundlePath(
  opts: ExportOptions,
  bagName: string,
): Promise<{ path: string; format: ExportResult['format'] }> {
  const ext = opts.format === 'dir' ? '' : opts.encryptPassphrase ? '.zip.age' : '.zip';
  const format: ExportResult['format'] =
    opts.format === 'dir' ? 'dir' : opts.encryptPassphrase ? 'zip.age' : 'zip';
  const isDir = await stat(opts.out).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const exists = (p: string): Promise<boolean> =>
    stat(p).then(
      () => true,
      () => false,
    );
  if (isDir && (await exists(join(opts.out, 'bagit.txt')))) {
    throw new DossierError(
      'USAGE',
      `${opts.out} is itself an evidence bundle. Choose another folder to export into.`,
    );
  }
  if (isDir) {
    // A second export of the same case on the same day gets -2, -3…: never an overwrite.
    for (let n = 1; n < 1000; n++) {
      const path = join(opts.out, `${bagName}${n === 1 ? '' : `-${n}`}${ext}`);
      if (!(await exists(path))) return { path, format };
    }
  }
  await checkOwnName(opts.out, opts.format);
  let path = opts.out;
  if (ext && !path.endsWith(ext)) path = path.replace(ZIP_NAME, '') + ext;
  if (await exists(path)) {
    throw new DossierError(
      'USAGE',
      `${path} already exists. Choose another name or folder; Dossier never overwrites an export.`,
    );
  }
  return { path, format };
}
