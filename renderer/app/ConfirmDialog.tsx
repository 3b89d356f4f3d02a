import { useId, type ReactNode } from 'react';
import { useUiStore } from '../state/ui-store';
import { BusyButton } from './BusyButton';
import { ErrorNote } from './ErrorNote';
import type { ActionState } from './FormDialog';
import { ModalDialog } from './ModalDialog';

/** Asks before an action that cannot be undone. */
export function ConfirmDialog({
  title,
  description,
  action,
  keepText,
  confirmText,
  busyText,
  onConfirm,
}: {
  title: string;
  description: ReactNode;
  action: ActionState;
  keepText: string;
  confirmText: string;
  busyText: string;
  onConfirm: () => void;
}) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const descriptionId = useId();
  return (
    <ModalDialog label={title} role="alertdialog" describedBy={descriptionId} onClose={closeDialog}>
      <div className="dialog-body">
        <h2>{title}</h2>
        <p id={descriptionId}>{description}</p>
        {action.isError && <ErrorNote error={action.error} />}
        <div className="dialog-actions">
          {/* Focus starts on the harmless choice, so a stray Enter keeps things as they are. */}
          <button type="button" autoFocus onClick={closeDialog}>
            {keepText}
          </button>
          <BusyButton className="danger" busy={action.isPending} busyText={busyText} onClick={onConfirm}>
            {confirmText}
          </BusyButton>
        </div>
      </div>
    </ModalDialog>
  );
}
