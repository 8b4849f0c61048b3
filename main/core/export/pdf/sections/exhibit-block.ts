// One exhibit described: the report's block (rows beside a small preview) and the rows the
// court bundle's cover sheet reuses (size, type, file, times and where each came from,
// derivation, incidents, people, tags, sensitive fields, import problems, notes).
import sharp from 'sharp';
import { LOCATION_WITHHELD } from '../../../../../shared/location-fields';
import { disclosedCopyText } from '../../../../../shared/redaction-schedule';
import type { Exhibit } from '../../model';
import { groupDigits, instantText, recordedText, sizeText } from '../../report/text';
import type { CaseFacts } from '../facts';
import { CONTENT_W, MARGIN, PAGE, RULE, SOFT, type PdfWriter, type Row } from '../writer';

const THUMB_BOX = 104;
const THUMB_GAP = 14;
const THUMB_CAPTION = 11;
/** How many previews are reduced ahead of the one being drawn (report.ts). */
export const PREVIEWS_AHEAD = 6;

const SENSITIVE: Record<string, string> = {
  gps: 'The original file records a GPS location (where it was taken).',
};

/** What the PDFs say of a located exhibit's location; they never print coordinates. */
const LOCATION_TEXT = {
  withheld: `${LOCATION_WITHHELD}: it is not in this report, the metadata files or the viewer. The original file is unchanged and still holds it.`,
  included: 'Included by the exporter: the location is in data/metadata/items.json and the viewer.',
} as const;

export interface Preview {
  data: Buffer;
  width: number;
  height: number;
}

/** The name and the hashes: kept with the exhibit's heading. */
export function exhibitTopRows(w: PdfWriter, e: Exhibit): Row[] {
  const top: Row[] = [
    {
      label: 'Original name',
      value: w.t(e.originalName, { max: 500 }) || '(no name)',
      bold: true,
    },
    ...(e.name !== e.originalName
      ? [{ label: 'Renamed in the vault to', value: w.t(e.name, { max: 500 }) }]
      : []),
    { label: 'SHA-256', value: w.t(e.sha256, { max: 80 }), mono: true },
  ];
  if (e.derivedFrom)
    top.push({
      label: 'Parent SHA-256',
      value: w.t(e.derivedFrom.sha256, { max: 80 }),
      mono: true,
    });
  return top;
}

/** The report's block for one exhibit, with its preview (if any) beside the rows. */
export function exhibitBlock(
  w: PdfWriter,
  f: CaseFacts,
  e: Exhibit,
  preview: Preview | null,
  outline: PDFKit.PDFOutline | null,
): void {
  const number = w.t(e.number, { max: 40 });
  const top = exhibitTopRows(w, e);
  const side = e.preview !== null;
  const innerW = side ? CONTENT_W - THUMB_BOX - THUMB_GAP : CONTENT_W;
  const rows = exhibitRows(w, f, e);
  const notes = noteRows(w, e);
  const headH = w.height('B', 12, `Exhibit ${number}`, CONTENT_W) + 4;
  const firstH =
    headH +
    w.rowsHeight(top, CONTENT_W) +
    Math.max(w.rowsHeight(rows, innerW), side ? THUMB_BOX + THUMB_CAPTION : 0) +
    12;
  const allH = firstH + w.rowsHeight(notes, CONTENT_W);
  // Keep the whole block together if a page can hold it; always keep the hash with its heading.
  const full = w.maxY - MARGIN.top;
  if (w.y + allH > w.maxY) w.keep(allH <= full ? allH : Math.min(firstH, full));

  w.gap(4);
  w.rule();
  w.gap(5);
  if (w.draw) outline?.addItem(`Exhibit ${number}`);
  w.use('B', 12);
  w.doc.text(`Exhibit ${number}`, MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(3);
  w.rows(top, MARGIN.left, CONTENT_W);
  const y0 = w.y;
  const page0 = w.page;
  // The preview first, while still on the page where the block's rows start.
  if (side && w.draw) thumbnail(w, preview, PAGE.width - MARGIN.right - THUMB_BOX, y0);
  w.rows(rows, MARGIN.left, innerW);
  if (side && w.page === page0) w.y = Math.max(w.y, y0 + THUMB_BOX + THUMB_CAPTION);
  w.rows(notes, MARGIN.left, CONTENT_W);
  w.gap(4);
}

export function exhibitRows(w: PdfWriter, f: CaseFacts, e: Exhibit): Row[] {
  const s = w.supports;
  const rows: Row[] = [
    { label: 'Size', value: sizeText(e.size) },
    { label: 'Type (MIME)', value: w.t(e.mime, { max: 100 }) || 'unknown' },
  ];
  if (e.width && e.height)
    rows.push({ label: 'Pixels', value: `${groupDigits(e.width)} × ${groupDigits(e.height)}` });
  rows.push({ label: 'File in bundle', value: w.t(e.bagPath, { max: 300 }) });
  rows.push({
    label: 'Imported (Dossier)',
    value: instantText(e.ingestedAt, e.ingestedOffsetMinutes, s),
  });
  if (e.sourceTimes.exif)
    rows.push({ label: 'Taken (EXIF)', value: recordedText(e.sourceTimes.exif, 'camera', s) });
  if (e.sourceTimes.email)
    rows.push({
      label: 'Sent (email Date)',
      value: recordedText(e.sourceTimes.email, 'plain', s),
    });
  if (e.sourceTimes.mtime)
    rows.push({
      label: 'Modified (file system)',
      value: recordedText(e.sourceTimes.mtime, 'plain', s),
    });
  const disclosed = f.model.disclosure?.schedule.find((x) => x.itemId === e.itemId);
  if (disclosed)
    rows.push({
      label: 'For disclosure',
      value: w.t(
        `${disclosedCopyText(disclosed)}. Exhibited in place of the original, which is withheld: see the redaction schedule (section 7 of the report, and data/metadata/redactions.csv).`,
        { multiline: true, max: 2000 },
      ),
    });
  if (e.derivedFrom) {
    const d = e.derivedFrom;
    rows.push({
      label: 'Derived from',
      value: w.t(
        `${d.number ? `Exhibit ${d.number}` : 'A file not in this bundle'} (parent SHA-256 above), by “${d.operation}”. Reason: ${d.reason || 'not given'}`,
        { multiline: true, max: 800 },
      ),
    });
  }
  if (e.incidentIds.length) {
    const nums = e.incidentIds
      .map((id) => f.incidentNo.get(id))
      .filter((d) => d !== undefined)
      .map((d) => d.n)
      .sort((a, b) => a - b);
    if (nums.length) rows.push({ label: 'Incidents', value: f.list(nums.map(String), 60) });
  }
  if (e.personIds.length)
    rows.push({
      label: 'People',
      value: f.list(
        e.personIds.map((id) => f.personName(id)),
        30,
        '; ',
      ),
    });
  if (e.tags.length) rows.push({ label: 'Tags', value: f.list(e.tags, 80) });
  if (e.sensitive.length)
    rows.push({
      label: 'Sensitive',
      value: w.t(
        e.sensitive
          .slice(0, 20)
          .map((x) => SENSITIVE[x] ?? `Marked sensitive: ${x}`)
          .join('\n'),
        { multiline: true, max: 1000 },
      ),
    });
  if (e.location)
    rows.push({
      label: 'Location',
      value: w.t(LOCATION_TEXT[e.location], { multiline: true, max: 1000 }),
    });
  if (e.metadataProblems.length)
    rows.push({
      label: 'Import problems',
      value: w.t(
        e.metadataProblems
          .slice(0, 20)
          .map((p) => `• ${p}`)
          .join('\n') +
          (e.metadataProblems.length > 20 ? `\n… and ${e.metadataProblems.length - 20} more` : ''),
        { multiline: true, max: 2500 },
      ),
    });
  return rows;
}

/** The first 20 notes, dated; `all` prints every one (the court bundle's cover sheet). */
export function noteRows(w: PdfWriter, e: Exhibit, all = false): Row[] {
  const shown = all ? e.notes : e.notes.slice(0, 20);
  const rows: Row[] = shown.map((n, i) => ({
    label: i === 0 ? 'Notes' : '',
    value: `${instantText(n.createdAt, undefined, w.supports)}\n${w.t(n.body, { multiline: true, max: 1500 })}`,
  }));
  if (e.notes.length > shown.length)
    rows.push({
      label: '',
      value: `… and ${e.notes.length - shown.length} more notes (all are in data/metadata/annotations.json)`,
    });
  return rows;
}

function thumbnail(w: PdfWriter, small: Preview | null, x: number, y: number): void {
  const { doc } = w;
  const saved = { x: doc.x, y: doc.y };
  let drawn = false;
  if (small) {
    try {
      const scale = Math.min(THUMB_BOX / small.width, THUMB_BOX / small.height, 1);
      const iw = small.width * scale;
      const ih = small.height * scale;
      const ix = x + (THUMB_BOX - iw);
      doc.image(small.data, ix, y, { width: iw, height: ih });
      doc.rect(ix, y, iw, ih).lineWidth(0.5).strokeColor(RULE).stroke();
      drawn = true;
    } catch {
      drawn = false;
    }
  }
  w.use('R', 6.5, SOFT);
  doc.text(
    drawn ? 'Preview (reduced copy)' : '(no preview could be shown)',
    x,
    y + (drawn ? THUMB_BOX + 2 : 2),
    {
      width: THUMB_BOX,
      align: 'right',
      lineBreak: false,
    },
  );
  doc.x = saved.x;
  doc.y = saved.y;
}

/** The stored preview (up to 512 px) reduced, so thousands of them keep the PDF small. */
export async function reducePreview(jpeg: Buffer): Promise<Preview | null> {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  try {
    const { data, info } = await sharp(jpeg, { limitInputPixels: 4096 * 4096, failOn: 'error' })
      .resize(240, 240, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null; // drawn as "no preview could be shown"
  }
}
