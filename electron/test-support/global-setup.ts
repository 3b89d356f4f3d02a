import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { plantOwnerHome } from './owner-home-sentinels';
import { useScratchTmpdir } from './scratch-tmpdir';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureWorkerScript: string;
    sentinelHome: string;
  }
}

export default async function setup(project: TestProject) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'khala-test-'));
  const script = path.join(scratch, 'fixture-worker.cjs');
  await build({
    entryPoints: ['electron/core/workers/fixture-worker.ts'],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  // Test workers are forked after this, so every test and every child it starts sees this HOME and TMPDIR.
  const owner = plantOwnerHome();
  const removeTmpdir = useScratchTmpdir();
  project.provide('fixtureWorkerScript', script);
  project.provide('sentinelHome', owner.home);
  return () => {
    rmSync(scratch, { recursive: true, force: true });
    owner.verify();
    removeTmpdir();
  };
}
