import { useEffect } from 'react';
import { useUiStore, type Section } from '../state/ui-store';

/** Inside an interactive terminal every key, Escape included, belongs to the program running there. */
function isInTerminal(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[data-captures-keys]') !== null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const sectionKeys = new Map<string, Section>([
  ['i', 'inbox'],
  ['b', 'board'],
  ['r', 'runs'],
  ['f', 'fleets'],
  ['a', 'accounts'],
]);

/**
 * "n" opens New task and Shift+N New run; "i", "b", "r", "f" and "a" show the Inbox, Board, Runs, Fleets and Accounts;
 * Escape closes the pane (except from inside a shell).
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const ui = useUiStore.getState();
      // An open modal <dialog> receives Escape as its cancel event and decides what closing it means
      // (the Connect dialog keeps a running login followed rather than dropping it).
      if (ui.dialog || isInTerminal(event.target)) return;
      if (event.key === 'Escape') {
        if (ui.selectedAssignmentId) ui.closePane();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      const section = sectionKeys.get(key);
      if (key === 'n') ui.openDialog(event.shiftKey ? 'new-run' : 'new-task');
      else if (section) ui.showSection(section);
      else return;
      event.preventDefault();
    };
    // Capture phase: xterm stops propagation of the keys it handles, and Escape must still close its pane.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
