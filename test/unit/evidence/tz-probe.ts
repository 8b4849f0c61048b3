// Run by exif.test.ts in a child process with a chosen TZ: prints readExif's result as JSON,
// plus this process's UTC offset so the test can prove the TZ really differed.
import { readFile } from 'node:fs/promises';
import { readExif } from '../../../main/core/evidence/exif';

const path = process.argv[2];
if (!path) throw new Error('usage: tz-probe <file>');
const result = await readExif(await readFile(path));
process.stdout.write(
  JSON.stringify({ offsetMinutes: new Date(2024, 2, 9).getTimezoneOffset(), result }),
);
