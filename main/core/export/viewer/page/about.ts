import { NOT_MEANS, SELF } from './claims';
import { facts, h, section } from './dom';
import { webCrypto } from './hashing';
import type { ViewerData } from './viewer-data';

/** What the check proves, what it does not, and how the page computes fingerprints. */
export function aboutSection(data: ViewerData): HTMLElement {
  return section('about', 'What the check proves, and what it does not', [
    h(
      'p',
      null,
      'If every file matches, each file is bit-for-bit the same as when this bundle was made, and each exhibit has the same ' +
        'fingerprint as when it was first imported into Dossier (the custody log records that fingerprint).',
    ),
    h('p', null, NOT_MEANS),
    h('p', null, SELF),
    facts([
      [
        'Exhibit list fingerprint',
        [
          h('span', { class: 'hash' }, data.evidenceIndexSha256),
          ' (SHA-256 of data/metadata/items.json, also printed in the report)',
        ],
      ],
      ['Signing key fingerprint', h('span', { class: 'hash' }, data.signingKeyFingerprint)],
    ]),
    h(
      'p',
      { class: 'muted' },
      'Files up to 512 MB are read whole and fingerprinted with the browser\u2019s built-in SHA-256 (Web Crypto); bigger files are read in ' +
        '8 MB pieces and fingerprinted by this page\u2019s own SHA-256 code. ' +
        (webCrypto()
          ? ''
          : 'This browser does not offer Web Crypto here, so all files use the page\u2019s own code.'),
    ),
  ]);
}
