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
