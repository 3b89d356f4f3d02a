import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

/**
 * The real provider CLIs, installed once into `<repo>/.cache/clis/<name>-<version>/` (git-ignored)
 * for tests that drive them for real. They stay out of package.json: the app never bundles them.
 */
const PROVIDER_CLIS = {
  codex: { packageName: '@openai/codex', version: '0.169.0' },
  claude: { packageName: '@anthropic-ai/claude-code', version: '2.1.330' },
} as const;

export type ProviderCliName = keyof typeof PROVIDER_CLIS;

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'clis');
/**
 * npm's own download cache. Under Vitest HOME is a throw-away sentinel folder, so npm's default
 * (`~/.npm`) would start cold on every run.
 */
const NPM_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'npm');
/** About 10 s with a warm npm cache; a cold one downloads a few hundred MB. */
export const PROVIDER_CLI_INSTALL_TIMEOUT_MS = 5 * 60_000;
/** A lock older than any install could take was left by a process that died holding it. */
const STALE_LOCK_MS = PROVIDER_CLI_INSTALL_TIMEOUT_MS + 60_000;
const LOCK_POLL_MS = 250;
/** npm's output on a failed install can be long; keep its tail for the error. */
const INSTALL_OUTPUT_TAIL_CHARS = 4_000;
const INSTALL_OUTPUT_MAX_BYTES = 64 * 1024 * 1024;

const execFileAsync = promisify(execFile);

/** Installs the pinned `@openai/codex` if needed and returns the absolute path of its `codex` executable. */
export function ensureCodexCli(): Promise<string> {
  return ensureProviderCli('codex');
}

/**
 * Installs the pinned package for `name` into the cache if its executable is missing and returns
 * that executable's absolute path. Safe to call from test files running in parallel: one
 * installs under a `mkdir` lock while the others wait, and the install lands in a temporary folder
 * that is renamed into place, so no one ever sees a half-installed CLI.
 */
export async function ensureProviderCli(name: ProviderCliName): Promise<string> {
  const { packageName, version } = PROVIDER_CLIS[name];
  const installDir = path.join(CLI_CACHE_DIR, `${name}-${version}`);
  const bin = executablePath(installDir, name);
  if (existsSync(bin)) return bin;

  await mkdir(CLI_CACHE_DIR, { recursive: true });
  const lock = `${installDir}.lock`;
  // Another process may finish installing while this one waits for the lock.
  if (!(await acquireLock(lock, bin))) return bin;
  try {
    if (existsSync(bin)) return bin;
    const staging = await mkdtemp(`${installDir}.staging-`);
    try {
      await npmInstall(staging, `${packageName}@${version}`);
      if (!existsSync(executablePath(staging, name))) {
        throw new Error(`npm installed ${packageName}@${version} but no ${name} executable appeared in ${staging}`);
      }
      // A folder left by an install that died mid-way has no executable; clear it first.
      await rm(installDir, { recursive: true, force: true });
      await rename(staging, installDir);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
  return bin;
}

function executablePath(installDir: string, name: string): string {
  return path.join(installDir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
}

/** Takes the lock (true), or gives up on it (false) once another process has installed `bin`. */
async function acquireLock(lock: string, bin: string): Promise<boolean> {
  for (;;) {
    try {
      await mkdir(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (existsSync(bin)) return false;
    const lockAge = await stat(lock).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (lockAge > STALE_LOCK_MS) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    await sleep(LOCK_POLL_MS);
  }
}

async function npmInstall(prefix: string, spec: string): Promise<void> {
  const isWindows = process.platform === 'win32';
  try {
    await execFileAsync(
      isWindows ? 'npm.cmd' : 'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, spec],
      {
        cwd: prefix,
        env: { ...process.env, npm_config_cache: NPM_CACHE_DIR },
        timeout: PROVIDER_CLI_INSTALL_TIMEOUT_MS,
        maxBuffer: INSTALL_OUTPUT_MAX_BYTES,
        // Node refuses to run a .cmd file without a shell.
        shell: isWindows,
      },
    );
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm install ${spec} failed: ${message}\n${`${stdout}\n${stderr}`.slice(-INSTALL_OUTPUT_TAIL_CHARS)}`, {
      cause: error,
    });
  }
}
