// One linter for the whole tree: the recommended rules of ESLint and typescript-eslint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The command's entry is CommonJS (bin/pforte.js says why).
    files: ['bin/pforte.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The code the authenticator app shares with the server runs in the browser: no Node
    // module (type-only imports are erased) and nothing of the server's areas.
    files: ['src/protocol/**/*.ts', 'src/authenticator/**/*.ts', 'src/otp/codes.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'crypto',
                'os',
                'net',
                'better-sqlite3',
                'pg',
                'kysely',
              ],
              message: 'browser-safe code: no Node modules or database drivers',
              allowTypeImports: true,
            },
            {
              group: [
                '**/store/**',
                '**/core.js',
                '**/http/**',
                '**/cli/**',
                '**/run/**',
                '**/enrollment/**',
                '**/signin/**',
                '**/tokens/**',
                '**/users/**',
                '**/mail/**',
                '**/directory/**',
                '**/audit/**',
              ],
              message:
                'browser-safe code imports no server area (src/protocol is the shared contract)',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts that drive Chromium: the functions given to page.evaluate run in the page.
    files: ['bench/app.js', 'scripts/take-screenshots.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        performance: 'readonly',
        crypto: 'readonly',
        TextEncoder: 'readonly',
        MutationObserver: 'readonly',
      },
    },
  },
);
