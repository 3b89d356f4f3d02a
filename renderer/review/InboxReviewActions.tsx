import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { useReviewUi } from './review-ui';
import { useResolveConflict } from './use-review';

/**
 * `ready_for_review`: the Board on the assignment's run (its review bar: merge the run's work, clean
 * up) with the assignment's diff open over it.
 */
export function OpenDiffAction({ assignmentId, label }: { assignmentId: string; label: string }) {
  const showRun = useUiStore((state) => state.showRun);
  const showSection = useUiStore((state) => state.showSection);
  const openDiff = useReviewUi((state) => state.openDiff);
  const runId = useCards().data?.find((card) => card.assignmentId === assignmentId)?.runId ?? null;
  return (
    <footer className="inbox-action">
      <button
        type="button"
        className="primary"
        onClick={() => {
          if (runId !== null) showRun(runId);
          else showSection('board');
          openDiff(assignmentId);
        }}
      >
        {label}
      </button>
    </footer>
  );
}

/** `merge_conflict_wave`: the follow-up to the worker whose merge conflicted; its pane opens on the Board. */
export function ResolveConflictAction({ waveId, label }: { waveId: string; label: string }) {
  const resolve = useResolveConflict();
  const openWorker = useUiStore((state) => state.openWorker);
  return (
    <footer className="inbox-action">
      {resolve.isError && <ErrorNote error={resolve.error} />}
      <BusyButton className="primary" busy={resolve.isPending} onClick={() => resolve.mutate(waveId, { onSuccess: (card) => openWorker(card.assignmentId, card.runId) })}>
        {label}
      </BusyButton>
    </footer>
  );
}
