// The text-recognition queue: bad pictures are marked failed with the reason and the queue
// goes on; pause, resume and read-again through the API; vaults from before schema 11 get
// their pictures queued once (issue 13).
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import type { Db } from '../../main/core/db/database';
import { ADDED_LANGUAGES_FOLDER } from '../../main/core/ocr/engine';
import { MAX_OCR_PIXELS } from '../../main/core/ocr/picture';
import { OcrRunner } from '../../main/core/ocr/runner';
import { rewindSchema } from '../support/schema-rewind';
import { newService, ok } from '../support/service';
import { textPicture } from '../support/text-picture';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/** A PNG whose header claims width × height (the pixel data is a 1 × 1 picture's). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await textPicture([], { width: 1, height: 1 }));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  // The IHDR chunk's CRC covers its type and data (bytes 12..29).
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const require = createRequire(import.meta.url);

const derive = (vault: Vault, id: string) =>
  vault.custody.entriesWith(['derive']).filter((e) => e.subjects.includes(id));

describe('the text-recognition queue', () => {
  it('marks a decompression bomb and a damaged picture failed, with the reason, and goes on', async () => {
    const root = await tempDir();
    const { vault } = await newVault(join(root, 'vault'));
    try {
      const files = {
        'bomb.png': await pngClaiming(50_000, 50_000),
        'damaged.png': (await textPicture(['cut short'], { width: 800, height: 600 })).subarray(
          0,
          400,
        ),
        'good.png': await textPicture(['Kestrel Lane at midnight'], { width: 900, height: 400 }),
      };
      for (const [name, bytes] of Object.entries(files)) await writeFile(join(root, name), bytes);
      await vault.add(Object.keys(files).map((n) => join(root, n)));
      const id = (name: string) => vault.list().find((i) => i.name === name)!.id;
      expect(vault.textRecognitionStatus().queued).toBe(3);

      vault.startTextRecognition();
      await vault.ocr.whenIdle();
      expect(vault.textRecognitionStatus()).toMatchObject({ queued: 0, done: 1, failed: 2 });

      const bomb = vault.ocr.store.reading(id('bomb.png'))!;
      expect(bomb.state).toBe('failed');
      expect(bomb.reason).toContain('50000 × 50000 pixels');
      expect(bomb.reason).toContain(`${MAX_OCR_PIXELS / 1_000_000}.0 megapixels`);
      const damaged = vault.ocr.store.reading(id('damaged.png'))!;
      expect(damaged.state).toBe('failed');
      expect(damaged.reason).toMatch(/damaged|could not be opened/);
      // Each failure is logged with its reason; the good picture after them was read.
      expect(derive(vault, id('bomb.png')).map((e) => e.details.what)).toEqual([
        'text not recognised',
      ]);
      expect(derive(vault, id('bomb.png'))[0]!.details.reason).toBe(bomb.reason);
      expect(vault.ocr.store.reading(id('good.png'))!.text).toContain('Kestrel');
      const rows = vault.items.query({
        sort: 'name',
        order: 'asc',
        offset: 0,
        limit: 10,
        text: 'midnight',
      }).rows;
      expect(rows.map((r) => r.id)).toEqual([id('good.png')]);
    } finally {
      await vault.lock();
    }
  });

  it('marks a picture failed when the engine fails or hangs, and goes on; a removed picture leaves no reading', async () => {
    const root = await tempDir();
    const { vault } = await newVault(join(root, 'vault'));
    try {
      const names = ['crash.png', 'hang.png', 'fine.png'];
      for (const [i, n] of names.entries()) {
        await writeFile(
          join(root, n),
          await textPicture([`picture ${i}`], { width: 300 + i, height: 300 }),
        );
      }
      await vault.add(names.map((n) => join(root, n)));
      const id = (name: string) => vault.list().find((i) => i.name === name)!.id;
      const info = { engine: 'tesseract.js', version: 'test', language: 'eng' };
      // A stand-in engine: throws on crash.png, never answers on hang.png (told by width).
      const runner = new OcrRunner({
        db: (vault as unknown as { db: Db }).db,
        items: vault.items,
        blobs: vault.blobs,
        custody: vault.custody,
        timeoutMs: 300,
        startEngine: async () => {
          return {
            info,
            broken: false,
            recognize: (png: Buffer) => {
              expect(png.subarray(1, 4).toString()).toBe('PNG');
              const n = png.readUInt32BE(16) - 300;
              if (n === 0)
                return Promise.reject(new Error('RuntimeError: memory access out of bounds'));
              if (n === 1) return new Promise<never>(() => undefined);
              return Promise.resolve({
                text: 'picture 2',
                words: [{ t: 'picture', x: 1, y: 2, w: 3, h: 4, c: 90 }],
                confidence: 90,
              });
            },
            terminate: async () => undefined,
          };
        },
      });
      runner.start();
      await runner.whenIdle();
      expect(runner.status()).toMatchObject({ queued: 0, done: 1, failed: 2 });
      expect(runner.store.reading(id('crash.png'))!.reason).toBe(
        'The text-recognition engine failed on this picture (RuntimeError: memory access out of bounds).',
      );
      expect(runner.store.reading(id('hang.png'))!.reason).toMatch(/did not finish this picture/);
      expect(runner.store.reading(id('fine.png'))).toMatchObject({
        state: 'done',
        text: 'picture 2',
      });

      // Removing a picture takes its reading and its search words with it.
      const find = (text: string) =>
        vault.items.query({ sort: 'name', order: 'asc', offset: 0, limit: 10, text }).rows;
      expect(find('picture').map((r) => r.name)).toEqual(['fine.png']);
      await vault.removeItem(id('fine.png'), 'added by mistake');
      expect(find('picture')).toEqual([]);
      expect(runner.status()).toMatchObject({ done: 0, failed: 2 });
    } finally {
      await vault.lock();
    }
  });

  it('stops the queue, never the process, when nothing can be written; the picture stays queued', async () => {
    const root = await tempDir();
    const { vault } = await newVault(join(root, 'vault'));
    try {
      await writeFile(
        join(root, 'a.png'),
        await textPicture(['words'], { width: 300, height: 300 }),
      );
      await vault.add([join(root, 'a.png')]);
      const full = Object.assign(Object.create(vault.custody) as typeof vault.custody, {
        append: () => {
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        },
      });
      const runner = new OcrRunner({
        db: (vault as unknown as { db: Db }).db,
        items: vault.items,
        blobs: vault.blobs,
        custody: full,
        startEngine: async () => ({
          info: { engine: 'tesseract.js', version: 'test', language: 'eng' },
          broken: false,
          recognize: async () => ({ text: 'words', words: [], confidence: 0 }),
          terminate: async () => undefined,
        }),
      });
      runner.start();
      await runner.whenIdle();
      expect(runner.lastError).toBe('database or disk is full');
      expect(runner.status()).toMatchObject({ queued: 1, done: 0, failed: 0, running: null });
    } finally {
      await vault.lock();
    }
  });

  it('pauses, resumes and reads again through the API; read-again is logged', async () => {
    const { service, vault, call } = await newService({ readPictures: true });
    try {
      const dir = await tempDir();
      const path = join(dir, 'shot.png');
      await writeFile(path, await textPicture(['Hollybush Primary School'], { height: 400 }));
      // Paused before the import: the service starts the queue after every call.
      await ok(call('ocr.pause'));
      await ok(call('items.add', { paths: [path] }));
      const id = vault.list()[0]!.id;
      expect(await ok(call('ocr.status'))).toMatchObject({
        queued: 1,
        done: 0,
        paused: true,
        running: null,
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(vault.textRecognitionStatus()).toMatchObject({ queued: 1, done: 0 });

      expect(await ok(call('ocr.resume'))).toMatchObject({ paused: false });
      await vault.ocr.whenIdle();
      expect(await ok(call('ocr.status'))).toMatchObject({ queued: 0, done: 1, paused: false });

      const reading = await ok<{ state: string; text: string; words: { t: string }[] }>(
        call('ocr.get', { id }),
      );
      expect(reading.state).toBe('done');
      expect(reading.text).toContain('Hollybush');
      expect(reading.words.map((w) => w.t)).toContain('Hollybush');
      const note = join(dir, 'note.txt');
      await writeFile(note, 'text');
      await ok(call('items.add', { paths: [note] }));
      const noteId = vault.list().find((i) => i.name === 'note.txt')!.id;
      expect(await ok(call('ocr.get', { id: noteId }))).toMatchObject({
        state: 'none',
        text: null,
      });
      const again = await ok<{ queued: number }>(call('ocr.readAgain', { ids: [id] }));
      expect(again.queued).toBe(1);
      await vault.ocr.whenIdle();
      const entries = derive(vault, id).map((e) => e.details.what);
      expect(entries).toEqual(['text recognised', 'text recognition queued', 'text recognised']);
      expect(vault.ocr.store.reading(id)!.state).toBe('done');
      // A language without installed data is refused in words, nothing queued.
      const refused = await call('ocr.readAgain', { language: 'fra' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      expect(derive(vault, id)).toHaveLength(3);
    } finally {
      await service.lock();
    }
  });

  it("gives one picture's reading through ocr.get: waiting, then the words with their boxes", async () => {
    const { service, vault, call } = await newService({ readPictures: true });
    try {
      const dir = await tempDir();
      const shot = join(dir, 'shot.png');
      const note = join(dir, 'note.txt');
      await writeFile(shot, await textPicture(['Hollybush Primary School'], { height: 400 }));
      await writeFile(note, 'not a picture');
      await ok(call('ocr.pause'));
      await ok(call('items.add', { paths: [shot, note] }));
      const id = (name: string) => vault.list().find((i) => i.name === name)!.id;
      expect(await ok(call('ocr.get', { id: id('shot.png') }))).toMatchObject({
        state: 'queued',
        reading: false,
        language: 'eng',
        text: null,
        words: [],
      });
      expect(await ok(call('ocr.get', { id: id('note.txt') }))).toMatchObject({
        state: 'none',
        text: null,
        words: [],
      });
      await ok(call('ocr.resume'));
      await vault.ocr.whenIdle();
      const r = await ok<{
        state: string;
        text: string;
        words: { t: string; x: number; y: number; w: number; h: number; c: number }[];
        width: number;
        height: number;
        engine: string;
        confidence: number;
        finishedAt: string;
      }>(call('ocr.get', { id: id('shot.png') }));
      expect(r).toMatchObject({ state: 'done', width: 1170, height: 400, engine: 'tesseract.js' });
      expect(r.text).toContain('Hollybush');
      const school = r.words.find((w) => w.t === 'School')!;
      // Drawn at x = 50, baseline y = 250, 40 px text: the box is there, in pixels.
      expect(school.y).toBeGreaterThan(200);
      expect(school.y + school.h).toBeLessThan(270);
      expect(school.x).toBeGreaterThan(300);
      expect(school.c).toBeGreaterThan(60);
      expect(r.confidence).toBeGreaterThan(60);
      expect(Date.parse(r.finishedAt)).not.toBeNaN();
      // An unknown id is refused in words.
      const missing = await call('ocr.get', { id: '0'.repeat(26) });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await ok(call('ocr.languages'))).toEqual({
        language: 'eng',
        installed: [{ code: 'eng', name: 'English' }],
      });
      // Setting the language: one without data is refused in words; the same one logs nothing.
      const changes = () => vault.custody.entriesWith(['settings-change']).length;
      const before = changes();
      expect(await call('ocr.setLanguage', { language: 'fra' })).toMatchObject({
        ok: false,
        error: { code: 'USAGE', message: expect.stringContaining('"fra"') },
      });
      expect(await ok(call('ocr.setLanguage', { language: 'eng' }))).toMatchObject({
        language: 'eng',
      });
      expect(changes()).toBe(before);
      // A change (the store, past the installed check) is logged with before and after.
      vault.ocr.store.setLanguage('fra');
      const entries = vault.custody.entriesWith(['settings-change']);
      expect(entries).toHaveLength(before + 1);
      expect(entries.at(-1)!.details).toEqual({
        before: { ocrLanguage: 'eng' },
        after: { ocrLanguage: 'fra' },
      });
      expect(await ok(call('ocr.languages'))).toMatchObject({ language: 'fra' });
    } finally {
      await service.lock();
    }
  });

  it('reads in a language whose data file was added by hand in the vault folder, its hash logged', async () => {
    const { service, vault, call } = await newService({ readPictures: true });
    try {
      const dir = await tempDir();
      const shot = join(dir, 'shot.png');
      await writeFile(shot, await textPicture(['Kestrel Lane at midnight'], { height: 400 }));
      await ok(call('items.add', { paths: [shot] }));
      await vault.ocr.whenIdle();
      const id = vault.list()[0]!.id;
      // English's own data, under another code ("ukr"): what matters is where it is read from.
      const data = gunzipSync(
        await readFile(
          join(
            dirname(require.resolve('@tesseract.js-data/eng/package.json')),
            '4.0.0_best_int',
            'eng.traineddata.gz',
          ),
        ),
      );
      const folder = join(vault.dir, ADDED_LANGUAGES_FOLDER);
      await mkdir(folder);
      await writeFile(join(folder, 'ukr.traineddata'), data);
      // Not data files: not offered.
      await writeFile(join(folder, 'notes.txt'), 'x');
      await writeFile(join(folder, 'fra.traineddata'), '');
      expect(await ok(call('ocr.languages'))).toEqual({
        language: 'eng',
        installed: [
          { code: 'eng', name: 'English' },
          { code: 'ukr', name: 'Ukrainian' },
        ],
      });
      expect(await call('ocr.readAgain', { language: 'fra' })).toMatchObject({
        ok: false,
        error: { code: 'USAGE', message: expect.stringContaining('ocr-languages') },
      });
      expect(await ok(call('ocr.readAgain', { language: 'ukr' }))).toMatchObject({ queued: 1 });
      await vault.ocr.whenIdle();
      const r = await ok<{ state: string; language: string; text: string; engineVersion: string }>(
        call('ocr.get', { id }),
      );
      expect(r).toMatchObject({ state: 'done', language: 'ukr' });
      expect(r.text).toContain('Kestrel');
      const sha = createHash('sha256').update(data).digest('hex');
      expect(r.engineVersion).toContain(`ukr.traineddata added by hand, sha256 ${sha}`);
      const read = derive(vault, id).filter((e) => e.details.what === 'text recognised');
      expect(read.at(-1)!.details).toMatchObject({
        language: 'ukr',
        engineVersion: r.engineVersion,
      });
      expect(await ok(call('ocr.languages'))).toMatchObject({ language: 'ukr' });
    } finally {
      await service.lock();
    }
  });

  it('queues the pictures of a vault from before schema 11 once, logged once, and keeps its search', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const shot = join(root, 'old.png');
    await writeFile(shot, await textPicture(['Kestrel Lane'], { width: 600, height: 400 }));
    const note = join(root, 'old.txt');
    await writeFile(note, 'the words of a text file');
    await vault.add([shot, note]);
    const key = (await vault.revealKeysWithPassphrase(PASSPHRASE)).sqlcipherKey;
    await vault.lock();
    const db = new Database(join(dir, 'dossier.db'));
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="${key}"`);
    rewindSchema(db, 10);
    db.exec(`DROP TABLE item_search;
      CREATE VIRTUAL TABLE item_search USING fts5(
        item_id UNINDEXED, name, notes, text, tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO item_search (rowid, item_id, name, notes, text)
        SELECT search_rowid, id, name, '', coalesce(extracted_text, '') FROM items;`);
    db.close();

    const reopened = await Vault.unlock(dir, PASSPHRASE, { actor: 'test' });
    try {
      expect(reopened.textRecognitionStatus()).toMatchObject({ queued: 1, done: 0 });
      const queued = reopened.custody
        .entriesWith(['derive'])
        .filter((e) => e.details.what === 'text recognition queued');
      expect(queued.map((e) => e.details)).toEqual([
        { what: 'text recognition queued', by: 'upgrade', images: 1, language: 'eng' },
      ]);
      const find = (text: string) =>
        reopened.items.query({ sort: 'name', order: 'asc', offset: 0, limit: 10, text }).rows;
      expect(find('words').map((r) => r.name)).toEqual(['old.txt']);
      expect(find('Kestrel')).toEqual([]);
      reopened.startTextRecognition();
      await reopened.ocr.whenIdle();
      expect(find('Kestrel').map((r) => r.name)).toEqual(['old.png']);
      expect(reopened.verifyLog().ok).toBe(true);
    } finally {
      await reopened.lock();
    }
    // Not queued again at the next unlock.
    const again = await Vault.unlock(dir, PASSPHRASE, { actor: 'test' });
    expect(again.textRecognitionStatus()).toMatchObject({ queued: 0, done: 1 });
    await again.lock();
  });
});
