// Builds every face into out/: the Node-side bundles with esbuild, the renderer with Vite.
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
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  build({ ...nodeBundle, outdir: 'out', entryPoints: { preload: 'electron/preload.ts' }, external: ['electron'] }),
]);
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
