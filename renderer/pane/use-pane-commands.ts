import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { BridgeError } from '../bridge/errors';
import { applyCardUpdate } from '../data/cards-cache';
import { useUiStore } from '../state/ui-store';
import type { TerminalSize } from './TerminalView';

/** Removes the worktree kept for review; `force` discards uncommitted work the core would refuse over. */
export function useRemoveWorktree(assignmentId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (force: boolean) => bridge.invoke('worktrees.remove', { assignmentId, force }),
    onSuccess: (updated) => applyCardUpdate(queryClient, updated),
  });
}

/** Another prompt for a finished worker, resumed in its own session and pane. */
export function useFollowUp(assignmentId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (prompt: string) => bridge.invoke('assignments.followUp', { assignmentId, prompt }),
    onSuccess: (updated) => applyCardUpdate(queryClient, updated),
  });
}

/** Opens a shell in the assignment's worktree and remembers its pane for the assignment. */
export function useOpenShell(assignmentId: string) {
  const bridge = useBridge();
  const rememberShell = useUiStore((state) => state.rememberShell);
  return useMutation({
    mutationFn: (size: TerminalSize) => bridge.invoke('shells.open', { assignmentId, ...size }),
    onSuccess: (opened) => rememberShell(assignmentId, opened.paneId),
  });
}

/** Closes the assignment's shell and forgets its pane. */
export function useCloseShell(assignmentId: string) {
  const bridge = useBridge();
  const forgetShell = useUiStore((state) => state.forgetShell);
  return useMutation({
    mutationFn: async (paneId: string) => {
      try {
        await bridge.invoke('shells.close', { paneId });
      } catch (error) {
        // A shell that already exited (or a core that restarted) has nothing left to close.
        if (!(error instanceof BridgeError && error.code === 'shell_not_found')) throw error;
      }
    },
    onSuccess: () => forgetShell(assignmentId),
  });
}

/**
 * Keystrokes and resizes for an open shell: sent as they come, not awaited (a keystroke is not an
 * action with a busy state), so a failure is handed to `onError` to show.
 */
export function useShellIo(onError: (error: unknown) => void) {
  const bridge = useBridge();
  return {
    send: (paneId: string, data: string) => {
      bridge.invoke('shells.input', { paneId, data }).catch(onError);
    },
    resize: (paneId: string, size: TerminalSize) => {
      bridge.invoke('shells.resize', { paneId, ...size }).catch(onError);
    },
  };
}
