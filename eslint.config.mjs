// Lint: typescript-eslint recommended, plus the layer rule that keeps the model pure.
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
    files: ['server/src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https'], message: 'The model is pure: no editor, LSP or I/O imports (architecture.md).' },
          { group: ['../*', '!../model'], message: 'The model imports only itself, yaml and ipaddr.js.' },
        ],
      }],
      'no-restricted-globals': ['error', 'process', 'Date', 'setTimeout', 'setInterval', 'require'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'The model is deterministic.' }, { object: 'Date', property: 'now' }],
    },
  },
  {
    // The model's sub-folders (kustomize/) may import the model itself one level up, nothing above it.
    files: ['server/src/model/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https'], message: 'The model is pure: no editor, LSP or I/O imports (architecture.md).' },
          { group: ['../../*'], message: 'The model imports only itself, yaml and ipaddr.js.' },
        ],
      }],
    },
  },
  {
    // Gateway API (issue 12) sits two levels down, in ingress/gateway/: it may reach the model's top (../../), nothing above.
    files: ['server/src/model/ingress/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', 'node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https'], message: 'The model is pure: no editor, LSP or I/O imports (architecture.md).' },
          { group: ['../../../*'], message: 'The model imports only itself, yaml and ipaddr.js.' },
        ],
      }],
    },
  },
);
