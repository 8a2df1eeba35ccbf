// ESLint (flat config): typescript-eslint's recommended rules, React hooks, and the layer table of
// ../shared/notes/design.md as import boundaries (ESLint's built-in no-restricted-imports per
// folder; `import type` is allowed where only types cross a layer). `npm run lint` runs it.
//
// Layer table (who may import whom; data flows down at run time, imports point down or sideways):
//   der/                     nothing outside der/ (the pure core: no DOM, tfjs or network)
//   agent/ experts/ scoring/ encoders/ data/ envs/   (adapters) der/ and other adapters
//   session/ runs/           der/ and adapters
//   worker/  cli/            der/, adapters, session/, runs/ (never each other, never store/ or ui/)
//   store/                   everything but cli/ and ui/
//   ui/                      der/, store/ and ui/; other layers for types only
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What git ignores, ESLint ignores too (build output, test results, local scratch folders). */
const gitIgnored = readFileSync(new URL('.gitignore', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
  .map((line) => (line.startsWith('/') ? line.slice(1) : line.includes('/') ? line : `**/${line}`));

const ADAPTERS = ['agent', 'experts', 'scoring', 'encoders', 'data', 'envs'];
const ALL = ['der', ...ADAPTERS, 'session', 'runs', 'worker', 'cli', 'store', 'ui'];

/** A no-restricted-imports rule for files in `folder`: `forbidden` folders never, `typesOnly` folders for `import type` only. */
function layer(folder, { forbidden = [], typesOnly = [] }) {
  const group = (names) => names.flatMap((name) => [`**/${name}/*`, `**/${name}/**`, `../${name}`, `../../${name}`]);
  const patterns = [];
  if (forbidden.length)
    patterns.push({
      group: group(forbidden),
      message: `src/${folder}/ may not import from ${forbidden.join(', ')} (layer table: eslint.config.js, ../shared/notes/design.md).`,
    });
  if (typesOnly.length)
    patterns.push({
      group: group(typesOnly),
      allowTypeImports: true,
      message: `src/${folder}/ may import only types from ${typesOnly.join(', ')}; reach them through store/ (layer table: eslint.config.js).`,
    });
  return {
    files: [`src/${folder}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

const except = (...allowed) => ALL.filter((name) => !allowed.includes(name));

export default tseslint.config(
  { ignores: [...gitIgnored, 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      // tsc (noUnusedLocals/Parameters) already reports unused names; `_name` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  layer('der', { forbidden: except('der') }),
  ...ADAPTERS.map((adapter) => layer(adapter, { forbidden: ['session', 'runs', 'worker', 'cli', 'store', 'ui'] })),
  layer('session', { forbidden: ['runs', 'worker', 'cli', 'store', 'ui'] }),
  layer('runs', { forbidden: ['session', 'worker', 'cli', 'store', 'ui'] }),
  layer('worker', { forbidden: ['cli', 'store', 'ui'] }),
  layer('cli', { forbidden: ['worker', 'store', 'ui'] }),
  layer('store', { forbidden: ['cli', 'ui'] }),
  layer('ui', { forbidden: ['cli'], typesOnly: [...ADAPTERS, 'session', 'runs', 'worker'] }),
);
