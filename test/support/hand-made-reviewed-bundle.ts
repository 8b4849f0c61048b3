// A bundle under review, made by hand (the bundle reader makes the real one from a bundle's
// files): three exhibits, an incident and a message, with the facts a review refers to.
import { createHash } from 'node:crypto';
import type { ReviewedBundle } from '../../main/core/review/reviewed-bundle';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export function handMadeBundle(tag = 'bundle one'): ReviewedBundle {
  return {
    ref: {
      tagManifestSha256: sha(`tagmanifest of ${tag}`),
      bagName: 'Harassment-20261204',
      caseName: 'Harassment',
      signingKeyFingerprint: sha('client key').match(/.{4}/g)!.join(' '),
    },
    exporter: 'Jane Doe',
    exhibits: [
      { label: 'JD1', itemId: 'item-1', sha256: sha('one'), name: 'threat.png', mime: 'image/png' },
      {
        label: 'JD2',
        itemId: 'item-2',
        sha256: sha('two'),
        name: 'email.eml',
        mime: 'message/rfc822',
      },
      {
        label: 'JD3',
        itemId: 'item-3',
        sha256: sha('three'),
        name: 'chat.txt',
        mime: 'text/plain',
      },
    ],
    incidents: [
      { incidentId: 'inc-1', occurredAt: '2026-11-02T21:14:00Z', whatHappened: 'Calls at night' },
    ],
    messages: [
      {
        messageId: 'msg-1',
        exhibit: 'JD3',
        index: 4,
        sender: 'X',
        time: null,
        text: 'you will regret it',
      },
    ],
  };
}
