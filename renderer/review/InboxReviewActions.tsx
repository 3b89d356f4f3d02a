import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useUiStore } from '../state/ui-store';
import { useReviewUi } from './review-ui';
import { useResolveConflict } from './use-review';

/** `ready_for_review`: the Board with the assignment's diff open. */
export function OpenDiffAction({ assignmentId, label }: { assignmentId: string; label: string }) {
  const showSection = useUiStore((state) => state.showSection);
  const openDiff = useReviewUi((state) => state.openDiff);
  return (
    <footer className="inbox-action">
      <button
        type="button"
        className="primary"
        onClick={() => {
          showSection('board');
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
