import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../main/core/export/export';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle, toolPath } from '../support/tools';
import { newVault } from '../support/vault';

const run = promisify(execFile);

/**
 * VERIFY.txt's steps, taken from the file as printed: the Linux ones and the macOS ones run
 * here on a real bundle (macOS's Homebrew OpenSSL 3 stood in for by this system's OpenSSL 3),
 * pass on it and fail on a tampered copy; the PowerShell ones, which cannot run here, are
 * checked against the bundle's files and recomputed as PowerShell would.
 */

/** The command blocks of one section: runs of lines indented by six spaces or more. */
function commands(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThan(0);
  expect(lines[start + 1]).toMatch(/^-+$/);
  const blocks: string[] = [];
  let block: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (/^[A-Z][A-Z ()]+$/.test(line)) break; // the next section
    // A step's first command may follow its letter: "A.    sha256sum -c …".
    const command = /^(?:[A-E]\. {4}| {6})( *\S.*)$/.exec(line);
    const step = /^[A-E]\./.test(line);
    if (command && step && block.length) {
      blocks.push(block.join('\n'));
      block = [];
    }
    if (command) {
      block.push(step ? command[1]! : line.slice(6));
    } else if (block.length) {
      blocks.push(block.join('\n'));
      block = [];
    }
  }
  if (block.length) blocks.push(block.join('\n'));
  return blocks;
}

async function sh(script: string, cwd: string, path = process.env.PATH ?? '') {
  return run('bash', ['-o', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: path, LANG: 'C.UTF-8' },
  }).then(
    (r) => ({ ok: true, out: r.stdout }),
    (e: { stdout?: string }) => ({ ok: false, out: e.stdout ?? '' }),
  );
}

// shasum (macOS's command) is Perl's, on every Debian system; openssl checks the signature.
const noTools = missingTools(['sha256sum', 'shasum', 'openssl']);

describe('VERIFY.txt on Linux, macOS and Windows', () => {
  const tools = noTools === null;
  let root: string;
  let result: ExportResult;
  let text: string;
  let fingerprint: string;

  beforeAll(async () => {
    root = await tempDir();
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'threat.txt'), 'I know where you live\n');
    await writeFile(join(src, 'Zoë’s screenshot (1).png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([src]);
    await mkdir(join(root, 'out'));
    result = await vault.export({
      out: join(root, 'out'),
      format: 'dir',
      selection: { all: true },
      exhibitPrefix: 'JD',
      // A hostile case name: it must not put an instruction of its own on a line.
      caseName: 'R v Unknown\n\n      rm -rf ~ \u202e',
    });
    await vault.lock();
    text = await readFile(join(result.path, 'VERIFY.txt'), 'utf8');
    fingerprint = result.fingerprint.replace(/ /g, '');
  });

  it('is plain ASCII in short lines, the case name kept on its own line', () => {
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('Case:'))).toEqual(['Case:      R v Unknown rm -rf ~']);
    expect(text.includes('\n      rm -rf')).toBe(false);
    for (const line of lines.filter((l) => !l.startsWith('Case:'))) {
      expect(line, line).toMatch(/^[\x20-\x7e]*$/);
      expect(line.length, line).toBeLessThanOrEqual(80);
    }
    // The fingerprint at the top, in two halves, and whole where each step D prints it.
    expect(text.replace(/\n\s+/g, ' ')).toContain(result.fingerprint);
    expect(text.split(`It must print (followed by "  -"):\n    ${fingerprint}\n`)).toHaveLength(3);
    expect(text.split(`It must print:\n    ${fingerprint}\n`)).toHaveLength(2);
  });

  it.skipIf(!tools)(
    skipTitle('the Linux steps, run as printed, pass on the bundle', noTools),
    async () => {
      const blocks = commands(text, 'LINUX');
      expect(blocks).toHaveLength(5);
      const outs: string[] = [];
      for (const block of blocks) {
        const r = await sh(block, result.path);
        expect(r.ok, block).toBe(true);
        outs.push(r.out);
      }
      const [a, a512, b, c, d] = outs;
      for (const out of [a!, a512!, b!]) {
        expect(out).toMatch(/: OK$/m);
        expect(out).not.toMatch(/FAILED/);
      }
      // The exhibits, eight metadata files (messages.json and recognised-text.json too),
      // report.pdf, bundle.pdf, the viewer.
      expect(a!.split('\n').filter(Boolean)).toHaveLength(result.exhibits.length + 11);
      expect(c).toMatch(/^Signature Verified Successfully/);
      expect(d!.slice(0, 64)).toBe(fingerprint);
    },
  );

  it.skipIf(!tools)(
    skipTitle(
      'the macOS steps, run as printed (brew standing for Homebrew), pass on the bundle',
      noTools,
    ),
    async () => {
      // `brew --prefix openssl@3` answers with where this system's OpenSSL 3 lives.
      const bin = join(root, 'fake-brew');
      await mkdir(bin, { recursive: true });
      const openssl = toolPath('openssl')!;
      await writeFile(
        join(bin, 'brew'),
        `#!/bin/sh\n[ "$1 $2" = "--prefix openssl@3" ] && echo ${JSON.stringify(join(openssl, '..', '..'))}\n`,
      );
      await chmod(join(bin, 'brew'), 0o755);
      const blocks = commands(text, 'MACOS');
      expect(blocks).toHaveLength(5);
      expect(blocks[3]).toMatch(/^"\$\(brew --prefix openssl@3\)\/bin\/openssl" pkeyutl/);
      const outs: string[] = [];
      for (const block of blocks) {
        const r = await sh(block, result.path, `${bin}:${process.env.PATH ?? ''}`);
        expect(r.ok, block).toBe(true);
        outs.push(r.out);
      }
      expect(outs[0]).toMatch(/: OK$/m);
      expect(outs[0]).not.toMatch(/FAILED/);
      expect(outs[3]).toMatch(/^Signature Verified Successfully/);
      expect(outs[4]!.slice(0, 64)).toBe(fingerprint);
    },
  );

  it.skipIf(!tools)(skipTitle('the same steps fail on a tampered copy', noTools), async () => {
    const copy = join(root, 'tampered');
    await run('cp', ['-a', result.path, copy]);
    const evidence = join(copy, result.exhibits[0]!.bagPath);
    const bytes = await readFile(evidence);
    bytes[0] = bytes[0]! ^ 1;
    await writeFile(evidence, bytes);
    for (const heading of ['LINUX', 'MACOS']) {
      expect((await sh(commands(text, heading)[0]!, copy)).ok, heading).toBe(false);
    }
    // A manifest line rewritten to match, and the tag manifest to match it: the signature fails.
    const manifest = join(copy, 'manifest-sha256.txt');
    const digest = createHash('sha256').update(bytes).digest('hex');
    const lines = (await readFile(manifest, 'utf8')).replace(result.exhibits[0]!.sha256, digest);
    await writeFile(manifest, lines);
    const tag = join(copy, 'tagmanifest-sha256.txt');
    const newManifest = createHash('sha256').update(lines).digest('hex');
    const tags = (await readFile(tag, 'utf8')).replace(
      /^[0-9a-f]{64}(?= {2}manifest-sha256\.txt$)/m,
      newManifest,
    );
    await writeFile(tag, tags);
    const linux = commands(text, 'LINUX');
    expect((await sh(linux[0]!, copy)).ok).toBe(true);
    expect((await sh(linux[2]!, copy)).ok).toBe(true);
    const signature = await sh(linux[3]!, copy);
    expect(signature.ok).toBe(false);
    expect(signature.out).not.toMatch(/Verified Successfully/);
  });

  it('the PowerShell steps name the bundle files and compute what they should', async () => {
    const blocks = commands(text, 'WINDOWS (POWERSHELL)');
    expect(blocks).toHaveLength(3);
    const [hashes, signature, key] = blocks as [string, string, string];
    // Every file a step names is in the bundle, under the name written (with / between folders).
    const named = [...blocks.join('\n').matchAll(/[\w/.-]+\.(?:txt|pem|sig)\b/g)].map((m) => m[0]);
    expect(new Set(named)).toEqual(
      new Set([
        'manifest-sha256.txt',
        'signature/dossier-public-key.pem',
        'tagmanifest-sha256.txt',
        'signature/tagmanifest-sha256.txt.sig',
      ]),
    );
    for (const f of named) expect((await stat(join(result.path, f))).isFile(), f).toBe(true);
    expect(text).toMatch(/with tagmanifest-sha256\.txt in place of\s+manifest-sha256\.txt/);

    // Step A reads each line as hash, two spaces, path: as every manifest line is written.
    expect(hashes).toContain("-split '  ', 2");
    expect(hashes).toContain('Get-FileHash -Algorithm SHA256 -LiteralPath $file');
    for (const m of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      for (const line of (await readFile(join(result.path, m), 'utf8')).split('\n')) {
        if (!line) continue;
        const [hash, file] = [line.slice(0, 64), line.slice(66)];
        expect(line.slice(64, 66)).toBe('  ');
        const actual = createHash('sha256')
          .update(await readFile(join(result.path, file)))
          .digest('hex');
        expect(actual.toUpperCase() === hash.toUpperCase(), file).toBe(true);
      }
    }

    // Step C: the Linux command, with PowerShell's line continuation (a backtick).
    expect(signature.replace(/ `\n\s*/g, ' ')).toBe(
      commands(text, 'LINUX')[3]!.replace(/ \\\n\s*/g, ' '),
    );

    // Step D, as PowerShell computes it: the PEM's base64 lines, decoded; 32 bytes at 12.
    expect(key).toContain("($pem -notmatch '-----') -join ''");
    expect(key).toContain('$sha.ComputeHash($der, 12, 32)');
    const pem = (await readFile(join(result.path, 'signature/dossier-public-key.pem'), 'utf8'))
      .split(/\r?\n/)
      .filter((l) => !l.includes('-----'));
    const der = Buffer.from(pem.join(''), 'base64');
    expect(der).toHaveLength(44);
    expect(createHash('sha256').update(der.subarray(12, 44)).digest('hex')).toBe(fingerprint);
  });
});
