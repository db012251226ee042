import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const pureCore = [
  'src/policy/**',
  'src/catalog/**',
  'src/evaluate/**',
  'src/smt/**',
  'src/checks/**',
  'src/recommend/**',
  'src/teach/**',
  'src/util/**',
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-*',
      '.bench-out',
      'node_modules',
      'coverage',
      'test-results',
      'playwright-report',
      'public',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'z3-solver', message: 'The UI talks to the solver only through src/worker/client.ts.' },
          ],
        },
      ],
    },
  },
  {
    // The engine must run unchanged in Node and in a Web Worker: no React, DOM editor or state library.
    files: pureCore,
    ignores: ['**/*.test.ts', 'src/catalog/generate.ts'],
    rules: {
      // The core returns results; printing is the CLI's and the bench's job.
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'zustand', 'monaco-editor', '@monaco-editor/react'].map((name) => ({
            name,
            message: 'The pure core imports no UI or state library.',
          })),
        },
      ],
    },
  },
);
