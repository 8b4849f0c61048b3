/**
 * `dossier review open|ls|show|cat BUNDLE …`: a bundle opened for review, no vault needed
 * (issue 14). Every command verifies the bundle first (core/review/open-bundle.ts) and reads
 * it in place; `ls`, `show` and `cat` answer as they do for a vault, with the same JSON.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DossierError } from '../core';
import { shortSize } from '../../shared/size-text';
import {
  openBundleForReview,
  type OpenedBundle,
  type ReviewProblem,
  type ReviewSummary,
} from '../core/review/open-bundle';
import { checkBundlePassphrase, checkBundlePath } from './arguments';
import type { GlobalOptions, Io } from './commands';
import { EXIT } from './exit-codes';
import { bundleProblemLine, conversationText, itemDetailText, itemLine } from './format';
import { readSecret } from './secrets';

export const REVIEW_USAGE =
  "Usage: `dossier review open BUNDLE [--passphrase-file F] [--json]`, `dossier review ls BUNDLE [--json]`, `dossier review show BUNDLE ID [--json]` or `dossier review cat BUNDLE ID` for a bundle received for review; `dossier review import FILE` or `dossier review comments [ID]` for your adviser's review.";

/** An age file is recognised by its first bytes, whatever it is called. */
async function looksEncrypted(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return false; // a folder, or missing: opening it says which
  }
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString('latin1').startsWith('age-encryption.org/');
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

async function openForReview(g: GlobalOptions, path: string): Promise<OpenedBundle> {
  checkBundlePath(path);
  const full = resolve(path);
  const passphrase =
    g.passphraseFile !== undefined || (await looksEncrypted(full))
      ? await readSecret({
          file: g.passphraseFile,
          envVar: 'DOSSIER_EXPORT_PASSPHRASE',
          prompt: 'Passphrase for the encrypted bundle: ',
        })
      : undefined;
  if (passphrase !== undefined) checkBundlePassphrase(passphrase);
  return openBundleForReview(full, { passphrase });
}

function problemLine(p: ReviewProblem): string {
  const about = p.exhibits.length ? ` [exhibit ${p.exhibits.join(', ')}]` : '';
  return `${bundleProblemLine(p)}${about}`;
}

/** The summary `review open` prints: who made the bundle, what it holds, whether it verifies. */
export function reviewSummaryText(s: ReviewSummary): string {
  const lines = [
    `Bundle        ${s.name}`,
    `Case          ${s.caseName || '—'}`,
    `Exported by   ${s.exporter ?? 'not given'}${s.exportedAt ? ` on ${s.exportedAt}` : ''}`,
    `Exhibits      ${s.exhibits} (incidents ${s.incidents}, people ${s.people}, transcript messages ${s.messages})`,
    `Fingerprint   ${s.fingerprint ?? 'none (the bundle carries no readable signing key)'}`,
  ];
  const errors = s.problems.filter((p) => p.severity === 'error').length;
  if (s.problems.length) lines.push('', ...s.problems.map(problemLine), '');
  if (s.verified) {
    lines.push(
      'Verified: the bundle is complete; every file matches its SHA-256 and SHA-512; the signature, the custody log, the exhibits and the messages verify.',
      'Compare the fingerprint above with the one the client gave you by another route (phone, letter): the bundle is only as trustworthy as that comparison.',
    );
  } else {
    const failing = s.failingExhibits.length
      ? ` Exhibits that fail: ${s.failingExhibits.join(', ')}.`
      : '';
    lines.push(
      `NOT VERIFIED${s.signed ? '' : ', NOT SIGNED'}: ${errors} problem(s) above.${failing} It can still be read, but what fails cannot be relied on.`,
    );
  }
  return lines.join('\n');
}

/** Said on stderr by ls, show and cat when the bundle does not verify. */
function notVerifiedNotice(s: ReviewSummary): string {
  const failing = s.failingExhibits.length ? ` (exhibits ${s.failingExhibits.join(', ')})` : '';
  return `This bundle does NOT verify: ${s.problems.filter((p) => p.severity === 'error').length} problem(s)${failing}. \`dossier review open\` lists them.`;
}

export async function cmdReview(g: GlobalOptions, args: string[], io: Io): Promise<number> {
  const [sub, path, id, ...extra] = args;
  if (sub === undefined || !['open', 'ls', 'show', 'cat'].includes(sub))
    throw new DossierError(
      'USAGE',
      sub === undefined
        ? `Say what to do. ${REVIEW_USAGE}`
        : `Unknown \`review ${sub}\`. ${REVIEW_USAGE}`,
    );
  if (path === undefined)
    throw new DossierError(
      'USAGE',
      `Say which bundle (a folder, .zip or .zip.age). ${REVIEW_USAGE}`,
    );
  const wantsId = sub === 'show' || sub === 'cat';
  if (wantsId && id === undefined)
    throw new DossierError(
      'USAGE',
      `Say which exhibit: its label (JD3), its item id or the start of it. ${REVIEW_USAGE}`,
    );
  if (extra.length > 0 || (!wantsId && id !== undefined))
    throw new DossierError('USAGE', `Too many arguments. ${REVIEW_USAGE}`);
  if (sub === 'cat' && g.json)
    throw new DossierError('USAGE', '`dossier review cat` writes the bytes; it takes no --json.');

  const opened = await openForReview(g, path);
  try {
    const s = opened.summary;
    const ws = opened.workspace;
    if (sub === 'open') {
      io.out(g.json ? JSON.stringify(s, null, 2) : reviewSummaryText(s));
      return s.verified ? EXIT.OK : EXIT.INTEGRITY;
    }
    if (!s.verified) io.err(notVerifiedNotice(s));
    if (sub === 'ls') {
      const items = ws.list();
      const labels = new Map(ws.exhibits().map((e) => [e.itemId, e.label]));
      // The bundle's order (exhibit order), not the import order a vault lists in.
      const order = new Map(ws.exhibits().map((e, i) => [e.itemId, i]));
      items.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      if (g.json) io.out(JSON.stringify(items, null, 2));
      else if (items.length === 0) io.err('The bundle holds no exhibits.');
      else
        for (const i of items) {
          const failing = s.failingExhibits.includes(labels.get(i.id) ?? '') ? '  FAILS' : '';
          io.out(`${(labels.get(i.id) ?? '').padEnd(8)}${itemLine(i)}${failing}`);
        }
      return EXIT.OK;
    }
    const exhibit = ws.exhibit(id!);
    if (sub === 'show') {
      const item = ws.item(exhibit.itemId);
      const conversation = ws.conversations.has(item.id) ? ws.conversation(item.id) : null;
      if (g.json) io.out(JSON.stringify(conversation ? { ...item, conversation } : item, null, 2));
      else {
        io.out(
          `Exhibit     ${exhibit.label}${s.failingExhibits.includes(exhibit.label) ? ' (FAILS verification)' : ''}`,
        );
        io.out(`File        ${exhibit.bagPath}`);
        io.out(itemDetailText(item));
        if (conversation) io.out(conversationText(conversation));
      }
      return EXIT.OK;
    }
    if (process.stdout.isTTY && !exhibit.mime.startsWith('text/')) {
      throw new DossierError(
        'USAGE',
        `Exhibit ${exhibit.label} is ${exhibit.mime} (${shortSize(exhibit.size)}), not text. Redirect it to a file: \`dossier review cat BUNDLE ${exhibit.label} > file\`.`,
      );
    }
    for await (const chunk of ws.verifiedContent(exhibit.itemId)) await io.data(chunk);
    return EXIT.OK;
  } finally {
    await opened.close();
  }
}
