import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureWorkerScript: string;
    sentinelHome: string;
  }
}

/** The owner's own CLI homes: no test may read-modify them, so they are planted and checked after. */
const SENTINELS: Record<string, string> = {
  '.codex/auth.json': '{"sentinel":"owner codex login"}\n',
  '.codex/config.toml': '# sentinel: the owner\'s codex config\n',
  '.claude/.credentials.json': '{"sentinel":"owner claude login"}\n',
  '.claude/settings.json': '{"sentinel":true}\n',
  '.claude.json': '{"sentinel":"owner claude state"}\n',
};

function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(root, full), readFileSync(full, 'base64'));
    }
  };
  for (const top of ['.codex', '.claude']) walk(path.join(root, top));
  files.set('.claude.json', readFileSync(path.join(root, '.claude.json'), 'base64'));
  return files;
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

  const home = path.join(scratch, 'home');
  for (const [file, text] of Object.entries(SENTINELS)) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), text);
  }
  const before = snapshot(home);
  // Test workers are forked after this, so every test and every child it starts sees this HOME.
  process.env.HOME = home;
  process.env.USERPROFILE = home;

  project.provide('fixtureWorkerScript', script);
  project.provide('sentinelHome', home);

  return () => {
    const after = snapshot(home);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
    rmSync(scratch, { recursive: true, force: true });
    if (changed.length > 0) {
      throw new Error(`The owner's CLI homes were touched by the tests: ${changed.join(', ')}`);
    }
  };
}
