// Lint, including the four layer rules of the architecture ("Layers that must stay apart"): an import that crosses a layer fails the build.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.{ts,tsx}'];
const TEST_FILES = ['**/*.test.{ts,tsx}'];
/** Rule 4: files that may import `electron`, but not its raw IPC objects. */
const ELECTRON_SHELL_FILES = ['electron/main.ts', 'electron/shell/**/*.{ts,tsx}'];
/** Rule 4: the only files that may use raw `ipcMain` / `ipcRenderer`. */
const IPC_TRANSPORT_FILES = ['electron/preload.ts', 'electron/host/ipc.ts'];

const RULE_1 = 'Layer rule 1: renderer/ imports only renderer/, shared/ and UI packages; it talks to the core through window.fleet.';
const RULE_2 = 'Layer rule 2: shared/ imports nothing platform-specific (no Node, Electron, DOM, React, xterm) and nothing from electron/ or renderer/.';
const RULE_3 = 'Layer rule 3: electron/core/ never imports `electron` (it runs under plain Node) nor anything from renderer/.';
const RULE_4_ELECTRON = 'Layer rule 4: only electron/main.ts, electron/preload.ts, electron/host/ipc.ts and electron/shell/ import `electron`.';
const RULE_4_IPC = 'Layer rule 4: raw ipcMain/ipcRenderer appear only in electron/host/ipc.ts and electron/preload.ts.';
const RENDERER_HOUSE =
  "Renderer components take actions from their domain's hooks file (e.g. accounts/use-account-commands.ts): no useMutation or bridge.invoke in a .tsx component.";
const RULE_5 =
  'Layer rule 5: cli/ talks to the host through the contract: it imports shared/, the data dir and host.json helpers, the pure fleet graph rules, and (cli/serve.ts only) the headless host start-up.';
/** What cli/ may take from electron/: the data dir and host.json rules, owner-only modes, the process guard and the pure DAG layering and drawing. */
const CLI_ALLOWED_FROM_ELECTRON = ['host/data-dir', 'host/host-file', 'core/store/owner-only', 'core/fleets/graph-text', 'core/fleets/layers'];
/** Only `khala serve` starts a host, so only it may import the start-up (and the guard a host process installs). */
const CLI_SERVE_FILE = 'cli/serve.ts';
const CLI_SERVE_ALLOWED_FROM_ELECTRON = [...CLI_ALLOWED_FROM_ELECTRON, 'host/headless', 'host/process-guard'];
/** A relative import into electron/ other than the allowed files (matched on the whole specifier). */
const electronExcept = (allowed, message) => ({
  paths: [],
  patterns: [{ regex: `^(\\.\\./)+electron/(?!(${allowed.join('|')})$)`, message }],
});

/** Every Node builtin, bare (`fs`, `fs/promises`) and with the `node:` scheme. */
const nodeBuiltins = (message) => ({
  paths: builtinModules.map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});
/** `electron` plus its subpath entry points (`electron/main`, `electron/renderer`, ...). */
const electronModule = (message) => ({
  paths: [{ name: 'electron', message }],
  patterns: [{ group: ['electron/*'], message }],
});
/** Relative imports that reach into a top-level folder of the repo, from any depth. */
const reachingInto = (folder, message) => ({
  paths: [],
  patterns: [{ group: [`**/${folder}`, `**/${folder}/**`], message }],
});

const restrictImports = (...restrictions) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: restrictions.flatMap((restriction) => restriction.paths),
      patterns: restrictions.flatMap((restriction) => restriction.patterns),
    },
  ],
});

const nodeScriptGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  URL: 'readonly',
  __dirname: 'readonly',
};

export default defineConfig([
  globalIgnores(['out/', 'node_modules/', '.cache/', 'e2e/artifacts/', 'test-results/', 'playwright-report/', 'dist/']),
  js.configs.recommended,
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Playwright reads a fixture's dependencies from its destructured first argument, so a fixture
    // that needs none must be written `async ({}, use) => ...`.
    files: ['e2e/**/*.{ts,tsx}'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['scripts/**/*.{js,mjs,cjs}', 'bench/**/*.{js,mjs,cjs}', 'eslint.config.js'],
    languageOptions: { globals: nodeScriptGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeScriptGlobals, require: 'readonly', module: 'writable', exports: 'writable', __filename: 'readonly' },
    },
  },

  // Each file matches exactly one of the layer blocks below, because a later block's
  // no-restricted-imports would replace (not extend) an earlier one's.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrictImports(nodeBuiltins(RULE_1), electronModule(RULE_1), reachingInto('electron', RULE_1)),
  },
  {
    // Components call their domain's mutation hooks (use-*-commands.ts); the calls to the core live there, once.
    files: ['renderer/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='useMutation']", message: RENDERER_HOUSE },
        { selector: "MemberExpression[property.name='invoke']", message: RENDERER_HOUSE },
      ],
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: restrictImports(
      nodeBuiltins(RULE_2),
      electronModule(RULE_2),
      reachingInto('electron', RULE_2),
      reachingInto('renderer', RULE_2),
      {
        paths: [
          { name: 'react', message: RULE_2 },
          { name: 'react-dom', message: RULE_2 },
        ],
        patterns: [{ group: ['react/*', 'react-dom/*', '@xterm/*'], message: RULE_2 }],
      },
    ),
  },
  {
    files: ['cli/**/*.{ts,tsx}'],
    // Tests and their helpers start real hosts and repos, so they reach the test support under electron/.
    ignores: [CLI_SERVE_FILE, ...TEST_FILES, 'cli/test-support/**'],
    rules: restrictImports(electronModule(RULE_5), reachingInto('renderer', RULE_5), electronExcept(CLI_ALLOWED_FROM_ELECTRON, RULE_5)),
  },
  {
    files: [CLI_SERVE_FILE],
    rules: restrictImports(electronModule(RULE_5), reachingInto('renderer', RULE_5), electronExcept(CLI_SERVE_ALLOWED_FROM_ELECTRON, RULE_5)),
  },
  {
    files: ['electron/core/**/*.{ts,tsx}'],
    rules: restrictImports(electronModule(RULE_3), reachingInto('renderer', RULE_3)),
  },
  {
    files: ['electron/**/*.{ts,tsx}'],
    // Tests may import `electron` to reach the fakes they install with vi.mock.
    ignores: ['electron/core/**', ...ELECTRON_SHELL_FILES, ...IPC_TRANSPORT_FILES, ...TEST_FILES],
    rules: restrictImports(electronModule(RULE_4_ELECTRON)),
  },
  {
    files: ELECTRON_SHELL_FILES,
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            // `default` and namespace imports would hand over the whole module, ipcMain included.
            { name: 'electron', importNames: ['default', 'ipcMain', 'ipcRenderer'], message: RULE_4_IPC },
            { name: 'electron/main', importNames: ['default', 'ipcMain'], message: RULE_4_IPC },
            { name: 'electron/renderer', importNames: ['default', 'ipcRenderer'], message: RULE_4_IPC },
          ],
        },
      ],
    },
  },
]);
