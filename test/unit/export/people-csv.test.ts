import { describe, expect, it } from 'vitest';
import { peopleCsv } from '../../../main/core/export/metadata-files';

describe('people.csv', () => {
  it('keeps its first columns and adds chat senders as kind:value in chat_ids', () => {
    const out = peopleCsv({
      people: [
        {
          id: 'p1',
          name: 'Alex',
          role: 'harasser',
          notes: '',
          identifiers: [
            { kind: 'email', value: 'alex@example.com' },
            { kind: 'phone', value: '+447700900123' },
            { kind: 'whatsapp', value: '+447700900123' },
            { kind: 'telegram', value: 'user42' },
            { kind: 'instagram', value: 'alex j' },
          ],
        },
      ],
    });
    const [header, row] = out.trimEnd().split('\r\n');
    expect(header).toBe('name,role,emails,handles,phones,notes,person_id,chat_ids');
    expect(row).toBe(
      "Alex,harasser,alex@example.com,,'+447700900123,,p1,whatsapp:+447700900123; telegram:user42; instagram:alex j",
    );
  });
});
