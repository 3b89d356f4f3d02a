import { ConfirmDialog } from '../app/ConfirmDialog';
import { useRuns } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { stopWarning } from './run-text';
import { useRunControl } from './use-run-commands';

/** Said when the run is not in the loaded list (it is being fetched again). */
const GENERIC_STOP_WARNING =
  'Stopping the run interrupts its active workers and releases their claims. A stopped run is not reopened.';

/** Stop interrupts running workers, so it is confirmed first. */
export function StopRunDialog({ runId }: { runId: string }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const run = useRuns().data?.find((candidate) => candidate.id === runId);
  const stop = useRunControl(runId);

  return (
    <ConfirmDialog
      title="Stop run?"
      description={run ? stopWarning(run) : GENERIC_STOP_WARNING}
      action={stop}
      keepText="Keep running"
      confirmText="Stop"
      busyText="Stopping…"
      onConfirm={() => stop.mutate('stop', { onSuccess: closeDialog })}
    />
  );
}
