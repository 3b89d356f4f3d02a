import { lazy, useMemo } from 'react';
import { cardStates, type Card, type CardState } from '../../shared/domain';
import { ErrorNote } from '../app/ErrorNote';
import { LoadBoundary } from '../app/LoadBoundary';
import { cardsOfRun } from '../data/cards-cache';
import { useCards, useRuns } from '../data/queries';
import { NoMatches, useFind, type FacetChoice } from '../find/FindBar';
import { cardFindable } from '../find/filter';
import { useBoardKeys } from '../find/use-board-keys';
import { useFilterStore } from '../state/filter-store';
import { RunHeader } from '../runs/RunHeader';
import { RunLog } from '../runs/RunLog';
import { RunPicker } from '../runs/RunPicker';
import { FirstRunGuide } from '../tasks/FirstRunGuide';
import { useUiStore } from '../state/ui-store';
import { WorkerCard } from './WorkerCard';
import { useReviewUi } from '../review/review-ui';
import { ReviewBar } from '../review/ReviewBar';

/** The diff viewer and its syntax highlighter are most of the renderer's code: loaded when a diff is first opened. */
const DiffDialog = lazy(() => import('../review/DiffDialog').then((module) => ({ default: module.DiffDialog })));

const columnTitles: Record<CardState, string> = {
  working: 'Working',
  waiting: 'Waiting',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
};

/** The run is picked by the RunPicker beside the search, so the Board's filters are the card's own facts. */
const boardChoices: FacetChoice[] = [
  { facet: 'state', label: 'State', valueLabel: (state) => columnTitles[state as CardState] ?? state },
  { facet: 'provider', label: 'Provider' },
  { facet: 'account', label: 'Account' },
  { facet: 'repository', label: 'Repository' },
];

const noCards: Card[] = [];

export function Board() {
  const cards = useCards();
  const runs = useRuns();
  const selectedRunId = useUiStore((state) => state.selectedRunId);
  const openDialog = useUiStore((state) => state.openDialog);
  const diffOpen = useReviewUi((state) => state.diffAssignmentId !== null);
  const inView = useMemo(() => cardsOfRun(cards.data ?? noCards, selectedRunId), [cards.data, selectedRunId]);
  const find = useFind('board', inView, cardFindable, boardChoices, <DensityToggle />);

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
      <FirstRunGuide />
      {runs.isError && <ErrorNote error={runs.error} />}
      {selectedRunId !== null && <SelectedRun runId={selectedRunId} />}
      {cards.isPending && <p className="muted">Loading workers…</p>}
      {cards.isError && <ErrorNote error={cards.error} />}
      {cards.isSuccess && cards.data.some((card) => card.status === 'closed' && card.fleet === null) && <ReviewBar runId={selectedRunId} />}
      {/* An empty board has nothing to search: its guide and New task are what it needs. */}
      {cards.isSuccess && (inView.length > 0 || find.filtering) && find.bar}
      {cards.isSuccess &&
        (find.filtering && inView.length > 0 && find.shown.length === 0 ? (
          <NoMatches view="board" />
        ) : (
          <Workers cards={find.shown} inRun={selectedRunId !== null} />
        ))}
      {diffOpen && (
        <LoadBoundary what="The diff viewer">
          <DiffDialog />
        </LoadBoundary>
      )}
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

/** Compact cards leave out their facts and small print, so more of them fit on the screen. */
function DensityToggle() {
  const compact = useFilterStore((state) => state.density === 'compact');
  const toggleDensity = useFilterStore((state) => state.toggleDensity);
  return (
    <button type="button" aria-pressed={compact} onClick={toggleDensity}>
      Compact cards
    </button>
  );
}

function Columns({ cards }: { cards: Card[] }) {
  const compact = useFilterStore((state) => state.density === 'compact');
  const columns = useMemo(() => cardStates.map((state) => cards.filter((card) => card.state === state)), [cards]);
  const ids = useMemo(() => columns.map((column) => column.map((card) => card.assignmentId)), [columns]);
  const { containerRef, onKeyDown } = useBoardKeys(ids);
  return (
    // The cards inside are the focusable parts; the container only routes their arrow keys.
    <div ref={containerRef} className={compact ? 'columns density-compact' : 'columns'} onKeyDown={onKeyDown}>
      {cardStates.map((state, index) => {
        const inColumn = columns[index]!;
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
