import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_INSTALL_COMMANDS, type Provider, type ProviderInfo } from '../../../shared/accounts';
import { FleetError } from '../../../shared/errors';
import { OWNER_ONLY_DIR } from '../store/owner-only';
import { stripAnsi } from './cli-output';
import { providerEnvironment } from './homes';
import { runCli } from './run-cli';

/** `--version` is instant on a warm machine; a first run may unpack a native binary. */
export const VERSION_PROBE_TIMEOUT_MS = 20_000;
/** `codex-cli 0.169.0`, `2.1.330 (Claude Code)`: each provider CLI prints its name and a dotted version. */
const VERSION_NUMBER = /\d+\.\d+\.\d+[\w.-]*/;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The executable for a provider: the path set in settings, else the one on PATH. */
export function resolveCli(provider: Provider, configuredPath: string): { path: string | null; problem: string | null } {
  if (configuredPath) {
    return isExecutable(configuredPath)
      ? { path: configuredPath, problem: null }
      : { path: null, problem: `${configuredPath} (set in settings) is not an executable file` };
  }
  const found = onPath(provider, process.env.PATH ?? '');
  return found ? { path: found, problem: null } : { path: null, problem: `${provider} was not found on PATH` };
}

/** Looks a provider's CLI up and asks its version, in a scratch home so nothing of the owner's is read. */
export async function describeProvider(provider: Provider, configuredPath: string, scratchHome: string): Promise<ProviderInfo> {
  const installCommand = PROVIDER_INSTALL_COMMANDS[provider];
  const resolved = resolveCli(provider, configuredPath);
  if (!resolved.path) return { provider, found: false, path: null, version: null, installCommand, problem: resolved.problem };
  mkdirSync(scratchHome, { recursive: true, mode: OWNER_ONLY_DIR });
  const run = await runCli(resolved.path, ['--version'], {
    env: providerEnvironment(provider, scratchHome),
    cwd: scratchHome,
    timeoutMs: VERSION_PROBE_TIMEOUT_MS,
  });
  const output = stripAnsi(`${run.stdout}\n${run.stderr}`).trim();
  if (run.code !== 0) {
    const why = run.spawnError ?? (run.timedOut ? `no answer within ${VERSION_PROBE_TIMEOUT_MS} ms` : `exit ${run.code}: ${output}`);
    return { provider, found: true, path: resolved.path, version: null, installCommand, problem: `--version failed: ${why}` };
  }
  const version = VERSION_NUMBER.exec(output)?.[0] ?? null;
  // Any program may exit 0 (/bin/true does, GNU's even names its version): only one that names itself and a version is the CLI.
  if (version === null || !output.toLowerCase().includes(provider)) {
    const said = output ? `printed "${output.split('\n')[0]}"` : 'printed nothing';
    return { provider, found: false, path: resolved.path, version: null, installCommand, problem: `${resolved.path} --version ${said}: it is not the ${provider} CLI` };
  }
  return { provider, found: true, path: resolved.path, version, installCommand, problem: null };
}

/** The executable, or a typed error that names the install command. */
export function requireCli(provider: Provider, configuredPath: string): string {
  const resolved = resolveCli(provider, configuredPath);
  if (!resolved.path) {
    throw new FleetError('cli_missing', `The ${provider} CLI is missing: ${resolved.problem}. Install it with: ${PROVIDER_INSTALL_COMMANDS[provider]}`);
  }
  return resolved.path;
}
