// Builds every face into out/: the Node-side bundles with esbuild, the renderer with Vite.
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { nodeBundle } from './esbuild-options.mjs';

await Promise.all([
  build({
    ...nodeBundle,
    outdir: 'out',
    entryPoints: {
      main: 'electron/main.ts',
      web: 'electron/host/web.ts',
      'fixture-worker': 'electron/core/workers/fixture-worker.ts',
    },
  }),
  // `khala` (the package's bin): run directly, so it starts with a shebang.
  build({ ...nodeBundle, outdir: 'out', entryPoints: { khala: 'cli/khala.ts' }, banner: { js: '#!/usr/bin/env node' } }),
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  build({ ...nodeBundle, outdir: 'out', entryPoints: { preload: 'electron/preload.ts' }, external: ['electron'] }),
]);
// The bin runs as `./out/khala.cjs` and through npm's bin link, so it must be executable.
await chmod('out/khala.cjs', 0o755);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
