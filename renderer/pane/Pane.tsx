import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { AssignmentDetail } from './AssignmentDetail';
import { TerminalView } from './TerminalView';

export function Pane({ assignmentId }: { assignmentId: string }) {
  const closePane = useUiStore((state) => state.closePane);
  const cards = useCards();
  const card = cards.data?.find((candidate) => candidate.assignmentId === assignmentId);
  const title = card?.workUnit.title ?? assignmentId;

  return (
    <section className="pane" aria-label={`Pane for ${title}`}>
      <header className="pane-head">
        <div className="pane-title">
          <h2>{title}</h2>
          {card && (
            <span className={`state-badge state-${card.state}`}>
              {card.accountRef} · {card.state}
            </span>
          )}
        </div>
        <button type="button" className="icon" aria-label="Close pane" onClick={closePane}>
          ×
        </button>
      </header>
      <TerminalView assignmentId={assignmentId} title={title} />
      <AssignmentDetail assignmentId={assignmentId} />
    </section>
  );
}
