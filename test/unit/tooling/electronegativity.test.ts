import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CSP } from '../../../main/electron/security';
import {
  inlineDisables,
  judge,
  readAllowlist,
  type Acceptance,
  type Finding,
} from '../../tooling/electronegativity';
import { tempDir } from '../../support/tmp';

/** The electronegativity gate (test/tooling/electronegativity.ts) must be able to fail. */
const root = resolve(import.meta.dirname, '../../..');
const wrapper = join(root, 'test/tooling/electronegativity.ts');

async function gate(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', wrapper, ...args],
      { cwd: root },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

async function emptyAllowlist(): Promise<string> {
  const file = join(await tempDir('dossier-eng-'), 'allowlist.json');
  await writeFile(file, '{ "accepted": [] }');
  return file;
}

function finding(over: Partial<Finding>): Finding {
  return {
    check: 'X_CHECK',
    severity: 'LOW',
    confidence: 'FIRM',
    file: 'main/electron/a.ts',
    line: 3,
    column: 1,
    source: 'win = new BrowserWindow({',
    description: 'd',
    review: false,
    ...over,
  };
}

const accept = (over: Partial<Acceptance> = {}): Acceptance => ({
  check: 'X_CHECK',
  file: 'main/electron/a.ts',
  source: 'new BrowserWindow',
  reason: 'because',
  ...over,
});

describe('electronegativity gate', () => {
  it('fails on a window with contextIsolation off and names the HIGH finding', async () => {
    const r = await gate(
      '--dir',
      'test/fixtures/electronegativity/bad',
      '--allowlist',
      await emptyAllowlist(),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /FAIL +HIGH +CONTEXT_ISOLATION_JS_CHECK +test\/fixtures\/electronegativity\/bad\/window\.ts:6:/,
    );
    expect(r.out).toMatch(/FAIL +MEDIUM +SANDBOX_JS_CHECK/);
    expect(r.out).toMatch(/NODE_INTEGRATION_JS_CHECK/);
    // Offline: the only request it tries (translations) is refused by the stub, not sent.
    expect(r.out).toMatch(/refused a network request: https:\/\/electronegativity-i18n/);
  });

  it('cannot pass by having nothing to scan', async () => {
    const empty = await tempDir('dossier-eng-empty-');
    await mkdir(join(empty, 'sub'));
    const r = await gate('--dir', empty, '--allowlist', await emptyAllowlist());
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/could not run: nothing to scan/);
  });

  it('never accepts HIGH or a detected MEDIUM, even when listed', () => {
    for (const over of [
      { severity: 'HIGH' },
      { severity: 'HIGH', review: true },
      { severity: 'MEDIUM' },
    ] as const) {
      const j = judge([finding(over)], [accept()]);
      expect(j.ok).toBe(false);
      expect(j.judged[0]!.note).toMatch(/only LOW/);
    }
  });

  it('accepts a review-required MEDIUM only when listed', () => {
    expect(judge([finding({ severity: 'MEDIUM', review: true })], [accept()]).ok).toBe(true);
    expect(judge([finding({ severity: 'MEDIUM', review: true })], []).ok).toBe(false);
  });

  it('accepts a LOW finding only when listed, and refuses stale entries', () => {
    expect(judge([finding({})], [accept()]).ok).toBe(true);
    expect(judge([finding({})], []).ok).toBe(false);
    expect(judge([finding({})], [accept({ source: 'something else' })]).ok).toBe(false);
    expect(judge([finding({})], [accept({ file: 'main/electron/b.ts' })]).ok).toBe(false);
    const stale = judge([], [accept()]);
    expect(stale.ok).toBe(false);
    expect(stale.stale).toHaveLength(1);
    expect(judge([finding({ severity: 'INFORMATIONAL' })], []).ok).toBe(true);
  });

  it('refuses inline eng-disable comments, which would hide findings from it', async () => {
    const dir = await tempDir('dossier-eng-inline-');
    const file = join(dir, 'w.ts');
    await writeFile(file, 'new BrowserWindow({}); // eng-disable CONTEXT_ISOLATION_JS_CHECK\n');
    expect(inlineDisables([file])).toHaveLength(1);
  });

  it('documents every accepted finding in docs/electron-hardening.md', () => {
    const doc = readFileSync(join(root, 'docs/electron-hardening.md'), 'utf8');
    const list = readAllowlist(join(root, 'test/tooling/electronegativity-allowlist.json'));
    for (const entry of list) {
      expect(doc).toContain(entry.check);
      expect(doc).toContain(entry.file);
    }
  });

  it('the CSP it cannot read passes its own CSP evaluator', () => {
    // The accepted CSP_GLOBAL_CHECK finding: the tool sees a name, not the policy. Its evaluator
    // (Google's csp-evaluator) on the real policy: nothing worse than a "maybe" note.
    const tool = createRequire(
      createRequire(join(root, 'package.json')).resolve('@doyensec/electronegativity/package.json'),
    );
    const csp = tool('@doyensec/csp-evaluator') as {
      CspParser: new (s: string) => { csp: unknown };
      CspEvaluator: new (
        c: unknown,
        v: unknown,
      ) => {
        evaluate(): { severity: number; directive: string; value: string }[];
      };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CSP).csp, csp.Version.CSP3).evaluate();
    const serious = findings.filter((f) => f.severity < csp.severities.MEDIUM_MAYBE!);
    expect(serious).toEqual([]);
    // The one note: script-src 'self' where user uploads are served. Evidence responses are
    // nosniff and never of a script type (main/core/serve/evidence-response.ts).
    expect(findings.map((f) => `${f.directive} ${f.value}`)).toEqual(["script-src 'self'"]);
  });
});
