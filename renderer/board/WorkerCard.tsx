import { memo, useState, type MouseEvent } from 'react';
import type { Card } from '../../shared/domain';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useUiStore } from '../state/ui-store';
import { canRetry, cardLine, cardMeta, isWorkerRunning } from './card-controls';
import { useReviewUi } from '../review/review-ui';
import { canReview, createPrBlocker, diffStatText, reviewStageLabels } from '../review/review-text';
import { useCreatePr } from '../review/use-review';
import { Elapsed } from './Elapsed';
import { RetryDialog } from './RetryDialog';
import { useInterruptWorker } from './use-card-commands';

/** The card's own click opens its pane, so its buttons keep their clicks to themselves. */
function only(action: () => void) {
  return (event: MouseEvent) => {
    event.stopPropagation();
    action();
  };
}

/**
 * Memoised: a pushed batch replaces only the cards it carries (the others keep their identity), so
 * under 200 busy workers a frame re-renders the cards that changed, not the whole board.
 */
export const WorkerCard = memo(function WorkerCard({ card }: { card: Card }) {
  const openPane = useUiStore((state) => state.openPane);
  const selected = useUiStore((state) => state.selectedAssignmentId === card.assignmentId);
  const { assignmentId } = card;
  const title = card.workUnit.title;
  const blockers = [...new Set([...card.blockers, ...card.closeout.blockers])];
  const open = () => openPane(assignmentId);
  const openDiff = useReviewUi((state) => state.openDiff);
  const picked = useReviewUi((state) => state.selected.includes(card.assignmentId));
  const toggleSelected = useReviewUi((state) => state.toggleSelected);
  const createPr = useCreatePr(assignmentId);
  const review = card.review ?? null;
  const prBlocker = createPrBlocker(card);

  const interrupt = useInterruptWorker(assignmentId);
  const [retrying, setRetrying] = useState(false);

  return (
    <>
      <article
        className={`card state-${card.state}`}
        aria-label={`Worker card ${title}`}
        aria-current={selected ? 'true' : undefined}
        // Focusable so the Board's arrow keys can move between cards and Enter can open this one's pane.
        tabIndex={0}
        data-assignment-id={assignmentId}
        onClick={open}
      >
        <header className="card-head">
          <span className="card-account">{card.accountRef}</span>
          <span className="state-badge">{card.state}</span>
        </header>
        <h3 className="card-title">{title}</h3>
        <p className="card-meta">{cardMeta(card).join(' · ')}</p>
        {/* The worker's latest line, on one line: the whole of it on hover. */}
        <p className="card-line" title={cardLine(card)}>
          {cardLine(card)}
        </p>
        <dl className="card-facts">
          <dt>Elapsed</dt>
          <dd>
            <Elapsed startedAt={card.startedAt} endedAt={card.endedAt} />
          </dd>
          <dt>Tokens</dt>
          <dd>{card.tokens.text}</dd>
          <dt>Closeout</dt>
          <dd className={`closeout-${card.closeout.status}`}>{card.closeout.status}</dd>
          {review?.diff && (
            <>
              <dt>Change</dt>
              <dd>{diffStatText(review.diff)}</dd>
            </>
          )}
          {review && card.closeout.status === 'ok' && (
            <>
              <dt>Review</dt>
              <dd>{reviewStageLabels[review.stage]}</dd>
            </>
          )}
          {review?.pullRequest && (
            <>
              <dt>Pull request</dt>
              <dd>
                <a href={review.pullRequest.url} target="_blank" rel="noreferrer" onClick={(event) => event.stopPropagation()}>
                  #{review.pullRequest.number}
                </a>{' '}
                {review.pullRequest.state}
              </dd>
            </>
          )}
        </dl>
        {blockers.length > 0 && (
          <ul className="blockers" aria-label="Blockers">
            {blockers.map((blocker) => (
              <li key={blocker}>{blocker}</li>
            ))}
          </ul>
        )}
        {interrupt.isError && <ErrorNote error={interrupt.error} />}
        {createPr.isError && <ErrorNote error={createPr.error} />}
        <footer className="card-actions">
          <BusyButton
            aria-label={`Interrupt ${title}`}
            disabled={!isWorkerRunning(card)}
            busy={interrupt.isPending}
            busyText="Interrupting…"
            onClick={only(() => interrupt.mutate())}
          >
            Interrupt
          </BusyButton>
          <BusyButton
            aria-label={`Retry ${title}`}
            disabled={!canRetry(card)}
            busy={false}
            busyText="Retrying…"
            onClick={only(() => setRetrying(true))}
          >
            Retry
          </BusyButton>
          <button type="button" aria-label={`Open pane for ${title}`} onClick={only(open)}>
            Open pane
          </button>
        </footer>
        {card.fleet === null && card.status === 'closed' && (
          <footer className="card-actions review-actions">
            <button type="button" aria-label={`Diff of ${title}`} onClick={only(() => openDiff(assignmentId))}>
              Diff
            </button>
            <BusyButton
              aria-label={`Create PR for ${title}`}
              title={prBlocker ?? undefined}
              disabled={prBlocker !== null}
              busy={createPr.isPending}
              busyText="Pushing…"
              onClick={only(() => createPr.mutate())}
            >
              Create PR
            </BusyButton>
            {canReview(card) && (
              <label className="pick" onClick={(event) => event.stopPropagation()}>
                <input type="checkbox" aria-label={`Select ${title} for merge`} checked={picked} onChange={() => toggleSelected(assignmentId)} /> Select for merge
              </label>
            )}
          </footer>
        )}
      </article>
      {/* Beside the card, not in it: a click in the dialog must not reach the card's own click. */}
      {retrying && <RetryDialog card={card} onClose={() => setRetrying(false)} />}
    </>
  );
});
