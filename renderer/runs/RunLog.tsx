import { useId, useState } from 'react';
import type { RunLogEntry } from '../../shared/runs';
import { ErrorNote } from '../app/ErrorNote';
import { TableHead } from '../app/TableHead';
import { useNow } from '../clock';
import { useRunDetail } from '../data/queries';
import { formatClock, formatCount } from '../format';
import { useUiStore } from '../state/ui-store';
import { latestLog } from './run-text';

/** A long run skips thousands of issues; the newest are the ones worth reading on screen. */
const LOG_ROWS_SHOWN = 200;

/** The run's claims and skips, fetched only while open (then again on each `run.updated`). */
export function RunLog({ runId }: { runId: string }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  return (
    <section className="run-log" aria-label="Claims and skips">
      <h2>
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen((current) => !current)}
        >
          Claims and skips
        </button>
      </h2>
      <div id={bodyId} hidden={!open}>
        {open && <RunLogBody runId={runId} />}
      </div>
    </section>
  );
}

function RunLogBody({ runId }: { runId: string }) {
  const detail = useRunDetail(runId);
  // Times are wall-clock times, so they need no ticking clock: only "today or not".
  const now = useNow(false);
  if (detail.isPending) return <p className="muted">Loading claims and skips…</p>;
  if (detail.isError) return <ErrorNote error={detail.error} />;
  const { log } = detail.data;
  if (log.length === 0) return <p className="muted">Nothing claimed or skipped yet.</p>;
  const shown = latestLog(log, LOG_ROWS_SHOWN);
  return (
    <>
      {shown.length < log.length && (
        <p className="muted">
          The latest {formatCount(shown.length)} of {formatCount(log.length)} entries.
        </p>
      )}
      <table className="run-log-table" aria-label="Claims and skips">
        <TableHead columns={['Time', 'Unit', 'Title', 'Kind', 'Reason', 'Assignment']} />
        <tbody>
          {shown.map((entry, index) => (
            // The same unit can be claimed, released and claimed again at one instant: the position breaks the tie.
            <LogRow key={`${entry.at}-${entry.unitKey}-${entry.kind}-${index}`} entry={entry} now={now} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function LogRow({ entry, now }: { entry: RunLogEntry; now: number }) {
  const openPane = useUiStore((state) => state.openPane);
  const { assignmentId } = entry;
  return (
    <tr>
      <td>
        <time dateTime={entry.at}>{formatClock(entry.at, now)}</time>
      </td>
      <td>
        <code>{entry.unitKey}</code>
      </td>
      <td>{entry.title}</td>
      <td className={`log-kind log-${entry.kind}`}>{entry.kind}</td>
      <td>
        <code>{entry.reason}</code>
      </td>
      <td>
        {assignmentId !== null && (
          <button
            type="button"
            className="link-button"
            aria-label={`Open assignment ${assignmentId}`}
            onClick={() => openPane(assignmentId)}
          >
            {assignmentId}
          </button>
        )}
      </td>
    </tr>
  );
}
