import { useMutation } from '@tanstack/react-query';
import type { SnoozeChoice } from '../../shared/runs';
import { useBridge } from '../bridge/context';

/** Checks the data dir's free space again; the Inbox item goes by itself (inbox.updated) once there is room. */
export function useCheckDisk() {
  const bridge = useBridge();
  return useMutation({ mutationFn: () => bridge.invoke('host.checkDisk', {}) });
}

/** The owner has seen a host fault; the Inbox drops it when the core pushes the new list. */
export function useDismissFault(faultId: string) {
  const bridge = useBridge();
  return useMutation({ mutationFn: () => bridge.invoke('host.dismissFault', { faultId }) });
}

/** The owner has seen an Inbox item; it leaves when the core pushes the new list, and stays away across restarts. */
export function useDismissItem(itemId: string) {
  const bridge = useBridge();
  return useMutation({ mutationFn: () => bridge.invoke('inbox.dismiss', { itemId }) });
}

/** Puts the item aside for an hour or until tomorrow; the core brings it back by itself when the time passes. */
export function useSnoozeItem(itemId: string) {
  const bridge = useBridge();
  return useMutation({ mutationFn: (until: SnoozeChoice) => bridge.invoke('inbox.snooze', { itemId, until }) });
}

/** Starts a spawn an agent asked for through MCP; its approval item goes when the core pushes the new Inbox. */
export function useApproveSpawn(spawnId: string) {
  const bridge = useBridge();
  return useMutation({ mutationFn: () => bridge.invoke('spawns.approve', { spawnId }) });
}
