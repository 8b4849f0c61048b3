/**
 * `dossier review import FILE` and `dossier review comments [ID]`: a review from the person's
 * adviser brought into her vault, and what it says (docs/review-format.md, "Importing").
 * Human output goes through the Io of main/cli/output.ts, which escapes it for a terminal.
 */
import { resolve } from 'node:path';
import { DossierError, isDossierError, type Vault } from '../core';
import type {
  AdviserComment,
  AdviserCommentsFor,
  AdviserReviewSummary,
} from '../core/review/review-import';
import { reviewerWords } from '../core/review/review-import';
import { isEncryptedReview } from '../core/review/received-review';
import { withVault, type GlobalOptions, type Io } from './commands';
import { readSecret } from './secrets';

export async function cmdReviewImport(
  g: GlobalOptions,
  path: string | undefined,
  opts: { passphraseFile?: string },
  io: Io,
): Promise<number> {
  if (!path) {
    throw new DossierError(
      'USAGE',
      'Say which review to import: `dossier review import FILE` (a review-….zip, a .zip.age, or the offline viewer’s review-….json).',
    );
  }
  const full = resolve(path);
  // Asked before the vault is unlocked, only for an encrypted review (by its content).
  const passphrase = (await isEncryptedReview(full))
    ? await readSecret({
        file: opts.passphraseFile,
        envVar: 'DOSSIER_EXPORT_PASSPHRASE',
        fileOption: '--review-passphrase-file',
        prompt: 'Passphrase for the encrypted review (your adviser gave it to you): ',
      })
    : undefined;
  return withVault(g, async (vault) => {
    const r = await vault.importReview({ path: full }, { passphrase });
    if (g.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    io.out(r.message);
    if (r.fingerprint) {
      io.out(`Adviser's key fingerprint: ${r.fingerprint}`);
      if (!r.keySeenBefore)
        io.out(
          'Compare it, group by group, with the fingerprint your adviser gave you by phone, letter or in person. If they differ, do not rely on this review.',
        );
    }
    io.out(`Review: ${r.reviewId} (see it with \`dossier review comments\`)`);
    return 0;
  });
}

export async function cmdReviewComments(
  g: GlobalOptions,
  id: string | undefined,
  io: Io,
): Promise<number> {
  return withVault(g, async (vault) => {
    const reviews = vault.adviserReviews;
    if (id !== undefined) {
      const what = resolveTarget(vault, id);
      const comments = reviews.about(what);
      if (g.json) {
        io.out(JSON.stringify(comments, null, 2));
        return 0;
      }
      if (comments.length === 0) io.out(`No review from your adviser says anything about ${id}.`);
      for (const c of comments) printComment(c, io, '');
      return 0;
    }
    const all = reviews.list().map((r) => ({ ...r, comments: reviews.comments(r.id) }));
    if (g.json) {
      io.out(JSON.stringify(all, null, 2));
      return 0;
    }
    if (all.length === 0)
      io.out(
        'No review from an adviser has been imported. Import one with `dossier review import FILE`.',
      );
    for (const r of all) printReview(r, io);
    return 0;
  });
}

/** An item (id or 4+ characters of it), an incident (the same), or a message (its whole id). */
function resolveTarget(vault: Vault, typed: string): AdviserCommentsFor {
  const notFound = (e: unknown): boolean => isDossierError(e, 'NOT_FOUND');
  if (typed.trim().length >= 4) {
    try {
      return { itemId: vault.item(typed).id };
    } catch (e) {
      if (!notFound(e)) throw e;
    }
    try {
      return { incidentId: vault.cases.resolveIncidentId(typed) };
    } catch (e) {
      if (!notFound(e)) throw e;
    }
    try {
      return { messageId: vault.message(typed.trim()).id };
    } catch (e) {
      if (!notFound(e)) throw e;
    }
  }
  throw new DossierError(
    'NOT_FOUND',
    `No item, incident or message in this vault has the id ${typed}. Use an id shown by \`dossier ls\`, \`dossier incident ls\` or \`dossier messages\`.`,
  );
}

function indented(text: string, prefix: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function targetWords(c: AdviserComment): string {
  const t = c.target;
  switch (t.kind) {
    case 'bundle':
      return 'the bundle as a whole';
    case 'exhibit':
      return `exhibit ${t.exhibit} (item ${t.itemId})`;
    case 'incident':
      return `incident ${t.incidentId}`;
    case 'message':
      return `message ${t.index + 1} of exhibit ${t.exhibit} (${t.messageId})`;
  }
}

function printComment(c: AdviserComment, io: Io, pad: string): void {
  const key = c.signed && c.fingerprint ? `signed, key ${c.fingerprint}` : 'unsigned';
  io.out(
    `${pad}From ${reviewerWords(c.reviewer)} (${key}), about ${targetWords(c)}, last changed ${c.updatedAt.slice(0, 16).replace('T', ' ')} UTC:`,
  );
  if (c.statusWords) io.out(`${pad}  Status: ${c.statusWords}`);
  if (c.order !== null) io.out(`${pad}  Proposed place in the exhibit order: ${c.order}`);
  if (c.comment) io.out(`${pad}  Comment:\n${indented(c.comment, `${pad}    `)}`);
  if (c.questions.length) {
    io.out(`${pad}  Questions for you:`);
    for (const q of c.questions) io.out(indented(q, `${pad}    - `));
  }
  if (c.fingerprintChecked)
    io.out(
      `${pad}  The adviser compared the bundle's key fingerprint ${c.fingerprintChecked.fingerprint} with yours (${c.fingerprintChecked.how || 'how not said'}).`,
    );
}

function printReview(r: AdviserReviewSummary & { comments: AdviserComment[] }, io: Io): void {
  io.out(
    `Review ${r.id} from ${reviewerWords(r.reviewer)}, of the bundle “${r.bundle.bagName}” (case “${r.bundle.caseName}”)`,
  );
  io.out(
    r.signed && r.fingerprint
      ? `  Signed with the adviser's key ${r.fingerprint}`
      : '  Unsigned: saved from the offline viewer, so nothing shows who made it',
  );
  io.out(
    `  ${r.entries.toLocaleString('en-GB')} change${r.entries === 1 ? '' : 's'}; imported ${r.importedAt.slice(0, 10)}, saved by the adviser ${r.savedAt.slice(0, 10)}`,
  );
  for (const c of r.comments) printComment(c, io, '  ');
}
