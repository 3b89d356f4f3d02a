import type { ReactNode } from 'react';
import { Group, Panel, Separator, type Layout, type LayoutChangedMeta } from 'react-resizable-panels';
import { Pane } from '../pane/Pane';
import { useUiStore } from '../state/ui-store';
import { MIN_SHARE } from './pane-layout';
import './layout.css';

const BOARD_PANEL = 'board';
const PANES_PANEL = 'panes';
const minShare = `${MIN_SHARE}%`;

function paneId(assignmentId: string): string {
  return `pane-${assignmentId}`;
}

/**
 * What the owner moved a separator to, in percent, for the panel `id`; nothing for the library's own
 * layouts (mount, a window resize), so a narrow window never overwrites the owner's choice.
 */
function chosenShare(layout: Layout, meta: LayoutChangedMeta, id: string): number | null {
  if (!meta.isUserInteraction) return null;
  return (meta.requestedLayout ?? layout)[id] ?? null;
}

/**
 * The main area: the section on the left and the open worker panes on the right, with a separator
 * to drag (or move with the arrow keys) between them. Maximised, the panes take the whole area.
 * Each element keeps its key as panes come and go, so an open pane is never rebuilt by its neighbour.
 */
export function Workspace({ children }: { children: ReactNode }) {
  const openPanes = useUiStore((state) => state.openPanes);
  const maximised = useUiStore((state) => state.maximised);
  const boardShare = useUiStore((state) => state.boardShare);
  const setBoardShare = useUiStore((state) => state.setBoardShare);
  const showPanes = openPanes.length > 0;
  const showBoard = !(showPanes && maximised);

  const onLayoutChanged = (layout: Layout, meta: LayoutChangedMeta) => {
    const share = chosenShare(layout, meta, BOARD_PANEL);
    if (share !== null) setBoardShare(share);
  };

  return (
    <Group orientation="horizontal" className="workspace" onLayoutChanged={onLayoutChanged}>
      {showBoard && (
        <Panel key={BOARD_PANEL} id={BOARD_PANEL} minSize={minShare} defaultSize={showPanes ? `${boardShare}%` : '100%'}>
          <main className="main">{children}</main>
        </Panel>
      )}
      {showBoard && showPanes && <Separator key="separator" className="splitter" aria-label="Resize the board and the panes" />}
      {showPanes && (
        <Panel key={PANES_PANEL} id={PANES_PANEL} minSize={minShare} defaultSize={showBoard ? `${100 - boardShare}%` : '100%'}>
          <aside
            className={openPanes.length > 1 ? 'pane-area split' : 'pane-area'}
            aria-label={openPanes.length > 1 ? 'Worker panes' : 'Worker pane'}
          >
            <PaneSplit openPanes={openPanes} />
          </aside>
        </Panel>
      )}
    </Group>
  );
}

/** One pane, or two side by side with a separator between them. */
function PaneSplit({ openPanes }: { openPanes: string[] }) {
  const splitShare = useUiStore((state) => state.splitShare);
  const setSplitShare = useUiStore((state) => state.setSplitShare);
  const [left] = openPanes;
  const split = openPanes.length > 1;

  const onLayoutChanged = (layout: Layout, meta: LayoutChangedMeta) => {
    const share = left === undefined ? null : chosenShare(layout, meta, paneId(left));
    if (share !== null) setSplitShare(share);
  };

  return (
    <Group orientation="horizontal" className="pane-split" onLayoutChanged={onLayoutChanged}>
      {/* One flat list of keyed elements, so a pane that moves from right to left stays mounted. */}
      {openPanes.flatMap((assignmentId, index) => [
        ...(index > 0 ? [<Separator key={`separator-${assignmentId}`} className="splitter" aria-label="Resize the two panes" />] : []),
        <Panel
          key={assignmentId}
          id={paneId(assignmentId)}
          minSize={minShare}
          defaultSize={split ? `${index === 0 ? splitShare : 100 - splitShare}%` : '100%'}
        >
          <Pane assignmentId={assignmentId} />
        </Panel>,
      ])}
    </Group>
  );
}
