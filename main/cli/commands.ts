import { resolve, sep } from 'node:path';
import {
  assertPassphraseStrong,
  DossierError,
  Vault,
  defaultVaultDir,
  type AddReport,
  type RestoreResult,
  type ExportSelection,
  type PersonRole,
  type RemovalResult,
} from '../core';
import { bundlePagesWarning } from '../../shared/bundle-pages';
import { shortSize } from '../../shared/size-text';
import {
  checkBundlePassphrase,
  checkExportPassphrase,
  checkNewPassphrase,
  checkUnlockSecret,
  MESSAGE_AT,
  personIdentifiers,
  type ExportFlags,
  type IncidentFlags,
  type PersonFlags,
} from './arguments';
import { assertCanConfirm, confirm } from './confirm';
import type { DateOrder } from '../core/conversations/types';
import { FORMAT_WORDS } from '../core/conversations/store';
import { exactArgs } from './argv-bytes';
import { EXIT } from './exit-codes';
import {
  addResultJson,
  addResultLine,
  bundleProblemLine,
  checkProblemLine,
  conversationText,
  custodyLine,
  incidentLine,
  itemDetailText,
  itemLine,
  messageJson,
  messageLine,
  personLine,
  printNotices,
  removalLine,
  ProgressBar,
  searchHitJson,
  searchHitParts,
} from './format';
import type { ItemKind } from '../../shared/item-kind';
import type { LibraryRow } from '../core/items/library';
import { searchWords } from '../core/items/repository';
import { markedLine } from './output';
import { ocrAddedText, ocrProgressText, ocrRunText, ocrStatusText, readingText } from './ocr-text';
import type { BundleReport } from '../core/export/verify-bundle';
import type { ExhibitStyle } from '../../shared/exhibit-prefix';
import type { RedactionBox } from '../../shared/redaction';
import type { RedactionSpan } from '../../shared/redaction-text';
import { promptHidden, readSecret } from './secrets';
import { terminalSafe } from './terminal-text';
import type { MarkedText } from './output';

export interface GlobalOptions {
  vault?: string;
  passphraseFile?: string;
  recovery: boolean;
  json: boolean;
  /** Where the vault's notices go (stderr): e.g. "the custody entry could not be written". */
  notify?: (text: string) => void;
}

/** Where a command writes: `out` and `err` take lines of text, `data` raw bytes (cat). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  data: (chunk: Uint8Array) => Promise<void>;
  /** One line of text parts, search matches marked (output.ts escapes and styles them). */
  marked?: (parts: readonly MarkedText[]) => void;
  /** stdout is a terminal that takes styles (not NO_COLOR, not TERM=dumb): matches are bold. */
  terminal?: boolean;
}

const ACTOR = 'cli';

const STDERR: Pick<Io, 'err'> = { err: (t) => process.stderr.write(`${t}\n`) };

export function vaultDir(g: GlobalOptions): string {
  return resolve(g.vault ?? process.env.DOSSIER_VAULT ?? defaultVaultDir());
}

/** The secret that unlocks: the passphrase, or the recovery code with --recovery. */
async function unlockSecret(g: GlobalOptions): Promise<string> {
  const secret = await (g.recovery
    ? readSecret({
        file: g.passphraseFile,
        envVar: 'DOSSIER_RECOVERY_CODE',
        prompt: 'Recovery code: ',
      })
    : readSecret({
        file: g.passphraseFile,
        envVar: 'DOSSIER_PASSPHRASE',
        prompt: `Passphrase for ${vaultDir(g)}: `,
      }));
  checkUnlockSecret(secret, g.recovery);
  return secret;
}

/**
 * The current passphrase (or recovery code) for a change of keys (passwd, recovery --new).
 * One taken from a variable or a file may sit in a shell someone else now uses, so on a
 * terminal it is asked for again; the vault checks whichever it gets against its key slots.
 */
async function currentSecret(g: GlobalOptions): Promise<{ unlock: string; current: string }> {
  const unlock = await unlockSecret(g);
  const given =
    g.passphraseFile !== undefined ||
    !!process.env[g.recovery ? 'DOSSIER_RECOVERY_CODE' : 'DOSSIER_PASSPHRASE'];
  if (!given || !process.stdin.isTTY) return { unlock, current: unlock };
  const current = await promptHidden(
    g.recovery
      ? 'Type the current recovery code to confirm it is you: '
      : 'Type the current passphrase to confirm it is you: ',
  );
  return { unlock, current };
}

/** Unlocks with the passphrase (or the recovery code with --recovery), runs `fn`, always locks. */
export async function withVault<T>(
  g: GlobalOptions,
  fn: (v: Vault) => Promise<T>,
  io: Pick<Io, 'err'> = STDERR,
  secret?: string,
): Promise<T> {
  const dir = vaultDir(g);
  const unlock = secret ?? (await unlockSecret(g));
  const vault = g.recovery
    ? await Vault.unlockWithRecoveryCode(dir, unlock, { actor: ACTOR })
    : await Vault.unlock(dir, unlock, { actor: ACTOR });
  // Said once each, after unlocking and again for any the lock adds.
  let told = 0;
  const tell = (): void => {
    printNotices(vault.notices.slice(told), g.notify ?? io.err);
    told = vault.notices.length;
  };
  tell();
  let result: T;
  try {
    result = await fn(vault);
  } catch (e) {
    // Report the first failure; a lock that also fails (e.g. disk still full) must not hide it.
    await vault.lock().catch(() => undefined);
    tell();
    throw e;
  }
  await vault.lock();
  tell();
  return result;
}

export async function cmdInit(
  g: GlobalOptions,
  dirArg: string | undefined,
  opts: { acceptWeakPassphrase?: string },
  io: Io,
): Promise<number> {
  const dir = resolve(dirArg ?? vaultDir(g));
  const passphrase = await readSecret({
    file: g.passphraseFile,
    envVar: 'DOSSIER_PASSPHRASE',
    prompt: 'Choose a passphrase for the new vault: ',
    confirm: true,
  });
  checkNewPassphrase(passphrase, 'init');
  assertPassphraseStrong(passphrase, opts.acceptWeakPassphrase);
  // Printed once and not kept: whoever runs init sees it (the app keeps it until confirmed).
  const { vault, recoveryCode } = await Vault.create(dir, passphrase, { actor: ACTOR });
  const fingerprint = vault.fingerprint();
  await vault.lock();
  if (g.json) {
    io.out(JSON.stringify({ vault: dir, recoveryCode, fingerprint }));
  } else {
    io.out(
      [
        `Created a new vault at ${dir}`,
        '',
        'Your recovery code (shown this once only):',
        '',
        `    ${recoveryCode}`,
        '',
        'Write it on paper and keep it somewhere safe, away from this computer.',
        'If you forget your passphrase, this code is the only way back in.',
        '',
        `Signing key fingerprint: ${fingerprint}`,
      ].join('\n'),
    );
  }
  return EXIT.OK;
}

export async function cmdAdd(
  g: GlobalOptions,
  paths: string[],
  opts: {
    tags: string[];
    note?: string;
    dateOrder?: DateOrder;
    timeZone?: string;
    /** Wait for the words in the new pictures to be read (--ocr). */
    ocr?: boolean;
  },
  io: Io,
): Promise<number> {
  if (paths.length === 0)
    throw new DossierError(
      'USAGE',
      'Name at least one file or folder to add, e.g. `dossier add ~/Screenshots`.',
    );
  return withVault(g, async (vault) => {
    const bar = !g.json && process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
    let report: AddReport;
    try {
      // Names that are not UTF-8 are passed on as their exact bytes (see argv-bytes.ts).
      report = await vault.add(exactArgs(paths), {
        tags: opts.tags,
        note: opts.note,
        dateOrder: opts.dateOrder,
        timeZone: opts.timeZone,
        onProgress: (p) => bar?.update(p),
        onResult: (r) => {
          bar?.clear();
          io.out(g.json ? JSON.stringify(addResultJson(r)) : addResultLine(r));
        },
      });
    } finally {
      bar?.clear();
    }
    if (!g.json) {
      io.err(
        `${report.added} added${report.withWarnings ? ` (${report.withWarnings} with warnings)` : ''}, ${report.duplicates} already in the vault, ${report.failed} failed${report.skipped ? `, ${report.skipped} skipped` : ''}.`,
      );
    }
    if (opts.ocr) {
      const added = report.results.flatMap((r) => (r.status === 'added' ? [r.id] : []));
      const waiting = vault.ocr.store.queuedAmong(added);
      if (waiting) {
        await readPictures(vault, added, io, g.json);
        if (!g.json) io.err(ocrAddedText(vault, added));
      }
    }
    // A chat export that needs a choice (--date-order, --time-zone) was not stored: a usage
    // matter, said on its line, and the exit status says so.
    const choice = report.results.find((r) => r.status === 'failed' && r.code === 'NEEDS_CHOICE');
    if (choice && choice.status === 'failed') {
      io.err(`dossier: ${choice.error}`);
      return EXIT.USAGE;
    }
    return report.failed > 0 ? EXIT.IO : EXIT.OK;
  });
}

export async function cmdLs(g: GlobalOptions, io: Io): Promise<number> {
  return withVault(g, async (vault) => {
    const items = vault.list();
    if (g.json) io.out(JSON.stringify(items, null, 2));
    else if (items.length === 0)
      io.err('The vault is empty. Add evidence with `dossier add PATH`.');
    else for (const i of items) io.out(itemLine(i));
    return EXIT.OK;
  });
}

/**
 * `dossier search TEXT`: the library's own search (items.query), best match first, one line
 * per hit; `--json` an array of {id, name, kind, snippet, source}. Nothing found is not an
 * error: it is said on stderr, with the count of hits in every case.
 */
export async function cmdSearch(
  g: GlobalOptions,
  text: string,
  opts: { kinds: string[]; tags: string[]; limit: number },
  io: Io,
): Promise<number> {
  return withVault(
    g,
    async (vault) => {
      const rows: LibraryRow[] = [];
      let total = 0;
      // Pages of the API's largest size; nothing changes between them (the vault is ours).
      while (rows.length < opts.limit) {
        const page = vault.items.query({
          text,
          sort: 'relevance',
          order: 'desc',
          kinds: opts.kinds.length ? (opts.kinds as ItemKind[]) : undefined,
          tags: opts.tags.length ? opts.tags : undefined,
          offset: rows.length,
          limit: Math.min(500, opts.limit - rows.length),
        });
        total = page.total;
        rows.push(...page.rows);
        if (page.rows.length === 0 || rows.length >= total) break;
      }
      if (g.json) io.out(JSON.stringify(rows.map(searchHitJson), null, 2));
      else {
        const line = io.marked ?? ((parts) => io.out(markedLine(parts, false)));
        for (const r of rows) line(searchHitParts(r));
      }
      io.err(searchCountLine(vault, text, opts.tags, total, rows.length));
      return EXIT.OK;
    },
    io,
  );
}

/** The count line of a search; with no hit, why, when it can be told. */
function searchCountLine(
  vault: Vault,
  text: string,
  tags: readonly string[],
  total: number,
  shown: number,
): string {
  const n = (k: number): string => k.toLocaleString('en-GB');
  if (total === 0) {
    if (searchWords(text).length === 0)
      return 'No items match: the search has no letters or digits, and only words are searched.';
    const used = new Set(vault.items.facets().tags.map((t) => t.name.toLowerCase()));
    const unknown = tags.map((t) => t.trim()).find((t) => t && !used.has(t.toLowerCase()));
    if (unknown !== undefined) return `No items match: no item has the tag "${unknown}".`;
    return 'No items match.';
  }
  if (shown >= total) return total === 1 ? '1 item matches.' : `${n(total)} items match.`;
  return `${n(total)} items match; the best ${n(shown)} are shown. --limit N shows more.`;
}

export async function cmdShow(g: GlobalOptions, id: string | undefined, io: Io): Promise<number> {
  if (!id)
    throw new DossierError(
      'USAGE',
      'Say which item to show: `dossier show ID` (see `dossier ls`).',
    );
  return withVault(g, async (vault) => {
    const item = vault.item(id);
    // An item read as a conversation (a chat export, a mailbox) carries its summary.
    const conversation = vault.conversations.has(item.id) ? vault.conversation(item.id) : null;
    // The words read in a picture (issue 13); the boxes are in `ocr.get` and the export.
    const r = vault.textReading(item.id);
    const recognisedText =
      r.state === 'none'
        ? null
        : {
            state: r.state,
            language: r.language,
            engine: r.engine,
            engineVersion: r.engineVersion,
            text: r.text,
            confidence: r.confidence,
            finishedAt: r.finishedAt,
            reason: r.reason,
          };
    if (g.json) {
      io.out(
        JSON.stringify(
          { ...item, ...(conversation ? { conversation } : {}), recognisedText },
          null,
          2,
        ),
      );
    } else {
      io.out(itemDetailText(item));
      const reading = readingText(r);
      if (reading) io.out(reading);
      if (conversation) io.out(conversationText(conversation));
      else {
        const format = await vault.readableAsConversation(item.id);
        if (format)
          io.err(
            `This looks like ${FORMAT_WORDS[format]}: \`dossier read ${item.id}\` reads it message by message.`,
          );
      }
    }
    return EXIT.OK;
  });
}

/**
 * `dossier redact ID --box X,Y,W,H:REASON…`, `dossier redact ID --span START,END:REASON…` and
 * `dossier strip-location ID`: a copy for disclosure, stored as a new item derived from the
 * original (docs/redaction.md). Prints the copy's id; --json gives {id, parentId, sha256}.
 */
export async function cmdCopy(
  g: GlobalOptions,
  kind: 'redact' | 'strip-location',
  id: string | undefined,
  cover: { boxes: RedactionBox[] } | { spans: RedactionSpan[] },
  io: Io,
): Promise<number> {
  if (!id) {
    throw new DossierError(
      'USAGE',
      kind === 'redact'
        ? 'Say which item to redact: `dossier redact ID --box X,Y,W,H:REASON` for a picture, `dossier redact ID --span START,END:REASON` for an email or text file (see `dossier ls`).'
        : 'Say which picture to copy without its location: `dossier strip-location ID`.',
    );
  }
  const spans = 'spans' in cover ? cover.spans : null;
  const boxes = 'boxes' in cover ? cover.boxes : [];
  if (kind === 'redact' && spans === null && boxes.length === 0) {
    throw new DossierError(
      'USAGE',
      'Say what to cover: at least one --box X,Y,W,H:REASON (fractions of a picture, 0 to 1), or --span START,END:REASON (a passage of an email or text file, as `dossier redact ID --show-text` numbers it).',
    );
  }
  return withVault(g, async (vault) => {
    const made =
      kind === 'strip-location'
        ? await vault.makeCopyWithoutLocation(id)
        : spans
          ? await vault.makeRedactedTextCopy(id, spans)
          : await vault.makeRedactedCopy(id, boxes);
    // A redacted picture's preview is made after it is saved: before the lock, so that the
    // next command finds it there.
    await vault.whenCopyPreviewsMade();
    if (g.json) {
      io.out(JSON.stringify({ id: made.id, parentId: made.parentId, sha256: made.sha256 }));
    } else {
      io.out(made.id);
      io.err(
        made.alreadyMade
          ? `The same copy was made before: it is "${made.name}". Nothing new was stored.`
          : `Made "${made.name}" (SHA-256 ${made.sha256}), a new item derived from the original, which is unchanged.`,
      );
    }
    return EXIT.OK;
  });
}

/**
 * `dossier redact ID --show-text`: the text an email or text file is redacted in, each line
 * after the offset it starts at, so that a passage's START and END can be found; --json
 * gives {kind, text, attachments}, the text exact.
 */
export async function cmdShowRedactionText(
  g: GlobalOptions,
  id: string | undefined,
  io: Io,
): Promise<number> {
  if (!id) {
    throw new DossierError(
      'USAGE',
      'Say which email or text file: `dossier redact ID --show-text` (see `dossier ls`).',
    );
  }
  return withVault(g, async (vault) => {
    const r = await vault.textForRedaction(id);
    if (g.json) {
      io.out(JSON.stringify(r));
      return EXIT.OK;
    }
    const width = String(r.text.length).length;
    let at = 0;
    for (const line of r.text.split('\n')) {
      io.out(`${String(at).padStart(width)}  ${line}`);
      at += line.length + 1;
    }
    io.err(
      `Each line starts with the offset of its first character. Offsets count UTF-16 code units: most characters are 1, an emoji 2; each line end is 1, and so is a character this terminal shows as an escape (a tab shown as \\t). --span START,END covers from START up to END, not including it (the text has ${r.text.length} in all).` +
        (r.attachments > 0
          ? ` The copy leaves out the email's ${r.attachments === 1 ? 'attachment' : `${r.attachments} attachments`}.`
          : ''),
    );
    return EXIT.OK;
  });
}

/**
 * `dossier read ID [--date-order dmy|mdy] [--time-zone ZONE]`: an item already in the vault
 * read as a conversation. A choice the data cannot settle is NEEDS_CHOICE (exit 2, the flag
 * to give said); nothing is changed then.
 */
export async function cmdRead(
  g: GlobalOptions,
  id: string | undefined,
  opts: { dateOrder?: 'dmy' | 'mdy'; timeZone?: string },
  io: Io,
): Promise<number> {
  if (!id)
    throw new DossierError(
      'USAGE',
      'Say which item to read as a conversation: `dossier read ID` (see `dossier ls`).',
    );
  return withVault(g, async (vault) => {
    const conversation = await vault.readAsConversation(id, {
      dateOrder: opts.dateOrder,
      timeZone: opts.timeZone,
    });
    if (g.json) io.out(JSON.stringify(conversation, null, 2));
    else {
      io.out(conversationText(conversation));
      io.err(
        `Read as a conversation; the file itself is unchanged. List its messages with \`dossier messages ${conversation.itemId}\`.`,
      );
    }
    return EXIT.OK;
  });
}

/** `dossier messages ID [--from DATE] [--to DATE]`: a conversation's messages, in order. */
export async function cmdMessages(
  g: GlobalOptions,
  id: string | undefined,
  opts: { from?: string; to?: string },
  io: Io,
): Promise<number> {
  if (!id)
    throw new DossierError(
      'USAGE',
      'Say which conversation to list: `dossier messages ID` (see `dossier ls`).',
    );
  return withVault(g, async (vault) => {
    const conversation = vault.conversation(id);
    const bounds = { from: opts.from, to: opts.to };
    // A page at a time: a conversation can hold millions of messages, and one message up to
    // a million characters, so pages are small enough to bound memory either way.
    const PAGE = 200;
    let after = -1;
    let count = 0;
    if (g.json) io.out('[');
    for (;;) {
      const page = vault.conversationRange(conversation.itemId, bounds, after, PAGE);
      for (const m of page) {
        if (g.json) {
          io.out(`${count > 0 ? ',' : ''}${JSON.stringify(messageJson(m, conversation.chatFile))}`);
        } else {
          io.out(messageLine(m));
        }
        count++;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.index;
    }
    if (g.json) io.out(']');
    else if (count === 0)
      io.err(
        conversation.messageCount === 0
          ? 'This conversation has no messages.'
          : 'No messages in that date range.',
      );
    return EXIT.OK;
  });
}

export async function cmdCat(g: GlobalOptions, id: string | undefined, io: Io): Promise<number> {
  if (!id) throw new DossierError('USAGE', 'Say which item to write out: `dossier cat ID > file`.');
  return withVault(g, async (vault) => {
    const item = vault.item(id);
    if (process.stdout.isTTY && !item.mime.startsWith('text/')) {
      throw new DossierError(
        'USAGE',
        `Item ${item.id} is ${item.mime}, not text. Redirect it to a file: \`dossier cat ${item.id} > file\`.`,
      );
    }
    for await (const chunk of vault.verifiedContent(item.id)) await io.data(chunk);
    return EXIT.OK;
  });
}

export async function cmdCheck(g: GlobalOptions, io: Io): Promise<number> {
  return withVault(g, async (vault) => {
    const report = await vault.check();
    if (g.json) {
      io.out(JSON.stringify(report, null, 2));
    } else if (report.ok) {
      io.out(
        `All good: ${report.items} items, ${report.blobsChecked} encrypted files (${shortSize(report.bytesChecked)}) decrypted and matched their SHA-256; custody log of ${report.chain.entries} entries verified; database intact.`,
      );
    } else {
      io.out(`${report.problems.length} problem(s) found:`);
      for (const p of report.problems) io.out(checkProblemLine(p));
      const unaccounted = report.problems.some((p) =>
        ['quarantined', 'orphan-blob', 'blob-count'].includes(p.kind),
      );
      const damaged = report.problems.some(
        (p) => !['quarantined', 'orphan-blob', 'blob-count', 'temp-file'].includes(p.kind),
      );
      if (unaccounted) {
        io.out(
          'Nothing was deleted: encrypted files that no item refers to are kept in quarantine/. See them with `dossier quarantine`; `dossier quarantine restore --all` brings them back as items.',
        );
      }
      if (damaged || !unaccounted) {
        io.out(
          'Nothing was changed. Keep this vault folder as it is and restore the damaged files from a backup.',
        );
      }
    }
    return report.ok ? EXIT.OK : EXIT.INTEGRITY;
  });
}

export async function cmdLog(g: GlobalOptions, opts: { verify: boolean }, io: Io): Promise<number> {
  return withVault(g, async (vault) => {
    const entries = vault.log();
    const chain = opts.verify ? vault.verifyLog() : null;
    if (g.json) {
      io.out(JSON.stringify(chain ? { entries, verification: chain } : entries, null, 2));
    } else {
      for (const e of entries) io.out(custodyLine(e));
      if (chain) {
        io.out(
          chain.ok
            ? `Custody log verified: ${chain.entries} entries, every hash and link intact.`
            : `Custody log BROKEN at entry ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}.`,
        );
      }
    }
    return chain && !chain.ok ? EXIT.INTEGRITY : EXIT.OK;
  });
}

export async function cmdPasswd(
  g: GlobalOptions,
  opts: { newPassphraseFile?: string; acceptWeakPassphrase?: string },
  io: Io,
): Promise<number> {
  const readNext = async (): Promise<string> => {
    const next = await readSecret({
      file: opts.newPassphraseFile,
      envVar: 'DOSSIER_NEW_PASSPHRASE',
      fileOption: '--new-passphrase-file',
      prompt: 'New passphrase: ',
      confirm: true,
    });
    checkNewPassphrase(next, 'passwd');
    assertPassphraseStrong(next, opts.acceptWeakPassphrase);
    return next;
  };
  // Given in a file or a variable, the new one is checked before anything is asked or
  // unlocked; typed, it is asked for after the current one, in the order a person expects.
  const given =
    opts.newPassphraseFile || process.env.DOSSIER_NEW_PASSPHRASE ? await readNext() : undefined;
  const { unlock, current } = await currentSecret(g);
  const next = given ?? (await readNext());
  return withVault(
    g,
    async (vault) => {
      await vault.changePassphrase(current, next);
      io.err(
        'Passphrase changed. The recovery code still works. Your evidence was not re-encrypted (it did not need to be).',
      );
      return EXIT.OK;
    },
    io,
    unlock,
  );
}

export async function cmdRecovery(
  g: GlobalOptions,
  opts: { new: boolean },
  io: Io,
): Promise<number> {
  if (!opts.new) {
    throw new DossierError(
      'USAGE',
      '`dossier recovery --new` makes a new recovery code; the old one stops working. Add --new if that is what you want.',
    );
  }
  const { unlock, current } = await currentSecret(g);
  return withVault(
    g,
    async (vault) => {
      const recoveryCode = await vault.newRecoveryCode(current);
      if (g.json) {
        io.out(JSON.stringify({ recoveryCode }));
      } else {
        io.out(
          [
            'Your new recovery code (shown this once only):',
            '',
            `    ${recoveryCode}`,
            '',
            'The old recovery code no longer opens this vault.',
            'Write the new one on paper and keep it somewhere safe, away from this computer.',
          ].join('\n'),
        );
      }
      return EXIT.OK;
    },
    io,
    unlock,
  );
}

export async function cmdKeys(
  g: GlobalOptions,
  opts: { reveal: boolean },
  io: Io,
): Promise<number> {
  if (!opts.reveal) {
    throw new DossierError(
      'USAGE',
      '`dossier keys` prints the secret keys that open this vault without Dossier. Add --reveal if that is what you want.',
    );
  }
  return withVault(g, async (vault) => {
    const keys = vault.revealKeys();
    if (g.json) {
      io.out(JSON.stringify(keys, null, 2));
    } else {
      io.err(
        'WARNING: anyone who sees these keys can read every item in this vault. Do not share them.',
      );
      io.out(`SQLCipher key (PRAGMA key = "…"):  ${keys.sqlcipherKey}`);
      io.out(`age identity (for age -d -i):      ${keys.ageIdentity}`);
      io.out(`age recipient:                     ${keys.ageRecipient}`);
      io.out(`Signing key fingerprint:           ${keys.fingerprint}`);
      io.out(keys.signingPublicKey.trimEnd());
    }
    return EXIT.OK;
  });
}

export async function cmdExport(g: GlobalOptions, opts: ExportFlags, io: Io): Promise<number> {
  if (!opts.out)
    throw new DossierError(
      'USAGE',
      'Say where to write the bundle: `dossier export --out FOLDER --all`.',
    );
  // --encrypt-passphrase-file alone also asks for encryption (as it always has).
  const encrypt = opts.encrypt === true || opts.encryptPassphraseFile !== undefined;
  const format = opts.format ?? (encrypt ? 'zip' : 'dir');
  if (format !== 'dir' && format !== 'zip')
    throw new DossierError('USAGE', '--format is dir or zip.');
  if (encrypt && format !== 'zip') {
    throw new DossierError(
      'USAGE',
      'Only a zip can be encrypted: use --format zip with --encrypt.',
    );
  }
  const chosen = [
    opts.all,
    opts.items.length > 0,
    opts.tags.length > 0,
    opts.incidents.length > 0,
  ].filter(Boolean).length;
  const messageTokens = opts.messages ?? [];
  if (chosen > 1 || (chosen === 0 && messageTokens.length === 0)) {
    throw new DossierError(
      'USAGE',
      'Choose what to export with exactly one of --all, --item ID..., --tag T... or --incident ID... (and, or only, --messages ID,ID).',
    );
  }
  // --messages alone: their conversations are the exhibits (selectItems adds them).
  const selection: ExportSelection | null = opts.all
    ? { all: true }
    : opts.items.length
      ? { itemIds: opts.items }
      : opts.tags.length
        ? { tags: opts.tags }
        : opts.incidents.length
          ? { incidentIds: opts.incidents }
          : null;
  // As `passwd` reads a new passphrase: the file, else the variable, else asked twice.
  const encryptPassphrase = encrypt
    ? await readSecret({
        file: opts.encryptPassphraseFile,
        envVar: 'DOSSIER_EXPORT_PASSPHRASE',
        fileOption: '--encrypt-passphrase-file',
        prompt: 'Passphrase for the encrypted zip (not your vault passphrase): ',
        confirm: true,
      })
    : undefined;
  if (encryptPassphrase !== undefined) checkExportPassphrase(encryptPassphrase);
  return withVault(g, async (vault) => {
    // ITEM:INDEX names a message by its conversation and index (`dossier messages --json`).
    const messageIds = messageTokens.map((m) => {
      const at = MESSAGE_AT.exec(m);
      if (!at) return m;
      const found = vault.conversationMessages(at[1]!, Number(at[2]), 1)[0];
      if (!found || found.index !== Number(at[2]))
        throw new DossierError(
          'NOT_FOUND',
          `--messages ${m}: that conversation has no message with index ${at[2]} (\`dossier messages ${at[1]} --json\` lists them).`,
        );
      return found.id;
    });
    const choices = {
      // Short incident ids as for items (which the vault resolves itself).
      selection:
        selection === null
          ? { itemIds: [] }
          : 'incidentIds' in selection
            ? { incidentIds: selection.incidentIds.map((i) => vault.cases.resolveIncidentId(i)) }
            : selection,
      messageIds: messageIds.length ? messageIds : undefined,
      exhibitPrefix: opts.exhibitPrefix,
      exhibitStyle: opts.exhibitStyle as ExhibitStyle | undefined,
      caseName: opts.caseName,
      exporter: opts.exporter,
      fullPaths: opts.fullPaths === true,
      disclosure: opts.disclosure === true,
    };
    // Where photos were taken is said, and a choice asked for, before anything is written. A
    // disclosure export withholds it unless told otherwise (still said).
    const location = locationNotice(
      await vault.locatedItems(choices),
      opts.location ?? (opts.disclosure ? 'withheld' : undefined),
      io,
      opts.disclosure === true,
    );
    if (opts.disclosure) {
      const byCopies = await vault.locatedOriginalsWithheld(choices);
      if (byCopies.length) {
        io.err(
          `Location: ${byCopies.length === 1 ? '1 original records' : `${byCopies.length} originals record`} where ${byCopies.length === 1 ? 'it was' : 'they were'} taken (GPS); withheld, and disclosed as a copy without it:`,
        );
        for (const x of byCopies.slice(0, LOCATED_SHOWN))
          io.err(`  ${terminalSafe(x.number).padEnd(8)} ${terminalSafe(x.name)}`);
        if (byCopies.length > LOCATED_SHOWN)
          io.err(`  … and ${byCopies.length - LOCATED_SHOWN} more`);
      }
    }
    // A bundle over the family courts' cap is said before the long write starts, not after.
    const long = bundlePagesWarning(await vault.bundlePages({ ...choices, location }), 'before');
    if (long) io.err(long);
    const bar = !g.json && process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
    let result;
    try {
      result = await vault.export({
        // A final separator means "a folder that exists"; resolve() would drop it.
        out:
          resolve(opts.out!) + (/[\\/]$/.test(opts.out!) && resolve(opts.out!) !== sep ? sep : ''),
        format,
        encryptPassphrase,
        ...choices,
        location,
        onProgress: (p) => bar?.update(p),
      });
    } finally {
      bar?.clear();
    }
    const said = bundlePagesWarning(result.bundlePages, 'after');
    // The page count was said before the write, unless it came out otherwise.
    for (const w of result.warnings) if (!(long && w === said)) io.err(w);
    if (g.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      io.out(`Exported ${result.exhibits.length} exhibit(s) to ${terminalSafe(result.path)}`);
      for (const e of result.exhibits)
        io.out(`  ${terminalSafe(e.number).padEnd(8)} ${e.sha256}  ${terminalSafe(e.bagPath)}`);
      if (result.disclosure)
        io.out(
          `Disclosure:                  ${result.disclosure.withheld} original${result.disclosure.withheld === 1 ? '' : 's'} withheld, each represented by its copy (redaction schedule: data/metadata/redactions.csv, and the report)`,
        );
      if (result.messages > 0)
        io.out(
          `Transcripts:                 ${result.messages} message${result.messages === 1 ? '' : 's'} (data/metadata/messages.json)`,
        );
      io.out(`SHA-256 of the tag manifest: ${result.tagManifestSha256}`);
      io.out(`Signing key fingerprint:     ${result.fingerprint}`);
      io.out(
        `Court bundle:                data/report/bundle.pdf (${result.bundlePages} page${result.bundlePages === 1 ? '' : 's'})`,
      );
      io.out(
        'Give the fingerprint to the recipient by another route (phone, letter) so they can check the signature.',
      );
      if (result.format === 'zip.age')
        io.out(
          'The recipient needs the free tool age to open it (https://age-encryption.org; apt install age, brew install age, or the Windows zip from https://github.com/FiloSottile/age/releases): age -d -o bundle.zip FILE.zip.age, then unzip bundle.zip. Tell them the passphrase by another route.',
        );
    }
    return EXIT.OK;
  });
}

/** At most this many located items are named on the terminal (the count is always said). */
const LOCATED_SHOWN = 20;

/**
 * Says which items record where they were taken (GPS) and what the export does with it; with
 * such items and no choice, stops before anything is written (NEEDS_CHOICE, exit 2).
 */
function locationNotice(
  located: readonly { number: string; name: string }[],
  choice: 'withheld' | 'included' | undefined,
  io: Io,
  disclosure = false,
): 'withheld' | 'included' | undefined {
  if (located.length === 0) return choice;
  const n = located.length;
  io.err(
    `Location: ${n === 1 ? '1 item records where it was' : `${n} items record where they were`} taken (GPS):`,
  );
  for (const x of located.slice(0, LOCATED_SHOWN))
    io.err(`  ${terminalSafe(x.number).padEnd(8)} ${terminalSafe(x.name)}`);
  if (n > LOCATED_SHOWN) io.err(`  … and ${n - LOCATED_SHOWN} more`);
  if (!choice)
    throw new DossierError(
      'NEEDS_CHOICE',
      'Nothing was exported. Add --withhold-location to leave the location out of the bundle’s report, metadata and viewer, or --include-location to print it there. Either way the original files keep their own location.',
    );
  io.err(
    choice === 'withheld'
      ? 'Their location is withheld: it is left out of the bundle’s report, metadata and viewer. The original files in data/evidence are unchanged and still hold it.'
      : 'Their location is included: the bundle’s metadata and viewer print it, and the original files hold it too.',
  );
  if (disclosure)
    io.err(
      'They have no copy without location, so they are disclosed as they are. To disclose one without it, make one first: `dossier strip-location ID`.',
    );
  return choice;
}

export async function cmdVerify(
  g: GlobalOptions,
  path: string | undefined,
  io: Io,
): Promise<number> {
  if (!path)
    throw new DossierError(
      'USAGE',
      'Say which bundle to check: `dossier verify PATH` (a folder, .zip or .zip.age).',
    );
  const passphrase = /\.age$/i.test(path)
    ? await readSecret({
        file: g.passphraseFile,
        envVar: 'DOSSIER_EXPORT_PASSPHRASE',
        prompt: 'Passphrase for the encrypted bundle: ',
      })
    : undefined;
  if (passphrase !== undefined) checkBundlePassphrase(passphrase);
  const { verifyBundle } = await import('../core/export/verify-bundle');
  const report = await verifyBundle(resolve(path), { passphrase });
  if (g.json) {
    io.out(JSON.stringify(report, null, 2));
  } else {
    for (const p of report.problems) io.out(bundleProblemLine(p));
    io.out(verifyVerdict(report));
    if (report.ok && report.fingerprint)
      io.out(
        `Signed by the key with fingerprint ${report.fingerprint}: compare it with the one the sender gave you.`,
      );
  }
  return report.ok ? EXIT.OK : EXIT.INTEGRITY;
}

/** The verdict of `dossier verify`: never "complete" with a file absent, never "signed" without a valid signature. */
function verifyVerdict(report: BundleReport): string {
  const { bag } = report;
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const plain = report.dossierBundle ? '' : ' (not a Dossier bundle, no signature)';
  const files = `${bag.payloadFiles} files (${shortSize(bag.payloadBytes)}) match their ${bag.algorithms.join(' and ')} hashes`;
  if (report.ok) {
    return report.dossierBundle
      ? `Verified: ${files}; the bundle is complete; the signature, the custody log and the exhibits' records verify.`
      : `Verified${plain}: ${files}; the bag is complete. Nothing shows who made it.`;
  }
  if (errors === 0) {
    const fetch = bag.absent.some((a) => a.why === 'fetch');
    return `INCOMPLETE${plain}: the ${files}, but ${bag.absent.length} listed file(s) are not in the bag (see the warnings above)${fetch ? '; fetch.txt says where to download them (this check downloads nothing). Fetch them into the bag and check again' : ''}.`;
  }
  if (report.dossierBundle && !report.signed) {
    return `NOT VERIFIED, NOT SIGNED: this bag says it is a Dossier bundle but has no valid signature; ${errors} problem(s) above.`;
  }
  return `NOT VERIFIED${plain}: ${errors} problem(s) above.`;
}

/** `dossier rm ID --reason TEXT [--yes]`, `incident rm`, `person rm`: what and why. */
export interface RemoveFlags {
  reason?: string;
  yes: boolean;
}

function assertReason(opts: RemoveFlags, usage: string): string {
  if (opts.reason === undefined || opts.reason.trim() === '') {
    throw new DossierError(
      'USAGE',
      `Say why with --reason (for example --reason "imported by mistake"): the reason is kept in the custody log. Usage: ${usage}`,
    );
  }
  return opts.reason;
}

/**
 * Asks first (unless --yes), then removes and reports. `describe` runs with the vault open
 * and throws for an unknown id, so nothing is asked about something that is not there.
 */
async function removeConfirmed(
  g: GlobalOptions,
  opts: RemoveFlags,
  io: Io,
  what: string,
  describe: (v: Vault) => string[],
  remove: (v: Vault, reason: string) => Promise<RemovalResult> | RemovalResult,
): Promise<number> {
  const reason = opts.reason!;
  return withVault(g, async (vault) => {
    const lines = describe(vault);
    if (!opts.yes) {
      for (const l of lines) io.err(l);
      if (!(await confirm(`Type yes to remove this ${what}:`))) {
        io.err(`Nothing was removed.`);
        return EXIT.OK;
      }
    }
    const result = await remove(vault, reason);
    io.out(g.json ? JSON.stringify(result, null, 2) : removalLine(result));
    for (const w of result.warnings) io.err(w);
    return EXIT.OK;
  });
}

export async function cmdRm(
  g: GlobalOptions,
  id: string | undefined,
  opts: RemoveFlags,
  io: Io,
): Promise<number> {
  const usage = '`dossier rm ID --reason TEXT [--yes]`.';
  if (!id) throw new DossierError('USAGE', `Say which item to remove: ${usage}`);
  assertReason(opts, usage);
  assertCanConfirm(opts.yes, 'the removal');
  return removeConfirmed(
    g,
    opts,
    io,
    'item',
    (v) => {
      const item = v.item(id);
      return [
        `Remove item ${item.id}: ${terminalSafe(item.name)} (${shortSize(item.size)}, ${terminalSafe(item.mime)}, added ${item.ingestedAt.slice(0, 10)})?`,
        'Its encrypted file is deleted, and it leaves the library, its incidents, people and every future export. This cannot be undone.',
        `The custody log keeps a record of it and your reason: ${terminalSafe(opts.reason!.trim())}`,
      ];
    },
    (v, reason) => v.removeItem(id, reason),
  );
}

export async function cmdRename(
  g: GlobalOptions,
  id: string | undefined,
  name: string | undefined,
  io: Io,
): Promise<number> {
  if (!id || name === undefined)
    throw new DossierError(
      'USAGE',
      'Say which item and its new name: `dossier rename ID "New name.jpg"`.',
    );
  return withVault(g, async (vault) => {
    const before = vault.item(id);
    const item = vault.renameItem(before.id, name);
    if (g.json) io.out(JSON.stringify(item, null, 2));
    else if (item.name === before.name)
      io.err(`Item ${item.id} is already called ${terminalSafe(item.name)}.`);
    else
      io.out(
        `Renamed item ${item.id} to ${terminalSafe(item.name)} (original name: ${terminalSafe(item.originalName ?? before.name)}). The change is in the custody log.`,
      );
    return EXIT.OK;
  });
}

export async function cmdIncident(
  g: GlobalOptions,
  sub: string | undefined,
  opts: IncidentFlags,
  io: Io,
): Promise<number> {
  if (sub !== 'add' && sub !== 'ls') {
    throw new DossierError(
      'USAGE',
      'Use `dossier incident add --when DATE --what TEXT ...`, `dossier incident ls` or `dossier incident rm ID --reason TEXT`.',
    );
  }
  if (sub === 'add' && (!opts.when || !opts.what)) {
    throw new DossierError(
      'USAGE',
      'An incident needs at least --when (e.g. 2026-03-09 or 2026-03-09T21:30) and --what (what happened).',
    );
  }
  return withVault(g, async (vault) => {
    if (sub === 'ls') {
      const incidents = vault.cases.incidents();
      if (g.json) io.out(JSON.stringify(incidents, null, 2));
      else if (incidents.length === 0)
        io.err('No incidents recorded yet. Add one with `dossier incident add`.');
      else {
        for (const i of incidents) io.out(incidentLine(i));
      }
      return EXIT.OK;
    }
    const incident = vault.createIncident(
      {
        occurredAt: opts.when!,
        occurredUntil: opts.until ?? null,
        place: opts.where,
        summary: opts.what,
        impact: opts.impact,
        witnesses: opts.witnesses,
        policeRef: opts.policeRef,
        platformRef: opts.platformRef,
      },
      // Short ids as for items; the vault's own words for an unknown id are meant for the app.
      { itemIds: opts.items, personIds: opts.people.map((p) => vault.cases.resolvePersonId(p)) },
    );
    io.out(
      g.json
        ? JSON.stringify(incident, null, 2)
        : `Recorded incident ${incident.id} (${incident.itemIds.length} item(s) linked).`,
    );
    return EXIT.OK;
  });
}

export async function cmdPerson(
  g: GlobalOptions,
  sub: string | undefined,
  name: string | undefined,
  opts: PersonFlags,
  io: Io,
): Promise<number> {
  if (sub !== 'add' && sub !== 'ls') {
    throw new DossierError(
      'USAGE',
      'Use `dossier person add NAME --role harasser --email E ...`, `dossier person ls` or `dossier person rm ID --reason TEXT`.',
    );
  }
  const roles = ['harasser', 'witness', 'official', 'other'];
  const role = opts.role ?? 'other';
  if (sub === 'add' && !name)
    throw new DossierError(
      'USAGE',
      'Give the person a name: `dossier person add "Name or handle"`.',
    );
  if (!roles.includes(role))
    throw new DossierError('USAGE', `--role is one of ${roles.join(', ')}.`);
  return withVault(g, async (vault) => {
    if (sub === 'ls') {
      const people = vault.cases.people();
      if (g.json) io.out(JSON.stringify(people, null, 2));
      else if (people.length === 0)
        io.err('No people recorded yet. Add one with `dossier person add`.');
      else {
        for (const p of people) io.out(personLine(p));
      }
      return EXIT.OK;
    }
    const person = vault.createPerson({
      name: name!,
      role: role as PersonRole,
      notes: opts.notes,
      identifiers: personIdentifiers(opts),
    });
    io.out(
      g.json
        ? JSON.stringify(person, null, 2)
        : `Recorded ${person.role} ${terminalSafe(person.name)} as ${person.id}.`,
    );
    return EXIT.OK;
  });
}

export async function cmdQuarantine(
  g: GlobalOptions,
  sub: string | undefined,
  names: string[],
  opts: { all: boolean },
  io: Io,
): Promise<number> {
  if (sub === undefined) {
    if (opts.all) throw new DossierError('USAGE', '--all goes with `dossier quarantine restore`.');
    return withVault(
      g,
      async (vault) => {
        const files = await vault.quarantined();
        if (g.json) io.out(JSON.stringify(files, null, 2));
        else if (files.length === 0) io.err('The quarantine is empty.');
        else {
          for (const f of files)
            io.out(`${f.path}  ${shortSize(f.size).padStart(8)}  moved there ${f.movedAt}`);
          io.err(
            `${files.length} encrypted file(s) that no item referred to. Bring them back as items with \`dossier quarantine restore --all\` (or name them).`,
          );
        }
        return EXIT.OK;
      },
      io,
    );
  }
  if (sub !== 'restore') {
    throw new DossierError(
      'USAGE',
      'Use `dossier quarantine` to list, or `dossier quarantine restore NAME... | --all`.',
    );
  }
  if (opts.all === names.length > 0) {
    throw new DossierError(
      'USAGE',
      'Say what to restore: `dossier quarantine restore --all`, or name the files (see `dossier quarantine`).',
    );
  }
  return withVault(
    g,
    async (vault) => {
      const results = await vault.restoreQuarantined(opts.all ? 'all' : names);
      if (g.json) io.out(JSON.stringify(results, null, 2));
      else {
        if (results.length === 0) io.err('The quarantine is empty: nothing to restore.');
        for (const r of results) io.out(restoreLine(r));
      }
      return results.some((r) => r.status === 'left') ? EXIT.INTEGRITY : EXIT.OK;
    },
    io,
  );
}

/** `dossier incident rm ID --reason TEXT [--yes]`: the items and people stay. */
export async function cmdIncidentRm(
  g: GlobalOptions,
  id: string | undefined,
  opts: RemoveFlags,
  io: Io,
): Promise<number> {
  const usage = '`dossier incident rm ID --reason TEXT [--yes]`.';
  if (!id) throw new DossierError('USAGE', `Say which incident to remove: ${usage}`);
  assertReason(opts, usage);
  assertCanConfirm(opts.yes, 'the removal');
  return removeConfirmed(
    g,
    opts,
    io,
    'incident',
    (v) => {
      const inc = v.cases.incident(v.cases.resolveIncidentId(id));
      return [
        `Remove incident ${inc.id}: ${terminalSafe(inc.occurredAt)} ${terminalSafe(inc.place)} — ${terminalSafe(inc.summary.slice(0, 200))}?`,
        `Its links to ${inc.itemIds.length} item(s) and ${inc.personIds.length} person(s) go with it; the items and people stay. This cannot be undone.`,
        `The custody log keeps a record of it and your reason: ${terminalSafe(opts.reason!.trim())}`,
      ];
    },
    (v, reason) => v.removeIncident(v.cases.resolveIncidentId(id), reason),
  );
}

/** `dossier person rm ID --reason TEXT [--yes]`: the items and incidents stay. */
export async function cmdPersonRm(
  g: GlobalOptions,
  id: string | undefined,
  opts: RemoveFlags,
  io: Io,
): Promise<number> {
  const usage = '`dossier person rm ID --reason TEXT [--yes]`.';
  if (!id) throw new DossierError('USAGE', `Say which person to remove: ${usage}`);
  assertReason(opts, usage);
  assertCanConfirm(opts.yes, 'the removal');
  return removeConfirmed(
    g,
    opts,
    io,
    'person',
    (v) => {
      const p = v.cases.person(v.cases.resolvePersonId(id));
      return [
        `Remove ${p.role} ${terminalSafe(p.name)} (${p.id})?`,
        `Their links to ${p.itemIds.length} item(s) and ${p.incidentIds.length} incident(s) go with them; the items and incidents stay. This cannot be undone.`,
        `The custody log keeps a record of them and your reason: ${terminalSafe(opts.reason!.trim())}`,
      ];
    },
    (v, reason) => v.removePerson(v.cases.resolvePersonId(id), reason),
  );
}

function restoreLine(r: RestoreResult): string {
  switch (r.status) {
    case 'restored':
      return `restored   ${r.path} as item ${r.itemId} (${r.name}), SHA-256 ${r.sha256}`;
    case 'already-in-vault':
      return `copy       ${r.path} holds the same bytes as item ${r.itemId}; recorded as a copy of it`;
    case 'preview':
      return `preview    ${r.path} is the preview of item ${r.itemId}; removed from quarantine`;
    case 'left':
      return `LEFT       ${r.reason}`;
  }
}

/**
 * `dossier ocr`: reads the words in the vault's queued pictures until none is left (resuming a
 * paused queue: the person asked for it), with progress on stderr; Ctrl-C stops at once and
 * what is done stays done. `--status` says where the queue stands.
 */
export async function cmdOcr(g: GlobalOptions, opts: { status: boolean }, io: Io): Promise<number> {
  return withVault(g, async (vault) => {
    if (opts.status) {
      const s = vault.textRecognitionStatus();
      io.out(g.json ? JSON.stringify(s) : ocrStatusText(s));
      return EXIT.OK;
    }
    const before = vault.textRecognitionStatus();
    await readPictures(vault, null, io, g.json);
    const after = vault.textRecognitionStatus();
    if (g.json) io.out(JSON.stringify(after));
    else io.err(ocrRunText(before, after));
    return EXIT.OK;
  });
}

/**
 * Runs the queue until it is empty (`only` null) or these items are read, showing progress
 * on stderr: one rewritten line on a terminal; otherwise a line for the first picture, then
 * every 25 pictures or 10 seconds.
 */
async function readPictures(
  vault: Vault,
  only: readonly string[] | null,
  io: Io,
  json: boolean,
): Promise<void> {
  const tty = !json && process.stderr.isTTY;
  const total = vault.textRecognitionStatus().queued;
  let shown = 0;
  let lastLine = Date.now();
  // Not on a terminal (a log): the first picture, then every 25 or every 10 seconds.
  const tooQuiet = (): boolean => Date.now() - lastLine > 10_000;
  const stopOnSignal = (): void => void vault.ocr.stop();
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  // Started first: whenIdle resolves at once when nothing runs.
  vault.ocr.resume();
  const done = new Promise<void>((resolve) => {
    const off = vault.ocr.onProgress((s) => {
      const read = total - s.queued;
      if (tty) process.stderr.write(`\r\x1b[K${ocrProgressText(read, total, s.secondsLeft)}`);
      else if (!json && (shown === 0 || read - shown >= 25 || s.queued === 0 || tooQuiet())) {
        shown = read;
        lastLine = Date.now();
        io.err(ocrProgressText(read, total, s.secondsLeft));
      }
      if (only && vault.ocr.store.queuedAmong(only) === 0) {
        off();
        resolve();
      }
    });
    void vault.ocr.whenIdle().then(() => {
      off();
      resolve();
    });
  });
  try {
    await done;
    if (only) await vault.ocr.stop();
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    if (tty) process.stderr.write('\r\x1b[K');
  }
}
