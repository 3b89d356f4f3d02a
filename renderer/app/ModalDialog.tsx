import type { ReactNode } from 'react';
import { useModal } from './use-modal';

/** A modal <dialog>: every dialog of the app, so they all trap focus and close the same way. */
export function ModalDialog({
  label,
  role = 'dialog',
  describedBy,
  onClose,
  children,
}: {
  label: string;
  role?: 'dialog' | 'alertdialog';
  describedBy?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const dialogRef = useModal();
  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      // A <dialog> is already a dialog: only an alert dialog needs the role spelled out.
      role={role === 'alertdialog' ? role : undefined}
      aria-label={label}
      aria-describedby={describedBy}
      onCancel={(event) => {
        // Escape closes through the store, so React stays the one owner of whether the dialog exists.
        event.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}
