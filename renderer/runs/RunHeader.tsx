import { useId, useState } from 'react';
import { controlAllowed, type FleetRun } from '../../shared/runs';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { formatCount } from '../format';
import { useUiStore } from '../state/ui-store';
import {
  capacityText,
  controlLabels,
  freeText,
  isFinished,
  needsApproval,
  runSummary,
  skippedByReason,
  waitingText,
} from './run-text';
import { NotStartedUnits, RunFacts, RunProgressBar } from './RunProgress';
import { useApproveRun, useRunControl } from './use-run-commands';

/** Controls that act at once; Stop interrupts workers, so it asks first (StopRunDialog). */
const directControls = ['pause', 'resume', 'drain'] as const;

const PERCENT = 100;

/** The selected run: state, controls, capacity, progress, and why it waits when it does. */
export function RunHeader({ run }: { run: FleetRun }) {
  const control = useRunControl(run.id);
  const askStop = useUiStore((state) => state.askStop);

  return (
    <section className={`run-header run-state-${run.state}`} aria-label={`Run ${run.name}`}>
      <div className="run-title">
        <h2>{run.name}</h2>
        <span className="state-badge">{run.state}</span>
        <span className="run-summary">{runSummary(run)}</span>
      </div>
      {/* A stopped or completed run is not steered any more: it offers no controls. */}
      {!isFinished(run) && (
        <div className="run-controls">
          {directControls.map((name) => (
            <button
              key={name}
              type="button"
              disabled={!controlAllowed(name, run.state) || control.isPending}
              aria-busy={control.isPending && control.variables === name}
              onClick={() => control.mutate(name)}
            >
              {controlLabels[name]}
            </button>
          ))}
          <button
            type="button"
            className="danger"
            disabled={!controlAllowed('stop', run.state)}
            onClick={() => askStop(run.id)}
          >
            {controlLabels.stop}
          </button>
        </div>
      )}
      {control.isError && <ErrorNote error={control.error} />}
      <p className="muted run-repo">
        repository <code>{run.repoPath}</code> · branch <code>{run.branch}</code>
      </p>
      <div className="run-stats">
        <CapacityMeter run={run} />
        <RunProgressBar run={run} />
      </div>
      <RunFacts run={run} />
      <NotStartedUnits run={run} />
      <SkippedByReason skipped={run.counts.skipped} />
      {/* Always present, so a screen reader announces the reason when one appears. */}
      <p role="status" className="run-waiting">
        {waitingText(run)}
      </p>
      {needsApproval(run) && <ApprovalNote runId={run.id} />}
    </section>
  );
}

/** Active assignments out of the run's target concurrency, and the slots it could fill now. */
function CapacityMeter({ run }: { run: FleetRun }) {
  const { active } = run.counts;
  const target = run.targetConcurrency;
  const fill = target > 0 ? Math.min(1, active / target) * PERCENT : 0;
  return (
    <div className="capacity">
      <div
        role="meter"
        aria-label="Capacity"
        aria-valuemin={0}
        aria-valuemax={target}
        aria-valuenow={active}
        aria-valuetext={capacityText(run)}
        className="meter"
      >
        <span className="meter-bar" aria-hidden="true">
          <span className="meter-fill" style={{ width: `${fill}%` }} />
        </span>
        <span>{capacityText(run)}</span>
      </div>
      <span className="muted">{freeText(run)}</span>
    </div>
  );
}

function SkippedByReason({ skipped }: { skipped: FleetRun['counts']['skipped'] }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const reasons = skippedByReason(skipped);
  if (reasons.length === 0) return null;
  return (
    <div className="skipped">
      <button
        type="button"
        className="disclosure"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((current) => !current)}
      >
        Skipped by reason
      </button>
      <ul id={listId} className="skip-reasons" aria-label="Skipped by reason" hidden={!open}>
        {reasons.map(([reason, count]) => (
          <li key={reason}>
            <code>{reason}</code> {formatCount(count)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A new run claims and spends nothing until the owner approves it, here or from the Inbox. */
function ApprovalNote({ runId }: { runId: string }) {
  const approve = useApproveRun(runId);
  return (
    <div className="approval-note">
      <p>
        <strong>Approval required</strong>: this run waits for your approval, here or in the Inbox. Nothing is
        claimed or spent before it.
      </p>
      {approve.isError && <ErrorNote error={approve.error} />}
      <BusyButton className="primary" busy={approve.isPending} onClick={() => approve.mutate()}>
        Approve run
      </BusyButton>
    </div>
  );
}
