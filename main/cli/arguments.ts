import { resolve } from 'node:path';
import type { z } from 'zod';
import { api } from '../../shared/contract';
import {
  DEFAULT_EXHIBIT_STYLE,
  exhibitStyleProblem,
  type ExhibitStyle,
} from '../../shared/exhibit-prefix';
import { DossierError } from '../core';
import { SHORT_ID_MIN } from '../core/short-id';
import { parseTime } from '../../shared/recorded-time';
import type { IdentifierKind } from '../../shared/identifiers';
import { isKnownTimeZone, TIME_ZONE_RULE } from '../../shared/time-zone-name';

/**
 * Command-line arguments that become API arguments are checked with the API's own schemas
 * (shared/contract.ts), so the command line accepts exactly what the app and the bridge
 * accept, with the same limits. It happens before the vault is unlocked: a refusal writes
 * nothing, and is a usage error (exit 2) that names the option in plain words.
 */

/** Where a value at a schema path came from on the command line. */
interface Origin {
  /** `--tag`, or words such as `The name`. */
  option: string;
  /** The value typed, quoted in the message (absent for a count). */
  value?: string;
  /** For ids: what kind of id, and where to find one. */
  id?: string;
}

type Locate = (path: readonly PropertyKey[]) => Origin;

function check(schema: z.ZodType, args: unknown, locate: Locate): void {
  const result = schema.safeParse(args);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const origin = locate(issue.path);
  const quoted = origin.value === undefined ? '' : ` ${quote(origin.value)}`;
  throw new DossierError('USAGE', `${origin.option}${quoted} ${explain(issue, origin)}`);
}

function explain(issue: z.core.$ZodIssue, origin: Origin): string {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'array'
        ? `is given too many times: ${thousands(Number(issue.maximum))} at most.`
        : `is too long: ${thousands(Number(issue.maximum))} characters at most${origin.value === undefined ? '' : ` (this one has ${thousands(origin.value.length)})`}.`;
    case 'too_small':
      return issue.origin === 'array' ? 'is needed at least once.' : 'is empty: give some text.';
    case 'invalid_format':
      // The contract's own rule otherwise (the exhibit prefix's "letters and digits only").
      return origin.id ? `is not ${origin.id}.` : `${issue.message.replace(/\.$/, '')}.`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}.`;
    default:
      // The contract's own words (a refinement such as a tag's "cannot contain line breaks…").
      return `${issue.message.replace(/\.$/, '')}.`;
  }
}

function quote(value: string): string {
  return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const SHORT = `at least its first ${SHORT_ID_MIN} characters`;
const ITEM_ID = `an item id: give the id shown by \`dossier ls\`, or ${SHORT}`;
const PERSON_ID = `a person id: give the id shown by \`dossier person ls\`, or ${SHORT}`;
const INCIDENT_ID = `an incident id: give the id shown by \`dossier incident ls\`, or ${SHORT}`;
const MESSAGE_ID =
  'a message: give ITEM:INDEX (the index from `dossier messages ITEM --json`), or its full id';

/**
 * Items, incidents and people may be named by the first 4+ characters of their id. A prefix
 * is checked as the id it abbreviates: the same alphabet, at most the same length (filled out
 * to a whole id). Too short to be told apart is refused here, as the vault would refuse it.
 */
function asShortId(ref: string): string {
  const prefix = ref.trim().toLowerCase();
  return prefix.length < SHORT_ID_MIN ? ref : prefix.padEnd(26, '0');
}

/** `show ID`, `cat ID`. */
export function checkItemRef(ref: string): void {
  check(api['items.get'].args, { id: asShortId(ref) }, () => ({
    option: 'The item',
    value: ref,
    id: ITEM_ID,
  }));
}

/** `rm ID --reason TEXT`, `incident rm ID …`, `person rm ID …`: the id and the reason. */
export function checkRemoval(
  method: 'items.remove' | 'incidents.remove' | 'people.remove',
  ref: string,
  reason: string | undefined,
): void {
  const item = method === 'items.remove';
  const args = { id: asShortId(ref), reason: reason ?? 'absent: said later' };
  check(api[method].args, args, ([key]) =>
    key === 'id'
      ? {
          option: item ? 'The item' : method === 'incidents.remove' ? 'The incident' : 'The person',
          value: ref,
          id: item ? ITEM_ID : method === 'incidents.remove' ? INCIDENT_ID : PERSON_ID,
        }
      : { option: '--reason', value: reason },
  );
}

/** `rename ID NAME`. */
export function checkRename(ref: string, name: string): void {
  check(api['items.rename'].args, { id: asShortId(ref), name }, ([key]) =>
    key === 'id'
      ? { option: 'The item', value: ref, id: ITEM_ID }
      : { option: 'The new name', value: name },
  );
}

export function checkAdd(
  paths: string[],
  opts: { tags: string[]; note?: string; dateOrder?: string; timeZone?: string },
): void {
  // No paths is cmdAdd's to explain (with an example); the count and length are the API's.
  const { dateOrder, timeZone, ...rest } = opts;
  checkDateOrder(dateOrder);
  checkTimeZone(timeZone);
  const args = { paths: paths.length ? paths : undefined, ...rest };
  check(api['items.add'].args.partial({ paths: true }), args, ([key, i]) => {
    const at = typeof i === 'number' ? i : undefined;
    if (key === 'paths')
      return at === undefined
        ? { option: 'The files and folders to add' }
        : { option: 'The path', value: paths[at] };
    return key === 'tags'
      ? { option: '--tag', value: at === undefined ? undefined : opts.tags[at] }
      : { option: '--note', value: opts.note };
  });
}

export function checkPerson(name: string, opts: PersonFlags): void {
  const identifiers = personIdentifiers(opts);
  const args = { name, role: opts.role ?? 'other', notes: opts.notes, identifiers };
  check(api['people.create'].args, args, ([key, i]) => {
    if (key === 'name') return { option: 'The name', value: name };
    if (key === 'role') return { option: '--role', value: opts.role };
    if (key === 'notes') return { option: '--notes', value: opts.notes };
    if (typeof i === 'number') {
      const { kind, value } = identifiers[i]!;
      return { option: `--${kind}`, value };
    }
    return {
      option: `--${identifiers[0]?.kind ?? 'email'} (with --email, --handle and --phone together)`,
    };
  });
}

/** `dossier person add`'s options, as parsed. */
export interface PersonFlags {
  role?: string;
  emails: string[];
  handles: string[];
  phones: string[];
  /** --whatsapp, --telegram, --instagram, --facebook: chat senders (shared/identifiers.ts). */
  chatIds: { kind: 'whatsapp' | 'telegram' | 'instagram' | 'facebook'; value: string }[];
  notes?: string;
}

/** The identifiers the flags give, in the order of the kinds. */
export function personIdentifiers(opts: PersonFlags): { kind: IdentifierKind; value: string }[] {
  return [
    ...opts.emails.map((value) => ({ kind: 'email' as const, value })),
    ...opts.handles.map((value) => ({ kind: 'handle' as const, value })),
    ...opts.phones.map((value) => ({ kind: 'phone' as const, value })),
    ...opts.chatIds,
  ];
}

/** `dossier incident add`'s options, as parsed. */
export interface IncidentFlags {
  when?: string;
  until?: string;
  where?: string;
  what?: string;
  impact?: string;
  witnesses?: string;
  policeRef?: string;
  platformRef?: string;
  items: string[];
  people: string[];
}

export function checkIncident(opts: IncidentFlags): void {
  const fields = {
    occurredAt: ['--when', opts.when],
    occurredUntil: ['--until', opts.until],
    place: ['--where', opts.where],
    summary: ['--what', opts.what],
    impact: ['--impact', opts.impact],
    witnesses: ['--witnesses', opts.witnesses],
    policeRef: ['--police-ref', opts.policeRef],
    platformRef: ['--platform-ref', opts.platformRef],
  } as const;
  const args = {
    ...Object.fromEntries(Object.entries(fields).map(([k, [, v]]) => [k, v])),
    itemIds: opts.items.map(asShortId),
    personIds: opts.people.map(asShortId),
  };
  check(api['incidents.create'].args, args, ([key, i]) => {
    const at = typeof i === 'number' ? i : undefined;
    if (key === 'itemIds')
      return {
        option: '--item',
        value: at === undefined ? undefined : opts.items[at],
        id: ITEM_ID,
      };
    if (key === 'personIds')
      return {
        option: '--person',
        value: at === undefined ? undefined : opts.people[at],
        id: PERSON_ID,
      };
    const [option, value] = fields[key as keyof typeof fields];
    return { option, value };
  });
}

/** `dossier export`'s options, as parsed. */
export interface ExportFlags {
  out?: string;
  format?: string;
  encryptPassphraseFile?: string;
  /** Encrypt the zip; the passphrase comes from the file, DOSSIER_EXPORT_PASSPHRASE or a prompt. */
  encrypt?: boolean;
  all: boolean;
  items: string[];
  tags: string[];
  incidents: string[];
  /** Message ids for the transcripts (--messages ID,ID); their conversations are exported. */
  messages: string[];
  exhibitPrefix?: string;
  exhibitStyle?: string;
  caseName?: string;
  exporter?: string;
  fullPaths?: boolean;
  /** --withhold-location or --include-location: needed when an item records where it was. */
  location?: 'withheld' | 'included';
  /** --disclosure: copies made for disclosure stand for their originals (docs/redaction.md). */
  disclosure?: boolean;
}

/** `--messages ITEM:INDEX`: a conversation (id or 4+ character prefix) and a message's index. */
export const MESSAGE_AT = /^([^:\s]{4,}):(\d{1,8})$/;

export function checkExport(opts: ExportFlags & { out: string; format: string }): void {
  for (const m of opts.messages) {
    if (m.includes(':') && !MESSAGE_AT.test(m))
      throw new DossierError(
        'USAGE',
        `--messages "${m}" is not a message: give ITEM:INDEX (the conversation's id or its first 4+ characters, and the message's index from \`dossier messages ITEM --json\`), or a message's full id.`,
      );
  }
  // With --messages alone, the selection is their conversations (found once unlocked).
  const onlyMessages =
    !opts.all && !opts.items.length && !opts.tags.length && !opts.incidents.length;
  const selection = onlyMessages
    ? { all: true }
    : opts.all
      ? { all: true }
      : opts.items.length
        ? { itemIds: opts.items.map(asShortId) }
        : opts.tags.length
          ? { tags: opts.tags }
          : { incidentIds: opts.incidents.map(asShortId) };
  const args = {
    out: resolve(opts.out),
    format: opts.format,
    selection,
    messageIds: opts.messages.length ? opts.messages.filter((m) => !m.includes(':')) : undefined,
    exhibitPrefix: opts.exhibitPrefix,
    exhibitStyle: opts.exhibitStyle,
    caseName: opts.caseName,
    exporter: opts.exporter,
    location: opts.location,
  };
  check(api['export.create'].args, args, ([key, kind, i]) => {
    if (key === 'selection') {
      const at = typeof i === 'number' ? i : undefined;
      if (kind === 'itemIds')
        return {
          option: '--item',
          value: at === undefined ? undefined : opts.items[at],
          id: ITEM_ID,
        };
      if (kind === 'tags')
        return { option: '--tag', value: at === undefined ? undefined : opts.tags[at] };
      return {
        option: '--incident',
        value: at === undefined ? undefined : opts.incidents[at],
        id: INCIDENT_ID,
      };
    }
    if (key === 'messageIds') {
      const at = typeof kind === 'number' ? kind : undefined;
      return {
        option: '--messages',
        value: at === undefined ? undefined : opts.messages.filter((m) => !m.includes(':'))[at],
        id: MESSAGE_ID,
      };
    }
    if (key === 'exhibitPrefix') return { option: '--exhibit-prefix', value: opts.exhibitPrefix };
    if (key === 'exhibitStyle') return { option: '--exhibit-style', value: opts.exhibitStyle };
    if (key === 'caseName') return { option: '--case', value: opts.caseName };
    if (key === 'exporter') return { option: '--exporter', value: opts.exporter };
    if (key === 'format') return { option: '--format', value: opts.format };
    return { option: '--out', value: opts.out };
  });
  // A prefix ending in a digit runs into its numbers in the JD1 style: said before unlocking.
  const style = (opts.exhibitStyle ?? DEFAULT_EXHIBIT_STYLE) as ExhibitStyle;
  const clash = exhibitStyleProblem((opts.exhibitPrefix ?? '').trim() || 'EX', style);
  if (clash) throw new DossierError('USAGE', clash);
}

/**
 * A passphrase or recovery code read from a file, a variable or the terminal, held to the
 * API's limits for the same use: `what` names it, `where` says where to look if it is wrong.
 */
function checkSecret(schema: z.ZodType, secret: string, what: string, where: string): void {
  const result = schema.safeParse(secret);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  throw new DossierError(
    'USAGE',
    issue.code === 'too_small'
      ? `${what} is too short: use at least ${thousands(Number(issue.minimum))} characters.`
      : `${what} is too long: ${thousands(Number((issue as { maximum?: number }).maximum))} characters at most. ${where}`,
  );
}

const FROM_FILE_OR_VARIABLE = 'Check the passphrase file or the environment variable it came from.';

/** The passphrase that encrypts an exported zip (export.create's encryptPassphrase). */
export function checkExportPassphrase(passphrase: string): void {
  checkSecret(
    api['export.create'].args.shape.encryptPassphrase.unwrap(),
    passphrase,
    'The export passphrase',
    'Check the file given with --encrypt-passphrase-file, or DOSSIER_EXPORT_PASSPHRASE.',
  );
}

/** A new vault's passphrase (`init`, as session.create) or a changed one (`passwd`). */
export function checkNewPassphrase(passphrase: string, command: 'init' | 'passwd'): void {
  checkSecret(
    api[command === 'init' ? 'session.create' : 'session.changePassphrase'].args.shape.passphrase,
    passphrase,
    command === 'init' ? 'The passphrase' : 'The new passphrase',
    FROM_FILE_OR_VARIABLE,
  );
}

/** What unlocks a vault (session.unlock, session.unlockWithRecoveryCode). */
export function checkUnlockSecret(secret: string, recovery: boolean): void {
  if (recovery)
    checkSecret(
      api['session.unlockWithRecoveryCode'].args.shape.code,
      secret,
      'The recovery code',
      FROM_FILE_OR_VARIABLE,
    );
  else
    checkSecret(
      api['session.unlock'].args.shape.passphrase,
      secret,
      'The passphrase',
      FROM_FILE_OR_VARIABLE,
    );
}

/** The passphrase of an encrypted bundle (export.verify). */
export function checkBundlePassphrase(passphrase: string): void {
  checkSecret(
    api['export.verify'].args.shape.passphrase.unwrap(),
    passphrase,
    "The bundle's passphrase",
    FROM_FILE_OR_VARIABLE,
  );
}

/** `verify PATH`. */
export function checkBundlePath(path: string): void {
  check(api['export.verify'].args.pick({ path: true }), { path: resolve(path) }, () => ({
    option: 'The bundle path',
    value: path,
  }));
}

/** `dossier search`'s --limit: how many hits are printed at most, unless said otherwise. */
export const SEARCH_LIMIT = { default: 100, max: 10_000 } as const;

/**
 * `search TEXT [--kind K]... [--tag T]... [--limit N]`: the text, kinds and tags as the
 * library search takes them (items.query's own schema: 500 characters, the known kinds), and
 * the limit. Returns the limit as a number.
 */
export function checkSearch(
  text: string,
  opts: { kinds: string[]; tags: string[]; limit?: string },
): number {
  if (text.trim() === '')
    throw new DossierError(
      'USAGE',
      'Say what to search for: `dossier search WORDS`, e.g. `dossier search school`.',
    );
  const args = {
    text,
    kinds: opts.kinds.length ? opts.kinds : undefined,
    tags: opts.tags.length ? opts.tags : undefined,
  };
  check(api['items.query'].args.pick({ text: true, kinds: true, tags: true }), args, ([key, i]) => {
    const at = typeof i === 'number' ? i : undefined;
    if (key === 'kinds')
      return { option: '--kind', value: at === undefined ? undefined : opts.kinds[at] };
    if (key === 'tags')
      return { option: '--tag', value: at === undefined ? undefined : opts.tags[at] };
    return { option: 'The search text', value: text };
  });
  if (opts.limit === undefined) return SEARCH_LIMIT.default;
  const limit = /^\d{1,9}$/.test(opts.limit.trim()) ? Number(opts.limit.trim()) : NaN;
  if (!(limit >= 1 && limit <= SEARCH_LIMIT.max))
    throw new DossierError(
      'USAGE',
      `--limit ${quote(opts.limit)} is not a number of hits: give a whole number from 1 to ${thousands(SEARCH_LIMIT.max)} (the default is ${SEARCH_LIMIT.default}).`,
    );
  return limit;
}

/** `--date-order`: how a chat export without a stated order writes its dates. */
export function checkDateOrder(given: string | undefined): void {
  if (given === undefined || given === 'dmy' || given === 'mdy') return;
  throw new DossierError(
    'USAGE',
    `--date-order ${quote(given)} is not an order Dossier knows: give dmy (day first, 31/01/2024) or mdy (month first, 01/31/2024).`,
  );
}

/** `--time-zone`: an IANA zone name this computer knows (shared/time-zone-name.ts). */
export function checkTimeZone(given: string | undefined): void {
  if (given === undefined || isKnownTimeZone(given)) return;
  throw new DossierError('USAGE', `--time-zone ${quote(given)} ${TIME_ZONE_RULE}.`);
}

/** `read ID [--date-order dmy|mdy] [--time-zone ZONE]`: the id and the choices. */
export function checkRead(ref: string, opts: { dateOrder?: string; timeZone?: string }): void {
  checkItemRef(ref);
  checkDateOrder(opts.dateOrder);
  checkTimeZone(opts.timeZone);
}

/** `messages ID [--from DATE] [--to DATE]`: the id, and dates the vault will read. */
export function checkMessages(ref: string, from: string | undefined, to: string | undefined): void {
  check(api['conversation.get'].args, { id: asShortId(ref) }, () => ({
    option: 'The conversation',
    value: ref,
    id: ITEM_ID,
  }));
  for (const [option, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (value !== undefined && parseTime(value) === null) {
      throw new DossierError(
        'USAGE',
        `${option} ${quote(value)} is not a date. Use a form like 2024-03-09, 2024-03-09T21:30 (in the conversation's time zone) or 2024-03-09T21:30:00Z.`,
      );
    }
  }
}
