import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  openBagSource,
  verifyBag,
  type BagProblem,
  type BagReport,
  type BagSource,
} from '../bagit/verify';
import { DossierError } from '../errors';
import { checkCustody } from './verify-custody';

export interface BundleReport {
  /** True only when the bag is valid and, for a Dossier bundle, the signature and custody chain verify. */
  ok: boolean;
  /** A Dossier bundle (signed); false for a plain third-party BagIt bag. */
  dossierBundle: boolean;
  bag: BagReport;
  /** SHA-256 of the signing public key in the bundle, to compare with the sender's. */
  fingerprint: string | null;
  problems: BagProblem[];
}

/**
 * `dossier verify`: the BagIt checks (completeness, every hash), then, for a Dossier
 * bundle, the Ed25519 signature over the tag manifest, the custody chain and its signed
 * checkpoint, and that items.json agrees with the manifest. Lists every problem.
 */
export async function verifyBundle(
  path: string,
  opts: { passphrase?: string } & Parameters<typeof verifyBag>[1] = {},
): Promise<BundleReport> {
  const source = await openBagSource(path, { passphrase: opts.passphrase });
  try {
    const bag = await verifyBag(source, { onProgress: opts.onProgress, signal: opts.signal }).catch(
      (e: unknown) => {
        if (!opts.signal?.aborted) throw e;
        throw new DossierError(
          'USAGE',
          'The check of the bundle was cancelled before it finished. Nothing was changed.',
        );
      },
    );
    const problems = [...bag.problems];
    const files = new Set<string>(await source.list());
    const dossierBundle =
      files.has('signature/tagmanifest-sha256.txt.sig') ||
      files.has('signature/dossier-public-key.pem');
    let fingerprint: string | null = null;
    if (dossierBundle) fingerprint = await checkDossierParts(source, files, problems);
    const ok = !problems.some((p) => p.severity === 'error');
    return { ok, dossierBundle, bag, fingerprint, problems };
  } finally {
    await source.close();
  }
}

async function checkDossierParts(
  source: BagSource,
  files: Set<string>,
  problems: BagProblem[],
): Promise<string | null> {
  const err = (file: string | null, message: string): void =>
    void problems.push({ severity: 'error', file, message });
  for (const f of [
    'signature/tagmanifest-sha256.txt.sig',
    'signature/dossier-public-key.pem',
    'tagmanifest-sha256.txt',
  ]) {
    if (!files.has(f)) err(f, `${f} is missing, so the bundle's signature cannot be checked.`);
  }
  if (!files.has('signature/dossier-public-key.pem')) return null;
  let key;
  try {
    key = createPublicKey(await source.readAll('signature/dossier-public-key.pem'));
  } catch {
    err(
      'signature/dossier-public-key.pem',
      'The public key file is damaged: it is not a valid PEM public key.',
    );
    return null;
  }
  const raw = key.export({ format: 'der', type: 'spki' }).subarray(-32);
  const fingerprint = createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(' ');
  if (files.has('signature/tagmanifest-sha256.txt.sig') && files.has('tagmanifest-sha256.txt')) {
    const sig = await source.readAll('signature/tagmanifest-sha256.txt.sig');
    const tm = await source.readAll('tagmanifest-sha256.txt');
    let good = false;
    try {
      good = verify(null, tm, key, sig);
    } catch {
      good = false;
    }
    if (!good) {
      err(
        'signature/tagmanifest-sha256.txt.sig',
        'The signature does not match tagmanifest-sha256.txt under the key in the bundle: the manifests, the signature or the key were changed.',
      );
    }
  }
  if (files.has('data/metadata/custody.jsonl'))
    checkCustody(await source.readAll('data/metadata/custody.jsonl'), key, err);
  else err('data/metadata/custody.jsonl', 'The custody log is missing from the bundle.');
  if (files.has('data/metadata/items.json') && files.has('manifest-sha256.txt')) {
    await checkItemsAgainstManifest(source, err);
  }
  return fingerprint;
}

async function checkItemsAgainstManifest(
  source: BagSource,
  err: (f: string | null, m: string) => void,
): Promise<void> {
  const manifest = new Map<string, string>();
  for (const line of (await source.readAll('manifest-sha256.txt'))
    .toString('utf8')
    .split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line);
    if (m)
      manifest.set(
        decodeURIComponent(m[2]!.replace(/^\.\//, '').replace(/%(?!0A|0D|25)/gi, '%25')),
        m[1]!.toLowerCase(),
      );
  }
  let exhibits: { number?: string; bagPath?: string; sha256?: string }[];
  try {
    exhibits = JSON.parse(
      (await source.readAll('data/metadata/items.json')).toString('utf8'),
    ) as typeof exhibits;
  } catch {
    return err('data/metadata/items.json', 'items.json is not valid JSON.');
  }
  for (const e of exhibits) {
    if (!e.bagPath || !e.sha256) continue;
    const listed = manifest.get(e.bagPath);
    if (listed === undefined)
      err(e.bagPath, `Exhibit ${e.number}: its file is not in manifest-sha256.txt.`);
    else if (listed !== e.sha256)
      err(
        e.bagPath,
        `Exhibit ${e.number}: items.json and manifest-sha256.txt disagree about its SHA-256.`,
      );
  }
}
