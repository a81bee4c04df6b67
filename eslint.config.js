// `npm run lint`: what a formatter cannot see. Layout is Prettier's (`npm run format`); this file keeps the rules that
// catch defects (a promise nobody awaits, a value nobody reads, `==`, a stray console.log) and the one layout rule
// Prettier does not enforce: comments and string literals that run past the print width.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import prettier from './.prettierrc.json' with { type: 'json' };

const JS = ['**/*.{js,mjs,cjs}'];

export default defineConfig([
  // Generated (npm run generate, the build, the oracle recorder) or recorded from real tools: not ours to lint.
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'release/',
    'out/',
    'coverage/',
    'test-results/',
    'e2e/artifacts/',
    'docs/',
    'build/',
    '**/fixtures/',
    'main/preflight/oracle-recording.json',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      // The three projects `npm run typecheck` checks; a file in none of them is a parse error here, so none is missed.
      parserOptions: {
        project: ['./tsconfig.json', './renderer/tsconfig.json', './e2e/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@stylistic': stylistic },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Tests match column layouts and indented JSON, where runs of spaces are the very thing checked: `/FAIL  HIGH/`
      // says it better than `/FAIL {2}HIGH/`.
      'no-regex-spaces': 'off',
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Type-aware, and worth their cost (the lint takes about 60 s of CPU with them, 23 s without): a promise nobody
      // awaits is an unhandled rejection or a step that runs out of order. The rest of recommendedTypeChecked (mostly
      // no-unsafe-* on `any` from JSON and dockerode) is left for later: about 400 findings, and more time again.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Prettier wraps code to printWidth but leaves comments and literals alone; this holds them to the same width.
      // A URL, a string, a template or a regular expression cannot be split without changing what it says.
      '@stylistic/max-len': [
        'error',
        {
          code: prettier.printWidth,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    files: JS,
    extends: [tseslint.configs.disableTypeChecked],
  },
  // The launcher is CommonJS on purpose (bin/dockhand.cjs says why).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
      // React Compiler advice (the app is not compiled by it): these flag working patterns, a state reset when a prop
      // changes and a virtualiser's callbacks, not defects. The compiler rules that catch defects (purity,
      // immutability, globals, rules-of-hooks) stay on.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/incompatible-library': 'off',
    },
  },
  // Where printing is the job: the CLI, `dockhand serve` (a CLI command), scripts, benches and tests.
  {
    files: ['main/cli/**', 'main/serve/command.ts', 'scripts/**', 'bench/**', 'e2e/**', 'test/**', '**/*.test.{ts,tsx}'],
    rules: { 'no-console': 'off' },
  },
]);
