import { useEffect, useRef } from 'react';
import { useCards, useRuns } from '../data/queries';
import { useUiStore } from '../state/ui-store';

/**
 * A layout restored from storage may name workers or a run this host does not have (its data dir
 * was changed, or they were removed): once the first lists arrive, such panes close and the Board
 * shows every card, rather than a pane titled with a bare id. Checked once, at load: a worker created
 * a moment ago may not be in a later list yet.
 */
export function useForgetVanishedPanes(): void {
  const cards = useCards();
  const runs = useRuns();
  const keepPanesOf = useUiStore((state) => state.keepPanesOf);
  const selectRun = useUiStore((state) => state.selectRun);
  const panesChecked = useRef(false);
  const runChecked = useRef(false);

  useEffect(() => {
    if (panesChecked.current || !cards.isSuccess) return;
    panesChecked.current = true;
    keepPanesOf(new Set(cards.data.map((card) => card.assignmentId)));
  }, [cards.isSuccess, cards.data, keepPanesOf]);

  useEffect(() => {
    if (runChecked.current || !runs.isSuccess) return;
    runChecked.current = true;
    const { selectedRunId } = useUiStore.getState();
    if (selectedRunId !== null && !runs.data.some((run) => run.id === selectedRunId)) selectRun(null);
  }, [runs.isSuccess, runs.data, selectRun]);
}
