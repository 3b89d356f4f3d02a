import { useState } from 'react';
import type { FleetSummary } from '../../shared/fleets';
import { ErrorNote } from '../app/ErrorNote';
import { useFleetDetail } from '../data/queries';
import { FleetFeed } from './FleetFeed';
import { FleetGraph } from './FleetGraph';
import { FleetHeader } from './FleetHeader';
import { FleetReport } from './FleetReport';
import { FleetTable } from './FleetTable';
import { FleetTabs, type FleetTab } from './FleetTabs';

/** One fleet: its header, then the graph, the status table, the feed or the report. */
export function FleetView({ summary }: { summary: FleetSummary }) {
  const [tab, setTab] = useState<FleetTab>('graph');
  const detail = useFleetDetail(summary.id, summary.root);
  const panelId = `fleet-panel-${tab}`;

  return (
    <div className="fleet-view">
      <FleetHeader summary={summary} onReport={() => setTab('report')} />
      <FleetTabs tab={tab} panelId={panelId} onSelect={setTab} />
      <div id={panelId} role="tabpanel" aria-labelledby={`fleet-tab-${tab}`} className="fleet-panel">
        {detail.isPending && <p className="muted">Loading the fleet…</p>}
        {detail.isError && <ErrorNote error={detail.error} />}
        {detail.isSuccess && tab === 'graph' && <FleetGraph detail={detail.data} />}
        {detail.isSuccess && tab === 'table' && <FleetTable detail={detail.data} />}
        {detail.isSuccess && tab === 'feed' && <FleetFeed fleetId={summary.id} root={summary.root} workers={detail.data.workers} />}
        {tab === 'report' && <FleetReport fleetId={summary.id} root={summary.root} />}
      </div>
    </div>
  );
}
