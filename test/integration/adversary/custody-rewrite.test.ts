import { sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault, type CustodyEntry } from '../../../main/core';
import { checkpointStatement } from '../../../main/core/custody/log';
import { assertBuilt, dossier } from '../../support/cli';
import { openRawDb, readLog, writeLog } from '../../support/custody-tamper';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

/**
 * Issue 9, item 7: someone with the revealed database key rewrites the custody log (an
 * edited entry with every later hash recomputed, a deleted entry with the rest renumbered,
 * a cut tail) and deletes the signed checkpoints that would betray it. Each must fail.
 *
 * History of every vault here: 1 create, 2-3 ingest, 4 reveal-keys, 5 lock,
 * 6 unlock, 7 ingest, 8 lock.
 */
interface History {
  dir: string;
  key: string;
  signingKey: KeyObject;
  vaultId: string;
}

let root: string;
let n = 0;

async function history(): Promise<History> {
  const dir = join(root, `vault-${++n}`);
  const src = join(root, `src-${n}`);
  await mkdir(src);
  for (const f of ['a', 'b', 'c']) await writeFile(join(src, `${f}.txt`), `evidence ${f} ${n}\n`);
  const { vault } = await newVault(dir);
  await vault.add([join(src, 'a.txt'), join(src, 'b.txt')]);
  const key = vault.revealKeys().sqlcipherKey;
  const signingKey = (vault as unknown as { keys: { signingKey: KeyObject } }).keys.signingKey;
  const vaultId = vault.id;
  await vault.lock();
  const again = await Vault.unlock(dir, PASSPHRASE);
  await again.add([join(src, 'c.txt')]);
  await again.lock();
  return { dir, key, signingKey, vaultId };
}

/** The attacker's rewrite, then `DELETE FROM custody_checkpoints` (or only some of them). */
function tamper(
  h: History,
  rewrite: (entries: CustodyEntry[]) => CustodyEntry[],
  deleteCheckpoints = 'DELETE FROM custody_checkpoints',
): void {
  const db = openRawDb(h.dir, h.key);
  writeLog(db, rewrite(readLog(db)));
  db.exec(deleteCheckpoints);
  db.close();
}

/** Everything dossier.json says about the log, and every trace of it in the entries, removed. */
async function stripAnchor(h: History): Promise<void> {
  const path = join(h.dir, 'dossier.json');
  const header = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  delete header.custodyAnchor;
  await writeFile(path, JSON.stringify(header, null, 2));
}

function withoutAnchorMarks(entries: CustodyEntry[]): CustodyEntry[] {
  return entries.map((e) => {
    const details = { ...e.details };
    delete details.custodyAnchor;
    return { ...e, details };
  });
}

async function verdict(h: History): Promise<{
  ok: boolean;
  seq: number | undefined;
  reason: string;
  checkProblems: string[];
}> {
  const v = await Vault.unlock(h.dir, PASSPHRASE);
  try {
    const chain = v.verifyLog();
    const report = await v.check();
    return {
      ok: chain.ok,
      seq: chain.firstBroken?.seq,
      reason: chain.firstBroken?.reason ?? '',
      checkProblems: report.problems.filter((p) => p.kind === 'custody').map((p) => p.message),
    };
  } finally {
    await v.lock();
  }
}

const editEntry = (entries: CustodyEntry[]): CustodyEntry[] =>
  entries.map((e) =>
    e.seq === 2 ? { ...e, details: { ...e.details, name: 'something-else.txt' } } : e,
  );
const dropEntry = (entries: CustodyEntry[]): CustodyEntry[] => entries.filter((e) => e.seq !== 3);

describe('adversary: the custody log rewritten and its checkpoints deleted', () => {
  beforeAll(async () => {
    assertBuilt();
    root = await tempDir('dossier-custody-rewrite-');
  });

  it('an untouched vault verifies (the baseline the attacks below depart from)', async () => {
    const h = await history();
    const v = await verdict(h);
    expect(v).toMatchObject({ ok: true, checkProblems: [] });
  });

  for (const [what, rewrite] of [
    ['an entry edited, every later hash recomputed', editEntry],
    ['an entry deleted, the rest renumbered and re-linked', dropEntry],
  ] as const) {
    it(`${what}, checkpoints deleted: fails`, async () => {
      const h = await history();
      tamper(h, rewrite);
      const v = await verdict(h);
      expect(v.ok).toBe(false);
      expect(v.reason).toMatch(/signed checkpoint/);
      expect(v.checkProblems.join('\n')).toMatch(/Custody log/);
    });

    it(`${what}, checkpoints deleted and dossier.json's record removed: the unsigned lock fails`, async () => {
      const h = await history();
      tamper(h, (e) => withoutAnchorMarks(rewrite(e)));
      await stripAnchor(h);
      const v = await verdict(h);
      expect(v.ok).toBe(false);
      expect(v.reason).toMatch(/signed checkpoint/);
      expect(v.checkProblems).toHaveLength(1);
    });
  }

  it('only the checkpoints deleted (the log itself intact): fails', async () => {
    const h = await history();
    tamper(h, (e) => e);
    await stripAnchor(h);
    const v = await verdict(h);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/signed checkpoint/);
  });

  it('one of two lock checkpoints deleted: fails (checkpoints fewer than locks)', async () => {
    const h = await history();
    tamper(h, (e) => e, 'DELETE FROM custody_checkpoints WHERE seq = 5');
    const v = await verdict(h);
    expect(v).toMatchObject({ ok: false, seq: 5 });
    expect(v.reason).toMatch(/lock.*signed checkpoint/);
  });

  it('the tail cut after an earlier lock, later checkpoints deleted: dossier.json catches it', async () => {
    const h = await history();
    tamper(h, (e) => e.filter((x) => x.seq <= 5), 'DELETE FROM custody_checkpoints WHERE seq > 5');
    const v = await verdict(h);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(
      /the custody log is shorter than the last signed checkpoint recorded in dossier\.json: entries after 5 were removed, or the database was replaced by an older copy/,
    );
    expect(v.checkProblems.join('\n')).toMatch(/shorter than the last signed checkpoint/);
  });

  it('the tail cut and dossier.json stripped of its record: fails (the log says it had one)', async () => {
    const h = await history();
    tamper(h, (e) => e.filter((x) => x.seq <= 5), 'DELETE FROM custody_checkpoints WHERE seq > 5');
    await stripAnchor(h);
    const v = await verdict(h);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/dossier\.json/);
  });

  for (const [what, change] of [
    ['its sequence number lowered', (a: Record<string, unknown>) => ({ ...a, seq: 5 })],
    ['its hash replaced', (a: Record<string, unknown>) => ({ ...a, head: 'ab'.repeat(32) })],
    [
      'its authentication code replaced',
      (a: Record<string, unknown>) => ({ ...a, mac: '00'.repeat(32) }),
    ],
    ['made into a string', () => 'x'],
  ] as const) {
    it(`dossier.json's checkpoint record with ${what}: fails as tampered`, async () => {
      const h = await history();
      const path = join(h.dir, 'dossier.json');
      const header = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      expect(header.custodyAnchor).toBeTypeOf('object');
      header.custodyAnchor = change(header.custodyAnchor as Record<string, unknown>);
      await writeFile(path, JSON.stringify(header, null, 2));
      const v = await verdict(h);
      expect(v.ok).toBe(false);
      expect(v.reason).toMatch(/dossier\.json/);
    });
  }

  it('a vault from before this change (no record in dossier.json, none in the log) is accepted and gains one at lock', async () => {
    const h = await history();
    // What the previous version wrote: no anchor, no marks, no checkpoint at `create`;
    // a checkpoint at every lock, signed by the vault's key.
    const db = openRawDb(h.dir, h.key);
    const legacy = withoutAnchorMarks(readLog(db));
    writeLog(db, legacy);
    db.exec('DELETE FROM custody_checkpoints');
    const signedAt = new Date().toISOString();
    for (const e of readLog(db).filter((x) => x.action === 'lock')) {
      const signature = sign(
        null,
        checkpointStatement({ vaultId: h.vaultId, seq: e.seq, head: e.hash, signedAt }),
        h.signingKey,
      ).toString('base64');
      db.prepare(
        'INSERT INTO custody_checkpoints (seq, head, signed_at, signature) VALUES (?, ?, ?, ?)',
      ).run(e.seq, e.hash, signedAt, signature);
    }
    db.close();
    await stripAnchor(h);

    expect(await verdict(h)).toMatchObject({ ok: true, checkProblems: [] });
    const header = JSON.parse(await readFile(join(h.dir, 'dossier.json'), 'utf8')) as {
      custodyAnchor?: { seq: number; head: string; mac: string };
    };
    expect(header.custodyAnchor).toMatchObject({
      seq: expect.any(Number),
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // From now on the tail is protected like any other vault's.
    tamper(h, (e) => e.filter((x) => x.seq <= 8), 'DELETE FROM custody_checkpoints WHERE seq > 8');
    const cut = await verdict(h);
    expect(cut.ok).toBe(false);
    expect(cut.reason).toMatch(/shorter than the last signed checkpoint/);
  });

  it('an export entry is signed as it is written and recorded in dossier.json; its checkpoint deleted, the log fails', async () => {
    const h = await history();
    const v = await Vault.unlock(h.dir, PASSPHRASE);
    await v.export({ out: join(root, `bundle-${n}`), format: 'dir', selection: { all: true } });
    const exported = v.log().at(-1)!;
    expect(exported.action).toBe('export');
    expect(v.custody.checkpoints().map((c) => c.seq)).toContain(exported.seq);
    const header = JSON.parse(await readFile(join(h.dir, 'dossier.json'), 'utf8')) as {
      custodyAnchor: { seq: number };
    };
    expect(header.custodyAnchor.seq).toBe(exported.seq);
    await v.lock();
    tamper(h, (e) => e, `DELETE FROM custody_checkpoints WHERE seq = ${exported.seq}`);
    const after = await verdict(h);
    expect(after).toMatchObject({ ok: false, seq: exported.seq });
    expect(after.reason).toMatch(/export entry has no signed checkpoint/);
  });

  it('a cut tail is said at the next unlock, and the lock does not record a new checkpoint over it', async () => {
    const h = await history();
    tamper(h, (e) => e.filter((x) => x.seq <= 5), 'DELETE FROM custody_checkpoints WHERE seq > 5');
    const before = await readFile(join(h.dir, 'dossier.json'), 'utf8');
    const env = { DOSSIER_VAULT: h.dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const ls = await dossier(['ls'], env);
    expect(ls.code).toBe(0);
    expect(ls.stderr).toMatch(/does not match dossier\.json: the custody log is shorter/);
    // Still there after that session and the next: the evidence of the cut is kept.
    expect(await readFile(join(h.dir, 'dossier.json'), 'utf8')).toBe(before);
    // By now new entries have taken the removed ones' numbers: the entry differs instead.
    for (let i = 0; i < 2; i++) {
      const later = await verdict(h);
      expect(later).toMatchObject({ ok: false, seq: 8 });
      expect(later.reason).toMatch(
        /differs from the last signed checkpoint recorded in dossier\.json/,
      );
    }
  });

  it('a lock that cannot write dossier.json still locks, says so, and the vault stays sound', async () => {
    const h = await history();
    // dossier.json is replaced through dossier.json.tmp; a folder there makes the write fail.
    await mkdir(join(h.dir, 'dossier.json.tmp'));
    const v = await Vault.unlock(h.dir, PASSPHRASE);
    await v.lock();
    expect(v.notices.join('\n')).toMatch(/could not be recorded in dossier\.json/);
    expect(() => v.list()).toThrow(/locked/);
    expect(await verdict(h)).toMatchObject({ ok: true });
    const { rm } = await import('node:fs/promises');
    await rm(join(h.dir, 'dossier.json.tmp'), { recursive: true });
    const again = await Vault.unlock(h.dir, PASSPHRASE);
    const last = again.log().at(-1)!.seq;
    await again.lock();
    expect(again.notices).toEqual([]);
    const header = JSON.parse(await readFile(join(h.dir, 'dossier.json'), 'utf8')) as {
      custodyAnchor: { seq: number };
    };
    // The lock entry that followed is now the recorded checkpoint.
    expect(header.custodyAnchor.seq).toBe(last + 1);
  });

  it('`dossier log --verify` and `dossier check` fail with exit 4 when the checkpoints are deleted', async () => {
    const h = await history();
    tamper(h, (e) => withoutAnchorMarks(editEntry(e)));
    await stripAnchor(h);
    const env = { DOSSIER_VAULT: h.dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const log = await dossier(['log', '--verify'], env);
    expect(log.code).toBe(4);
    expect(log.out).toMatch(/Custody log BROKEN at entry 5: .*signed checkpoint/);
    expect(log.out).not.toMatch(/Custody log verified/);
    const check = await dossier(['check'], env);
    expect(check.code).toBe(4);
    expect(check.out).toMatch(/signed checkpoint/);
  });
});
