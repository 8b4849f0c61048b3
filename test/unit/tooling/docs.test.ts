/**
 * docs/ is the design: these checks catch it drifting from the code on the facts that
 * drifted before (a design file outside the repository, the CLI list, the test folders, the
 * reference tools, the custody entries the code writes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_TOOLS } from '../../support/tools';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const architecture = read('docs/architecture.md');
const vaultFormat = read('docs/vault-format.md');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'node_modules' || e.name === 'vectors' ? [] : files(path);
    return /\.(ts|tsx|js|mjs|md|py|yml|json)$/.test(e.name) ? [path] : [];
  });
}

describe('the docs agree with the code', () => {
  it('name no design file outside the repository', () => {
    const outside = ['DESIGN', 'md'].join('.');
    const sources = [
      ...['docs', 'main', 'shared', 'renderer', 'build', 'test'].flatMap(files),
      'README.md',
      'eslint.config.js',
      'electron.vite.config.ts',
    ];
    expect(sources.filter((f) => read(f).includes(outside))).toEqual([]);
  });

  it('list exactly the CLI commands main.ts accepts', () => {
    const main = read('main/cli/main.ts');
    const block = /const ALLOWED[^=]*= \{\n([\s\S]*?)\n\};/.exec(main)?.[1] ?? '';
    const commands = [...block.matchAll(/^ {2}'?([a-z-]+)'?:/gm)].map((m) => m[1]!).sort();
    expect(commands.length).toBeGreaterThan(5);
    const list = /<!-- cli-commands -->([\s\S]*?)<!-- \/cli-commands -->/.exec(architecture)?.[1];
    const documented = [...(list ?? '').matchAll(/^- (.*)$/gm)]
      .flatMap((m) =>
        // Subcommands and options are in parentheses: only the commands themselves count.
        [...m[1]!.replace(/\([^)]*\)/g, '').matchAll(/(?:^|, )`([a-z-]+)/g)].map((c) => c[1]!),
      )
      .sort();
    expect(documented).toEqual(commands);
  });

  it('describe every test folder', () => {
    const dirs = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    for (const d of dirs('test')) expect(architecture).toContain(`\`test/${d}/\``);
    expect(architecture).toContain('`test/integration/adversary/`');
    const unitRow = /^\| `test\/unit\/`.*$/m.exec(architecture)?.[0] ?? '';
    for (const d of dirs('test/unit')) expect(unitRow).toContain(`\`${d}/\``);
  });

  it('name every reference tool the tests need', () => {
    for (const tool of Object.keys(REFERENCE_TOOLS)) expect(architecture).toContain(`\`${tool}\``);
  });

  it('describe every custody action and `what` the code writes', () => {
    const code = files('main/core').map(read).join('\n');
    const actions = new Set([...code.matchAll(/\.append\(\s*'([a-z-]+)'/g)].map((m) => m[1]!));
    expect(actions.size).toBeGreaterThan(8);
    for (const a of actions) expect(vaultFormat).toMatch(new RegExp(`^\\| \`${a}\` `, 'm'));
    const writers = files('main/core')
      .map((f) => read(f))
      .filter((t) => t.includes('.append('));
    const whats = new Set(
      writers.flatMap((t) =>
        [...t.matchAll(/what:\s*(?:[^'?\n]*\?\s*)?'([^']+)'(?:\s*:\s*'([^']+)')?/g)].flatMap((m) =>
          [m[1]!, m[2]].filter((w): w is string => w !== undefined),
        ),
      ),
    );
    expect(whats).toContain('name cleaned when added');
    const undocumented = [...whats].filter((w) => !vaultFormat.includes(`\`${w}\``));
    expect(undocumented, relative(ROOT, 'docs/vault-format.md')).toEqual([]);
  });
});
