import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointStatement, entryHash, GENESIS_PREV } from '../../../main/core/custody/log';
import { bundleCustody, custodyJsonl } from '../../../main/core/export/custody-bundle';
import type { CustodyRecord } from '../../../main/core/export/model';
import { checkCustody, isFullEntry } from '../../../main/core/export/verify-custody';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

/** A chain of n entries; entry i is about item `subject(i)`. */
function chain(
  n: number,
  subject: (i: number) => string,
  details = (_i: number) => ({}),
): CustodyRecord[] {
  const out: CustodyRecord[] = [];
  let prev = GENESIS_PREV;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      seq,
      at: `2026-03-0${1 + (seq % 9)}T10:00:00.000Z`,
      actor: 'test',
      action: 'annotate' as const,
      subjects: [subject(seq)],
      details: details(seq),
      prev,
    };
    const full = { ...e, hash: entryHash(e) };
    out.push(full);
    prev = full.hash;
  }
  return out;
}

function checkpointFor(last: CustodyRecord) {
  const c = { vaultId: 'v1', seq: last.seq, head: last.hash, signedAt: '2026-03-10T00:00:00.000Z' };
  return { ...c, signature: sign(null, checkpointStatement(c), privateKey).toString('base64') };
}

function errors(text: string): string[] {
  const found: string[] = [];
  checkCustody(Buffer.from(text), publicKey, (_f, m) => void found.push(m));
  return found;
}

const entries = chain(12, (i) => (i % 4 === 0 ? 'shown' : `other-${i}`));
const keep = (e: CustodyRecord): boolean => e.subjects.includes('shown');
const text = custodyJsonl(
  bundleCustody(entries, keep, { fullPaths: false }),
  checkpointFor(entries.at(-1)!),
);
const rows = text.trimEnd().split('\n');

describe('the bundle custody chain with withheld runs', () => {
  it('collapses left-out entries into counted runs and verifies', () => {
    expect(rows.map((r) => Object.keys(JSON.parse(r) as object)[0])).toEqual([
      'withheld',
      'seq',
      'withheld',
      'seq',
      'withheld',
      'seq',
      'checkpoint',
    ]);
    expect(JSON.parse(rows[0]!)).toEqual({
      withheld: {
        fromSeq: 1,
        toSeq: 3,
        count: 3,
        lastHash: entries[2]!.hash,
        reason: 'not-in-bundle',
      },
    });
    expect(errors(text)).toEqual([]);
    expect(rows.map((r) => isFullEntry(JSON.parse(r)))).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('a run at the tail is still covered by the checkpoint, and cutting it off fails', () => {
    const tail = chain(6, (i) => (i === 2 ? 'shown' : `other-${i}`));
    const t = custodyJsonl(
      bundleCustody(tail, keep, { fullPaths: false }),
      checkpointFor(tail.at(-1)!),
    );
    expect(errors(t)).toEqual([]);
    const lines = t.trimEnd().split('\n');
    expect(errors([...lines.slice(0, -2), lines.at(-1)].join('\n'))).not.toEqual([]);
  });

  it('fails on lines after the checkpoint, a missing checkpoint, and unknown reasons', () => {
    expect(errors(`${text}${rows[1]}\n`)).not.toEqual([]);
    expect(errors(rows.slice(0, -1).join('\n'))).toEqual([
      'The custody log has no signed checkpoint.',
    ]);
    const w = JSON.parse(rows[0]!) as { withheld: Record<string, unknown> };
    const odd = JSON.stringify({ withheld: { ...w.withheld, reason: 'because' } });
    expect(errors([odd, ...rows.slice(1)].join('\n'))).not.toEqual([]);
    const withEntry = JSON.stringify({ withheld: { ...w.withheld, entry: { seq: 1 } } });
    expect(errors([withEntry, ...rows.slice(1)].join('\n'))).not.toEqual([]);
  });

  it('an entry withheld for its full path keeps a link that is checked', () => {
    const old = chain(
      3,
      () => 'shown',
      (i) => (i === 2 ? { sourcePath: '/home/alice/x.jpg' } : {}),
    );
    const b = bundleCustody(old, keep, { fullPaths: false });
    expect(b.pathWithheld).toBe(1);
    const t = custodyJsonl(b, checkpointFor(old.at(-1)!));
    expect(t).not.toContain('/home/alice');
    expect(errors(t)).toEqual([]);
    const lines = t.trimEnd().split('\n');
    const w = JSON.parse(lines[1]!) as { withheld: { entry: Record<string, unknown> } };
    const forged = JSON.stringify({
      withheld: { ...w.withheld, entry: { ...w.withheld.entry, prev: 'a'.repeat(64) } },
    });
    expect(errors([lines[0], forged, ...lines.slice(2)].join('\n'))).not.toEqual([]);
    // With full paths the entry is shown whole and still verifies.
    const full = custodyJsonl(
      bundleCustody(old, keep, { fullPaths: true }),
      checkpointFor(old.at(-1)!),
    );
    expect(full).toContain('/home/alice/x.jpg');
    expect(errors(full)).toEqual([]);
  });

  it('still accepts bundles made before runs (one redacted line per left-out entry)', () => {
    const legacy = entries.map((e) =>
      JSON.stringify(
        keep(e)
          ? e
          : { seq: e.seq, at: e.at, action: e.action, redacted: true, prev: e.prev, hash: e.hash },
      ),
    );
    const t =
      [...legacy, JSON.stringify({ checkpoint: checkpointFor(entries.at(-1)!) })].join('\n') + '\n';
    expect(errors(t)).toEqual([]);
    const broken = legacy.filter((_, i) => i !== 1);
    expect(
      errors(
        [...broken, JSON.stringify({ checkpoint: checkpointFor(entries.at(-1)!) })].join('\n'),
      ),
    ).not.toEqual([]);
  });
});
