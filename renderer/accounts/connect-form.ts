import type { z } from 'zod';
import type { LoginMethod, Provider } from '../../shared/accounts';
import { connectAccountInputSchema, type ConnectAccountInput } from '../../shared/contract';
import { takesSecret } from './account-text';

export type ClaudeMethod = Exclude<LoginMethod, 'device'>;

/** Claude's ways in, in the order the form offers them; Codex always uses its device login. */
export const claudeMethodLabels: Record<ClaudeMethod, string> = {
  browser: 'Browser login (paste a code)',
  token: 'Long-lived token (claude setup-token)',
  api_key: 'API key',
};

export const secretLabels: Record<'token' | 'api_key', string> = {
  token: 'Token',
  api_key: 'API key',
};

/** What the form's inputs hold, before the contract schema parses them. */
export interface ConnectFormValues {
  provider: Provider;
  ref: string;
  claudeMethod: ClaudeMethod;
  secret: string;
}

type ConnectField = 'ref' | 'secret';
/** `form` holds a problem no single input owns. */
export type ConnectProblems = Partial<Record<ConnectField | 'form', string>>;

export const initialConnectForm: ConnectFormValues = {
  provider: 'codex',
  ref: '',
  claudeMethod: 'browser',
  secret: '',
};

export function methodOf(values: ConnectFormValues): LoginMethod {
  return values.provider === 'codex' ? 'device' : values.claudeMethod;
}

function problemText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' && issue.origin === 'string') return 'Required';
  if (issue.code === 'too_big' && issue.origin === 'string') return `At most ${issue.maximum} characters`;
  return issue.message;
}

/** Parses the form with the same schema the core applies; an empty ref lets the core pick the next free one. */
export function parseConnectForm(
  values: ConnectFormValues,
): { ok: true; input: ConnectAccountInput } | { ok: false; problems: ConnectProblems } {
  const method = methodOf(values);
  const parsed = connectAccountInputSchema.safeParse({
    provider: values.provider,
    ref: values.ref.trim() === '' ? undefined : values.ref,
    method,
    // Sent as typed (even empty) so the schema reports a missing secret; never sent for interactive logins.
    secret: takesSecret(method) ? values.secret : undefined,
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const problems: ConnectProblems = {};
  for (const issue of parsed.error.issues) {
    const [head] = issue.path;
    const field = head === 'ref' || head === 'secret' ? head : 'form';
    problems[field] ??= problemText(issue);
  }
  return { ok: false, problems };
}
