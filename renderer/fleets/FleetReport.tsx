import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useFleetReport } from '../data/queries';

/** report.md as written in the fleet root, shown as its Markdown text (never as HTML). */
export function FleetReport({ fleetId, root }: { fleetId: string; root: string }) {
  const report = useFleetReport(fleetId, root);
  return (
    <section className="fleet-report" aria-label="Fleet report">
      <div className="fleet-report-head">
        {report.data && (
          <p className="muted">
            Saved as <code>{report.data.path}</code>
          </p>
        )}
        <BusyButton busy={report.isFetching} busyText="Writing…" onClick={() => void report.refetch()}>
          Write report again
        </BusyButton>
      </div>
      {report.isError && <ErrorNote error={report.error} />}
      {report.isPending && <p className="muted">Writing the report…</p>}
      {report.data && <pre className="fleet-report-text">{report.data.markdown}</pre>}
    </section>
  );
}
