import { ConfirmDialog } from '../app/ConfirmDialog';
import { useFleets } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { useKillFleetWorker } from './use-fleet-commands';

/** Kill all tears the whole fleet down, so it is confirmed first. */
export function KillFleetDialog({ fleetId }: { fleetId: string }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const fleet = useFleets().data?.find((candidate) => candidate.id === fleetId);
  const kill = useKillFleetWorker(fleet?.root ?? '');
  if (!fleet) return null;
  return (
    <ConfirmDialog
      title={`Kill all of ${fleet.name}?`}
      description="Every running worker is killed with its whole process tree, every orphan is swept, and no new worker starts. Nothing restarts on its own; you can relaunch workers one at a time."
      action={kill}
      keepText="Keep running"
      confirmText="Kill all"
      busyText="Killing…"
      onConfirm={() => kill.mutate('all', { onSuccess: closeDialog })}
    />
  );
}
