import { afterAll, describe, expect, it } from 'vitest';
import { addTestItem } from '../support/seed';
import { failure, newService, ok } from '../support/service';

describe('notes, tags and region marks', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const photo = addTestItem(vault, { name: 'photo.png', mime: 'image/png', tags: ['car'] });
  const pdf = addTestItem(vault, { name: 'letter.pdf', mime: 'application/pdf' });
  const before = vault.items.get(photo);
  const lastEntry = () => vault.log().at(-1)!;
  const searchIds = (text: string) =>
    vault.items
      .query({ text, sort: 'name', order: 'asc', offset: 0, limit: 10 })
      .rows.map((r) => r.id);
  const missing = '0123456789abcdefghjkmnpqrs';

  it('adds a note, logs it, and makes its words searchable', async () => {
    const note = await ok<{ id: string; itemId: string; body: string }>(
      call('items.addNote', { id: photo, body: '  Seen near the kestrel sign  ' }),
    );
    expect(note).toMatchObject({ itemId: photo, body: 'Seen near the kestrel sign' });
    expect(lastEntry()).toMatchObject({
      action: 'annotate',
      subjects: [photo, note.id],
      details: { what: 'note added', note: 'Seen near the kestrel sign' },
    });
    expect(searchIds('kestrel')).toEqual([photo]);
  });

  it('edits a note: the log keeps the old text, search follows the new one', async () => {
    const [note] = vault.items.get(photo).notes;
    const edited = await ok<{ body: string; updatedAt: string; createdAt: string }>(
      call('items.editNote', { noteId: note!.id, body: 'Seen near the heron sign' }),
    );
    expect(edited.body).toBe('Seen near the heron sign');
    expect(lastEntry().details).toEqual({
      what: 'note edited',
      before: 'Seen near the kestrel sign',
      after: 'Seen near the heron sign',
    });
    expect(searchIds('kestrel')).toEqual([]);
    expect(searchIds('heron')).toEqual([photo]);
  });

  it('refuses an empty note and an unknown note or item, in plain words', async () => {
    expect(await failure(call('items.addNote', { id: photo, body: '   ' }))).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/body is empty: a note needs some text/),
    });
    expect(await failure(call('items.addNote', { id: missing, body: 'x' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/That item is not in this vault/),
    });
    expect(await failure(call('items.editNote', { noteId: missing, body: 'x' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/That note is no longer in the vault/),
    });
    expect(
      (await failure(call('items.addNote', { id: photo, body: 'x'.repeat(20_001) }))).message,
    ).toMatch(/too long/);
  });

  it('sets tags exactly (case-insensitive, trimmed) and logs what changed', async () => {
    expect(
      await ok(call('items.setTags', { id: photo, tags: [' Threat ', 'threat', 'night', ''] })),
    ).toEqual(['night', 'Threat']);
    expect(lastEntry().details).toEqual({
      what: 'tags changed',
      added: ['Threat', 'night'],
      removed: ['car'],
    });
    const entries = vault.log().length;
    expect(await ok(call('items.setTags', { id: photo, tags: ['night', 'THREAT'] }))).toEqual([
      'night',
      'Threat',
    ]);
    expect(vault.log()).toHaveLength(entries);
    expect(vault.items.facets().tags.map((t) => t.name)).not.toContain('car');
  });

  it('refuses a tag with a line break, and too many tags', async () => {
    expect(
      (await failure(call('items.setTags', { id: photo, tags: ['two\nlines'] }))).message,
    ).toMatch(/cannot contain line breaks/);
    const many = Array.from({ length: 101 }, (_, i) => `t${i}`);
    expect((await failure(call('items.setTags', { id: photo, tags: many }))).message).toMatch(
      /too many tags/,
    );
  });

  it('marks a region on a picture, shows it in items.get, and removes it', async () => {
    const region = await ok<{ id: string }>(
      call('items.addRegion', { id: photo, x: 0.7, y: 0, w: 0.3, h: 1, comment: 'his car' }),
    );
    const detail = await ok<{ regions: unknown[] }>(call('items.get', { id: photo }));
    expect(detail.regions).toEqual([
      expect.objectContaining({ id: region.id, x: 0.7, w: 0.3, comment: 'his car' }),
    ]);
    expect(lastEntry()).toMatchObject({
      subjects: [photo, region.id],
      details: { what: 'region marked' },
    });
    await ok(call('items.removeRegion', { regionId: region.id }));
    expect(lastEntry().details).toMatchObject({
      what: 'region removed',
      region: { comment: 'his car' },
    });
    expect(vault.itemDetail(photo).regions).toEqual([]);
    expect(await failure(call('items.removeRegion', { regionId: region.id }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/region mark is no longer in the vault/),
    });
  });

  it('stores and logs a region in whole millionths, rounded, inside the picture', async () => {
    const region = await ok<{ id: string; x: number; y: number; w: number; h: number }>(
      call('items.addRegion', { id: photo, x: 0.1234567, y: 1e-7, w: 0.8765433, h: 1e-7 }),
    );
    // 1e-7 of the height rounds to 0, but a mark keeps at least one millionth.
    expect(region).toMatchObject({ x: 0.123457, y: 0, w: 0.876543, h: 0.000001 });
    expect(lastEntry().details).toEqual({
      what: 'region marked',
      region: { x: 123457, y: 0, w: 876543, h: 1, scale: 1_000_000, comment: '' },
    });
    // At the API's edge slack (x + w = 1 + 1e-9), the box still ends at the picture's edge.
    const edge = await ok<{ id: string; x: number; w: number }>(
      call('items.addRegion', { id: photo, x: 0.9999995, y: 0, w: 0.0000005 + 1e-9, h: 1 }),
    );
    expect(edge.x + edge.w).toBeLessThanOrEqual(1);
    expect(edge.w).toBeGreaterThan(0);
    for (const r of [region, edge]) await ok(call('items.removeRegion', { regionId: r.id }));
  });

  it('stores and logs text with a broken UTF-16 pair alike, with U+FFFD', async () => {
    const note = await ok<{ id: string; body: string }>(
      call('items.addNote', { id: photo, body: 'a\ud800b\udfffc' }),
    );
    expect(note.body).toBe('a\ufffdb\ufffdc');
    expect(vault.items.get(photo).notes.find((n) => n.id === note.id)?.body).toBe(
      'a\ufffdb\ufffdc',
    );
    expect(lastEntry().details).toEqual({ what: 'note added', note: 'a\ufffdb\ufffdc' });
  });

  it('refuses a region outside the picture, of no size, or on something not a picture', async () => {
    const msg = async (args: Record<string, unknown>) =>
      (await failure(call('items.addRegion', { id: photo, x: 0, y: 0, w: 0.5, h: 0.5, ...args })))
        .message;
    expect(await msg({ x: 0.6 })).toMatch(/w is too wide: .* right edge/);
    expect(await msg({ y: 0.6 })).toMatch(/h is too tall: .* bottom edge/);
    expect(await msg({ w: 0 })).toMatch(/w must be more than 0/);
    expect(await msg({ x: -0.1 })).toMatch(/x must be between 0 and 1/);
    expect(await msg({ h: 1.5 })).toMatch(/h must be between 0 and 1/);
    expect(
      (await failure(call('items.addRegion', { id: pdf, x: 0, y: 0, w: 0.5, h: 0.5 }))).message,
    ).toMatch(/only be marked on pictures, and this item is a document/);
  });

  it('numbers region marks made in the same millisecond in the order they were made', () => {
    const item = addTestItem(vault, { name: 'two-marks.png', mime: 'image/png' });
    const at = '2026-01-01T00:00:00.000Z';
    const mark = (id: string, comment: string) =>
      vault.annotations.insertRegion({
        id,
        itemId: item,
        x: 0,
        y: 0,
        w: 1,
        h: 1,
        comment,
        createdAt: at,
      });
    mark('zzzzzzzzzzzzzzzzzzzzzzzzzz', 'first');
    mark('00000000000000000000000000', 'second');
    expect(vault.annotations.regionsOf(item).map((r) => r.comment)).toEqual(['first', 'second']);
  });

  it('items.get gives linked incidents and people', async () => {
    const person = vault.createPerson({ name: 'J', role: 'harasser' });
    vault.linkItemPerson(photo, person.id);
    const incident = vault.createIncident({ occurredAt: '2024-03-09' }, { itemIds: [photo] });
    expect(await ok(call('items.get', { id: photo }))).toMatchObject({
      incidentIds: [incident.id],
      personIds: [person.id],
    });
  });

  it('never changes the original or its facts', () => {
    const after = vault.items.get(photo);
    expect({ ...after, tags: [], notes: [] }).toEqual({ ...before, tags: [], notes: [] });
    expect(vault.verifyLog().ok).toBe(true);
  });
});
