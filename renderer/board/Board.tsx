import { cardStates, type Card, type CardState } from '../../shared/domain';
import { ErrorNote } from '../app/ErrorNote';
import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { WorkerCard } from './WorkerCard';

const columnTitles: Record<CardState, string> = {
  working: 'Working',
  waiting: 'Waiting',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
};

export function Board() {
  const cards = useCards();
  const openDialog = useUiStore((state) => state.openDialog);

  return (
    <div className="board">
      <header className="board-head">
        <h1>Board</h1>
        <button type="button" className="primary" onClick={() => openDialog('new-task')}>
          New task
        </button>
      </header>
      {cards.isPending && <p className="muted">Loading workers…</p>}
      {cards.isError && <ErrorNote error={cards.error} />}
      {cards.isSuccess &&
        (cards.data.length === 0 ? (
          <p className="empty">
            No workers yet. Click <strong>New task</strong> (or press <kbd>N</kbd>) to start one.
          </p>
        ) : (
          <Columns cards={cards.data} />
        ))}
    </div>
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
