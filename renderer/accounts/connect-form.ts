import type { LoginMethod, Provider } from '../../shared/accounts';
import { connectAccountInputSchema, type ConnectAccountInput } from '../../shared/contract';
import { parseFormInput, type FormProblems } from '../app/form-problems';
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
export type ConnectProblems = FormProblems<ConnectField>;

function fieldOf(path: readonly PropertyKey[]): ConnectField | null {
  const [head] = path;
  return head === 'ref' || head === 'secret' ? head : null;
}

export const initialConnectForm: ConnectFormValues = {
  provider: 'codex',
  ref: '',
  claudeMethod: 'browser',
  secret: '',
};

export function methodOf(values: ConnectFormValues): LoginMethod {
  return values.provider === 'codex' ? 'device' : values.claudeMethod;
}

/** Parses the form with the same schema the core applies; an empty ref lets the core pick the next free one. */
export function parseConnectForm(
  values: ConnectFormValues,
): { ok: true; input: ConnectAccountInput } | { ok: false; problems: ConnectProblems } {
  const method = methodOf(values);
  return parseFormInput(
    connectAccountInputSchema,
    {
      provider: values.provider,
      ref: values.ref.trim() === '' ? undefined : values.ref,
      method,
      // Sent as typed (even empty) so the schema reports a missing secret; never sent for interactive logins.
      secret: takesSecret(method) ? values.secret : undefined,
    },
    fieldOf,
    {},
  );
}
