// Issue 12, "Speed and memory": importing conversations.
//  - Time: a 1 GiB mbox of 100,000 generated messages imported by Vault.add into a fresh vault,
//    against Python's standard library (mailbox.mbox + email.message_from_bytes for every
//    message) plus `sha256sum FILE`, in the same run: ratio ≤ 1.5 (goal ≤ 1.0).
//  - Memory: peak RSS of that import grows by less than 64 MiB between a 64 MiB and a 1 GiB mbox.
//  - Chat: a 40,000-message WhatsApp export imported and its conversation opened (summary and
//    first page of messages), against a plain line-split parse of the same text file.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  emailBytes,
  generatedEmail,
  mboxEntry,
  seeded,
  type GeneratedOptions,
} from '../support/conversations/mbox';
import { IOS_UK, buildChat, type FixtureMessage } from '../support/conversations/whatsapp';
import {
  CONFIG,
  GiB,
  MiB,
  PASSPHRASE,
  TREE,
  benchOnly,
  initCheapVault,
  list,
  log,
  median,
  mib,
  rate,
  run,
  secs,
  skipped,
  syncDisks,
  verdict,
  warm,
  type Bench,
  type Check,
  type Context,
} from './lib';

const NAME = 'conversations';
export const TIME_TARGET = 1.5;
export const TIME_GOAL = 1.0;
export const RSS_TARGET = 64 * MiB;
/** The issue's bound for the chat, in seconds: printed as information (the machine is noisy). */
export const CHAT_BOUND_MS = 3000;
/**
 * The gated chat line: import + open over the raw line-split parse of the same file, so that
 * it means the same on a busy machine. The issue's bound is 3 s; the raw parse of the
 * 40,000-message file took a median of 87 ms on this two-core machine (load average 3–5, in
 * the run recorded in README, "conversations"), so 3 s is about 35 of them.
 */
export const CHAT_TARGET = 35;
/** The issue's sizes: 100,000 messages make 1 GiB. */
export const MBOX_MESSAGES_PER_GIB = 100_000;
export const CHAT_MESSAGES = 40_000;
/** Messages the conversation view shows first (a screenful or a few). */
export const FIRST_PAGE = 100;
const POLL_MS = 10;
const RAW_PARSE_RUNS = 5;
const CHILD = fileURLToPath(new URL('./conversations-child.ts', import.meta.url));

// ---------------------------------------------------------------- inputs

/**
 * What the generated messages look like: a Takeout mailbox with labels and thread ids, about
 * 2 KiB of text each, every other one also with an HTML body, and every 20th with a 96 KiB
 * attachment (base64): about 10.5 KiB a message, so 100,000 of them make 1 GiB.
 */
export const MBOX_SHAPE: GeneratedOptions = {
  bodyBytes: 2200,
  htmlEvery: 2,
  attachEvery: 20,
  attachmentBytes: 96 * 1024,
  labels: true,
  seed: 12,
};

/** How many messages the mailbox of `bytes` has (100,000 for 1 GiB, as the issue says). */
export function mboxMessageCount(bytes: number): number {
  return Math.max(1, Math.round((MBOX_MESSAGES_PER_GIB * bytes) / GiB));
}

/** Writes the generated mailbox of `count` messages to `path` (never whole in memory). */
export async function writeMbox(
  path: string,
  count: number,
): Promise<{ bytes: number; sha256: string }> {
  const fh = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    let pending: Uint8Array[] = [];
    let size = 0;
    const flush = async (): Promise<void> => {
      const chunk = Buffer.concat(pending);
      hash.update(chunk);
      await fh.write(chunk);
      bytes += chunk.length;
      pending = [];
      size = 0;
    };
    for (let i = 0; i < count; i++) {
      const entry = mboxEntry(emailBytes(generatedEmail(i, MBOX_SHAPE)), i);
      pending.push(entry);
      size += entry.length;
      if (size >= 4 * MiB) await flush();
    }
    await flush();
  } finally {
    await fh.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

const CHAT_WORDS = (
  'you know where I live and I will be there tonight again stop ignoring me this is not ' +
  'over everyone will see what you did why won’t you answer I saw you at the station 😡 ok'
).split(' ');
const CHAT_SENDERS = ['Alex', 'Sam', '+44 7700 900123'];

/** A deterministic two-year chat of `count` messages (some of several lines), iOS, UK order. */
export function chatMessages(count: number, seed = 7): FixtureMessage[] {
  const rand = seeded(seed);
  const out: FixtureMessage[] = [];
  let t = Date.UTC(2023, 0, 1, 8, 0, 0);
  for (let i = 0; i < count; i++) {
    t += Math.floor(rand() * 40 * 60_000) + 1000;
    const d = new Date(t);
    const words: string[] = [];
    const n = 3 + Math.floor(rand() * 25);
    for (let k = 0; k < n; k++) {
      words.push(CHAT_WORDS[Math.floor(rand() * CHAT_WORDS.length)]!);
      if (rand() < 0.03) words.push('\n');
    }
    out.push({
      at: [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
      ],
      sender: CHAT_SENDERS[Math.floor(rand() * CHAT_SENDERS.length)]!,
      text:
        words
          .join(' ')
          .replace(/ ?\n ?/g, '\n')
          .trim() || 'ok',
    });
  }
  return out;
}

const IOS_HEADER = /^\[(\d{1,2})\/(\d{1,2})\/(\d{2,4}), (\d{1,2}):(\d{2}):(\d{2})\] ([^:]+): (.*)$/;

/**
 * The baseline: a plain parse of an iOS chat text by a line-split loop (time, sender, text;
 * a line without a header continues the message before it). No provenance, no checks.
 */
export function rawChatParse(text: string): { time: string; sender: string; text: string }[] {
  const out: { time: string; sender: string; text: string }[] = [];
  for (const line of text.split('\n')) {
    const m = IOS_HEADER.exec(line);
    if (m) {
      out.push({
        time: `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:${m[6]}`,
        sender: m[7]!,
        text: m[8]!,
      });
    } else if (out.length > 0) {
      out[out.length - 1]!.text += `\n${line}`;
    }
  }
  // The file ends with a line break: the loop's last, empty line is not text.
  const last = out.at(-1);
  if (last?.text.endsWith('\n')) last.text = last.text.slice(0, -1);
  return out;
}

// ---------------------------------------------------------------- verdicts

export interface Ratio {
  ratio: number;
  pass: boolean;
}

/** measured / baseline against a target; anything not a finite positive figure misses. */
export function ratioCheck(measuredMs: number, baselineMs: number, target: number): Ratio {
  const ratio = measuredMs / baselineMs;
  const ok = Number.isFinite(ratio) && measuredMs > 0 && baselineMs > 0;
  return { ratio, pass: ok && ratio <= target };
}

/** Peak RSS growth from the small to the large import, against the 64 MiB target. */
export function rssCheck(smallPeak: number, largePeak: number): { growth: number; pass: boolean } {
  const growth = largePeak - smallPeak;
  const ok = Number.isFinite(growth) && smallPeak > 0 && largePeak > 0;
  return { growth, pass: ok && growth < RSS_TARGET };
}

// ---------------------------------------------------------------- measuring

/** mailbox.mbox + email.message_from_bytes for every message; prints how many it read. */
const PYTHON_BASELINE = `
import email, mailbox, sys
box = mailbox.mbox(sys.argv[1], create=False)
n = 0
for key in box.iterkeys():
    email.message_from_bytes(box.get_bytes(key))
    n += 1
print(n)
`;

interface ChildResult {
  addMs: number;
  openMs: number;
  status: string;
  messageCount: number;
  firstPage: number;
  warnings: string[];
  peakRss: number;
}

/** One measured import in a child process of its own, with its peak RSS polled. */
async function measuredImport(
  ctx: Context,
  mode: 'mbox' | 'chat',
  file: string,
  label: string,
): Promise<ChildResult> {
  const vault = ctx.vaultPath(label);
  await initCheapVault(vault);
  await syncDisks();
  await warm([file]);
  const res = await run(
    process.execPath,
    ['--import', 'tsx', CHILD, mode, vault, file, 'Europe/London', String(FIRST_PAGE)],
    {
      pollRssMs: POLL_MS,
      env: { ...process.env, DOSSIER_PASSPHRASE: PASSPHRASE, DOSSIER_BENCH_TREE: TREE },
    },
  );
  await ctx.remove(vault);
  const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Omit<ChildResult, 'peakRss'>;
  return { ...out, peakRss: res.peakRss! };
}

async function mboxFile(ctx: Context, bytes: number): Promise<{ path: string; count: number }> {
  return ctx.once(`mbox:${bytes}`, async () => {
    const count = mboxMessageCount(bytes);
    const path = join(ctx.root, `mailbox-${bytes / MiB}MiB.mbox`);
    const t0 = performance.now();
    const made = await writeMbox(path, count);
    log(
      `  (wrote ${count.toLocaleString('en')} messages, ${mib(made.bytes)}, to ${path} in ` +
        `${secs(performance.now() - t0)})`,
    );
    return { path, count };
  });
}

async function chatFile(ctx: Context): Promise<{ path: string; count: number }> {
  return ctx.once('whatsapp-chat', async () => {
    const { bytes } = buildChat(IOS_UK, chatMessages(CHAT_MESSAGES));
    const path = join(ctx.root, 'WhatsApp Chat with Alex.txt');
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.write(bytes);
    } finally {
      await fh.close();
    }
    log(
      `  (wrote a WhatsApp chat of ${CHAT_MESSAGES.toLocaleString('en')} messages, ${mib(bytes.length)})`,
    );
    return { path, count: CHAT_MESSAGES };
  });
}

/** `python3 --version`, or null when it is not installed. */
async function pythonVersion(): Promise<string | null> {
  try {
    const res = await run('python3', ['--version'], { check: false });
    return res.code === 0 ? (res.stdout + res.stderr).trim() : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const fmtRatio = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');

export const conversations: Bench = {
  name: NAME,
  title: 'Import of a 1 GiB mbox vs Python + sha256sum; RSS 64 MiB vs 1 GiB; a 40,000-message chat',
  async run(ctx) {
    const only = benchOnly();
    const python = only === 'memory' ? null : await pythonVersion();
    const timeTarget = `≤ ${TIME_TARGET} (goal ≤ ${TIME_GOAL})`;
    if (only === 'memory') log('  DOSSIER_BENCH_ONLY=memory: the timed rounds are left out.');
    else if (python === null)
      log(
        '  python3 is not installed, so the mailbox import has no baseline (its time is printed).',
      );
    const timed = only !== 'memory';
    const large = await mboxFile(ctx, CONFIG.largeBytes);
    const small = await mboxFile(ctx, CONFIG.smallBytes);
    const chat = timed ? await chatFile(ctx) : null;
    const largeBytes = (await stat(large.path)).size;

    const py: number[] = [];
    const sha: number[] = [];
    const add: number[] = [];
    const peakLarge: number[] = [];
    const peakSmall: number[] = [];
    const raw: number[] = [];
    const chatMs: number[] = [];
    const chatAdd: number[] = [];
    for (let r = 1; r <= CONFIG.reps; r++) {
      const said: string[] = [];
      if (python !== null) {
        // Baseline: Python reads every message; sha256sum reads the file. Cache warm for both.
        await syncDisks();
        await warm([large.path]);
        const p = await run('python3', ['-c', PYTHON_BASELINE, large.path]);
        if (Number(p.stdout.trim()) !== large.count) {
          throw new Error(`Python read ${p.stdout.trim()} messages, not ${large.count}`);
        }
        py.push(p.ms);
        await syncDisks();
        await warm([large.path]);
        sha.push((await run('sha256sum', [large.path], { discardStdout: true })).ms);
        said.push(`python ${secs(p.ms)}, sha256sum ${secs(sha.at(-1)!)}`);
      }

      // Measured: Vault.add into a fresh vault, in a child whose peak RSS is polled.
      const l = await measuredImport(ctx, 'mbox', large.path, 'conv-large');
      if (l.messageCount !== large.count) {
        throw new Error(`Dossier read ${l.messageCount} messages, not ${large.count}`);
      }
      add.push(l.addMs);
      peakLarge.push(l.peakRss);
      const s = await measuredImport(ctx, 'mbox', small.path, 'conv-small');
      if (s.messageCount !== small.count) {
        throw new Error(`Dossier read ${s.messageCount} of the small mailbox's ${small.count}`);
      }
      peakSmall.push(s.peakRss);
      said.push(
        `Vault.add ${secs(l.addMs)}` +
          (python !== null ? ` (ratio ${fmtRatio(l.addMs / (py.at(-1)! + sha.at(-1)!))})` : ''),
        `peak RSS ${mib(s.peakRss)} / ${mib(l.peakRss)}`,
      );

      if (chat) {
        // Chat: the raw parse (once to warm the JIT, then timed), then import + open.
        rawChatParse(await readFile(chat.path, 'utf8'));
        for (let k = 0; k < RAW_PARSE_RUNS; k++) {
          const t0 = performance.now();
          const n = rawChatParse(await readFile(chat.path, 'utf8')).length;
          raw.push(performance.now() - t0);
          if (n !== chat.count)
            throw new Error(`the raw parse read ${n} messages, not ${chat.count}`);
        }
        const c = await measuredImport(ctx, 'chat', chat.path, 'conv-chat');
        if (c.messageCount !== chat.count || c.firstPage !== Math.min(FIRST_PAGE, chat.count)) {
          throw new Error(`chat: ${c.messageCount} messages, first page ${c.firstPage}`);
        }
        chatAdd.push(c.addMs);
        chatMs.push(c.addMs + c.openMs);
        said.push(`chat ${secs(chatMs.at(-1)!)}`);
      }
      log(`  round ${r}: ${said.join('; ')}`);
    }

    const checks: Check[] = [];
    const mAdd = median(add);
    log(
      `  mailbox: ${large.count.toLocaleString('en')} messages, ${mib(largeBytes)}; page cache warm; ` +
        `medians of ${CONFIG.reps} runs${python ? `; ${python}` : ''}`,
    );
    const addLine =
      `  Vault.add (fresh vault)         ${secs(mAdd)}  ${list(add, secs)}  ${rate(largeBytes, mAdd)}, ` +
      `${((large.count / mAdd) * 1000).toFixed(0)} messages/s`;
    if (python !== null) {
      const mPy = median(py);
      const mSha = median(sha);
      const baseline = mPy + mSha;
      const time = ratioCheck(mAdd, baseline, TIME_TARGET);
      log(
        `  python mailbox + email          ${secs(mPy)}  ${list(py, secs)}  ${rate(largeBytes, mPy)}`,
      );
      log(
        `  sha256sum FILE                  ${secs(mSha)}  ${list(sha, secs)}  ${rate(largeBytes, mSha)}`,
      );
      log(`  baseline (sum of the medians)   ${secs(baseline)}`);
      log(addLine);
      log(
        `  goal ≤ ${TIME_GOAL}: ${time.pass && time.ratio <= TIME_GOAL ? 'met' : 'not met'} (ratio ${fmtRatio(time.ratio)})`,
      );
      checks.push(
        verdict(
          NAME,
          'Vault.add(1 GiB mbox) / (python mailbox + sha256sum)',
          `${secs(mAdd)} / ${secs(baseline)} = ${fmtRatio(time.ratio)}`,
          timeTarget,
          time.pass,
        ),
      );
    } else {
      log(addLine);
      const why = only === 'memory' ? 'DOSSIER_BENCH_ONLY=memory' : 'python3 is not installed';
      checks.push(
        skipped(NAME, 'Vault.add(1 GiB mbox) / (python mailbox + sha256sum)', why, timeTarget),
      );
    }

    const mSmall = median(peakSmall);
    const mLarge = median(peakLarge);
    const rss = rssCheck(mSmall, mLarge);
    log(
      `  peak RSS, ${mib(CONFIG.smallBytes)} mbox`.padEnd(34) +
        `${mib(mSmall)}  ${list(peakSmall, mib)}`,
    );
    log(
      `  peak RSS, ${mib(CONFIG.largeBytes)} mbox`.padEnd(34) +
        `${mib(mLarge)}  ${list(peakLarge, mib)}`,
    );
    checks.push(
      verdict(
        NAME,
        `peak RSS(${mib(CONFIG.largeBytes)} mbox) − peak RSS(${mib(CONFIG.smallBytes)})`,
        `${mib(mLarge)} − ${mib(mSmall)} = ${mib(rss.growth)}`,
        `< ${mib(RSS_TARGET)}`,
        rss.pass,
      ),
    );

    const chatLabel = 'chat import + open / raw line-split parse';
    if (!chat) {
      checks.push(skipped(NAME, chatLabel, 'DOSSIER_BENCH_ONLY=memory', `≤ ${CHAT_TARGET}`));
      return checks;
    }
    const mRaw = median(raw);
    const mChat = median(chatMs);
    const chatRatio = ratioCheck(mChat, mRaw, CHAT_TARGET);
    log(
      `  chat: ${CHAT_MESSAGES.toLocaleString('en')} messages, iOS, one .txt; first page ${FIRST_PAGE}`,
    );
    log(`  raw line-split parse            ${mRaw.toFixed(1)} ms  (median of ${raw.length})`);
    log(
      `  import + open (add, get, page)  ${secs(mChat)}  ${list(chatMs, secs)}  ` +
        `(of which Vault.add ${secs(median(chatAdd))})`,
    );
    log(
      `  the issue's bound, < ${secs(CHAT_BOUND_MS)}: ${mChat < CHAT_BOUND_MS ? 'met' : 'not met'} ` +
        `(information: an absolute time on a noisy machine)`,
    );
    checks.push(
      verdict(
        NAME,
        chatLabel,
        `${secs(mChat)} / ${mRaw.toFixed(1)} ms = ${chatRatio.ratio.toFixed(0)}`,
        `≤ ${CHAT_TARGET}`,
        chatRatio.pass,
      ),
    );
    return checks;
  },
};
