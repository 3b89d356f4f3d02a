import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error: the build's own esbuild settings are plain JavaScript (no types).
import { nodeBundle } from '../../scripts/esbuild-options.mjs';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** How long a host may take to print its URL on a loaded machine. */
export const HOST_START_TIMEOUT_MS = 30_000;

/**
 * Bundles `khala` and the fixture worker as `npm run build` does, into `<tmp>/out/` with the
 * package.json one level up (where the bundle reads its version), and returns the executable's path.
 */
export async function buildKhala(): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-cli-build-'));
  const outdir = path.join(root, 'out');
  mkdirSync(outdir);
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  await build({
    ...nodeBundle,
    sourcemap: false,
    outdir,
    entryPoints: { khala: path.join(REPO_ROOT, 'cli/khala.ts'), 'fixture-worker': path.join(REPO_ROOT, 'electron/core/workers/fixture-worker.ts') },
    banner: { js: '#!/usr/bin/env node' },
  });
  return path.join(outdir, 'khala.cjs');
}

/** The environment a spawned `khala` needs (its native packages load from the checkout's node_modules). */
export function khalaEnv(env: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { ...base, KHALA_DATA_DIR: '', NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ...env };
}

export interface KhalaResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  dataDir?: string;
  env?: Record<string, string>;
  stdin?: string;
}

/** Runs one `khala` verb to its end, as a script would (stdout piped, so no TTY). */
export function runKhala(khala: string, args: string[], options: RunOptions = {}): Promise<KhalaResult> {
  const child = startKhala(khala, args, options);
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  else child.stdin?.end();
  return finished(child);
}

export function startKhala(khala: string, args: string[], options: RunOptions = {}): ChildProcess & { output: KhalaResult } {
  const dataArgs = options.dataDir ? ['--data-dir', options.dataDir] : [];
  const child = spawn(process.execPath, [khala, ...dataArgs, ...args], {
    env: khalaEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcess & { output: KhalaResult };
  child.output = { code: null, stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (child.output.stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (child.output.stderr += text));
  return child;
}

export function finished(child: ChildProcess & { output: KhalaResult }): Promise<KhalaResult> {
  if (child.exitCode !== null) return Promise.resolve({ ...child.output, code: child.exitCode });
  return new Promise((resolve) => child.once('close', (code) => resolve({ ...child.output, code })));
}

/** Resolves once the child's stdout (or stderr) holds a match for `pattern`. */
export function waitForOutput(child: ChildProcess & { output: KhalaResult }, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(child.output[stream]);
      if (!match) return;
      child[stream]!.off('data', check);
      child.off('close', onClose);
      resolve(match);
    };
    const onClose = (code: number | null) => reject(new Error(`khala exited ${code} before printing ${pattern}: ${child.output.stdout}${child.output.stderr}`));
    child[stream]!.on('data', check);
    child.once('close', onClose);
    // The 'data' listener above is added after ours that fills `output`, so this sees what is there already.
    check();
  });
}

export interface ServedHost {
  child: ChildProcess & { output: KhalaResult };
  boardUrl: string;
  /** SIGTERM, then the exit code (0 when it stopped cleanly). */
  stop(): Promise<number | null>;
}

/**
 * `khala serve` on a data dir; resolves once it prints the board's URL. Tests pass `--stop-workers`
 * unless they ask otherwise, so no worker outlives the test's host.
 */
export async function serveHost(khala: string, dataDir: string, env: Record<string, string> = {}, args: string[] = ['--stop-workers']): Promise<ServedHost> {
  const child = startKhala(khala, ['serve', ...args], { dataDir, env });
  const timer = setTimeout(() => child.kill('SIGKILL'), HOST_START_TIMEOUT_MS);
  const [boardUrl] = await waitForOutput(child, /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/).finally(() => clearTimeout(timer));
  return {
    child,
    boardUrl,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return (await finished(child)).code;
    },
  };
}
