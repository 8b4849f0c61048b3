/** Shared by the BagIt tests: a sample bag, zipping a folder, and running age on a pty. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import {
  folderSink,
  zipSink,
  type BagSink,
  type ZipSinkOptions,
} from '../../../main/core/bagit/sink';
import { BagWriter } from '../../../main/core/bagit/writer';
import { missingTools } from '../../support/tools';

export const EVIDENCE = 'data/evidence/JD-1_a.png';
export const ITEMS = 'data/metadata/items.json';
export const KEY_FILE = 'signature/dossier-public-key.pem';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/** A small bag shaped like a Dossier export, written through `sink`. */
export async function writeSampleBag(
  sink: BagSink,
  opts: { bigFile?: number } = {},
): Promise<{
  finalPath: string;
  tagManifest: Buffer;
  tagManifestSha256: string;
  payloadOxum: string;
}> {
  const w = new BagWriter(sink, {
    bagInfo: [
      ['Source-Organization', 'Dossier test'],
      ['Contact-Name', 'A. Person'],
      ['External-Description', 'Two exhibits\nand a second line'],
    ],
    baggingDate: '2024-05-06',
  });
  await w.addPayload(EVIDENCE, Buffer.from('\x89PNG fake image bytes'));
  await w.addPayload(
    'data/evidence/JD-2_recording.m4a',
    chunks(randomBytes(opts.bigFile ?? 3000), 777),
  );
  await w.addPayload(ITEMS, Buffer.from('[{"number":"JD/1"}]\n'));
  await w.addTagFile(
    KEY_FILE,
    Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
  );
  const done = await w.finish();
  await w.addUnlistedTagFile('signature/tagmanifest-sha256.txt.sig', randomBytes(64));
  await w.addUnlistedTagFile('VERIFY.txt', Buffer.from('Run sha256sum -c manifest-sha256.txt\n'));
  return { finalPath: await sink.commit(), ...done };
}

export async function sampleFolderBag(dir: string, name = 'Case-20240506'): Promise<string> {
  return (await writeSampleBag(await folderSink(join(dir, name)))).finalPath;
}

export async function sampleZipBag(
  dir: string,
  name = 'Case-20240506.zip',
  opts: ZipSinkOptions & { bigFile?: number } = {},
): Promise<string> {
  return (await writeSampleBag(await zipSink(join(dir, name), opts), opts)).finalPath;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Zips a bag folder as `<top>/...` (or at the root when top is ''), independently of zipSink. */
export async function zipFolder(
  dir: string,
  zipPath: string,
  top: string,
  zip = new yazl.ZipFile(),
): Promise<string> {
  for (const rel of await listFiles(dir))
    zip.addFile(join(dir, rel), top === '' ? rel : `${top}/${rel}`);
  zip.end();
  await pipeline(zip.outputStream as unknown as NodeJS.ReadableStream, createWriteStream(zipPath));
  return zipPath;
}

export const AGE = '/usr/bin/age';
export { noPty, onPty } from '../../support/pty';
/** Why each reference tool cannot check the bags here, or null (see test/support/tools.ts). */
export const noAge = missingTools(['age']);
export const noUnzip = missingTools(['unzip']);
export const noShaSums = missingTools(['sha256sum', 'sha512sum']);
