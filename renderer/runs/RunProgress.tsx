import { useId, useState } from 'react';
import type { FleetRun } from '../../shared/runs';
import { Elapsed } from '../board/Elapsed';
import { notStartedMoreText, progressSegments, runSpendText, runTokensText, segmentsText } from './run-text';
import './run-progress.css';

/** The run's units by state as one bar, with the counts in words beside it. */
export function RunProgressBar({ run }: { run: FleetRun }) {
  const segments = progressSegments(run);
  const total = segments.reduce((sum, segment) => sum + segment.count, 0);
  const text = segmentsText(segments);
  return (
    <div className="run-progress-bar">
      <span className="progress-track" role="img" aria-label={`Progress: ${text}`}>
        {total > 0 &&
          segments.map((segment) =>
            segment.count > 0 ? <span key={segment.state} className={`progress-part part-${segment.state}`} style={{ flexGrow: segment.count }} /> : null,
          )}
      </span>
      <span className="progress-legend">
        {segments.map((segment) => (
          <span key={segment.state} className={`legend-item part-${segment.state}`}>
            {segment.label} {segment.count}
          </span>
        ))}
      </span>
    </div>
  );
}

/** Elapsed time (ticking while the run can go on), exact tokens and spend, as the run's facts. */
export function RunFacts({ run }: { run: FleetRun }) {
  const { progress } = run;
  return (
    <dl className="run-facts">
      <dt>Elapsed</dt>
      <dd>
        <Elapsed startedAt={progress.startedAt} endedAt={progress.endedAt} />
      </dd>
      <dt>Tokens</dt>
      <dd>{runTokensText(progress)}</dd>
      <dt>Spend</dt>
      <dd>{runSpendText(progress)}</dd>
    </dl>
  );
}

/** The units the run has not started, so a drained or stopped run shows what it never began. */
export function NotStartedUnits({ run }: { run: FleetRun }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const { notStarted } = run.progress;
  if (notStarted.total === 0) return null;
  const more = notStartedMoreText(run.progress);
  return (
    <div className="not-started">
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={listId} onClick={() => setOpen((current) => !current)}>
        Not started ({notStarted.total})
      </button>
      <ul id={listId} className="not-started-units" aria-label="Not started" hidden={!open}>
        {notStarted.units.map((unit) => (
          <li key={unit.key} title={unit.key}>
            {unit.title}
          </li>
        ))}
        {more && <li className="muted">{more}</li>}
      </ul>
    </div>
  );
}
