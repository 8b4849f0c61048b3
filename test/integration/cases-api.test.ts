import { afterAll, describe, expect, it } from 'vitest';
import { addTestItem } from '../support/seed';
import { failure, newService, ok } from '../support/service';

interface Incident {
  id: string;
  place: string;
  summary: string;
  occurredAt: string;
  itemIds: string[];
  personIds: string[];
}
interface Person {
  id: string;
  name: string;
  role: string;
  identifiers: { kind: string; value: string }[];
  itemIds: string[];
}

describe('incidents and people through the API', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const a = addTestItem(vault, { name: 'a.png', mime: 'image/png' });
  const b = addTestItem(vault, { name: 'b.eml', mime: 'message/rfc822' });
  const missing = '0123456789abcdefghjkmnpqrs';
  const last = () => vault.log().at(-1)!;
  const incident = await ok<Incident>(
    call('incidents.create', { occurredAt: '2024-03-09', place: 'outside work' }),
  );
  const person = await ok<Person>(call('people.create', { name: 'J. Smith', role: 'harasser' }));

  it('updates only the given incident fields and logs before and after', async () => {
    const updated = await ok<Incident>(
      call('incidents.update', {
        id: incident.id,
        summary: 'Waited by the car',
        place: 'car park',
      }),
    );
    expect(updated).toMatchObject({
      summary: 'Waited by the car',
      place: 'car park',
      occurredAt: '2024-03-09',
    });
    expect(last().details).toEqual({
      what: 'incident updated',
      before: { place: 'outside work', summary: '' },
      after: { place: 'car park', summary: 'Waited by the car' },
    });
    expect(
      (await failure(call('incidents.update', { id: incident.id, occurredAt: 'yesterday' })))
        .message,
    ).toMatch(/"yesterday" is not a date/);
  });

  it('links and unlinks items and people to an incident', async () => {
    const linked = await ok<Incident>(
      call('incidents.link', { id: incident.id, itemIds: [a, b], personIds: [person.id] }),
    );
    expect(linked.itemIds).toEqual([a, b].sort());
    expect(linked.personIds).toEqual([person.id]);
    expect(last().details).toMatchObject({
      what: 'incident linked',
      items: [a, b],
      people: [person.id],
    });
    const unlinked = await ok<Incident>(
      call('incidents.unlink', { id: incident.id, itemIds: [a] }),
    );
    expect(unlinked.itemIds).toEqual([b]);
    expect(last().details).toMatchObject({ what: 'incident unlinked', items: [a], people: [] });
    expect(vault.itemDetail(b).incidentIds).toEqual([incident.id]);
  });

  it('updates a person, replacing identifiers, and links and unlinks items', async () => {
    const updated = await ok<Person>(
      call('people.update', {
        id: person.id,
        role: 'witness',
        identifiers: [{ kind: 'email', value: 'J.Smith@Example.org' }],
      }),
    );
    expect(updated).toMatchObject({
      name: 'J. Smith',
      role: 'witness',
      identifiers: [{ kind: 'email', value: 'j.smith@example.org' }],
    });
    expect(last().details).toMatchObject({
      what: 'person updated',
      before: { role: 'harasser', identifiers: [] },
    });
    expect(
      (await ok<Person>(call('people.linkItems', { id: person.id, itemIds: [a, b] }))).itemIds,
    ).toEqual([a, b].sort());
    expect(
      (await ok<Person>(call('people.unlinkItems', { id: person.id, itemIds: [b] }))).itemIds,
    ).toEqual([a]);
    expect(last().details).toEqual({ what: 'person unlinked from items', items: [b] });
    expect(
      vault.items
        .query({ personIds: [person.id], sort: 'name', order: 'asc', offset: 0, limit: 9 })
        .rows.map((r) => r.id),
    ).toEqual([a]);
  });

  it('refuses an identifier that belongs to someone else, and an empty name', async () => {
    const other = await ok<Person>(call('people.create', { name: 'Other', role: 'other' }));
    expect(
      (
        await failure(
          call('people.update', {
            id: other.id,
            identifiers: [{ kind: 'email', value: 'j.smith@example.org' }],
          }),
        )
      ).message,
    ).toMatch(/already belongs to another person/);
    expect((await failure(call('people.update', { id: other.id, name: '  ' }))).message).toMatch(
      /needs a name/,
    );
    expect(vault.cases.person(other.id).identifiers).toEqual([]);
  });

  it('answers unknown ids with NOT_FOUND in plain words, and changes nothing', async () => {
    const entries = vault.log().length;
    expect(await failure(call('incidents.update', { id: missing, place: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/That incident is not in this vault/),
    });
    expect(
      await failure(call('incidents.link', { id: incident.id, itemIds: [a, missing] })),
    ).toEqual({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/That item is not in this vault/),
    });
    expect(
      await failure(call('incidents.link', { id: incident.id, personIds: [missing] })),
    ).toEqual({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/That person is not in this vault/),
    });
    expect(await failure(call('people.linkItems', { id: missing, itemIds: [a] }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await failure(call('people.unlinkItems', { id: person.id, itemIds: [missing] })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(vault.log()).toHaveLength(entries);
    expect(vault.cases.incident(incident.id).itemIds).toEqual([b]);
  });
});
