// Builds every face into out/: the Node-side bundles with esbuild, the renderer with Vite.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build as viteBuild } from 'vite';

/** Lets `import sql from './x.sql?raw'` work in the bundle as it does under Vite and Vitest. */
const rawText = {
  name: 'raw-text',
  setup(esbuild) {
    esbuild.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw-text',
    }));
    esbuild.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: 'out',
  outExtension: { '.js': '.cjs' },
  sourcemap: true,
  logLevel: 'warning',
  // Native and optional-native modules load from node_modules at run time.
  external: ['electron', 'better-sqlite3', 'node-pty', 'ws'],
  plugins: [rawText],
};

await Promise.all([
  build({
    ...node,
    entryPoints: {
      main: 'electron/main.ts',
      web: 'electron/host/web.ts',
      'fixture-worker': 'electron/core/workers/fixture-worker.ts',
    },
  }),
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  build({ ...node, entryPoints: { preload: 'electron/preload.ts' }, external: ['electron'] }),
]);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
