import { useEffect } from 'react';
import { useUiStore } from '../state/ui-store';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** "n" opens New task; Escape closes the dialog, else the pane. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const ui = useUiStore.getState();
      if (event.key === 'Escape') {
        if (ui.dialog) ui.closeDialog();
        else if (ui.selectedAssignmentId) ui.closePane();
        return;
      }
      if (event.key.toLowerCase() !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (ui.dialog || isTyping(event.target)) return;
      event.preventDefault();
      ui.openDialog('new-task');
    };
    // Capture phase: xterm stops propagation of the keys it handles, and Escape must still close its pane.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
