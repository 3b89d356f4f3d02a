import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { MergeWave, MergeWaveInput } from '../../shared/review';
import { useBridge } from '../bridge/context';
import { applyCardUpdate } from '../data/cards-cache';

const wavesKey = ['review', 'waves'] as const;
const diffKey = (assignmentId: string) => ['review', 'diff', assignmentId] as const;

/** The diff is read fresh each time the dialog opens: the worktree may have changed since. */
export function useDiff(assignmentId: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: diffKey(assignmentId), queryFn: () => bridge.invoke('review.diff', { assignmentId }), gcTime: 0 });
}

/** Every merge wave, newest first, kept current by `wave.updated`. */
export function useWaves() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      bridge.subscribe('wave.updated', (wave) => {
        queryClient.setQueryData<MergeWave[]>(wavesKey, (waves) => [wave, ...(waves ?? []).filter((w) => w.id !== wave.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
      }),
    [bridge, queryClient],
  );
  return useQuery({ queryKey: wavesKey, queryFn: () => bridge.invoke('review.waves', {}) });
}

export function useCreatePr(assignmentId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('review.createPr', { assignmentId }),
    onSuccess: (card) => applyCardUpdate(queryClient, card),
  });
}

function useWaveCommand<I>(run: (input: I) => Promise<MergeWave>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (wave) => queryClient.setQueryData<MergeWave[]>(wavesKey, (waves) => [wave, ...(waves ?? []).filter((w) => w.id !== wave.id)]),
  });
}

export function useMergeWave() {
  const bridge = useBridge();
  return useWaveCommand((input: MergeWaveInput) => bridge.invoke('review.mergeWave', input));
}

export function useResumeWave() {
  const bridge = useBridge();
  return useWaveCommand((waveId: string) => bridge.invoke('review.resumeWave', { waveId }));
}

export function useResolveConflict() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (waveId: string) => bridge.invoke('review.resolveConflict', { waveId }),
    onSuccess: (card) => applyCardUpdate(queryClient, card),
  });
}

export function useCleanup() {
  const bridge = useBridge();
  return useMutation({ mutationFn: (input: { runId?: string; force: boolean }) => bridge.invoke('review.cleanup', input) });
}
