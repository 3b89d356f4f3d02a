import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval } from '../data/accounts-cache';
import { useAccounts } from '../data/queries';
import { useUiStore } from '../state/ui-store';

export function RemoveAccountDialog({ accountRef }: { accountRef: string }) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const account = useAccounts().data?.find((candidate) => candidate.ref === accountRef);

  const remove = useMutation({
    mutationFn: () => bridge.invoke('accounts.remove', { ref: accountRef, confirm: true }),
    onSuccess: ({ ref }) => {
      applyAccountRemoval(queryClient, ref);
      closeDialog();
    },
  });

  return (
    <ConfirmDialog
      title="Remove account?"
      description={
        <>
          Removing <strong>{accountRef}</strong> deletes its isolated home folder
          {account && (
            <>
              {' '}
              <code>{account.homeDir}</code>
            </>
          )}
          , and the login stored in it. This cannot be undone.
        </>
      }
      action={remove}
      keepText="Keep"
      confirmText="Remove"
      busyText="Removing…"
      onConfirm={() => remove.mutate()}
    />
  );
}
