// ESLint (flat config) for Miasto's first-party JavaScript: the front-end bundle sources
// (ES modules built by esbuild) and the admin map widget (a classic browser script).
// Run by `make lint`, `make test` and the pre-commit hook.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: ['node_modules/', '.venv/', 'var/', 'test-artifacts/', '**/static/**/dist/'],
  },
  js.configs.recommended,
  {
    files: ['src/miasto/web/frontend/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
  },
  {
    // Classic scripts loaded by the admin (each declares the globals it uses, e.g. OpenLayers'
    // global build `ol` and Django's OLMapWidget.js `MapWidget`, in a `/* global */` comment).
    files: ['src/miasto/*/static/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { ...globals.browser },
    },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
];
