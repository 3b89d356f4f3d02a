/**
 * Variables a worker may inherit from the app. Everything else (tokens, the owner's HOME, provider
 * config dirs) is left out: each worker gets its home set explicitly.
 */
const INHERITED_VARIABLES = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'ComSpec', 'PATHEXT'];

export function workerEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.HOME = home;
  env.USERPROFILE = home;
  // Git inside a worker must never stop to ask for credentials.
  env.GIT_TERMINAL_PROMPT = '0';
  return { ...env, ...extra };
}

/** Credentials an owner-facing process (verify, an interactive shell) has no business seeing. */
const PROVIDER_VARIABLES = ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN'];

/** The owner's own environment, for commands the owner runs (verify, a shell), less provider credentials. */
export function ownerEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !PROVIDER_VARIABLES.includes(name)) env[name] = value;
  }
  return env;
}
