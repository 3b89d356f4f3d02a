// Builds the benchmark page (the renderer's own modules) and runner, then runs them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { build as viteBuild } from 'vite';
import { nodeBundle } from '../scripts/esbuild-options.mjs';

await viteBuild({
  root: 'bench/page',
  base: './',
  logLevel: 'warn',
  build: { outDir: '../../out/bench-page', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});
await build({ ...nodeBundle, outdir: 'out', entryPoints: { bench: 'bench/main.ts' } });
const run = spawnSync(process.execPath, ['out/bench.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
