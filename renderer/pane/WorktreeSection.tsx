import { useId } from 'react';
import type { Card } from '../../shared/domain';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { worktreeRemovalBlocker } from '../board/card-controls';
import { BridgeError } from '../bridge/errors';
import { useRemoveWorktree } from './use-pane-commands';

/** Where the worker ran; kept after closeout for review until the owner removes it. */
export function WorktreeSection({ card }: { card: Card }) {
  const reasonId = useId();
  const { assignmentId } = card;
  const blocker = worktreeRemovalBlocker(card);

  const remove = useRemoveWorktree(assignmentId);
  // The core refused because of uncommitted work; its message lists the files.
  const dirty = remove.error instanceof BridgeError && remove.error.code === 'worktree_dirty';

  return (
    <section aria-label="Worktree">
      <h3>
        Worktree {!card.worktreeKept && <span className="muted">removed</span>}
      </h3>
      <p>
        <code>{card.repo.worktreePath}</code>
      </p>
      <p>
        branch <code>{card.repo.branch}</code> of <code>{card.repo.path}</code>
      </p>
      {blocker !== null && card.worktreeKept && (
        <p id={reasonId} className="muted">
          {blocker}
        </p>
      )}
      {remove.isError && <ErrorNote error={remove.error} />}
      <div className="detail-actions">
        <BusyButton
          disabled={blocker !== null}
          busy={remove.isPending}
          busyText="Removing…"
          aria-describedby={blocker !== null && card.worktreeKept ? reasonId : undefined}
          onClick={() => remove.mutate(false)}
        >
          Remove worktree
        </BusyButton>
        {dirty && (
          <button type="button" className="danger" onClick={() => remove.mutate(true)}>
            Remove anyway (discard uncommitted work)
          </button>
        )}
      </div>
    </section>
  );
}
