// An Outlook .msg imported as any file is: recognised by its contents, and its sender, sent
// time and words work as an .eml's do (issue 12).
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LibraryQuery } from '../../main/core/items/library';
import { kindOfMime } from '../../shared/item-kind';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const VECTOR = join(__dirname, '../vectors/msgreader/attachmentFiles.msg');

describe('importing an Outlook message', async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));
  const person = vault.createPerson({
    name: 'Test sender',
    role: 'harasser',
    identifiers: [{ kind: 'email', value: 'HMailUser@hmailserver.test' }],
  });
  // Named as a text file: the name decides nothing.
  const path = join(root, 'not-a-note.txt');
  await copyFile(VECTOR, path);
  const report = await vault.add([path]);
  const result = report.results[0]!;
  if (result.status !== 'added') throw new Error(JSON.stringify(result));
  const item = vault.item(result.id);

  it('is an email, dated by its Date header in the sender offset', () => {
    expect(item.mime).toBe('application/vnd.ms-outlook');
    expect(kindOfMime(item.mime)).toBe('email');
    expect(item.metadata.email).toMatchObject({
      fromAddress: 'hmailuser@hmailserver.test',
      sentAt: '2023-11-01T09:48:31+09:00',
      subject: 'attachmentFiles',
    });
    expect(item.sourceTimes.email).not.toBeNull();
    expect(result.warnings).toEqual([]);
  });

  it('is linked to the person with its sender address, and found by its words', () => {
    expect(vault.cases.person(person.id).itemIds).toEqual([item.id]);
    const base: LibraryQuery = { sort: 'sourceTime', order: 'desc', offset: 0, limit: 50 };
    const found = (text: string) => vault.items.query({ ...base, text }).rows.map((r) => r.id);
    expect(found('attachmentFiles')).toEqual([item.id]);
    expect(found('tif.tif')).toEqual([item.id]);
  });
});
