import type { Card } from '../../shared/domain';
import { useUiStore } from '../state/ui-store';
import { Elapsed } from './Elapsed';

export function WorkerCard({ card }: { card: Card }) {
  const openPane = useUiStore((state) => state.openPane);
  const selected = useUiStore((state) => state.selectedAssignmentId === card.assignmentId);
  const title = card.workUnit.title;
  const blockers = [...new Set([...card.blockers, ...card.closeout.blockers])];
  const open = () => openPane(card.assignmentId);

  return (
    <article
      className={`card state-${card.state}`}
      aria-label={`Worker card ${title}`}
      aria-current={selected ? 'true' : undefined}
      onClick={open}
    >
      <header className="card-head">
        <span className="card-account">{card.accountRef}</span>
        <span className="state-badge">{card.state}</span>
      </header>
      <h3 className="card-title">{title}</h3>
      <p className="card-line">{card.lastLine}</p>
      <dl className="card-facts">
        <dt>Elapsed</dt>
        <dd>
          <Elapsed startedAt={card.startedAt} endedAt={card.endedAt} />
        </dd>
        <dt>Tokens</dt>
        <dd>{card.tokens.text}</dd>
        <dt>Closeout</dt>
        <dd className={`closeout-${card.closeout.status}`}>{card.closeout.status}</dd>
      </dl>
      {blockers.length > 0 && (
        <ul className="blockers" aria-label="Blockers">
          {blockers.map((blocker) => (
            <li key={blocker}>{blocker}</li>
          ))}
        </ul>
      )}
      <footer className="card-actions">
        <button
          type="button"
          aria-label={`Open pane for ${title}`}
          onClick={(event) => {
            // The card's own click handler would open the same pane a second time.
            event.stopPropagation();
            open();
          }}
        >
          Open pane
        </button>
      </footer>
    </article>
  );
}
