/**
 * The conversations benchmark's own logic (the benchmark itself is `npm run bench --
 * conversations`): its verdicts, the sizes it generates, and inputs that are the same every run.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CHAT_MESSAGES,
  conversations,
  RSS_TARGET,
  TIME_TARGET,
  chatMessages,
  mboxMessageCount,
  rawChatParse,
  ratioCheck,
  rssCheck,
  writeMbox,
} from '../../bench/conversations';
import { Context, GiB, MiB } from '../../bench/lib';
import { IOS_UK, buildChat } from '../../support/conversations/whatsapp';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the conversations benchmark', () => {
  it('is one of the benchmarks `npm run bench` knows', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/bench/run.ts'), '--help'],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/^ {2}conversations +Import of a 1 GiB mbox/m);
  });

  it('passes a ratio at the target, misses it just above, and never passes a figure that is not one', () => {
    expect(ratioCheck(150, 100, TIME_TARGET)).toEqual({ ratio: 1.5, pass: true });
    expect(ratioCheck(151, 100, TIME_TARGET).pass).toBe(false);
    expect(ratioCheck(50, 100, TIME_TARGET).pass).toBe(true);
    for (const [m, b] of [
      [0, 100],
      [100, 0],
      [NaN, 100],
      [100, NaN],
      [Infinity, 100],
      [-1, 100],
    ])
      expect(ratioCheck(m!, b!, TIME_TARGET).pass).toBe(false);
  });

  it('passes RSS growth below 64 MiB only, measured on both sides', () => {
    expect(rssCheck(300 * MiB, 300 * MiB + RSS_TARGET - 1)).toEqual({
      growth: RSS_TARGET - 1,
      pass: true,
    });
    expect(rssCheck(300 * MiB, 300 * MiB + RSS_TARGET).pass).toBe(false);
    expect(rssCheck(400 * MiB, 300 * MiB).pass).toBe(true); // smaller is fine
    expect(rssCheck(0, 10 * MiB).pass).toBe(false);
    expect(rssCheck(10 * MiB, NaN).pass).toBe(false);
  });

  it('makes the issue’s sizes: 100,000 messages in 1 GiB, the same shape at 64 MiB', () => {
    expect(mboxMessageCount(GiB)).toBe(100_000);
    expect(mboxMessageCount(64 * MiB)).toBe(6_250);
    expect(mboxMessageCount(1)).toBe(1);
  });

  it('writes the same mailbox every time, about 1 GiB per 100,000 messages', async () => {
    const a = join(tmpdir(), `dossier-bench-mbox-a-${process.pid}.mbox`);
    const b = join(tmpdir(), `dossier-bench-mbox-b-${process.pid}.mbox`);
    try {
      const count = 400;
      const one = await writeMbox(a, count);
      const two = await writeMbox(b, count);
      expect(two).toEqual(one);
      const bytes = await readFile(a);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(one.sha256);
      expect(bytes.length).toBe(one.bytes);
      // One From_ line per message (bodies' "From " lines are quoted).
      expect(bytes.toString('latin1').match(/(^|\n)From /g)).toHaveLength(count);
      const perMessage = one.bytes / count;
      expect(perMessage).toBeGreaterThan((GiB / 100_000) * 0.85);
      expect(perMessage).toBeLessThan((GiB / 100_000) * 1.15);
    } finally {
      await rm(a, { force: true });
      await rm(b, { force: true });
    }
  });

  it('makes the same chat every time, and the raw parse reads back every message', () => {
    expect(chatMessages(300)).toEqual(chatMessages(300));
    expect(chatMessages(300, 8)).not.toEqual(chatMessages(300));
    const { text, expected } = buildChat(IOS_UK, chatMessages(2000));
    const parsed = rawChatParse(text);
    expect(parsed.map((m) => [m.sender, m.text])).toEqual(expected.map((e) => [e.sender, e.text]));
    expect(parsed.map((m) => m.time)).toEqual(expected.map((e) => e.wall));
    // Some messages span lines, and the chat runs past day 12 (its order is provable).
    expect(expected.some((e) => e.lineEnd > e.line)).toBe(true);
    expect(expected.some((e) => Number(e.wall.slice(8, 10)) > 12)).toBe(true);
    expect(CHAT_MESSAGES).toBe(40_000);
  });

  it('refuses an unknown DOSSIER_BENCH_ONLY before it makes anything', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dossier-bench-conv-'));
    const before = process.env.DOSSIER_BENCH_ONLY;
    process.env.DOSSIER_BENCH_ONLY = 'speed';
    try {
      await expect(conversations.run(new Context(root))).rejects.toThrow(
        /DOSSIER_BENCH_ONLY must be "memory"/,
      );
      expect(await readdir(root)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.DOSSIER_BENCH_ONLY;
      else process.env.DOSSIER_BENCH_ONLY = before;
      await rm(root, { recursive: true, force: true });
    }
  });
});
