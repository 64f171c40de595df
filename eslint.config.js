// @ts-check
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/** The layer arrows of docs/architecture.md, one restriction per folder. */
const layer = (files, paths, patterns, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message: why })),
        patterns: patterns.map((regex) => ({ regex, message: why })),
      },
    ],
  },
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'bench-results/**',
      'test-results/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer(
    ['renderer/**/*.{ts,tsx}'],
    [...nodeBuiltins, 'electron', 'better-sqlite3', 'kysely', 'ws'],
    ['(^|/)(electron|registry)(/|$)'],
    'The renderer is untrusted UI: it reaches the core only through window.outpost (shared/api).',
  ),
  layer(
    ['shared/**/*.ts'],
    [...nodeBuiltins, 'electron', 'better-sqlite3', 'kysely', 'ws', 'react'],
    ['(^|/)(electron|renderer|registry)(/|$)'],
    'shared/ is pure TypeScript that runs in Node and in the browser.',
  ),
  layer(
    ['electron/core/**/*.ts'],
    ['electron'],
    ['(^|/)(renderer|registry|main|preload)(/|$)'],
    'electron/core runs in plain Node and never imports Electron or the UI.',
  ),
  layer(
    ['electron/preload/**/*.ts'],
    [...nodeBuiltins.filter((m) => m !== 'electron')],
    ['(^|/)(core|main|renderer|registry)(/|$)'],
    'The preload exposes only invoke and on, built from shared/api.',
  ),
  layer(
    ['registry/**/*.ts'],
    ['electron'],
    ['(^|/)(electron|renderer)(/|$)'],
    'registry/ imports shared/ only.',
  ),
)
