import { errorText } from '../bridge/errors';
import { isLoginEnded } from '../data/accounts-cache';
import { useAccounts, useLogin } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { loginStatusText } from './account-text';

/** Logins whose dialog was closed before they ended: still followed, one note each, until dismissed. */
export function LoginNotes() {
  const loginIds = useUiStore((state) => state.backgroundLoginIds);
  if (loginIds.length === 0) return null;
  return (
    <ul className="login-notes" aria-label="Logins in the background">
      {loginIds.map((loginId) => (
        <LoginNote key={loginId} loginId={loginId} />
      ))}
    </ul>
  );
}

function LoginNote({ loginId }: { loginId: string }) {
  const login = useLogin(loginId);
  const followLogin = useUiStore((state) => state.followLogin);
  const dismissLogin = useUiStore((state) => state.dismissLogin);
  const ref = login.data?.ref ?? loginId;
  const identity = useAccounts().data?.find((account) => account.ref === ref)?.identity ?? null;
  const ended = login.data ? isLoginEnded(login.data.state) : login.isError;

  let text = 'Loading the login…';
  if (login.isError) text = `Login ${loginId}: ${errorText(login.error)}`;
  else if (login.data) {
    const status = loginStatusText(login.data, identity);
    text = ended ? `Login for ${ref} ended: ${status}` : `Login in progress for ${ref}: ${status}`;
  }

  return (
    <li className={`login-note${ended ? '' : ' running'}`}>
      <span>{text}</span>
      {login.data && (
        <button type="button" aria-label={`Show login for ${ref}`} onClick={() => followLogin(loginId)}>
          Show login
        </button>
      )}
      {ended && (
        <button type="button" aria-label={`Dismiss login for ${ref}`} onClick={() => dismissLogin(loginId)}>
          Dismiss
        </button>
      )}
    </li>
  );
}
