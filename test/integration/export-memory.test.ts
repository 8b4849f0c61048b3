// Issue 11's memory target: an export's peak memory must not grow with the number of
// exhibits. Without timing: the export model holds no preview bytes (each is read from the
// vault when it is drawn), and the viewer page is written as a stream that reads the previews
// one at a time, as it reaches each exhibit.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Exhibit, ExportModel } from '../../main/core/export/model';
import { renderViewerHtml } from '../../main/core/export/viewer';
import { makeScreenshotPng } from '../fixtures/evidence';
import { testExhibit } from '../support/exhibit';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

/** Every Buffer or typed array reachable from `value` (functions are not walked into). */
function bytesIn(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 1;
  return Object.values(value).reduce((n: number, v) => n + bytesIn(v, seen), 0);
}

/** A model of `n` picture exhibits whose previews are `jpeg`, each read counted in `reads`. */
function pictures(n: number, jpeg: Buffer, reads: { count: number }): ExportModel {
  const exhibits = Array.from({ length: n }, (_, i) =>
    testExhibit({
      number: `JD${i + 1}`,
      itemId: `item-${i}`,
      bagPath: `data/evidence/JD-${String(i + 1).padStart(4, '0')}_shot.png`,
      sha256: String(i).padStart(64, '0'),
      mime: 'image/png',
      preview: {
        bytes: jpeg.length,
        read: () => {
          reads.count++;
          return Promise.resolve(Buffer.from(jpeg)); // a new copy, as a read from the vault
        },
      },
    }),
  );
  return {
    caseName: 'Case',
    exportedAt: '2024-04-01T12:00:00.000Z',
    exportedOffsetMinutes: 0,
    exportedTimeZone: 'UTC',
    exporter: '',
    exhibitPrefix: 'JD',
    signingKeyFingerprint: 'abcd',
    signingPublicKeyPem: 'PEM',
    evidenceIndexSha256: '1'.repeat(64),
    exhibits,
    incidents: [],
    people: [],
    custody: [],
    checkpoint: null,
    software: { name: 'Dossier', version: '0' },
  };
}

const manifestOf = (m: ExportModel) =>
  m.exhibits.map((e) => ({ path: e.bagPath, sha256: e.sha256 }));
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(30_000, 7)]);

describe('export memory', () => {
  it('keeps no preview bytes in the export model, and reads each when it is drawn', async () => {
    const root = await tempDir();
    const src = join(root, 'src');
    await mkdir(src);
    for (let i = 0; i < 3; i++)
      await writeFile(join(src, `shot-${i}.png`), await makeScreenshotPng(390, 844, i));
    await writeFile(join(src, 'diary.txt'), 'Tuesday: the car was outside again.\n');
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([src]);
    const seen: Exhibit[] = [];
    const result = await vault.export({
      out: root,
      format: 'dir',
      selection: { all: true },
      bundleContent: (e) => {
        seen.push(e);
        return Promise.resolve({ kind: 'other', reason: 'not drawn in this test' });
      },
    });
    const exhibits = [...new Map(seen.map((e) => [e.itemId, e])).values()];
    expect(exhibits).toHaveLength(4);
    for (const e of exhibits) expect(bytesIn(e), e.originalName).toBe(0);
    const pictures = exhibits.filter((e) => e.mime === 'image/png');
    expect(pictures).toHaveLength(3);
    expect(exhibits.find((e) => e.mime.startsWith('text/'))!.preview).toBeNull();
    // The viewer embeds what each reader gives, read again from the vault.
    const html = await readFile(join(result.path, 'data/viewer/index.html'), 'utf8');
    const island = JSON.parse(
      /<script type="application\/json" id="dossier-data">([\s\S]*?)<\/script>/.exec(html)![1]!,
    ) as { exhibits: { itemId: string; thumbnail: string | null }[] };
    for (const e of pictures) {
      const jpeg = await e.preview!.read();
      expect(jpeg.length).toBe(e.preview!.bytes);
      expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const shown = island.exhibits.find((x) => x.itemId === e.itemId)!;
      expect(shown.thumbnail).toBe(jpeg.toString('base64'));
    }
    await vault.lock();
  }, 60_000);

  it('writes the viewer as a stream, reading each preview only as it reaches its exhibit', async () => {
    const N = 40;
    const reads = { count: 0 };
    const model = pictures(N, JPEG, reads);
    const readsAtChunk: number[] = [];
    let biggest = 0;
    for await (const chunk of renderViewerHtml(model, manifestOf(model))) {
      readsAtChunk.push(reads.count);
      biggest = Math.max(biggest, chunk.length);
    }
    expect(reads.count).toBe(N);
    // Many chunks, none holding more than a couple of previews' worth of text, and the
    // previews read as the page goes rather than all before the first byte.
    expect(readsAtChunk.length).toBeGreaterThan(N / 4);
    expect(biggest).toBeLessThan(4 * JPEG.length);
    expect(readsAtChunk[0]).toBeLessThan(3);
    expect(readsAtChunk.filter((r) => r < N / 2).length).toBeGreaterThan(N / 8);
  });

  it('holds as much memory writing the viewer for 400 pictures as for 40', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    /** The most memory (heap and buffers, after a full collection) held while writing. */
    const held = async (n: number): Promise<number> => {
      const model = pictures(n, JPEG, { count: 0 });
      gc();
      const m0 = process.memoryUsage();
      const base = m0.heapUsed + m0.arrayBuffers;
      let peak = 0;
      let chunks = 0;
      for await (const chunk of renderViewerHtml(model, manifestOf(model))) {
        void chunk;
        if (++chunks % 4 === 0) {
          gc();
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base);
        }
      }
      return peak;
    };
    const small = await held(40);
    const large = await held(400);
    // Built as one string and written after, 400 previews held about 30 MB more than 40.
    expect((large - small) / 1e6).toBeLessThan(4);
  }, 60_000);
});
