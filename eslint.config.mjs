// Lint rules that carry the architecture (docs/ARCHITECTURE.md): which layer may import what, no
// import cycles, no promise left floating, type-only imports marked as such. Formatting is Prettier's.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Files that run without VS Code: the engine, the command line, workers, the panel page. */
const VSCODE_FREE = [
  'src/core/**',
  'src/cli/**',
  'src/shared/**',
  'src/webview/**',
  'src/webview-ui/**',
  'src/features/*/headless/**',
];

const noVscode = {
  paths: [
    {
      name: 'vscode',
      message: 'This file runs without VS Code (CLI, workers, unit tests): pass what it needs in from a feature.',
    },
  ],
};

/** Every src/features/<feature>/headless folder, relative to src/features. */
function headlessFolders() {
  return readdirSync('src/features', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join('src/features', entry.name, 'headless')))
    .map((entry) => `./${entry.name}/headless`);
}

/** Nor may it import, even indirectly through a sibling, the modules that do use VS Code. */
const vscodeSideModules = [
  { from: './src/features', except: headlessFolders() },
  { from: ['./src/extension.ts', './src/config.ts', './src/log.ts', './src/api.ts'] },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'media/webview/',
      '.test-results/',
      'bench/out/',
      'samples/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'src/webview-ui/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // Heavy libraries and feature bundles are loaded on first use with require(), typed with import().
      '@typescript-eslint/no-require-imports': 'off',
      // XML's character rules and terminal colours are about control characters.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: VSCODE_FREE.map((glob) => `${glob.replace(/\/\*\*$/, '')}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', noVscode],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: VSCODE_FREE.flatMap((target) =>
            vscodeSideModules.map((zone) => ({
              target: `./${target}`,
              ...zone,
              message: 'VS Code-free code may not import a module that uses VS Code.',
            })),
          ),
        },
      ],
    },
  },
  {
    // Tests read JSON manifests and poke at tree nodes through loose types.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
