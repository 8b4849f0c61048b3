import type { Exhibit, ExhibitPreview } from '../../main/core/export/model';

/** An export-model exhibit with plain defaults, for tests of what reads or draws one. */
export function testExhibit(over: Partial<Exhibit> = {}): Exhibit {
  return {
    number: 'JD1',
    bagPath: 'data/evidence/JD-1_file',
    itemId: '01HQTESTITEM',
    originalName: 'file',
    name: 'file',
    sha256: '0'.repeat(64),
    sha512: '0'.repeat(128),
    size: 1000,
    mime: 'application/octet-stream',
    ingestedAt: '2024-03-09T23:15:00.000Z',
    ingestedOffsetMinutes: 0,
    sourceTimes: { mtime: null, exif: null, email: null },
    width: null,
    height: null,
    tags: [],
    notes: [],
    regions: [],
    metadataProblems: [],
    sensitive: [],
    exif: null,
    preview: null,
    incidentIds: [],
    personIds: [],
    derivedFrom: null,
    ...over,
  };
}

/** An exhibit's preview that is these bytes, as the export model reads one from the vault. */
export function previewOf(jpeg: Buffer): ExhibitPreview {
  return { bytes: jpeg.length, read: () => Promise.resolve(jpeg) };
}
