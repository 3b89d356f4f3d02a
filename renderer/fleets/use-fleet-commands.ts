import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ComposeFleetInput } from '../../shared/fleets';
import { useBridge } from '../bridge/context';
import { applyFleetDetail } from '../data/fleets-cache';
import { useUiStore } from '../state/ui-store';

/** Reads and checks a folder; creates nothing. */
export function usePreviewFleet() {
  const bridge = useBridge();
  return useMutation({ mutationFn: (root: string) => bridge.invoke('fleets.preview', { root }) });
}

/** Writes fleet.json and the prompts, and answers with the folder's preview. */
export function useComposeFleet() {
  const bridge = useBridge();
  return useMutation({ mutationFn: (input: ComposeFleetInput) => bridge.invoke('fleets.compose', input) });
}

/** Launches the fleet, then shows it in the Fleets section. */
export function useLaunchFleet() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  const closeDialog = useUiStore((state) => state.closeDialog);
  const showFleet = useUiStore((state) => state.showFleet);
  return useMutation({
    mutationFn: (root: string) => bridge.invoke('fleets.launch', { root }),
    onSuccess: (detail) => {
      applyFleetDetail(queryClient, detail);
      closeDialog();
      showFleet(detail.summary.id);
    },
  });
}

/** The operator's hard stop: one worker by id, or `all` (every worker, every orphan swept). */
export function useKillFleetWorker(root: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (worker: string) => bridge.invoke('fleets.kill', { fleet: root, worker, force: worker === 'all' }),
    onSuccess: (detail) => applyFleetDetail(queryClient, detail),
  });
}

/** Re-runs one ended worker from its prompt.md; one at a time, by design. */
export function useRelaunchFleetWorker(root: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (workerId: string) => bridge.invoke('fleets.relaunch', { fleet: root, workerId }),
    onSuccess: (detail) => applyFleetDetail(queryClient, detail),
  });
}

export function useSavePrompt(root: string, workerId: string) {
  const bridge = useBridge();
  return useMutation({ mutationFn: (text: string) => bridge.invoke('fleets.savePrompt', { fleet: root, workerId, text }) });
}
