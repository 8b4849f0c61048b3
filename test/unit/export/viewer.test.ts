/**
 * The offline viewer page as text: escaping of hostile strings, the CSP and its hashes,
 * the JSON island, the thumbnail budget, time wording, and the page's own SHA-256 code.
 * test/e2e/viewer.e2e.test.ts runs the page in Chromium.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Exhibit, ExportModel } from '../../../main/core/export/model';
import {
  exhibitKind,
  flattenExif,
  instantText,
  jsonForScript,
  renderViewerHtml,
  timeText,
  viewerData,
  viewerHref,
  type ViewerData,
} from '../../../main/core/export/viewer';
import { PAGE_SCRIPT } from '../../../main/core/export/viewer/page-script.generated';
import { Sha256 } from '../../../main/core/export/viewer/page/sha256';
import { PAGE_STYLE } from '../../../main/core/export/viewer/page-style';
import { previewOf } from '../../support/exhibit';
import { viewerHtml } from '../../support/viewer-html';

const HOSTILE = '</script><img src=x onerror=alert(1)>';
const SEPARATORS = 'line\u2028para\u2029rtl\u202Egnp.exe';
// A minimal valid-looking JPEG header; the viewer only checks the magic bytes.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function exhibit(n: number, over: Partial<Exhibit> = {}): Exhibit {
  const name = over.originalName ?? `shot-${n}.png`;
  return {
    number: `JD/${n}`,
    bagPath: `data/evidence/JD-${n}_shot-${n}.png`,
    itemId: `item${n}`,
    originalName: name,
    name,
    sha256: sha(`file ${n}`),
    sha512: 'ab'.repeat(64),
    size: 1234 + n,
    mime: 'image/png',
    ingestedAt: '2024-03-05T14:02:11.000Z',
    ingestedOffsetMinutes: 60,
    sourceTimes: { mtime: '2024-03-04T10:00:00.000Z', exif: '2024-03-04T09:58:00', email: null },
    width: 1170,
    height: 2532,
    tags: ['work account'],
    notes: [{ body: 'Sent at night.\nSecond line.', createdAt: '2024-03-05T14:05:00.000Z' }],
    regions: [],
    metadataProblems: [],
    sensitive: [],
    exif: { ifd0: { Make: 'Apple', Model: 'iPhone' }, exif: { ISO: 100 } },
    preview: previewOf(JPEG),
    incidentIds: ['inc1'],
    personIds: ['p1'],
    derivedFrom: null,
    ...over,
  };
}

function model(exhibits: Exhibit[] = [exhibit(1), exhibit(2)]): ExportModel {
  return {
    caseName: 'Jane Doe v. Harasser',
    exportedAt: '2024-05-01T12:00:00.000Z',
    exportedOffsetMinutes: 60,
    exportedTimeZone: 'Europe/London',
    exporter: 'Jane Doe',
    exhibitPrefix: 'JD',
    signingKeyFingerprint: 'abcd 1234',
    signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n',
    evidenceIndexSha256: sha('items'),
    exhibits,
    incidents: [
      {
        id: 'inc2',
        occurredAt: '2024-03-20T21:30',
        occurredUntil: null,
        place: 'Instagram',
        summary: 'Second message',
        impact: '',
        witnesses: '',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['JD/2'],
        personIds: ['p1'],
      },
      {
        id: 'inc1',
        occurredAt: '2024-03-04T09:58:00Z',
        occurredUntil: null,
        place: 'Email',
        summary: 'First message',
        impact: 'Could not sleep',
        witnesses: '',
        policeRef: 'CAD 123',
        platformRef: '',
        exhibitNumbers: ['JD/1'],
        personIds: ['p1'],
      },
    ],
    people: [
      {
        id: 'p1',
        name: 'A. Harasser',
        role: 'harasser',
        identifiers: [{ kind: 'email', value: 'a@example.com' }],
        notes: '',
      },
    ],
    custody: [
      {
        seq: 1,
        at: '2024-03-05T14:02:11.000Z',
        actor: 'user',
        action: 'ingest',
        subjects: ['item1'],
        details: {},
        prev: '0'.repeat(64),
        hash: sha('c1'),
      },
    ],
    checkpoint: { seq: 1, head: sha('c1'), signedAt: '2024-05-01T12:00:00.000Z', signature: 'x' },
    software: { name: 'Dossier', version: '0.1.0' },
  };
}

function manifestOf(m: ExportModel): { path: string; sha256: string }[] {
  return [
    ...m.exhibits.map((e) => ({ path: e.bagPath, sha256: e.sha256 })),
    { path: 'data/metadata/items.json', sha256: sha('items') },
  ];
}

function island(html: string): ViewerData {
  const m = /<script type="application\/json" id="dossier-data">([^<]*)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as ViewerData;
}

function inlineScript(html: string): string {
  const m = /<script>([\s\S]*?)<\/script>/.exec(html);
  return m![1]!;
}

function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  expect(m).not.toBeNull();
  return m![1]!.replace(/&#39;/g, "'");
}

const b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

describe('viewer HTML: hostile strings', async () => {
  const hostile = model([
    exhibit(1, {
      originalName: HOSTILE + SEPARATORS,
      tags: [HOSTILE],
      notes: [{ body: HOSTILE + SEPARATORS, createdAt: '2024-03-05T14:05:00.000Z' }],
      metadataProblems: [HOSTILE],
      exif: { ifd0: { Make: HOSTILE } },
    }),
  ]);
  hostile.caseName = HOSTILE + SEPARATORS;
  hostile.exporter = HOSTILE;
  hostile.incidents[0]!.summary = HOSTILE + SEPARATORS;
  hostile.people[0]!.name = HOSTILE;
  const html = await viewerHtml(hostile, manifestOf(hostile));

  it('never lets a string close the script element or open a tag', () => {
    // Exactly the page's own two script elements close.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain('<img');
    // Outside the page's own two scripts, only the skeleton's own tags exist.
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    const tags = new Set([...markup.matchAll(/<\/?([a-z][a-z0-9-]*)/gi)].map((t) => t[1]));
    expect([...tags].sort()).toEqual(
      ['a', 'body', 'h1', 'head', 'header', 'html', 'main', 'meta', 'noscript', 'p', 'strong']
        .concat(['style', 'title'])
        .sort(),
    );
    expect(html).toContain('&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;');
    expect(html.match(/<script/gi)).toHaveLength(2);
  });

  it('escapes U+2028, U+2029 and bidi overrides everywhere in the file', () => {
    expect(html).not.toMatch(/[\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    // The title and heading show the override as a visible escape.
    expect(html).toContain('\\u{202e}gnp.exe');
  });

  it('gives the hostile values back exactly from the JSON island', () => {
    const data = island(html);
    expect(data.caseName).toBe(HOSTILE + SEPARATORS);
    expect(data.exhibits[0]!.originalName).toBe(HOSTILE + SEPARATORS);
    expect(data.exhibits[0]!.notes[0]!.body).toBe(HOSTILE + SEPARATORS);
    expect(data.exhibits[0]!.tags).toEqual([HOSTILE]);
    expect(data.exhibits[0]!.exif).toContainEqual(['ifd0 · Make', HOSTILE]);
    expect(data.incidents.find((i) => i.id === 'inc2')!.summary).toBe(HOSTILE + SEPARATORS);
    expect(data.people[0]!.name).toBe(HOSTILE);
  });

  it('jsonForScript round-trips any string and never emits < > & or separators', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = jsonForScript({ s });
        expect(out).not.toMatch(/[<>&\u2028\u2029\u202e]/);
        expect((JSON.parse(out) as { s: string }).s).toBe(s);
      }),
    );
  });
});

describe('viewer HTML: CSP', async () => {
  const m = model();
  const html = await viewerHtml(m, manifestOf(m));
  const policy = csp(html);

  it('allows exactly the inline script and style, by hash', () => {
    const script = inlineScript(html);
    expect(script).toBe(PAGE_SCRIPT);
    expect(policy).toContain(`script-src 'sha256-${b64(script)}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).toBe(PAGE_STYLE);
    expect(policy).toContain(`style-src 'sha256-${b64(style)}'`);
  });

  it('has no network origins and no unsafe sources', () => {
    const directives = policy.split(';').map((d) => d.trim());
    expect(directives[0]).toBe("default-src 'none'");
    expect(directives).toContain('img-src data: blob:');
    expect(directives).toContain('media-src blob:');
    expect(directives).toContain("base-uri 'none'");
    expect(directives).toContain("form-action 'none'");
    expect(policy).not.toMatch(/https?:|\*|unsafe|wss?:|'self'|file:/);
  });

  it('loads nothing: no src or href to anywhere but the page itself', () => {
    expect(html).not.toMatch(/\ssrc=/);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^#/);
  });

  it('the script is plain ES2019 and has nothing that would end its element early', () => {
    expect(PAGE_SCRIPT).not.toMatch(/<\/script|<!--|<script/i);
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
    // Downlevelling to ES2019 changes nothing if the source uses nothing newer.
    const compile = (target: ts.ScriptTarget): string =>
      ts.transpileModule(PAGE_SCRIPT, {
        compilerOptions: { target, module: ts.ModuleKind.None, removeComments: false },
      }).outputText;
    expect(compile(ts.ScriptTarget.ES2019)).toBe(compile(ts.ScriptTarget.ESNext));
  });
});

describe('viewer HTML: data', async () => {
  const m = model();
  const manifest = manifestOf(m);
  const html = await viewerHtml(m, manifest);
  const data = island(html);

  it('carries the model values and the manifest', () => {
    expect(data.format).toBe('dossier-viewer-1');
    expect(data.manifest).toEqual(manifest);
    expect(
      data.exhibits.map((e) => [e.number, e.bagPath, e.sha256, e.size, e.originalName]),
    ).toEqual(m.exhibits.map((e) => [e.number, e.bagPath, e.sha256, e.size, e.originalName]));
    expect(data.signingKeyFingerprint).toBe(m.signingKeyFingerprint);
    expect(data.evidenceIndexSha256).toBe(m.evidenceIndexSha256);
    expect(data.exhibits[0]!.notes[0]!.body).toBe(m.exhibits[0]!.notes[0]!.body);
    expect(data.exhibits[0]!.exif).toEqual([
      ['ifd0 · Make', 'Apple'],
      ['ifd0 · Model', 'iPhone'],
      ['exif · ISO', '100'],
    ]);
    expect(data.exhibits[0]!.people).toEqual([
      { id: 'p1', name: 'A. Harasser', role: 'Alleged harasser' },
    ]);
    expect(data.custody).toMatchObject({ entries: 1, firstSeq: 1, lastSeq: 1 });
    expect(data.exhibits[0]!.history).toHaveLength(1);
  });

  it('puts incidents in chronological order with the course of conduct', () => {
    expect(data.incidents.map((i) => i.id)).toEqual(['inc1', 'inc2']);
    expect(data.incidents[1]!.gapText).toBe('16 days later (about 2 weeks).');
    expect(data.conduct).toMatchObject({ days: 2, spanDays: 16, gaps: [16] });
    expect(data.conduct.timeZone).toBe('Europe/London');
    expect(data.conduct.occasions).toBe(2);
    expect(data.conduct.text[0]).toContain('2 incidents are recorded, on 2 different days');
    expect(data.conduct.text.join(' ')).toContain('at least two occasions');
  });

  it('embeds thumbnails as base64 JPEG within the budget, and none above it', async () => {
    expect(data.thumbnails).toBe('embedded');
    expect(data.exhibits[0]!.thumbnail).toBe(JPEG.toString('base64'));
    const over = island(await viewerHtml(m, manifest, { maxThumbnailBytes: JPEG.length }));
    expect(over.thumbnails).toBe('omitted');
    expect(over.exhibits.every((e) => e.thumbnail === null)).toBe(true);
    expect(over.thumbnailBytes).toBe(2 * JPEG.length);
  });

  it('never embeds a preview that is not a JPEG', async () => {
    const png = model([exhibit(1, { preview: previewOf(Buffer.from('\x89PNG\r\n\x1a\n0000')) })]);
    expect(island(await viewerHtml(png, manifestOf(png))).exhibits[0]!.thumbnail).toBeNull();
  });

  it('refuses a manifest that disagrees with the exhibits or escapes the payload', () => {
    expect(() => renderViewerHtml(m, manifest.slice(1))).toThrow(/JD\/1/);
    const wrong = manifest.map((x, i) => (i === 0 ? { ...x, sha256: sha('other') } : x));
    expect(() => renderViewerHtml(m, wrong)).toThrow(/JD\/1/);
    for (const path of ['../etc/passwd', 'data/../x', 'bagit.txt', 'data/viewer/index.html']) {
      expect(() => renderViewerHtml(m, [...manifest, { path, sha256: sha('x') }])).toThrow();
    }
    expect(() => renderViewerHtml(m, [...manifest, manifest[0]!])).toThrow(/twice/);
  });

  it('summarises binary and oversized EXIF values', () => {
    const rows = flattenExif({
      blob: Buffer.alloc(300),
      big: 'x'.repeat(1000),
      list: [1, 2, 3],
    });
    expect(rows[0]).toEqual(['blob', '(binary data, 300 bytes)']);
    expect(rows[1]![1]).toHaveLength(301);
    expect(rows[2]).toEqual(['list', '1, 2, 3']);
  });
});

describe('viewer HTML: the evidence itself', () => {
  it('lists exhibits with labels in number order: JD2 before JD10', () => {
    const m = model([exhibit(10), exhibit(2), exhibit(1)]);
    m.incidents[0]!.exhibitNumbers = ['JD/10', 'JD/2'];
    for (const e of m.exhibits) e.personIds = ['p1'];
    const data = viewerData(m, manifestOf(m));
    expect(data.exhibits.map((e) => e.number)).toEqual(['JD/1', 'JD/2', 'JD/10']);
    expect(data.incidents.find((i) => i.id === 'inc2')!.exhibitNumbers).toEqual(['JD/2', 'JD/10']);
    expect(data.people[0]!.exhibitNumbers).toEqual(['JD/1', 'JD/2', 'JD/10']);
    // Each exhibit keeps its own thumbnail and file when reordered.
    expect(data.exhibits[2]!.bagPath).toBe('data/evidence/JD-10_shot-10.png');
    expect(data.exhibits[2]!.sha256).toBe(sha('file 10'));
  });

  it('links each exhibit to its own file, relative to the viewer, whatever its name', () => {
    expect(viewerHref('data/evidence/JD-001_shot.png')).toBe('../evidence/JD-001_shot.png');
    expect(viewerHref('data/evidence/JD-002_a b#c?d%e.png')).toBe(
      '../evidence/JD-002_a%20b%23c%3Fd%25e.png',
    );
    expect(viewerHref('data/evidence/JD-003_\u202egnp.exe')).toBe(
      '../evidence/JD-003_%E2%80%AEgnp.exe',
    );
    const m = model();
    expect(viewerData(m, manifestOf(m)).exhibits[0]!.href).toBe('../evidence/JD-1_shot-1.png');
  });

  it('says which reader shows each type of file', () => {
    expect(exhibitKind('image/png')).toBe('image');
    expect(exhibitKind('image/heic')).toBe('other');
    expect(exhibitKind('message/rfc822')).toBe('email');
    expect(exhibitKind('text/plain')).toBe('text');
    expect(exhibitKind('text/html')).toBe('html');
    expect(exhibitKind('audio/mpeg')).toBe('audio');
    expect(exhibitKind('application/pdf')).toBe('other');
  });

  it('carries the region marks, numbered, with their comments', async () => {
    const m = model([
      exhibit(1, {
        regions: [
          { number: 1, x: 1000, y: 2000, w: 300_000, h: 40_000, comment: HOSTILE, createdAt: 'x' },
          { number: 2, x: 0, y: 0, w: 1_000_000, h: 1_000_000, comment: '', createdAt: 'y' },
        ],
      }),
    ]);
    const html = await viewerHtml(m, manifestOf(m));
    expect(island(html).exhibits[0]!.regions).toEqual([
      { number: 1, x: 1000, y: 2000, w: 300_000, h: 40_000, comment: HOSTILE },
      { number: 2, x: 0, y: 0, w: 1_000_000, h: 1_000_000, comment: '' },
    ]);
    expect(html).not.toContain('<img');
  });

  it('keeps GPS and location rows apart from the EXIF table, to be shown only on request', () => {
    const m = model([
      exhibit(1, {
        exif: {
          ifd0: { Make: 'Apple' },
          gps: { latitude: 51.5, longitude: -0.14, GPSAltitude: 12 },
          exif: { SubjectLocation: [1, 2] },
        },
        sensitive: ['gps'],
      }),
    ]);
    const x = viewerData(m, manifestOf(m)).exhibits[0]!;
    expect(x.exif).toEqual([['ifd0 · Make', 'Apple']]);
    expect(x.location).toEqual([
      ['gps · latitude', '51.5'],
      ['gps · longitude', '-0.14'],
      ['gps · GPSAltitude', '12'],
      ['exif · SubjectLocation', '1, 2'],
    ]);
    expect(x.locationWithheld).toBe(false);
  });

  it('shows no location row when the exporter withheld it, and says so (issue 15)', () => {
    // The export leaves location fields out of a withheld exhibit's EXIF; the viewer, given one
    // anyway, shows none of them.
    const m = model([
      exhibit(1, {
        exif: { ifd0: { Make: 'Apple' }, gps: { latitude: 51.5, longitude: -0.14 } },
        sensitive: ['gps'],
        location: 'withheld',
      }),
    ]);
    const x = viewerData(m, manifestOf(m)).exhibits[0]!;
    expect(x.locationWithheld).toBe(true);
    expect(x.location).toEqual([]);
    expect(x.exif).toEqual([['ifd0 · Make', 'Apple']]);
    expect(PAGE_SCRIPT).toContain('Location withheld by the exporter');
  });
});

describe('viewer time wording', () => {
  it('always names the zone, or says none was recorded', () => {
    expect(timeText('2024-03-05T14:02:11.000Z')).toBe('Tuesday 5 March 2024, 14:02:11 UTC');
    expect(timeText('2024-03-09T23:10:42+01:00')).toBe(
      'Saturday 9 March 2024, 23:10:42 UTC+01:00 (Saturday 9 March 2024, 22:10:42 UTC)',
    );
    expect(timeText('2024-03-09T23:10:42')).toBe(
      'Saturday 9 March 2024, 23:10:42 (local time; no time zone was recorded)',
    );
    expect(timeText('2026-03-09T21:30')).toBe(
      'Monday 9 March 2026, 21:30 (local time; no time zone was recorded)',
    );
    expect(timeText('2026-03-09')).toBe('Monday 9 March 2026 (date only, no time given)');
    expect(timeText('yesterday\u202E')).toBe(
      'yesterday\\u{202e} (as recorded; not a date this page can read)',
    );
    expect(timeText('2024-02-30')).toContain('not a date');
  });

  it('words the gap between incidents as the app does: hours are "about" without a zone', () => {
    const gaps = (times: string[]): (string | null)[] => {
      const m = model();
      m.incidents = times.map((occurredAt, i) => ({ ...m.incidents[0]!, id: `i${i}`, occurredAt }));
      return viewerData(m, manifestOf(m)).incidents.map((i) => i.gapText);
    };
    expect(gaps(['2024-03-04T09:00:00Z', '2024-03-04T12:10:00+01:00'])).toEqual([
      null,
      'Same day, 2 hours later.',
    ]);
    expect(gaps(['2024-03-04T09:00:00Z', '2024-03-04T09:20:00Z'])[1]).toBe(
      'Same day, 20 minutes later.',
    );
    expect(gaps(['2024-03-04T09:00', '2024-03-04T12:00'])[1]).toBe(
      'Same day, about 3 hours later.',
    );
    expect(gaps(['2024-03-04', '2024-03-04'])[1]).toBe('Same day.');
    expect(gaps(['2024-03-04', '2024-03-05T10:00'])[1]).toBe('The next day.');
  });

  it('shows an instant in UTC and in the local zone of the time', () => {
    expect(instantText('2024-03-05T23:30:00.000Z', 120)).toBe(
      'Tuesday 5 March 2024, 23:30:00 UTC (Wednesday 6 March 2024, 01:30:00 local time, UTC+02:00)',
    );
    expect(instantText('2024-03-05T12:00:00Z', -300)).toContain('07:00:00 local time, UTC-05:00');
    expect(instantText('2024-03-05T12:00:00Z', 0)).toBe('Tuesday 5 March 2024, 12:00:00 UTC');
  });
});

describe('viewer SHA-256 fallback (page code) matches node:crypto', () => {
  it('known answers, including the padding edges', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000]) {
      const data = Buffer.alloc(n, 0x61);
      expect(new Sha256().update(data).hex()).toBe(createHash('sha256').update(data).digest('hex'));
    }
    expect(new Sha256().update(Buffer.from('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives the same digest however the input is split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat(700), { maxLength: 6 }),
        (bytes, cuts) => {
          const h = new Sha256();
          let at = 0;
          for (const c of [...cuts].sort((a, b) => a - b)) {
            const end = Math.min(c, bytes.length);
            if (end >= at) {
              h.update(bytes.subarray(at, end));
              at = end;
            }
          }
          h.update(bytes.subarray(at));
          expect(h.hex()).toBe(createHash('sha256').update(bytes).digest('hex'));
        },
      ),
    );
  });
});

describe('viewer size', () => {
  it('stays small per exhibit without previews', async () => {
    const many = model(Array.from({ length: 100 }, (_, i) => exhibit(i + 1)));
    const html = await viewerHtml(many, manifestOf(many));
    const perExhibit = (html.length - PAGE_SCRIPT.length - PAGE_STYLE.length) / 100;
    expect(perExhibit).toBeLessThan(3000);
  });
});
