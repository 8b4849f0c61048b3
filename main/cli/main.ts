import { parseArgs, type ParseArgsConfig } from 'node:util';
import { asDatabaseError, isDossierError, SOFTWARE } from '../core';
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
  cmdPasswd,
  cmdQuarantine,
  cmdShow,
  type GlobalOptions,
  type Io,
} from './commands';
import { EXIT, exitCodeFor } from './exit-codes';

const HELP = `dossier — an encrypted evidence vault (command line)

Usage: dossier [--vault DIR] [--passphrase-file F] [--recovery] COMMAND [options]

Commands:
  init [DIR]                      create a vault; prints the recovery code once
  add PATH... [--tag T]... [--note TEXT] [--json]
                                  add files or folders (recursively)
  ls [--json]                     list items
  show ID [--json]                an item's details (ID may be its first 4+ characters)
  cat ID                          write an item's original bytes to stdout (verified first)
  check [--json]                  full integrity check of the vault
  log [--json] [--verify]         the custody log; --verify checks the hash chain
  passwd [--new-passphrase-file F]
                                  change the passphrase (no data is re-encrypted)
  keys --reveal [--json]          print the keys that open the vault without Dossier
  export --out PATH [--format dir|zip] [--encrypt-passphrase-file F]
         [--all | --item ID... | --tag T... | --incident ID...]
         [--exhibit-prefix JD] [--case "Case name"] [--exporter NAME] [--json]
                                  write a signed, hashed evidence bundle (BagIt)
  incident add --when DATE --what TEXT [--until DATE] [--where TEXT] [--impact TEXT]
         [--witnesses TEXT] [--police-ref REF] [--platform-ref REF] [--item ID]... [--person ID]...
  incident ls [--json]            record what happened, and list the record
  person add NAME [--role harasser|witness|official|other] [--email E]... [--handle H]...
         [--phone P]... [--notes TEXT]
  person ls [--json]              the people involved
  quarantine [--json]             encrypted files that no item referred to, kept at unlock
  quarantine restore NAME... | --all [--json]
                                  bring quarantined files back as items (decrypted, hashed,
                                  logged); one that is not this vault's is left in place
  verify PATH [--passphrase-file F] [--json]
                                  check a bundle (folder, .zip or .zip.age); no vault needed

Options:
  --vault DIR            the vault folder (or DOSSIER_VAULT; default: your user data folder)
  --passphrase-file F    read the passphrase from a file (or DOSSIER_PASSPHRASE; else asked)
  --recovery             unlock with the recovery code instead of the passphrase
                         (asked, or DOSSIER_RECOVERY_CODE, or --passphrase-file)
  --json                 machine-readable output
  -h, --help             this help
  --version              the version

Exit codes: 0 success, 1 internal error, 2 usage error, 3 wrong passphrase or
recovery code, 4 integrity failure, 5 I/O error (missing file, disk full),
6 vault in use by another Dossier process.
`;

const OPTIONS = {
  vault: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'new-passphrase-file': { type: 'string' },
  recovery: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  tag: { type: 'string', multiple: true },
  note: { type: 'string' },
  verify: { type: 'boolean', default: false },
  reveal: { type: 'boolean', default: false },
  out: { type: 'string' },
  format: { type: 'string' },
  'encrypt-passphrase-file': { type: 'string' },
  all: { type: 'boolean', default: false },
  item: { type: 'string', multiple: true },
  incident: { type: 'string', multiple: true },
  'exhibit-prefix': { type: 'string' },
  case: { type: 'string' },
  exporter: { type: 'string' },
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
  notes: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

// Which command-specific options each command accepts (global ones are always allowed).
const GLOBAL = ['vault', 'passphrase-file', 'recovery', 'json', 'help', 'version'];
const ALLOWED: Record<string, string[]> = {
  init: [],
  add: ['tag', 'note'],
  ls: [],
  show: [],
  cat: [],
  check: [],
  log: ['verify'],
  passwd: ['new-passphrase-file'],
  keys: ['reveal'],
  export: [
    'out',
    'format',
    'encrypt-passphrase-file',
    'all',
    'item',
    'tag',
    'incident',
    'exhibit-prefix',
    'case',
    'exporter',
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
  ],
  person: ['role', 'email', 'handle', 'phone', 'notes'],
  quarantine: ['all'],
};

class UsageError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
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
    io.err(`${(e as Error).message}\nRun \`dossier --help\` for usage.`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
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
        return await cmdInit(g, single(), io);
      case 'add':
        return await cmdAdd(g, rest, { tags: values.tag ?? [], note: values.note }, io);
      case 'ls':
        single();
        return await cmdLs(g, io);
      case 'show':
        return await cmdShow(g, single(), io);
      case 'cat':
        return await cmdCat(g, single(), io);
      case 'check':
        single();
        return await cmdCheck(g, io);
      case 'log':
        single();
        return await cmdLog(g, { verify: values.verify }, io);
      case 'passwd':
        single();
        return await cmdPasswd(g, { newPassphraseFile: values['new-passphrase-file'] }, io);
      case 'keys':
        single();
        return await cmdKeys(g, { reveal: values.reveal }, io);
      case 'export':
        single();
        return await cmdExport(
          g,
          {
            out: values.out,
            format: values.format,
            encryptPassphraseFile: values['encrypt-passphrase-file'],
            all: values.all,
            items: values.item ?? [],
            tags: values.tag ?? [],
            incidents: values.incident ?? [],
            exhibitPrefix: values['exhibit-prefix'],
            caseName: values.case,
            exporter: values.exporter,
          },
          io,
        );
      case 'verify':
        return await cmdVerify(g, single(), io);
      case 'incident':
        if (rest.length > 1)
          throw new UsageError('`dossier incident` takes add or ls, then options.');
        return await cmdIncident(
          g,
          rest[0],
          {
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
          },
          io,
        );
      case 'quarantine':
        return await cmdQuarantine(g, rest[0], rest.slice(1), { all: values.all }, io);
      case 'person':
        if (rest.length > 2)
          throw new UsageError('Quote a name with spaces: `dossier person add "Jo Bloggs"`.');
        return await cmdPerson(
          g,
          rest[0],
          rest[1],
          {
            role: values.role,
            emails: values.email ?? [],
            handles: values.handle ?? [],
            phones: values.phone ?? [],
            notes: values.notes,
          },
          io,
        );
    }
    return EXIT.USAGE;
  } catch (caught) {
    // SQLite's own failures (a damaged page, a file that cannot be written) in words.
    const e = asDatabaseError(caught);
    if (e instanceof UsageError) {
      io.err(e.message);
      return EXIT.USAGE;
    }
    if (isDossierError(e)) {
      io.err(`dossier: ${e.message}`);
      return exitCodeFor(e.code);
    }
    io.err(
      `dossier: something went wrong that Dossier did not expect: ${(e as Error)?.message ?? String(e)}\nYour vault was not changed by this error. Please report it.`,
    );
    if (process.env.DOSSIER_DEBUG) io.err(String((e as Error)?.stack));
    return EXIT.INTERNAL;
  }
}
