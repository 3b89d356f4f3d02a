import { useCards } from '../data/queries';
import { useUiStore } from '../state/ui-store';

/** A pane's own controls: open another worker beside it, maximise (and back), close. */
export function PaneActions({ assignmentId, title }: { assignmentId: string; title: string }) {
  const openPanes = useUiStore((state) => state.openPanes);
  const maximised = useUiStore((state) => state.maximised);
  const openPaneBeside = useUiStore((state) => state.openPaneBeside);
  const focusPane = useUiStore((state) => state.focusPane);
  const toggleMaximised = useUiStore((state) => state.toggleMaximised);
  const closePane = useUiStore((state) => state.closePane);
  const others = (useCards().data ?? []).filter((card) => !openPanes.includes(card.assignmentId));

  // Beside this pane: it is the focused one, so the new pane takes the other place.
  const openBeside = (other: string) => {
    focusPane(assignmentId);
    openPaneBeside(other);
  };

  return (
    <div className="pane-actions">
      {others.length > 0 && (
        <select aria-label={`Open a worker beside ${title}`} value="" onChange={(event) => openBeside(event.target.value)}>
          <option value="" disabled>
            Split…
          </option>
          {others.map((card) => (
            <option key={card.assignmentId} value={card.assignmentId}>
              {card.workUnit.title} ({card.accountRef})
            </option>
          ))}
        </select>
      )}
      <button type="button" aria-pressed={maximised} title={maximised ? 'Show the board again' : 'Let the panes fill the window'} onClick={toggleMaximised}>
        Maximise
      </button>
      <button type="button" className="icon" aria-label={`Close pane for ${title}`} onClick={() => closePane(assignmentId)}>
        ×
      </button>
    </div>
  );
}
