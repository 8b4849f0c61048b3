import js from '@eslint/js';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The layers (docs/architecture.md, "Layers"), enforced on resolved paths (VS Code style):
// shared <- main/core <- main/{electron,cli,bridge,preload}; renderer -> shared only.
const shells = ['electron', 'cli', 'bridge', 'preload'];
const layerZones = [
  {
    target: './shared',
    from: ['./main', './renderer'],
    message: 'shared/ imports nothing of ours.',
  },
  {
    target: './main/core',
    from: [...shells.map((s) => `./main/${s}`), './renderer'],
    message: 'main/core imports shared/ only.',
  },
  ...shells.map((s) => ({
    target: `./main/${s}`,
    from: [...shells.filter((o) => o !== s).map((o) => `./main/${o}`), './renderer'],
    message: `main/${s} imports main/core and shared/ only.`,
  })),
  { target: './renderer', from: ['./main'], message: 'renderer/ imports shared/ only.' },
  {
    // The offline viewer's page script runs in the reader's browser, inlined in index.html.
    target: './main/core/export/viewer/page',
    from: './main',
    except: ['./core/export/viewer/page'],
    message: 'The viewer page imports its own modules and shared/ only.',
  },
];

const rendererImports = {
  paths: [{ name: 'electron', message: 'Runs in the renderer: no electron.' }],
  patterns: [{ group: ['node:*'], message: 'Runs in the renderer: no Node built-ins.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-results/', 'test/vectors/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // A promise nobody waits for loses its error: an unhandled rejection (a failed test run,
    // or a crash in the app). Typed rules, so they see which calls return promises.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['*.config.ts', 'electron.vite.config.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // `return promise` inside try/catch/finally returns before it settles: its rejection
      // escapes the catch, and during a finally's await nobody is listening for it.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    files: ['main/core/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'main/core and shared/ never import electron.' }] },
      ],
    },
  },
  {
    files: ['shared/**', 'renderer/**', 'main/core/export/viewer/page/**'],
    rules: {
      'no-restricted-imports': ['error', rendererImports],
    },
  },
  {
    files: ['main/core/export/viewer/page/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Components reach the vault only through the Zustand stores (renderer/src/stores).
    files: ['renderer/src/screens/**', 'renderer/src/components/**', 'renderer/src/App.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...rendererImports,
          patterns: [
            ...rendererImports.patterns,
            {
              group: ['**/api/transport'],
              importNames: ['api'],
              message:
                'Components call the API through a store (renderer/src/stores), never directly.',
            },
          ],
        },
      ],
    },
  },
);
