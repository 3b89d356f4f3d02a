import { useId } from 'react';
import { ErrorNote } from '../app/ErrorNote';
import { useModal } from '../app/use-modal';
import { useRuns } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { stopWarning } from './run-text';
import { useRunControl } from './use-run-commands';

/** Said when the run is not in the loaded list (it is being fetched again). */
const GENERIC_STOP_WARNING =
  'Stopping the run interrupts its active workers and releases their claims. A stopped run is not reopened.';

/** Stop interrupts running workers, so it is confirmed first; the harmless choice has focus. */
export function StopRunDialog({ runId }: { runId: string }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const dialogRef = useModal();
  const descriptionId = useId();
  const run = useRuns().data?.find((candidate) => candidate.id === runId);
  const stop = useRunControl(runId);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      role="alertdialog"
      aria-label="Stop run?"
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // Escape closes through the store, so React stays the one owner of whether the dialog exists.
        event.preventDefault();
        closeDialog();
      }}
    >
      <div className="dialog-body">
        <h2>Stop run?</h2>
        <p id={descriptionId}>{run ? stopWarning(run) : GENERIC_STOP_WARNING}</p>
        {stop.isError && <ErrorNote error={stop.error} />}
        <div className="dialog-actions">
          <button type="button" autoFocus onClick={closeDialog}>
            Keep running
          </button>
          <button
            type="button"
            className="danger"
            disabled={stop.isPending}
            aria-busy={stop.isPending}
            onClick={() => stop.mutate('stop', { onSuccess: closeDialog })}
          >
            {stop.isPending ? 'Stopping…' : 'Stop'}
          </button>
        </div>
      </div>
    </dialog>
  );
}
