// Location in XMP alone (an edited photo, a drone's): found in files exiftool wrote, in both
// of XMP's forms (attribute and element), never in a packet without a place, and in linear
// time on hostile packets. examineEvidence flags such a picture as sensitive, as EXIF GPS is.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examineEvidence, itemMetadata, sniffMime } from '../../../main/core/evidence';
import {
  MAX_XMP_LOCATION_FIELDS,
  MAX_XMP_VALUE_CHARS,
  readXmpLocation,
} from '../../../main/core/evidence/xmp-location';
import { exiftool, makePlainJpeg, makeScreenshotPng } from '../../fixtures/evidence';
import { expectLinear } from '../../support/linear';
import { missingTools, skipTitle } from '../../support/tools';

const dir = await mkdtemp(join(tmpdir(), 'dossier-xmp-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const noExiftool = missingTools(['exiftool']);

async function withTags(name: string, bytes: Buffer, tags: string[]): Promise<Buffer> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  await exiftool(['-q', '-overwrite_original', ...tags, path]);
  return readFile(path);
}

const packet = (body: string): Buffer =>
  Buffer.from(
    `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${body}</rdf:RDF></x:xmpmeta>`,
  );

describe.skipIf(noExiftool !== null)(skipTitle('XMP location in real files', noExiftool), () => {
  it('finds GPS written to XMP only (no EXIF GPS), in a JPEG and a PNG', async () => {
    const jpeg = await withTags('xmp-gps.jpg', await makePlainJpeg(), [
      '-XMP-exif:GPSLatitude=53.8008 N',
      '-XMP-exif:GPSLongitude=1.5491 W',
    ]);
    const png = await withTags('xmp-gps.png', await makeScreenshotPng(), [
      '-XMP-exif:GPSLatitude=53.8008 N',
    ]);
    for (const bytes of [jpeg, png]) {
      const found = readXmpLocation(bytes);
      expect(found).not.toBeNull();
      expect(Object.keys(found!).some((k) => /GPSLatitude$/.test(k))).toBe(true);
      expect(Object.values(found!).join(' ')).toMatch(/53,48\.048/);
    }
  });

  it('finds a city and street (photoshop, IPTC Core and the IPTC LocationShown structure)', async () => {
    const jpeg = await withTags('xmp-city.jpg', await makePlainJpeg(), [
      '-XMP-photoshop:City=Leeds',
      '-XMP-iptcCore:Location=12 Acacia Avenue',
      '-XMP-iptcExt:LocationShownSublocation=Flat 3',
    ]);
    const found = readXmpLocation(jpeg)!;
    const values = Object.values(found);
    expect(values).toContain('Leeds');
    expect(values).toContain('12 Acacia Avenue');
    expect(values).toContain('Flat 3');
  });

  it('finds nothing in XMP that names no place, nor in a file without XMP', async () => {
    const titled = await withTags('xmp-title.jpg', await makePlainJpeg(), [
      '-XMP-dc:Title=Car outside',
      '-XMP-dc:Creator=Me',
    ]);
    expect(titled.includes('<rdf:RDF')).toBe(true);
    expect(readXmpLocation(titled)).toBeNull();
    expect(readXmpLocation(await makePlainJpeg())).toBeNull();
  });

  it('examineEvidence flags such a picture as sensitive and keeps the fields in its metadata', async () => {
    const bytes = await withTags('xmp-gps2.jpg', await makePlainJpeg(), [
      '-XMP-exif:GPSLatitude=53.8008 N',
    ]);
    const facts = await examineEvidence({
      head: bytes.subarray(0, 64 * 1024),
      bytes,
      name: 'x.jpg',
      size: bytes.length,
      sniffed: await sniffMime(bytes.subarray(0, 64 * 1024), 'x.jpg'),
    });
    expect(facts.exif).toBeNull();
    expect(facts.sensitive).toEqual(['gps']);
    expect(Object.keys(itemMetadata(facts))).toContain('xmpLocation');

    const plain = await makePlainJpeg();
    const none = await examineEvidence({
      head: plain,
      bytes: plain,
      name: 'y.jpg',
      size: plain.length,
      sniffed: await sniffMime(plain, 'y.jpg'),
    });
    expect(none.sensitive).toEqual([]);
    expect(Object.keys(itemMetadata(none))).not.toContain('xmpLocation');
  });
});

describe('readXmpLocation on packets written by hand', () => {
  it('reads both forms, with entities, and skips namespace declarations and empty values', () => {
    const found = readXmpLocation(
      packet(
        `<rdf:Description rdf:about="" xmlns:location="urn:x" xmlns:exif="http://ns.adobe.com/exif/1.0/"` +
          ` exif:GPSLongitude='1,32.9W' photoshop:State="">` +
          `<exif:GPSLatitude>53,48.0N</exif:GPSLatitude>` +
          `<photoshop:City>Leeds &amp; Bradford &#x2014; &#51;</photoshop:City>` +
          `<dc:title>12 Acacia Avenue</dc:title></rdf:Description>`,
      ),
    );
    expect(found).toEqual({
      'exif:GPSLongitude': '1,32.9W',
      'exif:GPSLatitude': '53,48.0N',
      'photoshop:City': 'Leeds & Bradford \u2014 3',
    });
  });

  it('keeps at most the documented number of fields and characters', () => {
    const many = Array.from(
      { length: 100 },
      (_, i) => `<p:GPSField${i}>${'9'.repeat(500)}</p:GPSField${i}>`,
    );
    const found = readXmpLocation(packet(many.join('')))!;
    expect(Object.keys(found)).toHaveLength(MAX_XMP_LOCATION_FIELDS);
    expect(Object.values(found).every((v) => v.length === MAX_XMP_VALUE_CHARS)).toBe(true);
  });

  it('never throws on damaged packets, and finds nothing where there is no RDF', () => {
    for (const s of [
      '<rdf:RDF',
      '<rdf:RDF <exif:GPSLatitude',
      '<rdf:RDF><exif:GPSLatitude a="',
      '<rdf:RDF><exif:GPSLatitude>&#xFFFFFFF;</exif:GPSLatitude>',
      '<exif:GPSLatitude>53N</exif:GPSLatitude>',
    ]) {
      expect(() => readXmpLocation(Buffer.from(s))).not.toThrow();
    }
    expect(readXmpLocation(Buffer.from('<exif:GPSLatitude>53N</exif:GPSLatitude>'))).toBeNull();
  });

  it('stays linear on hostile packets (unclosed tags, long names, endless attributes)', () => {
    const shapes: [string, (n: number) => string][] = [
      ['unclosed tags', (n) => '<a:b'.repeat(n / 4)],
      ['one long name', (n) => `<${'a'.repeat(n)}`],
      ['one tag of attributes', (n) => `<p:d ${'a:b="c" '.repeat(n / 8)}>`],
      ['unquoted attributes', (n) => `<p:d ${'a:b=c '.repeat(n / 6)}>`],
      ['open quotes', (n) => `<p:d ${'a:b="'.repeat(n / 5)}>`],
      ['entities', (n) => `<p:GPSx>${'&#x1;&amp'.repeat(n / 9)}</p:GPSx>`],
    ];
    for (const [label, make] of shapes) {
      expectLinear(`XMP ${label}`, (n) => {
        const bytes = Buffer.from(`<rdf:RDF>${make(n)}`);
        return () => readXmpLocation(bytes);
      });
    }
  });
});
