import { cardStates, type Card, type CardState } from '../../shared/domain';
import { ErrorNote } from '../app/ErrorNote';
import { cardsOfRun } from '../data/cards-cache';
import { useCards, useRuns } from '../data/queries';
import { RunHeader } from '../runs/RunHeader';
import { RunLog } from '../runs/RunLog';
import { RunPicker } from '../runs/RunPicker';
import { useUiStore } from '../state/ui-store';
import { WorkerCard } from './WorkerCard';
import { DiffDialog } from '../review/DiffDialog';
import { ReviewBar } from '../review/ReviewBar';

const columnTitles: Record<CardState, string> = {
  working: 'Working',
  waiting: 'Waiting',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
};

export function Board() {
  const cards = useCards();
  const runs = useRuns();
  const selectedRunId = useUiStore((state) => state.selectedRunId);
  const openDialog = useUiStore((state) => state.openDialog);

  return (
    <div className="board">
      <header className="board-head">
        <h1>Board</h1>
        <div className="head-actions">
          <RunPicker />
          <button type="button" className="primary" onClick={() => openDialog('new-task')}>
            New task
          </button>
        </div>
      </header>
      {runs.isError && <ErrorNote error={runs.error} />}
      {selectedRunId !== null && <SelectedRun runId={selectedRunId} />}
      {cards.isPending && <p className="muted">Loading workers…</p>}
      {cards.isError && <ErrorNote error={cards.error} />}
      {cards.isSuccess && cards.data.some((card) => card.status === 'closed' && card.fleet === null) && <ReviewBar runId={selectedRunId} />}
      {cards.isSuccess && <Workers cards={cardsOfRun(cards.data, selectedRunId)} inRun={selectedRunId !== null} />}
      <DiffDialog />
    </div>
  );
}

function SelectedRun({ runId }: { runId: string }) {
  const runs = useRuns();
  const run = runs.data?.find((candidate) => candidate.id === runId);
  if (run) {
    return (
      <>
        <RunHeader run={run} />
        <RunLog runId={run.id} />
      </>
    );
  }
  // A run created a moment ago may still be on its way into the list; a failed list shows its error above.
  if (runs.isFetching) return <p className="muted">Loading the run…</p>;
  return runs.isSuccess ? <p className="muted">Run {runId} is not in the run list.</p> : null;
}

function Workers({ cards, inRun }: { cards: Card[]; inRun: boolean }) {
  if (cards.length > 0) return <Columns cards={cards} />;
  if (inRun) return <p className="empty">No workers in this run yet.</p>;
  return (
    <p className="empty">
      No workers yet. Click <strong>New task</strong> (or press <kbd>N</kbd>) to start one.
    </p>
  );
}

function Columns({ cards }: { cards: Card[] }) {
  return (
    <div className="columns">
      {cardStates.map((state) => {
        const inColumn = cards.filter((card) => card.state === state);
        return (
          <section key={state} className={`column state-${state}`} aria-label={columnTitles[state]}>
            <h2 className="column-head">
              {columnTitles[state]} <span className="count">{inColumn.length}</span>
            </h2>
            {inColumn.map((card) => (
              <WorkerCard key={card.assignmentId} card={card} />
            ))}
          </section>
        );
      })}
    </div>
  );
}
