// Text in pictures is read in the background, stored as a machine reading with its custody
// entry, and found by the library search (issue 13).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LibraryQuery } from '../../main/core/items/library';
import { OcrEngine } from '../../main/core/ocr/engine';
import { SCREENSHOT_LINES, textPicture, wordAccuracy } from '../support/text-picture';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const base: LibraryQuery = { sort: 'sourceTime', order: 'desc', offset: 0, limit: 50 };

describe('text recognition', () => {
  it('reads a clean 1170×2532 phone screenshot with at least 95% of its words right', async () => {
    const engine = await OcrEngine.start('eng');
    try {
      const r = await engine.recognize(await textPicture(SCREENSHOT_LINES));
      const accuracy = wordAccuracy(SCREENSHOT_LINES, r.text);
      console.log(`word accuracy on the clean screenshot: ${(accuracy * 100).toFixed(1)}%`);
      expect(accuracy).toBeGreaterThanOrEqual(0.95);
      expect(engine.info).toMatchObject({ engine: 'tesseract.js', language: 'eng' });
      // Boxes are pixels of the picture: "school" sits on the first line, right of x=50.
      const school = r.words.find((w) => w.t.toLowerCase() === 'school')!;
      expect(school.y).toBeGreaterThan(200);
      expect(school.y + school.h).toBeLessThan(270);
      expect(school.x).toBeGreaterThan(400);
      expect(r.confidence).toBeGreaterThan(80);
    } finally {
      await engine.terminate();
    }
  });

  it.runIf(process.platform === 'linux')(
    'runs the engine on its own thread at the lowest priority, and this thread keeps its own',
    async () => {
      // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
      const lowest = async (): Promise<Set<string>> => {
        const out = new Set<string>();
        for (const tid of await readdir('/proc/self/task')) {
          const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => '');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (fields[16] === '19') out.add(tid);
        }
        return out;
      };
      const before = await lowest();
      const engine = await OcrEngine.start('eng');
      try {
        const started = [...(await lowest())].filter((t) => !before.has(t));
        expect(started).toHaveLength(1);
        expect(started[0]).not.toBe(String(process.pid));
        const self = await readFile('/proc/thread-self/stat', 'utf8');
        expect(self.slice(self.lastIndexOf(')') + 2).split(' ')[16]).toBe('0');
      } finally {
        await engine.terminate();
      }
    },
  );

  it('queues pictures at import, reads them in the background, and search finds the words', async () => {
    const root = await tempDir();
    const { vault } = await newVault(join(root, 'vault'));
    try {
      const shot = join(root, 'shot.png');
      await writeFile(shot, await textPicture(SCREENSHOT_LINES));
      const note = join(root, 'note.txt');
      await writeFile(note, 'nothing here');
      const report = await vault.add([shot, note]);
      expect(report.added).toBe(2);
      const id = vault.list().find((i) => i.name === 'shot.png')!.id;
      // Only the picture is queued; import did not wait for it.
      expect(vault.textRecognitionStatus()).toMatchObject({ queued: 1, done: 0, failed: 0 });
      const find = (text: string) => vault.items.query({ ...base, text }).rows;
      expect(find('Hollybush')).toEqual([]);

      vault.startTextRecognition();
      await vault.ocr.whenIdle();
      expect(vault.textRecognitionStatus()).toMatchObject({
        queued: 0,
        done: 1,
        failed: 0,
        running: null,
        secondsLeft: 0,
      });
      const hits = find('Hollybush');
      expect(hits.map((r) => r.id)).toEqual([id]);
      expect(hits[0]!.snippet).toBeTruthy();
      expect(JSON.stringify(hits[0]!.snippet)).toMatch(/Hollybush/);
      expect(find('darkstar77').map((r) => r.id)).toEqual([id]);

      const reading = vault.ocr.store.reading(id)!;
      expect(reading).toMatchObject({ state: 'done', language: 'eng', width: 1170, height: 2532 });
      expect(reading.words.length).toBeGreaterThan(40);
      // The machine reading is never mixed into the person's notes.
      expect(vault.itemDetail(id).notes).toEqual([]);

      const entries = vault.custody.entriesWith(['derive']).filter((e) => e.subjects[0] === id);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.details).toMatchObject({
        what: 'text recognised',
        engine: 'tesseract.js',
        language: 'eng',
        words: reading.words.length,
      });
      expect(entries[0]!.details.engineVersion).toMatch(/^7\.\d+\.\d+ /);
      expect(vault.verifyLog().ok).toBe(true);
    } finally {
      await vault.lock();
    }
  });
});
