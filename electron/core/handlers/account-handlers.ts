import type { AccountService } from '../accounts/account-service';
import type { HandlerGroup } from '../router';

type AccountCommands =
  | 'providers.list'
  | 'settings.get'
  | 'settings.update'
  | 'accounts.list'
  | 'accounts.connect'
  | 'accounts.reconnect'
  | 'accounts.refresh'
  | 'accounts.setPaused'
  | 'accounts.setSlots'
  | 'accounts.remove'
  | 'logins.get'
  | 'logins.submitCode'
  | 'logins.cancel';

export function accountHandlers(accounts: AccountService): HandlerGroup<AccountCommands> {
  return {
    'providers.list': () => accounts.providers(),
    'settings.get': () => accounts.settings(),
    'settings.update': (change) => accounts.updateSettings(change),
    'accounts.list': () => accounts.list(),
    'accounts.connect': (input) => accounts.connect(input),
    'accounts.reconnect': ({ ref }) => accounts.reconnect(ref),
    'accounts.refresh': ({ ref }) => accounts.refresh(ref),
    'accounts.setPaused': ({ ref, paused }) => accounts.setPaused(ref, paused),
    'accounts.setSlots': ({ ref, slots }) => accounts.setSlots(ref, slots),
    'accounts.remove': ({ ref }) => accounts.remove(ref),
    'logins.get': ({ loginId }) => accounts.login(loginId),
    'logins.submitCode': ({ loginId, code }) => accounts.submitCode(loginId, code),
    'logins.cancel': ({ loginId }) => accounts.cancel(loginId),
  };
}
