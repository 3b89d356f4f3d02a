import type { MouseEvent } from 'react';
import type { FleetRun } from '../../shared/runs';
import { ErrorNote } from '../app/ErrorNote';
import { TableHead } from '../app/TableHead';
import { useRuns } from '../data/queries';
import { NoMatches, useFind, type FacetChoice } from '../find/FindBar';
import { runFindable } from '../find/filter';
import { useUiStore } from '../state/ui-store';
import { capacityText, freeText } from './run-text';
import { RunFacts, RunProgressBar } from './RunProgress';

const runChoices: FacetChoice[] = [
  { facet: 'state', label: 'State' },
  { facet: 'provider', label: 'Provider' },
  { facet: 'repository', label: 'Repository' },
];

const noRuns: FleetRun[] = [];

export function RunsView() {
  const runs = useRuns();
  const openDialog = useUiStore((state) => state.openDialog);
  const find = useFind('runs', runs.data ?? noRuns, runFindable, runChoices);

  return (
    <div className="runs">
      <header className="board-head">
        <h1>Runs</h1>
        <button type="button" className="primary" onClick={() => openDialog('new-run')}>
          New run
        </button>
      </header>
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.isError && <ErrorNote error={runs.error} />}
      {runs.isSuccess &&
        (runs.data.length === 0 ? (
          <p className="empty">
            No runs yet. Click <strong>New run</strong> (or press <kbd>Shift</kbd>+<kbd>N</kbd>) to start one.
          </p>
        ) : (
          <>
            {find.bar}
            {find.shown.length === 0 ? <NoMatches view="runs" /> : <RunTable runs={find.shown} />}
          </>
        ))}
    </div>
  );
}

function RunTable({ runs }: { runs: FleetRun[] }) {
  return (
    <table className="run-table" aria-label="Runs">
      <TableHead columns={['Name', 'State', 'Progress', 'Capacity']} />
      <tbody>
        {runs.map((run) => (
          <RunRow key={run.id} run={run} />
        ))}
      </tbody>
    </table>
  );
}

/** The whole row opens the run on the Board; its name is the button a keyboard reaches. */
function RunRow({ run }: { run: FleetRun }) {
  const showRun = useUiStore((state) => state.showRun);
  const selected = useUiStore((state) => state.selectedRunId === run.id);
  const open = () => showRun(run.id);
  const openFromButton = (event: MouseEvent) => {
    event.stopPropagation();
    open();
  };
  return (
    <tr className={`run-row run-state-${run.state}`} aria-current={selected ? 'true' : undefined} onClick={open}>
      <td>
        <button type="button" className="link-button" onClick={openFromButton}>
          {run.name}
        </button>
      </td>
      <td>
        <span className="state-badge">{run.state}</span>
      </td>
      <td>
        <RunProgressBar run={run} />
        <RunFacts run={run} />
      </td>
      <td>
        {capacityText(run)} · {freeText(run)}
      </td>
    </tr>
  );
}
