import { useId } from 'react';
import { useRuns } from '../data/queries';
import { useUiStore } from '../state/ui-store';

/** Which run the Board shows: "All tasks" is every card, one-off tasks and every run's workers alike. */
export function RunPicker() {
  const runs = useRuns();
  const selectedRunId = useUiStore((state) => state.selectedRunId);
  const selectRun = useUiStore((state) => state.selectRun);
  const id = useId();
  return (
    <div className="run-picker">
      <label htmlFor={id}>Run</label>
      <select
        id={id}
        value={selectedRunId ?? ''}
        onChange={(event) => selectRun(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">All tasks</option>
        {runs.data?.map((run) => (
          <option key={run.id} value={run.id}>
            {run.name}
          </option>
        ))}
      </select>
    </div>
  );
}
