// Lint: typescript-eslint recommended, plus the rule that keeps the model pure. The direction of imports
// between the model's stage folders (and that none leaves the model) is tools/model-layers.mjs, run by `npm run lint`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'media/dist/**', 'test-results/**', '.tmp/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its failure (an LSP handler's rejection ends in silence),
    // and a switch over a union that misses a member is a model answer nobody wrote.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() returns a promise the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['server/src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-*', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https'],
              message: 'The model is pure: no editor, LSP or I/O imports (architecture.md).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Date', 'setTimeout', 'setInterval', 'require'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The model is deterministic.' },
        { object: 'Date', property: 'now' },
      ],
    },
  },
);
