import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { nextRef, providers, type Login, type Provider } from '../../shared/accounts';
import { commands } from '../../shared/contract';
import { ErrorNote } from '../app/ErrorNote';
import { BusyButton } from '../app/BusyButton';
import { Field, TextField } from '../app/Field';
import { parseFormInput } from '../app/form-problems';
import { FormActions } from '../app/FormDialog';
import { ModalDialog } from '../app/ModalDialog';
import { useParsedForm } from '../app/use-parsed-form';
import { useNow } from '../clock';
import { isLoginEnded } from '../data/accounts-cache';
import { loginKey } from '../data/keys';
import { useAccounts, useLogin, useProviders } from '../data/queries';
import { formatElapsed } from '../format';
import { useUiStore } from '../state/ui-store';
import { authMethodWords, isWaiting, loginStatusText, missingCliText, takesSecret } from './account-text';
import {
  claudeMethodLabels,
  initialConnectForm,
  methodOf,
  parseConnectForm,
  secretLabels,
  type ClaudeMethod,
} from './connect-form';
import { CopyButton } from './CopyButton';
import { useCancelLogin, useConnectAccount, useSubmitLoginCode } from './use-account-commands';

const claudeMethods = Object.keys(claudeMethodLabels) as ClaudeMethod[];
/** The contract's own rule for a pasted code (trimmed, not empty, bounded). */
const codeSchema = commands['logins.submitCode'].input.shape.code;

/** The form that starts a login, then the login itself as the core reports it. */
export function ConnectAccountDialog() {
  const queryClient = useQueryClient();
  const loginId = useUiStore((state) => state.loginId);
  const closeDialog = useUiStore((state) => state.closeDialog);
  const keepLoginInBackground = useUiStore((state) => state.keepLoginInBackground);

  // Closing never cancels a running login (or one still loading): it stays followed as a note on the Accounts view.
  const close = () => {
    const query = loginId === null ? undefined : queryClient.getQueryState<Login>(loginKey(loginId));
    const running = query?.data ? !isLoginEnded(query.data.state) : query?.status === 'pending';
    if (running) keepLoginInBackground();
    else closeDialog();
  };

  return (
    <ModalDialog label="Connect account" onClose={close}>
      <div className="dialog-body">
        <h2>Connect account</h2>
        {loginId === null ? (
          <ConnectForm onClose={close} />
        ) : (
          <LoginFollower key={loginId} loginId={loginId} onClose={close} />
        )}
      </div>
    </ModalDialog>
  );
}

function ConnectForm({ onClose }: { onClose: () => void }) {
  const providerInfos = useProviders().data;
  const accounts = useAccounts().data;
  const connect = useConnectAccount();
  const form = useParsedForm(initialConnectForm, parseConnectForm, connect.mutate);
  const { values, set } = form;
  const method = methodOf(values);
  const cli = providerInfos?.find((info) => info.provider === values.provider);
  const cliMissing = cli !== undefined && !cli.found;
  const takenRefs = new Set((accounts ?? []).map((account) => account.ref));
  const links = takesSecret(method);

  return (
    <form onSubmit={form.submit} noValidate>
      <Field label="Provider">
        {(props) => (
          <select
            {...props}
            autoFocus
            value={values.provider}
            onChange={(event) => set('provider', event.target.value as Provider)}
          >
            {providers.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        form={form}
        field="ref"
        label="Ref (optional)"
        // What an empty field gets: the core's own rule, over the refs already taken.
        placeholder={nextRef(values.provider, takenRefs)}
        spellCheck={false}
        autoComplete="off"
      />
      {values.provider === 'claude' && (
        <Field label="Login method">
          {(props) => (
            <select
              {...props}
              value={values.claudeMethod}
              onChange={(event) => set('claudeMethod', event.target.value as ClaudeMethod)}
            >
              {claudeMethods.map((claudeMethod) => (
                <option key={claudeMethod} value={claudeMethod}>
                  {claudeMethodLabels[claudeMethod]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {takesSecret(method) && (
        <TextField
          form={form}
          field="secret"
          label={secretLabels[method]}
          type="password"
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {cli && cliMissing && (
        <div role="alert" className="error">
          <p>
            {missingCliText(cli)}
            {cli.problem && <span className="muted"> ({cli.problem})</span>}
          </p>
          {links && <p>You can link now: the secret is kept and checked once the CLI is installed.</p>}
          <CopyButton text={cli.installCommand} label="Copy install command" />
        </div>
      )}
      <FormActions
        problem={form.problems.form}
        action={connect}
        submitText={links ? 'Link account' : 'Start login'}
        busyText={links ? 'Linking…' : 'Starting…'}
        // A login runs the CLI; a token or key can be linked before it is installed.
        disabled={cliMissing && !links}
        onCancel={onClose}
      />
    </form>
  );
}

function LoginFollower({ loginId, onClose }: { loginId: string; onClose: () => void }) {
  const login = useLogin(loginId);
  if (login.isSuccess) return <LoginProgress login={login.data} onClose={onClose} />;
  return (
    <>
      {login.isPending ? <p className="muted">Loading the login…</p> : <ErrorNote error={login.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}

function LoginProgress({ login, onClose }: { login: Login; onClose: () => void }) {
  const identity = useAccounts().data?.find((account) => account.ref === login.ref)?.identity ?? null;
  const statusRef = useRef<HTMLParagraphElement>(null);
  const ended = isLoginEnded(login.state);
  const { loginId, verificationUrl, userCode, expiresAt } = login;

  const cancel = useCancelLogin(loginId);

  // The form's submit button had focus and is gone: keep focus inside the dialog, on what changes.
  useEffect(() => {
    const status = statusRef.current;
    if (status && !status.closest('dialog')?.contains(document.activeElement)) status.focus();
  }, []);

  return (
    <>
      <p className="muted">
        {login.reconnect ? 'Reconnecting' : 'New account'} <strong>{login.ref}</strong> · {login.provider} ·{' '}
        {authMethodWords[login.method]}
      </p>
      <p ref={statusRef} tabIndex={-1} role="status" className={`login-status login-${login.state}`}>
        {loginStatusText(login, identity)}
      </p>
      {!ended && verificationUrl && (
        <div className="login-row">
          <code className="login-url">{verificationUrl}</code>
          <CopyButton text={verificationUrl} label="Copy link" />
          {/* The Electron shell hands window.open to the OS browser; a browser tab opens a new tab. */}
          <button type="button" onClick={() => window.open(verificationUrl, '_blank', 'noopener')}>
            Open in browser
          </button>
        </div>
      )}
      {!ended && userCode && (
        <div className="login-row">
          <div role="group" aria-label="One-time code" className="user-code">
            {userCode}
          </div>
          <CopyButton text={userCode} label="Copy code" />
        </div>
      )}
      {expiresAt && isWaiting(login.state) && <Countdown expiresAt={expiresAt} />}
      {login.method === 'browser' && login.state === 'waiting_for_code' && <SubmitCodeForm loginId={loginId} />}
      {(login.state === 'failed' || login.state === 'expired') && (
        <div role="alert" className="login-failure">
          {login.reason && <p>{login.reason}</p>}
          {login.outputTail.length > 0 && <pre aria-label="CLI output">{login.outputTail.join('\n')}</pre>}
        </div>
      )}
      {cancel.isError && <ErrorNote error={cancel.error} />}
      <div className="dialog-actions">
        {ended ? (
          <button type="button" className="primary" autoFocus onClick={onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Continue in background
            </button>
            <BusyButton
              className="danger"
              busy={cancel.isPending}
              busyText="Cancelling…"
              onClick={() => cancel.mutate()}
            >
              Cancel login
            </BusyButton>
          </>
        )}
      </div>
    </>
  );
}

function Countdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(true);
  return (
    <p className="muted">
      expires in <time dateTime={expiresAt}>{formatElapsed(Date.parse(expiresAt) - now)}</time>
    </p>
  );
}

function SubmitCodeForm({ loginId }: { loginId: string }) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submitCode = useSubmitLoginCode(loginId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseFormInput(codeSchema, code, () => 'code' as const, {});
    if (!parsed.ok) {
      setProblem(parsed.problems.code);
      return;
    }
    setProblem(undefined);
    submitCode.mutate(parsed.input, { onSuccess: () => setCode('') });
  };

  return (
    <form className="submit-code" onSubmit={submit} noValidate>
      <Field label="Code from the browser" problem={problem}>
        {(props) => (
          <input
            {...props}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        )}
      </Field>
      {submitCode.isError && <ErrorNote error={submitCode.error} />}
      <div className="dialog-actions">
        <BusyButton type="submit" className="primary" busy={submitCode.isPending} busyText="Submitting…">
          Submit code
        </BusyButton>
      </div>
    </form>
  );
}
