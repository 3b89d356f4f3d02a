/**
 * Which worker panes are open beside the board, and how: the rules every way of opening a pane
 * (a card, the Inbox, a fleet node, the command palette) goes through.
 */

/** Two panes side by side at most: a third would leave the board no room at 1024 px. */
export const MAX_OPEN_PANES = 2;

export interface PaneLayout {
  /** Assignment ids of the open panes, left to right. */
  openPanes: string[];
  /** The pane a card's click fills; null when no pane is open. */
  focusedPane: string | null;
  /** The panes fill the main area and the board steps aside. */
  maximised: boolean;
}

export const noPanes: PaneLayout = { openPanes: [], focusedPane: null, maximised: false };

/** Shows a worker in the focused pane (a pane of its own if none is open); an open one is just focused. */
export function openPane(layout: PaneLayout, assignmentId: string): PaneLayout {
  if (layout.openPanes.includes(assignmentId)) return { ...layout, focusedPane: assignmentId };
  const focused = layout.focusedPane === null ? -1 : layout.openPanes.indexOf(layout.focusedPane);
  const openPanes = focused === -1 ? [...layout.openPanes, assignmentId].slice(-MAX_OPEN_PANES) : layout.openPanes.with(focused, assignmentId);
  return { ...layout, openPanes, focusedPane: assignmentId };
}

/** Shows a worker beside the focused pane: a second pane, or in place of the other one when two are open. */
export function openPaneBeside(layout: PaneLayout, assignmentId: string): PaneLayout {
  if (layout.openPanes.includes(assignmentId)) return { ...layout, focusedPane: assignmentId };
  if (layout.openPanes.length < MAX_OPEN_PANES) {
    return { ...layout, openPanes: [...layout.openPanes, assignmentId], focusedPane: assignmentId };
  }
  const other = layout.openPanes.findIndex((id) => id !== layout.focusedPane);
  return { ...layout, openPanes: layout.openPanes.with(other, assignmentId), focusedPane: assignmentId };
}

/** Closes one pane; the focus moves to the pane left open, and with none left the board comes back. */
export function closePane(layout: PaneLayout, assignmentId: string): PaneLayout {
  const openPanes = layout.openPanes.filter((id) => id !== assignmentId);
  if (openPanes.length === 0) return noPanes;
  const focusedPane = layout.focusedPane !== null && openPanes.includes(layout.focusedPane) ? layout.focusedPane : (openPanes.at(-1) ?? null);
  return { ...layout, openPanes, focusedPane };
}

export function focusPane(layout: PaneLayout, assignmentId: string): PaneLayout {
  return layout.openPanes.includes(assignmentId) ? { ...layout, focusedPane: assignmentId } : layout;
}

/** Maximise and back; with no pane open there is nothing to maximise. */
export function toggleMaximised(layout: PaneLayout): PaneLayout {
  return layout.openPanes.length === 0 ? layout : { ...layout, maximised: !layout.maximised };
}

/** Closes the panes of workers that are gone (a layout restored from another host's data, say). */
export function keepPanesOf(layout: PaneLayout, known: ReadonlySet<string>): PaneLayout {
  return layout.openPanes.filter((id) => !known.has(id)).reduce(closePane, layout);
}

/** The board's share of the width beside the panes, in percent, where nothing was chosen yet. */
export const DEFAULT_BOARD_SHARE = 66;
/** The share the owner may give either side by dragging: the board keeps its five columns in view, a pane its prompt. */
export const MIN_SHARE = 25;

/** Keeps a remembered share inside the limits (storage is the owner's to edit, and can hold anything). */
export function clampShare(share: unknown, fallback: number): number {
  if (typeof share !== 'number' || !Number.isFinite(share)) return fallback;
  return Math.min(100 - MIN_SHARE, Math.max(MIN_SHARE, share));
}
