// ESLint for hvsim: typescript-eslint's type-aware rules over src/, experiments/, bench/, test/ and scripts/.
//
// Why a workspace and a resolver shim: typescript-eslint 8 reads programs through the TypeScript 5
// compiler API (its peer range is typescript < 6.1), while the project compiles with TypeScript 7 (the
// native compiler, which ships no JavaScript API). This workspace installs TypeScript 5.9 for the linter
// alone; npm hoists some of typescript-eslint's helpers (ts-api-utils) to the root, where a bare
// require('typescript') would find TypeScript 7, so every 'typescript' request made while linting is
// resolved to this workspace's copy. Type-checking and builds still use TypeScript 7 (`npm run typecheck`).
import Module from 'node:module';

const require = Module.createRequire(import.meta.url);
const typescript5 = require.resolve('typescript');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? typescript5 : request, ...rest);
};
const { default: tseslint } = await import('typescript-eslint');

const root = new URL('../..', import.meta.url).pathname;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'tools/**', 'notebooks/**', 'jupyter/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: root },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
);
