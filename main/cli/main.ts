import { parseArgs, type ParseArgsConfig } from 'node:util';
import { asDatabaseError, DossierError, isDossierError, SOFTWARE } from '../core';
import {
  cmdAdd,
  cmdCat,
  cmdCheck,
  cmdExport,
  cmdIncident,
  cmdPerson,
  cmdVerify,
  cmdInit,
  cmdKeys,
  cmdLog,
  cmdLs,
  cmdMessages,
  cmdOcr,
  cmdPasswd,
  cmdRecovery,
  cmdQuarantine,
  cmdRename,
  cmdRm,
  cmdIncidentRm,
  cmdPersonRm,
  cmdSearch,
  cmdShow,
  cmdRead,
  cmdCopy,
  cmdShowRedactionText,
  type GlobalOptions,
  type Io,
} from './commands';
import { parseRedactionBox } from './redaction-boxes';
import { parseRedactionSpan } from './redaction-spans';
import {
  checkAdd,
  checkBundlePath,
  checkExport,
  checkIncident,
  checkItemRef,
  checkMessages,
  checkPerson,
  checkRemoval,
  checkRename,
  checkSearch,
  SEARCH_LIMIT,
  checkRead,
} from './arguments';
import { EXIT, exitCodeFor } from './exit-codes';
import { IDENTIFIER_KINDS } from '../../shared/identifiers';
import { ITEM_KINDS } from '../../shared/item-kind';
import { SEARCH_SOURCES } from '../../shared/search-source';
import { WEAK_PASSPHRASE_OVERRIDE } from '../../shared/passphrase-strength';
import { errorText, OutputClosed, terminalIo } from './output';
import { cmdReviewComments, cmdReviewImport } from './review-import';
import { cmdReview } from './review';

const HELP = `dossier — an encrypted evidence vault (command line)

Usage: dossier [--vault DIR] [--passphrase-file F] [--recovery] COMMAND [options]

Commands:
  init [DIR] [--accept-weak-passphrase "I understand"]
                                  create a vault; prints the recovery code once
  add PATH... [--tag T]... [--note TEXT] [--date-order dmy|mdy] [--time-zone ZONE] [--ocr] [--json]
                                  add files or folders (recursively); chat exports and
                                  mailboxes are read message by message. A WhatsApp export
                                  whose day/month order the data cannot prove needs
                                  --date-order (else exit 2, nothing stored); --time-zone is
                                  the IANA zone its times are in (default: this computer's);
                                  --ocr waits for the words in the new pictures to be read
  ocr [--wait] | ocr --status [--json]
                                  read the words in pictures waiting for it (runs the queue
                                  to its end, progress on stderr; Ctrl-C stops, what is read
                                  stays read); --status says what is read, failed, waiting
  ls [--json]                     list items
  search TEXT [--kind K]... [--tag T]... [--limit N] [--json]
                                  search as the app's library does: names, notes, text,
                                  text read from pictures, tags and messages; best match
                                  first, one line per hit: id, name, where it matched, a
                                  snippet (matches in bold on a terminal). Every word must
                                  match, as typed: quotes, *, -, : are not operators (a
                                  search starting with - goes after --). --kind is one of
                                  ${ITEM_KINDS.join(', ')};
                                  --limit defaults to ${SEARCH_LIMIT.default} hits (at most ${SEARCH_LIMIT.max.toLocaleString('en-GB')}).
                                  --json: [{id, name, kind, snippet, source}], source one of
                                  ${SEARCH_SOURCES.join(', ')}
  show ID [--json]                an item's details (ID may be its first 4+ characters);
                                  a conversation's summary with it
  messages ID [--from DATE] [--to DATE] [--json]
                                  a conversation's messages in order (a date without a zone
                                  is in the conversation's zone); --json gives each with its
                                  byte offset and length in the stored original
  read ID [--date-order dmy|mdy] [--time-zone ZONE] [--json]
                                  read an item already in the vault (a chat export or
                                  mailbox stored as a plain file) as a conversation, from its
                                  stored original; the same choices as add (exit 2 if needed)
  redact ID --box X,Y,W,H:REASON... [--json]
                                  a redacted copy of a picture: each box (fractions 0 to 1
                                  of the picture as shown, from its top left) filled black,
                                  written as a new PNG with no metadata, as a new item; the
                                  original is unchanged. REASON: address, third-party,
                                  children, irrelevant, privileged, or other:WORDS.
                                  --json: {id, parentId, sha256}
  redact ID --span START,END:REASON... [--json]
                                  a redacted copy of an email or text file: each passage of
                                  its text (as --show-text numbers it) replaced by
                                  [REDACTED: reason], written as a new text file, as a new
                                  item; the original is unchanged
  redact ID --show-text [--json]  the text an email or text file is redacted in, each line
                                  with the offset it starts at (UTF-16 code units)
  strip-location ID [--json]      a copy of a picture without its location and other EXIF
                                  or XMP details, as a new item (JPEG, PNG and WebP keep
                                  their image data byte for byte)
  cat ID                          write an item's original bytes to stdout (verified first)
  rm ID --reason TEXT [--yes]     remove an item added by mistake: asks first (unless --yes),
                                  deletes its encrypted file; the custody log keeps a record
  rename ID NAME                  give an item a new name (the original name is kept)
  check [--json]                  full integrity check of the vault
  log [--json] [--verify]         the custody log; --verify checks the hash chain
  passwd [--new-passphrase-file F] [--accept-weak-passphrase "I understand"]
                                  change the passphrase (no data is re-encrypted); on a
                                  terminal the current one is asked for again
  recovery --new [--json]         make a new recovery code (printed once); the old one
                                  stops working; needs the current passphrase
  keys --reveal [--json]          print the keys that open the vault without Dossier
  export --out PATH [--format dir|zip] [--encrypt [--encrypt-passphrase-file F]]
         [--all | --item ID... | --tag T... | --incident ID...] [--messages ID,ID]
         [--exhibit-prefix JD] [--exhibit-style JD1|JD/1] [--case "Case name"]
         [--exporter NAME] [--full-paths] [--withhold-location | --include-location]
         [--disclosure] [--json]
                                  write a signed, hashed evidence bundle (BagIt) into the
                                  folder PATH (which must exist), or as PATH itself (a zip's
                                  name ends in .zip); only file and folder names of sources
                                  unless --full-paths. --encrypt makes a .zip.age (the
                                  recipient opens it with age); its passphrase comes from F,
                                  else DOSSIER_EXPORT_PASSPHRASE, else it is asked twice.
                                  When items record where they were taken (GPS), say whether
                                  the report, metadata and viewer leave it out
                                  (--withhold-location) or print it (--include-location);
                                  the original files keep their own location either way.
                                  --disclosure: each item with a redacted copy or a copy
                                  without location is exported as that copy, its original
                                  withheld and listed in the redaction schedule
                                  (data/metadata/redactions.csv); location withheld unless
                                  --include-location
  incident add --when DATE --what TEXT [--until DATE] [--where TEXT] [--impact TEXT]
         [--witnesses TEXT] [--police-ref REF] [--platform-ref REF] [--item ID]... [--person ID]...
  incident ls [--json]            record what happened, and list the record (every ID may be
                                  its first 4+ characters, for items, incidents and people)
  incident rm ID --reason TEXT [--yes]
                                  remove an incident and its links (the items stay)
  person add NAME [--role harasser|witness|official|other] [--email E]... [--handle H]...
         [--phone P]... [--whatsapp NAME_OR_NUMBER]... [--telegram USER_ID]...
         [--instagram NAME]... [--facebook NAME]... [--notes TEXT]
                                  a chat sender given here makes their messages this
                                  person's (as marking the sender in the app)
  person ls [--json]              the people involved
  person rm ID --reason TEXT [--yes]
                                  remove a person and their links (the items stay)
  quarantine [--json]             encrypted files that no item referred to, kept at unlock
  quarantine restore NAME... | --all [--json]
                                  bring quarantined files back as items (decrypted, hashed,
                                  logged); one that is not this vault's is left in place
  verify PATH [--passphrase-file F] [--json]
                                  check a bundle (folder, .zip or .zip.age); no vault needed;
                                  a .zip.age's passphrase from F, DOSSIER_EXPORT_PASSPHRASE
                                  or asked
  review import FILE [--review-passphrase-file F] [--json]
                                  import a review from your adviser (a review-….zip, a
                                  .zip.age, or the offline viewer's review-….json): checked
                                  whole (signature, hash chain, that it reviews a bundle you
                                  exported) and logged; prints the adviser's key fingerprint
                                  to compare with the one they gave you. A .zip.age's
                                  passphrase from F, DOSSIER_EXPORT_PASSPHRASE or asked
  review comments [ID] [--json]   what your adviser's reviews say: all of it, or about one
                                  item, incident or message
  review open BUNDLE [--passphrase-file F] [--json]
                                  open a bundle received for review, no vault needed:
                                  verify it (exit 4 if anything fails) and print its case,
                                  exporter, exhibits, signing-key fingerprint and every
                                  problem with its file; read in place, nothing written
  review ls BUNDLE [--json] | review show BUNDLE ID [--json] | review cat BUNDLE ID
                                  a bundle's exhibits, as ls, show and cat read a vault's
                                  (ID: the exhibit's label, JD3, or its item id)

Options:
  --vault DIR            the vault folder (or DOSSIER_VAULT; default: your user data folder)
  --passphrase-file F    read the passphrase from a file (or DOSSIER_PASSPHRASE; else asked)
  --recovery             unlock with the recovery code instead of the passphrase
                         (asked, or DOSSIER_RECOVERY_CODE, or --passphrase-file)
  --json                 machine-readable output
  -h, --help             this help
  --version              the version

Environment:
  DOSSIER_VAULT              the vault folder (as --vault)
  DOSSIER_PASSPHRASE         the vault passphrase (as --passphrase-file)
  DOSSIER_RECOVERY_CODE      the recovery code, with --recovery
  DOSSIER_NEW_PASSPHRASE     passwd's new passphrase (as --new-passphrase-file)
  DOSSIER_EXPORT_PASSPHRASE  the passphrase of an encrypted zip: export --encrypt makes
                             one with it, verify opens one with it
  Risk: other programs running as you (and root) can read a process's environment, and
  a variable typed before a command stays in your shell history. They are for scripts and
  tests; a person should let Dossier ask (nothing is echoed).

Exit codes: 0 success, 1 internal error, 2 usage error, 3 wrong passphrase or
recovery code, 4 integrity failure, 5 I/O error (missing file, disk full),
6 vault in use by another Dossier process.
`;

const OPTIONS = {
  vault: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'new-passphrase-file': { type: 'string' },
  'accept-weak-passphrase': { type: 'string' },
  new: { type: 'boolean', default: false },
  recovery: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  tag: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  limit: { type: 'string' },
  note: { type: 'string' },
  'date-order': { type: 'string' },
  'time-zone': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  verify: { type: 'boolean', default: false },
  reveal: { type: 'boolean', default: false },
  out: { type: 'string' },
  format: { type: 'string' },
  'encrypt-passphrase-file': { type: 'string' },
  'review-passphrase-file': { type: 'string' },
  encrypt: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  item: { type: 'string', multiple: true },
  incident: { type: 'string', multiple: true },
  messages: { type: 'string', multiple: true },
  'exhibit-prefix': { type: 'string' },
  'exhibit-style': { type: 'string' },
  case: { type: 'string' },
  exporter: { type: 'string' },
  'full-paths': { type: 'boolean', default: false },
  'include-location': { type: 'boolean', default: false },
  'withhold-location': { type: 'boolean', default: false },
  disclosure: { type: 'boolean', default: false },
  when: { type: 'string' },
  until: { type: 'string' },
  where: { type: 'string' },
  what: { type: 'string' },
  impact: { type: 'string' },
  witnesses: { type: 'string' },
  'police-ref': { type: 'string' },
  'platform-ref': { type: 'string' },
  person: { type: 'string', multiple: true },
  role: { type: 'string' },
  email: { type: 'string', multiple: true },
  handle: { type: 'string', multiple: true },
  phone: { type: 'string', multiple: true },
  whatsapp: { type: 'string', multiple: true },
  telegram: { type: 'string', multiple: true },
  instagram: { type: 'string', multiple: true },
  facebook: { type: 'string', multiple: true },
  notes: { type: 'string' },
  reason: { type: 'string' },
  box: { type: 'string', multiple: true },
  span: { type: 'string', multiple: true },
  'show-text': { type: 'boolean', default: false },
  ocr: { type: 'boolean', default: false },
  status: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

// Which command-specific options each command accepts (global ones are always allowed).
const GLOBAL = ['vault', 'passphrase-file', 'recovery', 'json', 'help', 'version'];
const ALLOWED: Record<string, string[]> = {
  init: ['accept-weak-passphrase'],
  add: ['tag', 'note', 'date-order', 'time-zone', 'ocr'],
  ls: [],
  search: ['kind', 'tag', 'limit'],
  show: [],
  messages: ['from', 'to'],
  read: ['date-order', 'time-zone'],
  redact: ['box', 'span', 'show-text'],
  'strip-location': [],
  cat: [],
  rm: ['reason', 'yes'],
  rename: [],
  check: [],
  log: ['verify'],
  passwd: ['new-passphrase-file', 'accept-weak-passphrase'],
  recovery: ['new'],
  keys: ['reveal'],
  export: [
    'out',
    'format',
    'encrypt-passphrase-file',
    'encrypt',
    'all',
    'item',
    'tag',
    'incident',
    'messages',
    'exhibit-prefix',
    'exhibit-style',
    'case',
    'exporter',
    'full-paths',
    'include-location',
    'withhold-location',
    'disclosure',
  ],
  verify: [],
  incident: [
    'when',
    'until',
    'where',
    'what',
    'impact',
    'witnesses',
    'police-ref',
    'platform-ref',
    'item',
    'person',
    'reason',
    'yes',
  ],
  person: ['role', ...IDENTIFIER_KINDS, 'notes', 'reason', 'yes'],
  quarantine: ['all'],
  ocr: ['status', 'wait'],
  review: ['review-passphrase-file'],
};

class UsageError extends Error {}

/** --accept-weak-passphrase takes the words typed out, never a bare flag or anything else. */
function weakOverride(given: string | undefined): string | undefined {
  if (given !== undefined && given !== WEAK_PASSPHRASE_OVERRIDE) {
    throw new UsageError(
      `--accept-weak-passphrase takes the words "${WEAK_PASSPHRASE_OVERRIDE}", typed out: it is for test vaults only.`,
    );
  }
  return given;
}

type Tokens = NonNullable<ReturnType<typeof parseArgs>['tokens']>;

/** `incident rm` and `person rm` take only --reason and --yes of the command's options. */
function onlyWithRm(tokens: Tokens, rmOptions: string[], command: string): void {
  for (const t of tokens) {
    if (t.kind === 'option' && !GLOBAL.includes(t.name) && !rmOptions.includes(t.name))
      throw new UsageError(`\`dossier ${command} rm\` does not take --${t.name}.`);
  }
}

/** --reason and --yes belong to `rm` only. */
function noneOf(tokens: Tokens, rmOptions: string[], command: string): void {
  for (const t of tokens) {
    if (t.kind === 'option' && rmOptions.includes(t.name))
      throw new UsageError(`--${t.name} goes with \`dossier ${command} rm\`.`);
  }
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // Every word printed passes through here: human text escaped, JSON exact.
  let io = terminalIo(rawIo, false);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    // `dossier search -word`: the word reads as an option unless it comes after `--`.
    const hint = argv.includes('search')
      ? '\nA search that starts with - goes after --: `dossier search -- -word`.'
      : '';
    io.err(`${errorText((e as Error).message)}${hint}\nRun \`dossier --help\` for usage.`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  io = terminalIo(rawIo, values.json);
  const tokens = parsed.tokens ?? [];
  if (values.version) {
    io.out(`dossier ${SOFTWARE.version}`);
    return EXIT.OK;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (command || values.help ? io.out : io.err)(HELP);
    return values.help ? EXIT.OK : EXIT.USAGE;
  }
  const g: GlobalOptions = {
    vault: values.vault,
    passphraseFile: values['passphrase-file'],
    recovery: values.recovery,
    json: values.json,
    notify: io.err,
  };
  try {
    const allowed = ALLOWED[command];
    if (!allowed)
      throw new UsageError(
        `Unknown command "${command}". Run \`dossier --help\` to see the commands.`,
      );
    for (const t of tokens) {
      if (t.kind === 'option' && !GLOBAL.includes(t.name) && !allowed.includes(t.name)) {
        throw new UsageError(
          `\`dossier ${command}\` does not take --${t.name}. Run \`dossier --help\`.`,
        );
      }
    }
    const single = (): string | undefined => {
      if (rest.length > 1)
        throw new UsageError(`\`dossier ${command}\` takes one argument, not ${rest.length}.`);
      return rest[0];
    };
    switch (command) {
      case 'init':
        return await cmdInit(
          g,
          single(),
          { acceptWeakPassphrase: weakOverride(values['accept-weak-passphrase']) },
          io,
        );
      case 'add': {
        const opts = {
          tags: values.tag ?? [],
          note: values.note,
          dateOrder: values['date-order'],
          timeZone: values['time-zone'],
        };
        checkAdd(rest, opts);
        return await cmdAdd(
          g,
          rest,
          { ...opts, dateOrder: opts.dateOrder as 'dmy' | 'mdy' | undefined, ocr: values.ocr },
          io,
        );
      }
      case 'messages': {
        const id = single();
        if (id !== undefined) checkMessages(id, values.from, values.to);
        return await cmdMessages(g, id, { from: values.from, to: values.to }, io);
      }
      case 'read': {
        const id = single();
        const opts = { dateOrder: values['date-order'], timeZone: values['time-zone'] };
        if (id !== undefined) checkRead(id, opts);
        return await cmdRead(
          g,
          id,
          { ...opts, dateOrder: opts.dateOrder as 'dmy' | 'mdy' | undefined },
          io,
        );
      }
      case 'redact':
      case 'strip-location': {
        const id = single();
        if (id !== undefined) checkItemRef(id);
        const given = [values.box?.length && '--box', values.span?.length && '--span'];
        if (values['show-text']) given.push('--show-text');
        const used = given.filter(Boolean);
        if (used.length > 1) {
          throw new DossierError(
            'USAGE',
            `${used.join(' and ')} cannot be used together: --box covers areas of a picture, --span passages of an email or text file, and --show-text only prints the text the passages are counted in.`,
          );
        }
        if (values['show-text']) return await cmdShowRedactionText(g, id, io);
        const boxes = (values.box ?? []).map(parseRedactionBox);
        const spans = (values.span ?? []).map(parseRedactionSpan);
        return await cmdCopy(g, command, id, spans.length ? { spans } : { boxes }, io);
      }
      case 'ls':
        single();
        return await cmdLs(g, io);
      case 'search': {
        // The words may come quoted as one argument or unquoted as several.
        const text = rest.join(' ');
        const opts = { kinds: values.kind ?? [], tags: values.tag ?? [] };
        const limit = checkSearch(text, { ...opts, limit: values.limit });
        return await cmdSearch(g, text, { ...opts, limit }, io);
      }
      case 'show':
      case 'cat': {
        const id = single();
        if (id !== undefined) checkItemRef(id);
        return await (command === 'show' ? cmdShow : cmdCat)(g, id, io);
      }
      case 'rm': {
        const id = single();
        const opts = { reason: values.reason, yes: values.yes };
        if (id !== undefined) checkRemoval('items.remove', id, opts.reason);
        return await cmdRm(g, id, opts, io);
      }
      case 'rename': {
        if (rest.length > 2)
          throw new UsageError('Quote a name with spaces: `dossier rename ID "New name.jpg"`.');
        const [id, name] = rest;
        if (id !== undefined && name !== undefined) checkRename(id, name);
        return await cmdRename(g, id, name, io);
      }
      case 'check':
        single();
        return await cmdCheck(g, io);
      case 'log':
        single();
        return await cmdLog(g, { verify: values.verify }, io);
      case 'passwd':
        single();
        return await cmdPasswd(
          g,
          {
            newPassphraseFile: values['new-passphrase-file'],
            acceptWeakPassphrase: weakOverride(values['accept-weak-passphrase']),
          },
          io,
        );
      case 'recovery':
        single();
        return await cmdRecovery(g, { new: values.new }, io);
      case 'keys':
        single();
        return await cmdKeys(g, { reveal: values.reveal }, io);
      case 'export': {
        single();
        const opts = {
          out: values.out,
          format: values.format,
          encryptPassphraseFile: values['encrypt-passphrase-file'],
          encrypt: values.encrypt,
          all: values.all,
          items: values.item ?? [],
          tags: values.tag ?? [],
          incidents: values.incident ?? [],
          // --messages ID,ID (repeatable): printed in the transcripts with their conversations.
          messages: (values.messages ?? []).flatMap((v) =>
            v
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          ),
          exhibitPrefix: values['exhibit-prefix'],
          exhibitStyle: values['exhibit-style'],
          caseName: values.case,
          exporter: values.exporter,
          fullPaths: values['full-paths'],
          location: locationFlag(values['include-location'], values['withhold-location']),
          disclosure: values.disclosure,
        };
        // What is missing or doubled (no --out, two selections) cmdExport explains itself.
        const selections = [opts.all, opts.items.length, opts.tags.length, opts.incidents.length];
        const chosen = selections.filter(Boolean).length;
        if (opts.out !== undefined && (chosen === 1 || (chosen === 0 && opts.messages.length)))
          checkExport({
            ...opts,
            out: opts.out,
            format: opts.format ?? (opts.encrypt || opts.encryptPassphraseFile ? 'zip' : 'dir'),
          });
        return await cmdExport(g, opts, io);
      }
      case 'verify': {
        const path = single();
        if (path !== undefined) checkBundlePath(path);
        return await cmdVerify(g, path, io);
      }
      case 'incident': {
        if (rest[0] === 'rm') {
          onlyWithRm(tokens, ['reason', 'yes'], 'incident');
          if (rest.length > 2) throw new UsageError('`dossier incident rm` takes one id.');
          const opts = { reason: values.reason, yes: values.yes };
          if (rest[1] !== undefined) checkRemoval('incidents.remove', rest[1], opts.reason);
          return await cmdIncidentRm(g, rest[1], opts, io);
        }
        noneOf(tokens, ['reason', 'yes'], 'incident');
        if (rest.length > 1)
          throw new UsageError('`dossier incident` takes add or ls, then options.');
        const opts = {
          when: values.when,
          until: values.until,
          where: values.where,
          what: values.what,
          impact: values.impact,
          witnesses: values.witnesses,
          policeRef: values['police-ref'],
          platformRef: values['platform-ref'],
          items: values.item ?? [],
          people: values.person ?? [],
        };
        // Without --when and --what, cmdIncident says what an incident needs.
        if (rest[0] === 'add' && opts.when && opts.what) checkIncident(opts);
        return await cmdIncident(g, rest[0], opts, io);
      }
      case 'ocr':
        if (rest.length) throw new UsageError('`dossier ocr` takes no arguments.');
        if (values.status && values.wait)
          throw new UsageError('`dossier ocr --status` only reports: leave out --wait.');
        return await cmdOcr(g, { status: values.status }, io);
      case 'quarantine':
        return await cmdQuarantine(g, rest[0], rest.slice(1), { all: values.all }, io);
      case 'review': {
        const [sub, ...args] = rest;
        if (sub === 'import') {
          if (args.length > 1)
            throw new UsageError(
              '`dossier review import` takes one file, not ' + args.length + '.',
            );
          return await cmdReviewImport(
            g,
            args[0],
            { passphraseFile: values['review-passphrase-file'] },
            io,
          );
        }
        if (sub === 'comments') {
          if (values['review-passphrase-file'] !== undefined)
            throw new UsageError('--review-passphrase-file goes with `dossier review import`.');
          if (args.length > 1)
            throw new UsageError('`dossier review comments` takes at most one id.');
          return await cmdReviewComments(g, args[0], io);
        }
        if (values['review-passphrase-file'] !== undefined)
          throw new UsageError('--review-passphrase-file goes with `dossier review import`.');
        // open, ls, show, cat: a bundle received for review, no vault needed.
        return await cmdReview(g, rest, io);
      }
      case 'person': {
        if (rest[0] === 'rm') {
          onlyWithRm(tokens, ['reason', 'yes'], 'person');
          if (rest.length > 2) throw new UsageError('`dossier person rm` takes one id.');
          const opts = { reason: values.reason, yes: values.yes };
          if (rest[1] !== undefined) checkRemoval('people.remove', rest[1], opts.reason);
          return await cmdPersonRm(g, rest[1], opts, io);
        }
        noneOf(tokens, ['reason', 'yes'], 'person');
        if (rest.length > 2)
          throw new UsageError('Quote a name with spaces: `dossier person add "Jo Bloggs"`.');
        const opts = {
          role: values.role,
          emails: values.email ?? [],
          handles: values.handle ?? [],
          phones: values.phone ?? [],
          chatIds: (['whatsapp', 'telegram', 'instagram', 'facebook'] as const).flatMap((kind) =>
            (values[kind] ?? []).map((value) => ({ kind, value })),
          ),
          notes: values.notes,
        };
        if (rest[0] === 'add' && rest[1]) checkPerson(rest[1], opts);
        return await cmdPerson(g, rest[0], rest[1], opts, io);
      }
    }
    return EXIT.USAGE;
  } catch (caught) {
    // The reader stopped reading (`dossier cat ID | head -c 10`): its choice, not a failure.
    if (caught instanceof OutputClosed) return EXIT.OK;
    // SQLite's own failures (a damaged page, a file that cannot be written) in words.
    const e = asDatabaseError(caught);
    if (e instanceof UsageError) {
      io.err(errorText(e.message));
      return EXIT.USAGE;
    }
    if (isDossierError(e)) {
      io.err(`dossier: ${errorText(e.message)}`);
      return exitCodeFor(e.code);
    }
    io.err(
      `dossier: something went wrong that Dossier did not expect: ${errorText((e as Error)?.message ?? String(e))}\nYour vault was not changed by this error. Please report it.`,
    );
    if (process.env.DOSSIER_DEBUG) io.err(String((e as Error)?.stack));
    return EXIT.INTERNAL;
  }
}

/** `--withhold-location` or `--include-location` (docs/bundle-format.md, "Location"). */
function locationFlag(include: boolean, withhold: boolean): 'withheld' | 'included' | undefined {
  if (include && withhold)
    throw new UsageError(
      'Choose one of --withhold-location (leave the location out of the bundle) or --include-location (print it), not both.',
    );
  return withhold ? 'withheld' : include ? 'included' : undefined;
}
