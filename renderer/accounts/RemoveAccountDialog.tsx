import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useModal } from '../app/use-modal';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval } from '../data/accounts-cache';
import { useAccounts } from '../data/queries';
import { useUiStore } from '../state/ui-store';

export function RemoveAccountDialog({ accountRef }: { accountRef: string }) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const dialogRef = useModal();
  const descriptionId = useId();
  const account = useAccounts().data?.find((candidate) => candidate.ref === accountRef);

  const remove = useMutation({
    mutationFn: () => bridge.invoke('accounts.remove', { ref: accountRef, confirm: true }),
    onSuccess: ({ ref }) => {
      applyAccountRemoval(queryClient, ref);
      closeDialog();
    },
  });

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      role="alertdialog"
      aria-label="Remove account?"
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // Escape closes through the store, so React stays the one owner of whether the dialog exists.
        event.preventDefault();
        closeDialog();
      }}
    >
      <div className="dialog-body">
        <h2>Remove account?</h2>
        <p id={descriptionId}>
          Removing <strong>{accountRef}</strong> deletes its isolated home folder
          {account && (
            <>
              {' '}
              <code>{account.homeDir}</code>
            </>
          )}
          , and the login stored in it. This cannot be undone.
        </p>
        {remove.isError && <ErrorNote error={remove.error} />}
        <div className="dialog-actions">
          {/* Focus starts on the harmless choice, so a stray Enter keeps the account. */}
          <button type="button" autoFocus onClick={closeDialog}>
            Keep
          </button>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            aria-busy={remove.isPending}
            onClick={() => remove.mutate()}
          >
            {remove.isPending ? 'Removing…' : 'Remove'}
          </button>
        </div>
      </div>
    </dialog>
  );
}
