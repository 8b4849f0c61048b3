import { createHash } from 'node:crypto';
import type { Vault } from '../../main/core';
import { newId } from '../../main/core/ids';

/**
 * Test and benchmark helper: inserts `n` realistic item rows through the core's repositories
 * in one transaction. The rows name blobs that do not exist on disk, so `check` on a seeded
 * vault reports them missing: use it for library, search and UI tests only.
 */
export interface SeedOptions {
  /** PRNG seed: the same seed gives the same names, tags and times (ids stay random). */
  seed?: number;
  /** People and incidents to create and link some items to (default 20 and 100). */
  people?: number;
  incidents?: number;
}

export interface SeedResult {
  itemIds: string[];
  personIds: string[];
  incidentIds: string[];
  tags: string[];
  /** Words that occur in notes or extracted text, the common ones first (for search tests). */
  words: string[];
}

export const SEED_TAGS = [
  'threat',
  'email',
  'instagram',
  'facebook',
  'x',
  'whatsapp',
  'sms',
  'voicemail',
  'doorstep',
  'car',
  'work',
  'school',
  'police',
  'court',
  'witness',
  'photo',
  'screenshot',
  'letter',
  'parcel',
  'night',
  'weekend',
  'urgent',
  'follow-up',
  'reported',
  'blocked',
  'new-account',
  'neighbour',
  'gps',
  'original',
  'copy',
];

export const SEED_WORDS = [
  'threatened',
  'window',
  'parked',
  'outside',
  'followed',
  'message',
  'account',
  'deleted',
  'laughing',
  'photo',
  'address',
  'children',
  'station',
  'reference',
  'garden',
  'gate',
  'shouted',
  'phoned',
  'hidden',
  'number',
  'again',
  'midnight',
  'office',
  'colleague',
  'bridge',
  'market',
  'bicycle',
  'damaged',
  'letterbox',
  'flowers',
  'camera',
  'recording',
  'screenshot',
  'profile',
  'impersonation',
  'rumours',
  'harassment',
  'warning',
  'solicitor',
  'injunction',
];

/** Rarer words, made from syllables: searches for them match tens or hundreds of items. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'bri', 'dun', 'el', 'fa', 'gor', 'hil'];
const RARE_WORDS = Array.from({ length: 3000 }, (_, i) => {
  let w = '';
  for (let k = i + 1; k > 0; k = Math.floor(k / SYLLABLES.length))
    w += SYLLABLES[k % SYLLABLES.length];
  return `${w}${SYLLABLES[i % 7]}`;
});
const VOCABULARY = [...SEED_WORDS, ...RARE_WORDS];

const KINDS: { mime: string; name: (r: Rng, i: number, d: Date) => string; weight: number }[] = [
  { mime: 'image/png', weight: 30, name: (_r, _i, d) => `Screenshot ${stamp(d, ' at ', '.')}.png` },
  { mime: 'image/jpeg', weight: 20, name: (_r, _i, d) => `IMG_${stamp(d, '_', '')}.jpg` },
  { mime: 'message/rfc822', weight: 15, name: (r, i) => `${r.pick(SUBJECTS)} ${i}.eml` },
  { mime: 'application/pdf', weight: 10, name: (r, i) => `${r.pick(DOCS)} ${i}.pdf` },
  { mime: 'text/plain', weight: 8, name: (r, i) => `chat export ${r.pick(PLATFORMS)} ${i}.txt` },
  { mime: 'audio/mp4', weight: 7, name: (_r, i) => `Voice note ${i}.m4a` },
  { mime: 'video/mp4', weight: 6, name: (_r, _i, d) => `VID_${stamp(d, '_', '')}.mp4` },
  { mime: 'application/octet-stream', weight: 4, name: (_r, i) => `attachment-${i}.bin` },
];
const SUBJECTS = ['Re: you know what you did', 'Fwd: complaint', 'Your post', 'Final warning'];
const DOCS = ['Police letter', 'Crime reference', 'Solicitor advice', 'Incident diary'];
const PLATFORMS = ['WhatsApp', 'Signal', 'Messenger', 'Instagram'];
const PEOPLE = ['J. Smith', 'Unknown caller', '@throwaway_81', 'PC Patel', 'Neighbour at 12'];

type Rng = ReturnType<typeof rng>;

function rng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number): number => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    /** A word, common ones far more often (roughly Zipf, like real text). */
    word: (): string => VOCABULARY[Math.floor(VOCABULARY.length ** next()) - 1]!,
  };
}

function stamp(d: Date, mid: string, sep: string): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)}${mid}${iso.slice(11, 19).replaceAll(':', sep)}`;
}

export function seedItems(vault: Vault, n: number, opts: SeedOptions = {}): SeedResult {
  const r = rng(opts.seed ?? 1);
  const totalWeight = KINDS.reduce((s, k) => s + k.weight, 0);
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = 2 * 365 * 86_400_000;
  const now = new Date();
  const result: SeedResult = {
    itemIds: [],
    personIds: [],
    incidentIds: [],
    tags: SEED_TAGS,
    words: VOCABULARY,
  };
  vault.batch(() => {
    for (let p = 0; p < (opts.people ?? 20); p++) {
      const id = newId();
      vault.cases.insertPerson(
        id,
        { name: `${r.pick(PEOPLE)} ${p}`, role: p % 4 === 0 ? 'witness' : 'harasser' },
        now.toISOString(),
      );
      result.personIds.push(id);
    }
    for (let k = 0; k < (opts.incidents ?? 100); k++) {
      const id = newId();
      vault.cases.insertIncident(
        id,
        {
          occurredAt: new Date(start + r.int(span)).toISOString(),
          summary: `${r.pick(SEED_WORDS)} ${r.pick(SEED_WORDS)}`,
        },
        now.toISOString(),
      );
      result.incidentIds.push(id);
    }
    for (let i = 0; i < n; i++) {
      let w = r.int(totalWeight);
      const kind = KINDS.find((k) => (w -= k.weight) < 0)!;
      const when = new Date(start + r.int(span));
      const mtime = new Date(when.getTime() + r.int(86_400_000));
      // Photos carry EXIF times, some with a zone, some without (as cameras write them).
      const exif =
        kind.mime === 'image/jpeg'
          ? r.next() < 0.5
            ? `${when.toISOString().slice(0, 19)}+01:00`
            : when.toISOString().slice(0, 19)
          : null;
      const id = newId();
      const blobId = newId();
      const sha256 = createHash('sha256').update(`seed ${id}`).digest('hex');
      const size = 1000 + r.int(5_000_000);
      vault.items.insertBlob(blobId, 'original', size, sha256);
      const text =
        kind.mime === 'message/rfc822' || kind.mime === 'text/plain'
          ? Array.from({ length: 8 + r.int(20) }, () => r.word()).join(' ')
          : null;
      vault.items.insert({
        id,
        blobId,
        sha256,
        size,
        mime: kind.mime,
        name: kind.name(r, i, when),
        sourcePath: null,
        ingestedAt: new Date(now.getTime() - r.int(span)).toISOString(),
        ingestedOffsetMinutes: 0,
        sourceMtime: mtime.toISOString(),
        sourceExifTime: exif,
        width: kind.mime.startsWith('image/') ? 1170 : null,
        height: kind.mime.startsWith('image/') ? 2532 : null,
        thumbBlobId: null,
        metadata: {},
        metadataErrors: [],
        sensitive: [],
        extractedText: text,
      });
      const tagCount = r.int(4);
      if (tagCount) {
        vault.items.addTags(
          id,
          Array.from({ length: tagCount }, () => r.pick(SEED_TAGS)),
        );
      }
      if (r.next() < 0.2) {
        const body = Array.from({ length: 3 + r.int(12) }, () => r.word()).join(' ');
        vault.items.addNote(id, newId(), body, now.toISOString());
      }
      if (result.personIds.length && r.next() < 0.1)
        vault.cases.linkItemPerson(id, r.pick(result.personIds), 'about');
      if (result.incidentIds.length && r.next() < 0.1)
        vault.cases.linkIncidentItem(r.pick(result.incidentIds), id);
      vault.items.refreshSearch(id);
      result.itemIds.push(id);
    }
  });
  return result;
}

export interface TestItem {
  name: string;
  mime?: string;
  size?: number;
  exif?: string | null;
  mtime?: string | null;
  ingestedAt?: string;
  tags?: string[];
  note?: string;
  text?: string;
  thumbnail?: boolean;
  /** What the import would have warned about (metadata_errors). */
  warnings?: string[];
  /** e.g. ['gps']. */
  sensitive?: string[];
}

/** One item row with chosen facts (no blob on disk), for exact library tests. */
export function addTestItem(vault: Vault, t: TestItem): string {
  const id = newId();
  vault.batch(() => {
    const blobId = newId();
    const sha256 = createHash('sha256').update(`test ${id}`).digest('hex');
    vault.items.insertBlob(blobId, 'original', t.size ?? 100, sha256);
    let thumb: string | null = null;
    if (t.thumbnail) {
      thumb = newId();
      vault.items.insertBlob(thumb, 'thumbnail', 10, sha256.replace(/^./, 'f'));
    }
    vault.items.insert({
      id,
      blobId,
      sha256,
      size: t.size ?? 100,
      mime: t.mime ?? 'application/octet-stream',
      name: t.name,
      sourcePath: null,
      ingestedAt: t.ingestedAt ?? new Date().toISOString(),
      ingestedOffsetMinutes: 0,
      sourceMtime: t.mtime ?? null,
      sourceExifTime: t.exif ?? null,
      width: null,
      height: null,
      thumbBlobId: thumb,
      metadata: {},
      metadataErrors: t.warnings ?? [],
      sensitive: t.sensitive ?? [],
      extractedText: t.text ?? null,
    });
    if (t.tags) vault.items.addTags(id, t.tags);
    if (t.note) vault.items.addNote(id, newId(), t.note, new Date().toISOString());
    vault.items.refreshSearch(id);
  });
  return id;
}
