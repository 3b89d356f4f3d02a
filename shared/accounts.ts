import { z } from 'zod';

export const providers = ['codex', 'claude'] as const;
export const providerSchema = z.enum(providers);
export type Provider = z.infer<typeof providerSchema>;

/** How each provider's CLI is installed, shown when it is missing rather than failing later. */
export const PROVIDER_INSTALL_COMMANDS: Record<Provider, string> = {
  codex: 'npm install -g @openai/codex',
  claude: 'npm install -g @anthropic-ai/claude-code',
};

export const providerInfoSchema = z.object({
  provider: providerSchema,
  found: z.boolean(),
  /** The executable used: the path set in settings, or the one found on PATH. */
  path: z.string().nullable(),
  version: z.string().nullable(),
  installCommand: z.string(),
  /** Why the CLI could not be used (missing, not executable, crashed on --version). */
  problem: z.string().nullable(),
});
export type ProviderInfo = z.infer<typeof providerInfoSchema>;

export const readinessSchema = z.enum(['ready', 'not_logged_in', 'cli_missing', 'error']);
export type Readiness = z.infer<typeof readinessSchema>;

/** Exact tokens and completed turns over one window, summed from the account's token rows. */
export const usageWindowSchema = z.object({ tokens: z.number().int().nonnegative(), turns: z.number().int().nonnegative() });
export type UsageWindow = z.infer<typeof usageWindowSchema>;

/** An account's meters over the providers' own windows; counts only, never a percentage of an unknown limit. */
export const accountUsageSchema = z.object({
  last5h: usageWindowSchema,
  last7d: usageWindowSchema,
  /** The last reset time a provider's rate-limit message named, if any did. */
  lastResetAt: z.string().nullable(),
});
export type AccountUsage = z.infer<typeof accountUsageSchema>;

export const accountSchema = z.object({
  ref: z.string(),
  provider: providerSchema,
  homeDir: z.string(),
  readiness: readinessSchema,
  /** What the probe said, e.g. "Logged in using ChatGPT" or the CLI's error. */
  readinessDetail: z.string(),
  /** Email or identity where the CLI reveals it. */
  identity: z.string().nullable(),
  /** How the account is linked: device login, browser login, a long-lived token or an API key. */
  authMethod: z.enum(['device', 'browser', 'token', 'api_key']),
  slots: z.number().int().nonnegative(),
  busy: z.number().int().nonnegative(),
  paused: z.boolean(),
  cooldownUntil: z.string().nullable(),
  usage: accountUsageSchema,
  lastCheckedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

/** Refs are folder names under accounts/<provider>/: no separators, no dots-only names, no `default`. */
export const accountRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes, starting with a letter or digit')
  .refine((ref) => ref !== 'default', 'the ref "default" is reserved for the owner\'s own CLI login');

export const loginMethodSchema = z.enum(['device', 'browser', 'token', 'api_key']);
export type LoginMethod = z.infer<typeof loginMethodSchema>;

export const loginStates = ['starting', 'waiting_for_approval', 'waiting_for_code', 'approved', 'failed', 'expired', 'cancelled'] as const;
export const loginStateSchema = z.enum(loginStates);
export type LoginState = z.infer<typeof loginStateSchema>;

/** One login attempt as the Connect dialog follows it. */
export const loginSchema = z.object({
  loginId: z.string(),
  provider: providerSchema,
  ref: z.string(),
  method: loginMethodSchema,
  /** True when logging in again into an existing account's home. */
  reconnect: z.boolean(),
  state: loginStateSchema,
  verificationUrl: z.string().nullable(),
  userCode: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** The CLI's own reason when it failed, expired or was refused. */
  reason: z.string().nullable(),
  /** The last lines the CLI printed (ANSI stripped), shown with a failure. */
  outputTail: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type Login = z.infer<typeof loginSchema>;

export const settingsSchema = z.object({
  /** Absolute path of the codex executable; empty means "find it on PATH". */
  codexPath: z.string(),
  claudePath: z.string(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** The next free ref in order: `codex`, `codex-2`, `codex-3`, ... (what a Connect with no ref gets). */
export function nextRef(provider: Provider, taken: ReadonlySet<string>): string {
  if (!taken.has(provider)) return provider;
  for (let n = 2; ; n += 1) {
    const ref = `${provider}-${n}`;
    if (!taken.has(ref)) return ref;
  }
}
