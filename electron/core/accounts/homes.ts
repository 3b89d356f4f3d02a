import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { accountRefSchema, type Provider } from '../../../shared/accounts';
import { FleetError } from '../../../shared/errors';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from '../store/owner-only';
import { workerEnvironment } from '../workers/environment';

/** Keeps Codex credentials in the home's own auth.json rather than the OS keyring the owner's login may use. */
const CODEX_CONFIG = 'cli_auth_credentials_store = "file"\n';

export function accountsRoot(dataDir: string): string {
  return path.join(dataDir, 'accounts');
}

/** `accounts/<provider>/<ref>/`, refusing any ref that would land outside that folder. */
export function accountHome(dataDir: string, provider: Provider, ref: string): string {
  const parsed = accountRefSchema.safeParse(ref);
  if (!parsed.success) throw new FleetError('invalid_ref', `The ref ${JSON.stringify(ref)} is not allowed: ${parsed.error.issues[0]?.message}`);
  const root = path.join(accountsRoot(dataDir), provider);
  const home = path.resolve(root, parsed.data);
  if (path.dirname(home) !== root) throw new FleetError('invalid_ref', `The ref ${JSON.stringify(ref)} escapes the accounts folder.`);
  return home;
}

/** The Connect dialog shows the same rule as the ref an empty field gets. */
export { nextRef } from '../../../shared/accounts';

/** Makes the isolated home (again, for a reconnect), keeping whatever the CLI already wrote there. */
export function ensureHome(provider: Provider, home: string): void {
  mkdirSync(home, { recursive: true, mode: OWNER_ONLY_DIR });
  const config = path.join(home, 'config.toml');
  if (provider === 'codex' && !existsSync(config)) writeFileSync(config, CODEX_CONFIG, { mode: OWNER_ONLY_FILE });
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

/**
 * The environment every provider process gets: its account's home set explicitly (CODEX_HOME or
 * CLAUDE_CONFIG_DIR, and HOME), never the owner's.
 */
export function providerEnvironment(provider: Provider, home: string, extra: Record<string, string> = {}): Record<string, string> {
  const homeVariable: Record<string, string> = provider === 'codex' ? { CODEX_HOME: home } : { CLAUDE_CONFIG_DIR: home };
  return workerEnvironment(home, { ...homeVariable, ...extra });
}
