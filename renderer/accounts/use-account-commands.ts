import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Account, Settings } from '../../shared/accounts';
import type { ConnectAccountInput } from '../../shared/contract';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval, applyAccountUpdate, applyLoginUpdate, sortAccounts } from '../data/accounts-cache';
import { accountsKey, providersKey, settingsKey } from '../data/keys';
import { useUiStore } from '../state/ui-store';

/** Probes every account again; a CLI installed since the last look shows up as found too. */
export function useRefreshAccounts() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('accounts.refresh', {}),
    onSuccess: (probed) => {
      queryClient.setQueryData<Account[]>(accountsKey, sortAccounts(probed));
      void queryClient.invalidateQueries({ queryKey: providersKey });
    },
  });
}

/** A paused account keeps its login but is given no new work. */
export function useSetAccountPaused(ref: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (paused: boolean) => bridge.invoke('accounts.setPaused', { ref, paused }),
    onSuccess: (updated) => applyAccountUpdate(queryClient, updated),
  });
}

/** How many workers the account may run at once. */
export function useSetAccountSlots(ref: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (slots: number) => bridge.invoke('accounts.setSlots', { ref, slots }),
    onSuccess: (updated) => applyAccountUpdate(queryClient, updated),
  });
}

/** Deletes the account's isolated home (the owner has confirmed), then closes the dialog that asked. */
export function useRemoveAccount(ref: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  return useMutation({
    mutationFn: () => bridge.invoke('accounts.remove', { ref, confirm: true }),
    onSuccess: (removed) => {
      applyAccountRemoval(queryClient, removed.ref);
      closeDialog();
    },
  });
}

/** Starts a login (or links a token or key) and has the Connect dialog follow it. */
export function useConnectAccount() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const followLogin = useUiStore((state) => state.followLogin);
  return useMutation({
    mutationFn: (input: ConnectAccountInput) => bridge.invoke('accounts.connect', input),
    onSuccess: (login) => {
      applyLoginUpdate(queryClient, login);
      followLogin(login.loginId);
    },
  });
}

export function useCancelLogin(loginId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('logins.cancel', { loginId }),
    onSuccess: (cancelled) => applyLoginUpdate(queryClient, cancelled),
  });
}

/** The code a browser login shows, handed to the CLI waiting for it. */
export function useSubmitLoginCode(loginId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => bridge.invoke('logins.submitCode', { loginId, code }),
    onSuccess: (login) => applyLoginUpdate(queryClient, login),
  });
}

/** Saves where to find the CLIs; the core looks for them again with the new paths. */
export function useSaveSettings() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Settings) => bridge.invoke('settings.update', input),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      void queryClient.invalidateQueries({ queryKey: providersKey });
    },
  });
}
