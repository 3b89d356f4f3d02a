import { useRef, type KeyboardEvent } from 'react';

export const fleetTabs = ['graph', 'table', 'feed', 'report'] as const;
export type FleetTab = (typeof fleetTabs)[number];

const tabLabels: Record<FleetTab, string> = { graph: 'Graph', table: 'Table', feed: 'Feed', report: 'Report' };

/** Keys that move between tabs (the WAI-ARIA tabs pattern), as a step or an absolute position. */
const tabKeys: Record<string, (index: number) => number> = {
  ArrowRight: (index) => index + 1,
  ArrowLeft: (index) => index - 1,
  Home: () => 0,
  End: () => fleetTabs.length - 1,
};

/** Graph, Table, Feed, Report: one tab stop, arrows move and select. */
export function FleetTabs({ tab, panelId, onSelect }: { tab: FleetTab; panelId: string; onSelect: (tab: FleetTab) => void }) {
  const refs = useRef(new Map<FleetTab, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = tabKeys[event.key];
    if (!move) return;
    event.preventDefault();
    const count = fleetTabs.length;
    const next = fleetTabs[(move(fleetTabs.indexOf(tab)) + count) % count] ?? tab;
    onSelect(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div role="tablist" aria-label="Fleet view" className="pane-tabs fleet-tabs" onKeyDown={onKeyDown}>
      {fleetTabs.map((candidate) => (
        <button
          key={candidate}
          ref={(element) => {
            if (element) refs.current.set(candidate, element);
            else refs.current.delete(candidate);
          }}
          id={`fleet-tab-${candidate}`}
          type="button"
          role="tab"
          aria-selected={candidate === tab}
          aria-controls={candidate === tab ? panelId : undefined}
          tabIndex={candidate === tab ? 0 : -1}
          onClick={() => onSelect(candidate)}
        >
          {tabLabels[candidate]}
        </button>
      ))}
    </div>
  );
}
