import { ConfirmDialog } from '../app/ConfirmDialog';
import { useAccounts } from '../data/queries';
import { useRemoveAccount } from './use-account-commands';

export function RemoveAccountDialog({ accountRef }: { accountRef: string }) {
  const account = useAccounts().data?.find((candidate) => candidate.ref === accountRef);
  const remove = useRemoveAccount(accountRef);

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
