import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rules (docs/architecture.md, "Layers") are enforced by lint; prove each one fires (and stays quiet when it should). */
const eslint = new ESLint({
  cwd: process.cwd(),
  // The files linted here do not exist, so no tsconfig holds them: without type information,
  // and without the rules that need it.
  overrideConfig: {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { project: null } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/return-await': 'off',
    },
  },
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter(
      (m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-imports',
    )
    .map((m) => m.message);
}

describe('layer import rules', () => {
  it.each([
    [
      'main/core/x.ts',
      "import electron from 'electron';\nexport default electron;",
      /never import electron/,
    ],
    [
      'main/core/x.ts',
      "import { main } from '../cli/main';\nexport default main;",
      /main\/core imports shared\/ only/,
    ],
    [
      'shared/x.ts',
      "import { Vault } from '../main/core';\nexport default Vault;",
      /shared\/ imports nothing of ours/,
    ],
    [
      'shared/x.ts',
      "import { readFile } from 'node:fs';\nexport default readFile;",
      /no Node built-ins/,
    ],
    [
      'renderer/src/x.ts',
      "import { Vault } from '../../main/core';\nexport default Vault;",
      /renderer\/ imports shared\/ only/,
    ],
    [
      'main/cli/x.ts',
      "import { EXIT } from '../electron/index';\nexport default EXIT;",
      /main\/cli imports main\/core and shared\/ only/,
    ],
    [
      'renderer/src/screens/x/Y.tsx',
      "import { api } from '../../api/transport';\nexport default api;",
      /through a store/,
    ],
    [
      'renderer/src/components/Y.tsx',
      "import { readFile } from 'node:fs';\nexport default readFile;",
      /no Node built-ins/,
    ],
    [
      'main/core/export/viewer/page/x.ts',
      "import { renderViewerHtml } from '../../viewer';\nexport default renderViewerHtml;",
      /viewer page imports its own modules and shared\/ only/,
    ],
    [
      'main/core/export/viewer/page/x.ts',
      "import { readFile } from 'node:fs';\nexport default readFile;",
      /no Node built-ins/,
    ],
  ])('%s: %s is refused', async (file, code, message) => {
    expect((await layerErrors(file, code)).join('\n')).toMatch(message);
  });

  it.each([
    ['main/cli/x.ts', "import { Vault } from '../core';\nexport default Vault;"],
    [
      'main/core/x.ts',
      "import { canonicalJson } from '../../shared/canonical-json';\nexport default canonicalJson;",
    ],
    [
      'renderer/src/x.ts',
      "import { displayName } from '../../shared/display-name';\nexport default displayName;",
    ],
    ['renderer/src/stores/x.ts', "import { api } from '../api/transport';\nexport default api;"],
    [
      'main/core/export/viewer/page/x.ts',
      "import { h } from './dom';\nimport { readEmailMessage } from '../../../../../shared/email';\nexport default [h, readEmailMessage];",
    ],
    [
      'renderer/src/screens/x/Y.tsx',
      "import { connection } from '../../api/transport';\nexport default connection;",
    ],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});

describe('promise rules (typed lint)', () => {
  it('refuse a promise nobody waits for, and a returned one a finally would leave unhandled', async () => {
    // Linted as the text of a file the tsconfig holds, so the rules have its types. Under CI=true
    // typescript-eslint would infer a single run and type the file as it is on disk, not this text.
    const typed = new ESLint({
      cwd: process.cwd(),
      overrideConfig: {
        languageOptions: { parserOptions: { disallowAutomaticSingleRunInference: true } },
      },
    });
    const [result] = await typed.lintText(
      [
        'async function step(): Promise<void> {}',
        'export function forgets(): void {',
        '  step();',
        '}',
        'export async function returns(): Promise<void> {',
        '  try {',
        '    await step();',
        '  } catch {',
        '    return step();',
        '  } finally {',
        '    await step();',
        '  }',
        '}',
        '',
      ].join('\n'),
      { filePath: 'main/core/errors.ts' },
    );
    expect(result!.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual([
      '3 @typescript-eslint/no-floating-promises',
      '9 @typescript-eslint/return-await',
    ]);
  });
});
