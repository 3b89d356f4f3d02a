import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { applyLoginUpdate } from '../data/accounts-cache';
import { useUiStore } from '../state/ui-store';

/** Runs the device login again into the account's home and opens the Connect dialog on it. */
export function useReconnect(ref: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const followLogin = useUiStore((state) => state.followLogin);
  return useMutation({
    mutationFn: () => bridge.invoke('accounts.reconnect', { ref }),
    onSuccess: (login) => {
      applyLoginUpdate(queryClient, login);
      followLogin(login.loginId);
    },
  });
}
