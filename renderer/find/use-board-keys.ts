import { useEffect, useRef, type KeyboardEvent } from 'react';
import { isInTerminal, isTyping, shortcutFor } from '../app/shortcuts';
import { useUiStore } from '../state/ui-store';
import { useFindUi } from './find-ui';
import { nextCard } from './board-nav';

/** Every card on the Board carries its assignment id here, so focus can be moved to it. */
export const CARD_ID_ATTRIBUTE = 'data-assignment-id';

/**
 * The Board's arrow keys and Enter (from the shortcut table): move focus between cards and open the focused
 * card's pane. Only from a card or from nowhere (the page itself), never from a text field or a terminal.
 */
export function useBoardKeys(columns: readonly (readonly string[])[]) {
  const containerRef = useRef<HTMLDivElement>(null);
  const openPane = useUiStore((state) => state.openPane);

  const focusCard = (assignmentId: string | null) => {
    if (assignmentId === null) return;
    containerRef.current?.querySelector<HTMLElement>(`[${CARD_ID_ATTRIBUTE}="${CSS.escape(assignmentId)}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isTyping(event.target) || isInTerminal(event.target) || !(event.target instanceof Element)) return;
    const move = shortcutFor(event, 'board')?.boardMove;
    if (move === undefined) return;
    const card = event.target.closest(`[${CARD_ID_ATTRIBUTE}]`);
    const current = card?.getAttribute(CARD_ID_ATTRIBUTE) ?? null;
    if (move === 'open') {
      // Enter on a button inside the card presses that button; only the card itself opens its pane.
      if (card !== event.target || current === null) return;
      openPane(current);
    } else {
      focusCard(nextCard(columns, current, move));
    }
    event.preventDefault();
  };

  // With nothing focused, an arrow key starts on the first card, so the owner need not Tab into the Board first.
  useEffect(() => {
    const onPageKeyDown = (event: globalThis.KeyboardEvent) => {
      const finding = useFindUi.getState();
      if (event.target !== document.body || useUiStore.getState().dialog || finding.palette || finding.help) return;
      const move = shortcutFor(event, 'board')?.boardMove;
      if (move === undefined || move === 'open') return;
      const first = containerRef.current?.querySelector<HTMLElement>(`[${CARD_ID_ATTRIBUTE}]`);
      if (!first) return;
      first.focus();
      event.preventDefault();
    };
    window.addEventListener('keydown', onPageKeyDown);
    return () => window.removeEventListener('keydown', onPageKeyDown);
  }, []);

  return { containerRef, onKeyDown };
}
