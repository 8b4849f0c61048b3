import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTODY_ACTIONS,
  custodyActionLabel,
  custodyEntryText,
  type CustodyAction,
  type CustodyDetails,
} from '../../../shared/custody-wording';

const HEX = 'ab'.repeat(32);
const entry = (action: string, details: unknown, subjects: string[] = []) => ({
  action,
  details,
  subjects,
});
/** Typed like CustodyLog.append: a sample that does not match what the core writes fails tsc. */
const written = <A extends CustodyAction>(action: A, details: CustodyDetails[A]) =>
  entry(action, details, ['01HQITEM']);

// One of each entry the core writes today (docs/vault-format.md §8).
const REGION = { x: 1, y: 2, w: 3, h: 4, scale: 1_000_000, comment: 'the threat' };
const SAMPLES = [
  written('create', {
    vaultId: 'v',
    format: 'dossier-vault/1',
    signingKeyFingerprint: 'abcd',
    custodyAnchor: 1,
  }),
  written('unlock', { method: 'passphrase', custodyAnchor: 3 }),
  written('lock', {}),
  written('repair', { reason: 'x', quarantined: ['blobs/a.age'], removedTempFiles: ['t'] }),
  written('repair', { reason: 'x', returned: ['quarantine/a.age'] }),
  written('repair', { reason: 'x', deletedFiles: ['blobs/a.age', 'blobs/b.age'] }),
  written('repair', {
    reason: 'unfinished bundle of an interrupted export removed',
    removedPartialExports: [{ name: '.partial-1', folder: 'Desktop', startedAt: '2026-01-01' }],
  }),
  written('repair', {
    reason: 'restored from quarantine as an item',
    file: 'q/a.age',
    sha256: HEX,
  }),
  written('ingest', {
    name: 'threat.eml',
    sha256: HEX,
    size: 10,
    mime: 'message/rfc822',
    source: { name: 'threat.eml', folder: 'Downloads', pathDigest: HEX },
    sourceMtime: null,
    blob: 'b',
    tags: ['email'],
    note: 'from work',
    metadataErrors: ['bad date'],
  }),
  written('duplicate', {
    name: 'threat.eml',
    sha256: HEX,
    source: null,
    sourceMtime: null,
    tags: [],
  }),
  written('annotate', { what: 'note added', note: 'n' }),
  written('annotate', { what: 'note edited', before: 'a', after: 'b' }),
  written('annotate', { what: 'tags changed', added: ['threat'], removed: ['misc'] }),
  written('annotate', { what: 'region marked', region: REGION }),
  written('annotate', { what: 'region removed', region: REGION }),
  written('annotate', { what: 'regions restated', reason: 'r', scale: 1_000_000, restated: [{}] }),
  written('annotate', {
    what: 'location found in XMP',
    by: 'xmp-location job',
    fields: ['exif:GPSLatitude'],
  }),
  written('annotate', { what: 'incident created', incident: { occurredAt: '2026-01-01' } }),
  written('annotate', {
    what: 'incident updated',
    before: { place: 'a', policeRef: '' },
    after: { place: 'b', policeRef: 'CAD 1' },
  }),
  written('annotate', { what: 'incident linked', items: ['i'], people: ['p', 'q'] }),
  written('annotate', { what: 'incident unlinked', items: [], people: ['p'] }),
  written('annotate', { what: 'person created', person: { name: 'J. Smith', role: 'harasser' } }),
  written('annotate', { what: 'person updated', before: { role: 'other' }, after: { role: 'x' } }),
  written('annotate', { what: 'person linked to item', relation: 'about' }),
  written('annotate', { what: 'person linked to items', items: ['a', 'b'] }),
  written('annotate', { what: 'person unlinked from items', items: ['a'] }),
  written('annotate', {
    what: 'email sender linked to person',
    relation: 'sender',
    address: 'x@example.com',
  }),
  written('annotate', { what: 'email senders linked to person', relation: 'sender', items: ['a'] }),
  written('annotate', {
    what: 'messages linked to incident',
    messages: [
      { id: 'm1', item: 'c', index: 1, sha256: 'ab' },
      { id: 'm2', item: 'c', index: 3, sha256: 'cd' },
    ],
  }),
  written('annotate', {
    what: 'messages unlinked from incident',
    messages: [{ id: 'm1', item: 'c', index: 1, sha256: 'ab' }],
  }),
  written('annotate', {
    what: 'message tags changed',
    added: ['threat'],
    removed: [],
    messages: [{ id: 'm1', item: 'c', index: 1, sha256: 'ab' }],
  }),
  written('annotate', {
    what: 'message note added',
    message: { id: 'm1', item: 'c', index: 1, sha256: 'ab' },
    note: 'n',
  }),
  written('annotate', {
    what: 'message note edited',
    message: { id: 'm1', item: 'c', index: 1, sha256: 'ab' },
    before: 'a',
    after: 'b',
  }),
  written('annotate', {
    what: 'sender marked as person',
    identifier: { kind: 'whatsapp', value: '+447700900123' },
    sender: 'Alex',
    conversation: 'c',
    messages: 4,
  }),
  written('edit-metadata', {
    what: 'name cleaned when added',
    givenName: 'a/b',
    storedName: 'a_b',
  }),
  written('edit-metadata', { what: 'item renamed', before: 'a', after: 'b' }),
  written('export', {
    bundle: 'case.zip',
    format: 'zip',
    exhibits: [{ number: 'AB/1', item: 'i', sha256: HEX }],
    tagManifestSha256: HEX,
    caseName: 'c',
  }),
  written('export', {
    bundle: 'case-2.zip',
    format: 'zip',
    exhibits: [{ number: 'AB/1', item: 'i', sha256: HEX }],
    tagManifestSha256: HEX,
    caseName: 'c',
    locatedItems: 1,
    location: 'withheld',
  }),
  written('verify', { scope: 'vault', ok: true, items: 3, blobsChecked: 3, problems: [] }),
  written('delete', {
    what: 'item removed',
    reason: 'mistake',
    name: 'junk.bin',
    sha256: HEX,
    size: 1,
    blob: 'b',
    thumbnail: null,
    unlinked: { incidents: [], people: [] },
  }),
  written('delete', {
    what: 'incident removed',
    reason: 'twice',
    incident: {},
    unlinked: { items: [], people: [] },
  }),
  written('delete', {
    what: 'person removed',
    reason: 'x',
    person: { name: 'J' },
    unlinked: { items: [], incidents: [] },
  }),
  written('key-change', {
    slot: 'passphrase',
    kdf: { name: 'argon2id', memoryKiB: 1, iterations: 1, parallelism: 1 },
  }),
  written('key-change', { slot: 'recovery', change: 'new recovery code; …' }),
  written('reveal-keys', { reason: 'escape hatch: keys shown to the person' }),
  written('repair', { reason: 'x', removedUnsavedImport: ['blobs/a.age', 'blobs/b.age'] }),
  written('ingest', {
    name: 'IMG-0001.jpg',
    sha256: HEX,
    size: 10,
    mime: 'image/jpeg',
    source: null,
    sourceMtime: null,
    blob: 'b',
    tags: [],
    parent: '01HQEXPORT',
    derivedAs: 'media',
    reason: 'attached to message 12 (line 40)',
  }),
  written('derive', {
    what: 'conversation read',
    format: 'whatsapp',
    reader: 'dossier-whatsapp 1',
    chatFile: '_chat.txt',
    messages: 1200,
    problems: 2,
    dateOrder: 'dmy',
    dateOrderSource: 'given',
    timeZone: 'Europe/London',
    timeZoneSource: 'computer',
    media: 3,
    attachments: 0,
    derivedItems: ['a', 'b', 'c'],
    linkedItems: [],
  }),
  written('derive', {
    what: 'item read as a conversation',
    kindBefore: 'other',
    searchTextReplaced: true,
    warningsCleared: [],
    format: 'mbox',
    reader: 'dossier-mbox 1',
    chatFile: null,
    messages: 1,
    problems: 0,
    dateOrder: null,
    dateOrderSource: null,
    timeZone: null,
    timeZoneSource: null,
    media: 0,
    attachments: 0,
    derivedItems: [],
    linkedItems: [],
  }),
  written('derive', {
    what: 'email attachments stored',
    by: 'email-attachments job',
    derivedItems: ['a'],
    linkedItems: ['b'],
    problems: ['attachment 2 could not be decoded'],
  }),
  written('derive', { what: 'email attachments job started', emails: 12 }),
  written('derive', { what: 'email attachments job finished', emails: 3, attachments: 7 }),
  written('derive', {
    what: 'text recognised',
    engine: 'tesseract.js',
    engineVersion: '7.0.0 (data @tesseract.js-data/eng@1.0.0 4.0.0_best_int)',
    language: 'eng',
    words: 61,
    meanConfidence: 93,
    textSha256: 'a'.repeat(64),
    width: 1170,
    height: 2532,
  }),
  written('derive', {
    what: 'text not recognised',
    engine: 'tesseract.js',
    engineVersion: '7.0.0',
    language: 'eng',
    reason: 'The picture is 50000 × 50000 pixels.',
  }),
  written('derive', {
    what: 'text recognition queued',
    by: 'upgrade',
    images: 22,
    language: 'eng',
  }),
  written('derive', {
    what: 'text recognition queued',
    by: 'read again',
    images: 1,
    language: 'eng',
  }),
  written('adviser-review-imported', {
    review: 'r1',
    file: 'review-Harassment-20261206.zip',
    madeIn: 'dossier',
    signed: true,
    fingerprint: '1a2b 3c4d',
    keySeenBefore: false,
    reviewer: { name: 'A. Solicitor', organisation: 'Smith & Co' },
    tagManifestSha256: 'ab'.repeat(32),
    export: 12,
    added: { from: 1, to: 5 },
    head: 'cd'.repeat(32),
    reviewSha256: 'ef'.repeat(32),
  }),
  written('settings-change', { before: { autoLockMinutes: 5 }, after: { autoLockMinutes: 10 } }),
];

// @ts-expect-error a `what` the wording does not know is not something the core may write
written('annotate', { what: 'teleported', note: 'n' });
// @ts-expect-error an action without wording is not a custody action
written('teleport', {});

/** Plain English for a solicitor: no JSON, no raw keys, no hashes, ends a sentence. */
function expectPlain(s: string): void {
  expect(s).toMatch(/[.”)]$/);
  expect(s).not.toMatch(/[{}[\]]|\bnull\b|\bundefined\b|\[object|NaN/);
  expect(s).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b\s*[:=]/); // camelCase keys
  expect(s).not.toMatch(/\b(sourcePath|pathDigest|sha256|blob|storedName|givenName)\b/);
  expect(s).not.toMatch(/[0-9a-f]{32}/);
}

describe('custody wording: every entry the core writes', () => {
  it('has words for every action and `what` the core writes, in plain English', () => {
    const seen = new Set<string>();
    for (const e of SAMPLES) {
      const s = custodyEntryText(e);
      expectPlain(s);
      seen.add(e.action);
      const what = (e.details as { what?: string }).what;
      // Not the fallback for an unknown `what` ("Teleported.").
      if (what) expect(s, what).not.toBe(`${what.charAt(0).toUpperCase()}${what.slice(1)}.`);
    }
    const writtenToday = CUSTODY_ACTIONS.filter((a) => a !== 'delete-request');
    expect([...seen].sort()).toEqual([...writtenToday].sort());
  });

  it('covers every `what` that main/core writes (read from the code)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const code = files('main/core')
      .map((f) => readFileSync(f, 'utf8'))
      .filter((t) => t.includes('.append('))
      .join('\n');
    const whats = [
      ...code.matchAll(/what:\s*(?:[^'?\n]*\?\s*)?'([^']+)'(?:\s*:\s*'([^']+)')?/g),
    ].flatMap((m) => [m[1]!, m[2]].filter((w): w is string => w !== undefined));
    expect(whats.length).toBeGreaterThan(15);
    const covered = new Set(SAMPLES.map((e) => (e.details as { what?: string }).what));
    expect(whats.filter((w) => !covered.has(w))).toEqual([]);
  });

  it('says whether an export withheld the location its exhibits record (issue 15)', () => {
    const exported = (details: Record<string, unknown>): string =>
      custodyEntryText({
        action: 'export',
        subjects: ['a', 'b', 'c'],
        details: { bundle: 'Case-20260101', exhibits: [{}, {}, {}], ...details },
      });
    expect(exported({ locatedItems: 2, location: 'withheld' })).toBe(
      "3 items exported in a bundle (Case-20260101). 2 of them record where they were taken: the location was withheld by the exporter from the bundle's report, metadata and viewer (the original files still hold it).",
    );
    expect(exported({ locatedItems: 1, location: 'included' })).toBe(
      "3 items exported in a bundle (Case-20260101). 1 of them records where it was taken: the exporter chose to include the location in the bundle's report, metadata and viewer.",
    );
    expect(exported({ locatedItems: 0 })).toBe(
      '3 items exported in a bundle (Case-20260101). None of them records where it was taken.',
    );
    // An export for disclosure says how many originals it withheld.
    expect(
      exported({
        locatedItems: 0,
        disclosure: { withheld: [{ original: 'o', sha256: 'x', copy: 'c', exhibit: 'JD1' }] },
      }),
    ).toBe(
      '3 items exported in a bundle (Case-20260101). Made for disclosure: 1 original was withheld, exhibited as a copy (redacted, or without location) and listed with its fingerprint in the redaction schedule. None of them records where it was taken.',
    );
    // Entries written before the choice existed read as they always did.
    expect(exported({})).toBe('3 items exported in a bundle (Case-20260101).');
    // A count that is not one is not repeated.
    expect(exported({ locatedItems: -1, location: 'withheld' })).toBe(
      '3 items exported in a bundle (Case-20260101).',
    );
  });

  it('says what changed in words', () => {
    const say = (i: number): string => custodyEntryText(SAMPLES[i]!);
    const by = (what: string): string =>
      custodyEntryText(SAMPLES.find((e) => (e.details as { what?: string }).what === what)!);
    expect(by('tags changed')).toBe('Tags changed: added “threat”; removed “misc”.');
    expect(by('region marked')).toBe(
      'An area of a picture was marked, with the comment “the threat”. The picture itself is not changed.',
    );
    expect(by('incident updated')).toBe(
      'An incident’s details were changed (where and police reference). This log keeps what they were before.',
    );
    expect(by('incident linked')).toBe('1 item and 2 people linked to an incident.');
    expect(by('person created')).toBe('A person was added: J. Smith.');
    expect(by('email senders linked to person')).toMatch(
      /^1 email already in the vault was linked/,
    );
    expect(
      custodyEntryText({
        action: 'delete',
        subjects: [],
        details: {
          what: 'incident removed',
          reason: 'twice',
          incident: {},
          unlinked: { items: [], people: [], messages: ['m1', 'm2'] },
        },
      }),
    ).toBe(
      'An incident was removed, with its links to items and people and to 2 messages. Reason given: twice.',
    );
    expect(by('messages linked to incident')).toBe(
      '2 messages of a conversation were linked to an incident. The conversation itself is not changed.',
    );
    expect(by('messages unlinked from incident')).toBe(
      '1 message of a conversation was unlinked from an incident.',
    );
    expect(by('message tags changed')).toBe(
      'Tags of 1 message changed: added “threat”. The conversation itself is not changed.',
    );
    expect(by('sender marked as person')).toBe(
      'A sender in a conversation (Alex) was recorded as a person’s identifier: the 4 messages from that sender are now theirs.',
    );
    // A sender's name comes from the export: shown through displayName, never raw.
    expect(
      custodyEntryText({
        action: 'annotate',
        subjects: [],
        details: { what: 'sender marked as person', sender: 'Alex\u202egpj.exe', messages: 1 },
      }),
    ).not.toContain('\u202e');
    expect(say(8)).toBe(
      '“threat.eml” was added to the vault. It was imported from a file named “threat.eml” in a folder named “Downloads”. Tag added: “email”. A note was written with it.',
    );
    expect(say(9)).toContain(
      'It was added from memory (pasted or dropped in), not from a file on disk.',
    );
    expect(say(5)).toBe(
      'A removal that was interrupted was finished: the encrypted files of 2 removed items were deleted.',
    );
    expect(by('conversation read')).toBe(
      '1,200 messages were read from an exported conversation by dossier-whatsapp 1; each points back to its exact bytes in the file, which is kept unchanged. Dates were read day before month, as the person confirmed. Times were placed in the time zone Europe/London, this computer’s (assumed, not confirmed). 3 files that came with it were stored as items of their own. 2 parts could not be read; each is listed with it.',
    );
    expect(by('item read as a conversation')).toBe(
      'An item already in the vault, listed until then as a file, was read as a conversation. 1 message was read from an exported conversation by dossier-mbox 1; each points back to its exact bytes in the file, which is kept unchanged.',
    );
    expect(custodyEntryText(SAMPLES.find((e) => (e.details as { parent?: string }).parent)!)).toBe(
      '“IMG-0001.jpg” was added to the vault: a file that came inside another item (01HQEXPORT), attached to message 12 (line 40). It is stored as its own item, with its own fingerprint.',
    );
    expect(custodyEntryText(SAMPLES.at(-1)!)).toBe(
      'A setting was changed: the vault now locks itself after 10 minutes unused.',
    );
  });
});

describe('custody wording: old and hostile entries', () => {
  it('reads entries written before today’s shapes', () => {
    expect(
      custodyEntryText(entry('ingest', { name: 'a.txt', sourcePath: '/home/jo/Private/a.txt' })),
    ).toBe('“a.txt” was added to the vault. It was imported from “/home/jo/Private/a.txt”.');
    expect(custodyEntryText(entry('duplicate', { name: 'a.txt', sourcePath: null }))).toContain(
      'added from memory',
    );
    // Region marks before schema version 9: fractions, no scale.
    expect(
      custodyEntryText(
        entry('annotate', {
          what: 'region marked',
          region: { x: 0.1, y: 0.2, w: 0.3, h: 0.4, comment: 'x' },
        }),
      ),
    ).toMatch(/^An area of a picture was marked, with the comment “x”/);
    expect(
      custodyEntryText(entry('repair', { reason: 'r', removedUnreferencedBlobs: ['a', 'b'] })),
    ).toBe(
      'When the vault was opened, Dossier tidied up after an interruption: 2 encrypted files that no item referred to were deleted.',
    );
    expect(custodyEntryText(entry('annotate', { what: 'tags added' }))).toBe('A tag was added.');
  });

  it('makes names safe: control characters and direction overrides are shown, not obeyed', () => {
    const s = custodyEntryText(
      entry('annotate', { what: 'person created', person: { name: 'Jo\u202Eevil\u0007' } }),
    );
    expect(s).toBe('A person was added: Jo\\u{202e}evil\\u{0007}.');
    expect(
      custodyEntryText(
        entry('annotate', { what: 'tags changed', added: ['a\u2066b'], removed: [] }),
      ),
    ).toBe('Tags changed: added “a\\u{2066}b”.');
  });

  it('never throws, whatever the details hold', () => {
    const actions = fc.constantFrom<string>(...CUSTODY_ACTIONS, 'teleport');
    const whats = fc.constantFrom(
      'note added',
      'region marked',
      'tags changed',
      'person created',
      'incident updated',
      'item removed',
      'item renamed',
      '__proto__',
      'constructor',
      'toString',
    );
    const details = fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom(
          'what',
          'name',
          'source',
          'sourcePath',
          'region',
          'person',
          'after',
          'items',
          'reason',
          'file',
          'slot',
          'change',
          'ok',
        ),
        fc.anything(),
      ),
      fc.record({ what: whats, after: fc.anything(), person: fc.anything(), items: fc.anything() }),
    );
    fc.assert(
      fc.property(actions, details, (action, d) => {
        const s = custodyEntryText(entry(action, d));
        expect(typeof s).toBe('string');
        expect(s.length).toBeGreaterThan(0);
        // Names in the details may hold anything, but the wording never prints an object.
        expect(s).not.toContain('[object Object]');
        expect(s).not.toMatch(/^[a-z]+: /);
      }),
      { numRuns: 1000 },
    );
  });

  it('labels each kind of entry in words', () => {
    for (const a of CUSTODY_ACTIONS) expect(custodyActionLabel(a)).toMatch(/^[A-Z][^{}:]+$/);
    expect(custodyActionLabel('constructor')).toBe('constructor');
    expect(custodyActionLabel('x\u202e')).toBe('x\\u{202e}');
  });

  it("names a mailbox's Gmail labels that became tags, each escaped", () => {
    const e = written('derive', {
      what: 'conversation read',
      format: 'mbox',
      reader: 'dossier-mbox 1',
      chatFile: null,
      messages: 2,
      problems: 0,
      dateOrder: null,
      dateOrderSource: null,
      timeZone: null,
      timeZoneSource: null,
      media: 0,
      attachments: 0,
      derivedItems: [],
      linkedItems: [],
      labelTags: ['Threats, kept', 'Inbox\u202e'],
    });
    expect(custodyEntryText(e)).toBe(
      '2 messages were read from an exported conversation by dossier-mbox 1; each points back to its exact bytes in the file, which is kept unchanged. Its Gmail labels became tags of their messages: “Threats, kept”, “Inbox\\u{202e}”.',
    );
  });
});

describe('custody wording: a review from an adviser', () => {
  const base = {
    review: 'r1',
    file: 'review-x.zip',
    reviewer: { name: 'A. Solicitor', organisation: 'Smith & Co' },
    tagManifestSha256: 'ab'.repeat(32),
    export: 3,
    head: 'cd'.repeat(32),
    reviewSha256: 'ef'.repeat(32),
  };
  it('says who, how many changes, and the key (new to the vault) or that it is unsigned', () => {
    expect(
      custodyEntryText(
        written('adviser-review-imported', {
          ...base,
          madeIn: 'dossier',
          signed: true,
          fingerprint: '1a2b 3c4d',
          keySeenBefore: false,
          added: { from: 1, to: 5 },
        }),
      ),
    ).toBe(
      'A review from A. Solicitor (Smith & Co) was imported (review-x.zip): 5 changes. It is signed with the adviser’s key 1a2b 3c4d, seen in this vault for the first time. It is kept apart from the notes made in this vault.',
    );
    expect(
      custodyEntryText(
        written('adviser-review-imported', {
          ...base,
          reviewer: { name: null, organisation: null },
          madeIn: 'viewer',
          signed: false,
          fingerprint: null,
          keySeenBefore: null,
          added: { from: 6, to: 6 },
        }),
      ),
    ).toBe(
      'A later version of a review was imported (review-x.zip): 1 new change. It carries no signature (it was saved from the offline viewer). It is kept apart from the notes made in this vault.',
    );
  });
});
