import { useRef, type KeyboardEvent } from 'react';

export const paneModes = ['transcript', 'raw', 'shell'] as const;
export type PaneMode = (typeof paneModes)[number];

export const paneModeLabels: Record<PaneMode, string> = {
  transcript: 'Transcript',
  raw: 'Raw',
  shell: 'Shell',
};

/** Keys that move between tabs (the WAI-ARIA tabs pattern), as a step or an absolute position. */
const tabKeys: Record<string, (index: number) => number> = {
  ArrowRight: (index) => index + 1,
  ArrowLeft: (index) => index - 1,
  Home: () => 0,
  End: () => paneModes.length - 1,
};

export function paneTabId(baseId: string, mode: PaneMode): string {
  return `${baseId}-tab-${mode}`;
}

export function panePanelId(baseId: string, mode: PaneMode): string {
  return `${baseId}-panel-${mode}`;
}

/** Transcript, Raw, Shell: one tab stop, arrows move and select. */
export function PaneTabs({
  baseId,
  mode,
  onSelect,
}: {
  baseId: string;
  mode: PaneMode;
  onSelect: (mode: PaneMode) => void;
}) {
  const tabRefs = useRef(new Map<PaneMode, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = tabKeys[event.key];
    if (!move) return;
    event.preventDefault();
    const count = paneModes.length;
    const next = paneModes[(move(paneModes.indexOf(mode)) + count) % count] ?? mode;
    onSelect(next);
    tabRefs.current.get(next)?.focus();
  };

  return (
    <div role="tablist" aria-label="Pane mode" className="pane-tabs" onKeyDown={onKeyDown}>
      {paneModes.map((candidate) => {
        const selected = candidate === mode;
        return (
          <button
            key={candidate}
            ref={(element) => {
              if (element) tabRefs.current.set(candidate, element);
              else tabRefs.current.delete(candidate);
            }}
            type="button"
            role="tab"
            id={paneTabId(baseId, candidate)}
            aria-selected={selected}
            aria-controls={panePanelId(baseId, candidate)}
            tabIndex={selected ? 0 : -1}
            onClick={() => onSelect(candidate)}
          >
            {paneModeLabels[candidate]}
          </button>
        );
      })}
    </div>
  );
}
