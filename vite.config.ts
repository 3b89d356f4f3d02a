import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The bundle loads from disk or loopback, never over a slow network: React, zod and xterm together
 * are fine, and ELK's layout engine (about 1.5 MB, loaded on first use of a fleet graph) is one
 * chunk that cannot be split.
 */
const CHUNK_WARNING_KB = 1_600;

/**
 * One renderer bundle for both faces: Electron loads it from file:// and the headless host serves it
 * over http://127.0.0.1:PORT/, so every asset path is relative.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: CHUNK_WARNING_KB,
  },
});
