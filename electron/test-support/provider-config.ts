import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAKE_CODEX_MODEL } from './fake-model-api';

/**
 * Points the REAL worker CLIs at a {@link startFakeModelApi} server and nowhere else. Each setting
 * below was needed to keep a run's traffic on 127.0.0.1 (checked with `strace -e connect,sendto`)
 * or to make it end quickly and without prompts.
 */

/** A dummy: it is fine for it to appear in recorded streams. */
export const FAKE_MODEL_API_KEY = 'test-key';
/** The `[model_providers.<id>]` table Codex is switched to. */
export const FAKE_CODEX_PROVIDER_ID = 'khala-fake';
/** The variable Codex reads the provider's API key from (`env_key`), sent as `Authorization: Bearer`. */
export const FAKE_CODEX_ENV_KEY = 'KHALA_FAKE_MODEL_API_KEY';

/**
 * Writes `<home>/config.toml` (creating `home`, which Codex insists exists) so `codex exec` with
 * `CODEX_HOME=<home>` sends its model calls to the fake API and makes no other connection. Replaces
 * any config.toml already there.
 */
export function codexHomeForFakeApi(home: string, apiUrl: string): void {
  mkdirSync(home, { recursive: true });
  const toml = [
    '# Written by the Khala tests: every model call goes to a local fake API.',
    // auth.json in the home, never the OS keyring.
    'cli_auth_credentials_store = "file"',
    `model_provider = ${tomlString(FAKE_CODEX_PROVIDER_ID)}`,
    `model = ${tomlString(FAKE_CODEX_MODEL)}`,
    // A home that also holds a ChatGPT login (auth.json) calls ChatGPT's backend for settings
    // (GET /backend-api/wham/settings/user) and the apps MCP server (POST /backend-api/ps/mcp):
    // send those to the fake, which answers 404, instead of chatgpt.com.
    `chatgpt_base_url = ${tomlString(`${apiUrl}/backend-api/`)}`,
    '',
    '[features]',
    // Otherwise every start runs `git ls-remote https://github.com/openai/plugins.git` and asks api.github.com.
    'plugins = false',
    // The ChatGPT apps connectors (an MCP server on the ChatGPT backend); nothing a worker test needs.
    'apps = false',
    '',
    '[analytics]',
    // Otherwise metrics are pushed to https://ab.chatgpt.com/otlp/v1/metrics.
    'enabled = false',
    '',
    `[model_providers.${FAKE_CODEX_PROVIDER_ID}]`,
    'name = "Khala fake model API"',
    `base_url = ${tomlString(`${apiUrl}/v1`)}`,
    'wire_api = "responses"',
    `env_key = ${tomlString(FAKE_CODEX_ENV_KEY)}`,
    // Otherwise a 401 is retried five times ("Reconnecting... 1/5") before the turn fails.
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
  writeFileSync(path.join(home, 'config.toml'), toml);
}

/** The environment `codex exec` needs on top of `CODEX_HOME` for {@link codexHomeForFakeApi}'s provider. */
export function codexEnvForFakeApi(): Record<string, string> {
  return { [FAKE_CODEX_ENV_KEY]: FAKE_MODEL_API_KEY };
}

/** The environment `claude -p` needs on top of `CLAUDE_CONFIG_DIR` to use the fake API and nothing else. */
export function claudeEnvForFakeApi(apiUrl: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: FAKE_MODEL_API_KEY,
    // A 401 fails after one request instead of ~10 retries over minutes.
    CLAUDE_CODE_MAX_RETRIES: '0',
    // No telemetry, error reporting or update checks (DNS lookups of outside hosts), and no
    // `HEAD /api/hello` connectivity probe against the base URL.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

/** A TOML basic string; JSON's escaping is a subset of TOML's for the URLs and names written here. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}
