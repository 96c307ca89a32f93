// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Architecture boundaries (see DESIGN.md): a driver imports only the kit (`src/kit.ts`, published
 * as `polycloud/kit`) and its own folder; no driver imports another; `src/` loads no provider
 * module except through the registry's lazy descriptors.
 */
const OUTSIDE_OWN_FOLDER = 'a driver imports only polycloud/kit (src/kit.ts) and files in its own folder';
const driverBoundary = (/** @type {string} */ allowedInSrc) => ({
  patterns: [
    { regex: `^\\.\\./(?!\\.\\./src/(${allowedInSrc})$)`, message: OUTSIDE_OWN_FOLDER },
    { regex: '^polycloud(/(?!kit$).*)?$', message: OUTSIDE_OWN_FOLDER },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'node_modules/', 'coverage/', 'scratch/', 'providers/*/price-catalog.ts', 'bench/.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Every driver imports only the kit and its own folder.
  {
    files: ['providers/**'],
    ignores: ['providers/local/**'],
    rules: { 'no-restricted-imports': ['error', driverBoundary('kit\\.js')] },
  },
  // The local driver runs on the simulator engine, which is its own public API too.
  {
    files: ['providers/local/**'],
    rules: { 'no-restricted-imports': ['error', driverBoundary('kit\\.js|simulator/[a-z-]+\\.js')] },
  },
  // OpenStack still imports the REST layer directly (src/rest/): a warning until it goes through the kit.
  {
    files: ['providers/openstack/**'],
    rules: { 'no-restricted-imports': ['warn', driverBoundary('kit\\.js')] },
  },
  // The test provider outside providers/ stands for a driver in another package: public entry points only.
  {
    files: ['test/kit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^\\.\\./', message: 'test/kit imports only polycloud, polycloud/kit, polycloud/testing and its own files' }],
        },
      ],
    },
  },
  // The core and everything around it load providers only through the registry's descriptors.
  {
    files: ['src/**'],
    ignores: ['src/core/builtins.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)providers/',
              allowTypeImports: true,
              message: 'src/ loads a provider only through its descriptor in src/core/builtins.ts (type imports are fine)',
            },
          ],
        },
      ],
    },
  },
);
