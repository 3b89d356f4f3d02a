/**
 * Masks known secret shapes in text the owner sees (cards, the assignment detail, the Inbox, the run
 * log, the pane, log lines). Each match keeps a short prefix that names the kind of secret and is not
 * itself secret, then {@link MASK}: `sk-ant-api03-…[masked]`.
 *
 * Every pattern runs in linear time: a pattern starts only at a token boundary (or at a fixed
 * literal), and its runs are single character classes that cannot overlap what follows them, so a
 * failed start never rescans more than its own run. The output holds "…", which no pattern's
 * characters include, so masking masked text changes nothing.
 */
export const MASK = '…[masked]';

/** Characters of a token: a match must not start in the middle of one (`task-…` is not `sk-…`). */
const START = '(?<![A-Za-z0-9_-])';

interface SecretShape {
  /** `prefix` is kept as is; the rest of the match is the secret. */
  pattern: RegExp;
}

const SHAPES: SecretShape[] = [
  // PEM private keys: the whole base64 body up to (and with) the END line, if it is there at all.
  { pattern: /(?<prefix>-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----)\s*[A-Za-z0-9+/=][A-Za-z0-9+/=\s]*(?:-----END [A-Z ]{0,40}PRIVATE KEY-----)?/g },
  // Anthropic: API keys (sk-ant-api03-), OAuth tokens (sk-ant-oat01-), admin keys.
  { pattern: new RegExp(`${START}(?<prefix>sk-ant-(?:[a-z]{2,8}\\d{2}-)?)[A-Za-z0-9_-]{20,}`, 'g') },
  // OpenAI: sk-, sk-proj-, sk-svcacct-, sk-admin-.
  { pattern: new RegExp(`${START}(?<prefix>sk-(?:proj-|svcacct-|admin-)?)[A-Za-z0-9_-]{20,}`, 'g') },
  // GitHub: classic and OAuth/app tokens, and fine-grained personal access tokens.
  { pattern: new RegExp(`${START}(?<prefix>gh[pousr]_)[A-Za-z0-9]{30,}`, 'g') },
  { pattern: new RegExp(`${START}(?<prefix>github_pat_)[A-Za-z0-9_]{22,}`, 'g') },
  // AWS access key ids (long-term AKIA, temporary ASIA) and secret access keys given by name.
  { pattern: new RegExp(`${START}(?<prefix>AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, 'g') },
  { pattern: /(?<prefix>aws_secret_access_key["']?\s*[=:]\s*["']?)[A-Za-z0-9/+=]{20,}/gi },
  // Slack bot, user, app, refresh and config tokens.
  { pattern: new RegExp(`${START}(?<prefix>xox[abposr]-)[A-Za-z0-9-]{10,}`, 'g') },
  // Google API keys.
  { pattern: new RegExp(`${START}(?<prefix>AIza)[A-Za-z0-9_-]{30,}`, 'g') },
  // JWTs: base64url header (always `{"` → eyJ), payload and signature.
  { pattern: new RegExp(`${START}(?<prefix>eyJ)[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*`, 'g') },
  // Bearer credentials, in an Authorization header or anywhere else; a token has a digit ("bearer responsibilities" has none).
  { pattern: /(?<![A-Za-z])(?<prefix>Bearer\s+)(?=[A-Za-z._~+/-]*\d)[A-Za-z0-9._~+/-]{12,}=*/gi },
  // Credentials in a URL: scheme://user:password@host keeps the scheme and the host.
  { pattern: /(?<![A-Za-z0-9+.-])(?<prefix>[a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/:@…]+:[^\s/@…]+(?=@)/gi },
];

export function maskSecrets(text: string): string {
  let masked = text;
  for (const { pattern } of SHAPES) {
    masked = masked.replace(pattern, (...args: unknown[]) => {
      const groups = args.at(-1) as { prefix?: string };
      return `${groups.prefix ?? ''}${MASK}`;
    });
  }
  return masked;
}
