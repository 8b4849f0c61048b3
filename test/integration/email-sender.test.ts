import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const email = (from: string, body: string) =>
  [
    `From: ${from}`,
    'To: office@example.org',
    'Subject: again',
    'Date: Tue, 3 Mar 2026 21:14:00 +0100',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');

describe("an email's sender is linked to the person who has that address", async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));
  const add = async (name: string, from: string, body: string) => {
    const path = join(root, name);
    await writeFile(path, email(from, body));
    const r = await vault.add([path]);
    expect(r.added).toBe(1);
    return vault.list().find((i) => i.name === name)!.id;
  };
  const sentBy = () =>
    vault.log().filter((e) => e.action === 'annotate' && /email sender/.test(JSON.stringify(e)));

  it('at import, when the person is already recorded (any case, display name or not)', async () => {
    const person = vault.createPerson({
      name: 'Concerned Parent',
      role: 'harasser',
      identifiers: [{ kind: 'email', value: 'Anon@Example.NET' }],
    });
    const first = await add('one.eml', '"Concerned Parent" <anon@example.net>', 'one');
    const second = await add('two.eml', 'ANON@example.net', 'two');
    const other = await add('three.eml', 'someone@else.example', 'three');
    expect(vault.cases.person(person.id).itemIds.sort()).toEqual([first, second].sort());
    expect(vault.cases.person(person.id).itemIds).not.toContain(other);
    expect(sentBy().map((e) => e.subjects)).toEqual([
      [first, person.id],
      [second, person.id],
    ]);
  });

  it('when a person is recorded or given the address later, for emails already in the vault', async () => {
    const earlier = await add('four.eml', 'Throwaway <throwaway81@mail.example>', 'four');
    const later = vault.createPerson({ name: '@throwaway_81', role: 'harasser' });
    expect(vault.cases.person(later.id).itemIds).toEqual([]);
    vault.updatePerson(later.id, {
      identifiers: [{ kind: 'email', value: 'throwaway81@mail.example' }],
    });
    expect(vault.cases.person(later.id).itemIds).toEqual([earlier]);
    expect(sentBy().at(-1)).toMatchObject({
      subjects: [later.id, earlier],
      details: { what: 'email senders linked to person', relation: 'sender', items: [earlier] },
    });
    // Saving the same address again links nothing twice and logs nothing more.
    const count = sentBy().length;
    vault.updatePerson(later.id, { name: 'Throwaway account' });
    expect(sentBy()).toHaveLength(count);
    expect((await vault.check()).ok).toBe(true);
    await vault.lock();
  });
});
