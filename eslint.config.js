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

/**
 * Layers from the bottom up. `imports` are the import specifiers (as regexes) that reach a layer from
 * another folder; a layer may import only layers listed before it.
 */
const up = (folder) => `^(\\.\\./)+${folder}/`;
const LAYERS = [
  { name: 'util', files: ['src/util/**'], imports: [up('util')] },
  {
    name: 'policy',
    files: ['src/policy/**'],
    imports: [`^(\\.\\./)+policy/(?!validate(\\.ts|/))`],
  },
  { name: 'catalog', files: ['src/catalog/**'], imports: [up('catalog')] },
  {
    name: 'policy validation',
    files: ['src/policy/validate.ts', 'src/policy/validate/**'],
    imports: ['^(\\.\\./)+policy/validate(\\.ts$|/)', '^\\./validate(\\.ts$|/)'],
  },
  { name: 'evaluate', files: ['src/evaluate/**'], imports: [up('evaluate')] },
  { name: 'smt', files: ['src/smt/**'], imports: [up('smt')] },
  { name: 'checks', files: ['src/checks/**'], imports: [up('checks')] },
  { name: 'recommend', files: ['src/recommend/**'], imports: [up('recommend')] },
  { name: 'teach', files: ['src/teach/**'], imports: [up('teach')] },
  { name: 'worker', files: ['src/worker/**'], imports: [up('worker')] },
  { name: 'cli', files: ['src/cli/**', 'src/bench/**'], imports: [up('cli'), up('bench')] },
  { name: 'state', files: ['src/state/**'], imports: [up('state')] },
  { name: 'ui', files: ['src/ui/**', 'src/main.tsx'], imports: [up('ui'), '^\\./ui/'] },
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
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The engine must run unchanged in Node and in a Web Worker: no React, DOM editor or state library.
    files: pureCore,
    ignores: ['**/*.test.ts', 'src/catalog/generate.ts'],
    rules: {
      // The core returns results; printing is the CLI's and the bench's job.
      'no-console': 'error',
    },
  },
  // The layer order (LAYERS above): each layer imports only the layers below it.
  ...LAYERS.map((layer, i) => ({
    files: layer.files,
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...(i < LAYERS.findIndex((l) => l.name === 'worker')
              ? ['react', 'react-dom', 'zustand', 'monaco-editor', '@monaco-editor/react'].map((name) => ({
                  name,
                  message: 'The pure core imports no UI or state library.',
                }))
              : []),
            ...(layer.name === 'state' || layer.name === 'ui'
              ? [
                  {
                    name: 'z3-solver',
                    message: 'The UI talks to the solver only through src/worker/client.ts.',
                  },
                ]
              : []),
          ],
          patterns: LAYERS.slice(i + 1).flatMap((above) =>
            above.imports.map((regex) => ({
              regex,
              message: `${layer.name} stands below ${above.name}: it may not import it (eslint.config.js LAYERS).`,
            })),
          ),
        },
      ],
    },
  })),
);
