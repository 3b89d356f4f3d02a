// esbuild settings shared by the app build and the benchmark build.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Lets `import sql from './x.sql?raw'` work in the bundle as it does under Vite and Vitest. */
export const rawText = {
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

/** Node-side bundles: CommonJS for Node 20 and Electron's main process. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  sourcemap: true,
  logLevel: 'warning',
  // Native modules, and packages with optional native parts, load from node_modules at run time.
  external: ['electron', 'better-sqlite3', 'node-pty', 'ws', 'playwright-core', '@playwright/test', 'esbuild'],
  plugins: [rawText],
};
