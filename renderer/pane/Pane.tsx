import { useId, useRef, useState } from 'react';
import { isWorkerRunning } from '../board/card-controls';
import { useCards } from '../data/queries';
import { PaneActions } from '../layout/PaneActions';
import { useUiStore } from '../state/ui-store';
import { paneTerminalOptions } from '../terminal/xterm-theme';
import { AssignmentDetail } from './AssignmentDetail';
import { panePanelId, paneTabId, PaneTabs, type PaneMode } from './PaneTabs';
import { RawLogView } from './RawLogView';
import { ShellView } from './ShellView';
import { StatusStrip } from './StatusStrip';
import { TerminalView, type TerminalSize } from './TerminalView';

export function Pane({ assignmentId }: { assignmentId: string }) {
  const focusPane = useUiStore((state) => state.focusPane);
  const focused = useUiStore((state) => state.selectedAssignmentId === assignmentId);
  const cards = useCards();
  const card = cards.data?.find((candidate) => candidate.assignmentId === assignmentId);
  const title = card?.workUnit.title ?? assignmentId;
  const baseId = useId();
  const [mode, setMode] = useState<PaneMode>('transcript');
  // The shell's xterm opens the first time its tab shows (xterm measures its font in a visible
  // element), then stays mounted so switching tabs keeps the session on screen.
  const [shellShown, setShellShown] = useState(false);
  const transcriptSize = useRef<TerminalSize | null>(null);
  // A follow-up resumes the worker in this same pane: every update of a running worker's card
  // re-attaches a stream that had finished (a no-op, with no round trip, while it still streams).
  const restartKey = card && isWorkerRunning(card) ? `${card.followUps}:${card.status}:${card.lastLine}` : null;

  const select = (next: PaneMode) => {
    setMode(next);
    if (next === 'shell') setShellShown(true);
  };
  const panel = (of: PaneMode) => ({
    role: 'tabpanel',
    id: panePanelId(baseId, of),
    'aria-labelledby': paneTabId(baseId, of),
    hidden: mode !== of,
    className: 'pane-panel',
  });

  return (
    // Working in a pane (a click, a tab into it) makes it the one the next card's click fills.
    <section
      className={focused ? 'pane focused' : 'pane'}
      aria-label={`Pane for ${title}`}
      onPointerDownCapture={() => focusPane(assignmentId)}
      onFocusCapture={() => focusPane(assignmentId)}
    >
      <header className="pane-head">
        <div className="pane-title">
          <h2>{title}</h2>
          {card && (
            <span className={`state-badge state-${card.state}`}>
              {card.accountRef} · {card.state}
            </span>
          )}
        </div>
        <PaneActions assignmentId={assignmentId} title={title} />
      </header>
      <PaneTabs baseId={baseId} mode={mode} onSelect={select} />
      <div {...panel('transcript')}>
        <StatusStrip assignmentId={assignmentId} title={title} />
        <TerminalView
          paneId={assignmentId}
          label={`Transcript of ${title}`}
          options={paneTerminalOptions}
          restartKey={restartKey}
          onResize={(size) => {
            transcriptSize.current = size;
          }}
        />
      </div>
      {/* Mounted only while shown: the raw log refetches on every card update. */}
      <div {...panel('raw')}>{mode === 'raw' && <RawLogView assignmentId={assignmentId} />}</div>
      <div {...panel('shell')}>
        {shellShown &&
          (card ? (
            <ShellView card={card} title={title} sizeHint={transcriptSize} />
          ) : (
            <p className="muted pane-note">Loading the assignment…</p>
          ))}
      </div>
      <AssignmentDetail assignmentId={assignmentId} onFollowUpSent={() => select('transcript')} />
    </section>
  );
}
