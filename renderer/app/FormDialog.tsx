import type { FormEvent, ReactNode } from 'react';
import { errorCode, errorText } from '../bridge/errors';
import { useUiStore } from '../state/ui-store';
import { BusyButton } from './BusyButton';
import { ModalDialog } from './ModalDialog';

/** What a dialog shows of the mutation its button runs. */
export interface ActionState {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/** A dialog form's end: why the last submit did not go through, then Cancel and the submit button. */
export function FormActions({
  problem,
  action,
  submitText,
  busyText,
  disabled,
  onCancel,
}: {
  /** A problem no single input owns. */
  problem: string | undefined;
  action: ActionState;
  submitText: string;
  busyText: string;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {action.isError && (
        <p role="alert" className="error" data-code={errorCode(action.error)}>
          {errorText(action.error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <BusyButton type="submit" className="primary" busy={action.isPending} busyText={busyText} disabled={disabled}>
          {submitText}
        </BusyButton>
      </div>
    </>
  );
}

/** A dialog that is one form, titled with the dialog's name. */
export function FormDialog({
  label,
  onSubmit,
  problem,
  action,
  submitText,
  busyText,
  children,
}: {
  label: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  problem: string | undefined;
  action: ActionState;
  submitText: string;
  busyText: string;
  children: ReactNode;
}) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  return (
    <ModalDialog label={label} onClose={closeDialog}>
      <form onSubmit={onSubmit} noValidate>
        <h2>{label}</h2>
        {children}
        <FormActions
          problem={problem}
          action={action}
          submitText={submitText}
          busyText={busyText}
          onCancel={closeDialog}
        />
      </form>
    </ModalDialog>
  );
}
